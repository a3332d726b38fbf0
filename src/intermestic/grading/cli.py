"""The ``intermestic grade`` command group: init, collect, preflight, autograde, feedback,
export and status. Heavy modules (nbgrader) are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intermestic.grading.course import Course
    from intermestic.grading.preflight import Check

NEXT_STEPS = """Next steps:
  cd {root}
  intermestic grade collect DOWNLOAD.zip --assignment {first}   # or a folder of .ipynb files
  intermestic grade autograde --assignment {first}              # preflight, then sandboxed grading
  nbgrader formgrader                                           # manual answers
  intermestic grade feedback --assignment {first}
  intermestic grade export --format canvas"""
SIZE = re.compile(r"^(\d+(?:\.\d+)?)([KMGT]?)i?B?$", re.IGNORECASE)


def _bytes(text: str) -> int:
    """A size such as 2G, 512M or 1500000000."""
    match = SIZE.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 2G, 512M)")
    number, unit = match.groups()
    return int(float(number) * 1024 ** "_KMGT".index(unit.upper() or "_"))


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _course(args: argparse.Namespace) -> Course:
    from intermestic.grading.course import Course

    return Course.open(args.course)


def _cmd_init(args: argparse.Namespace) -> int:
    from intermestic.grading.course import init_course

    names = init_course(args.directory, args.source)
    root = args.directory.resolve()
    print(f"Created the grading course {root} with {len(names)} assignment(s): {', '.join(names)}")
    print(NEXT_STEPS.format(root=root, first=names[0]))
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    from intermestic.grading.collect import collect

    done = collect(_course(args), args.source, args.assignment, force=args.force)
    print(f"Collected {len(done.students)} submission(s) of {args.assignment}.")
    for label, names in (
        ("Already there, unchanged", done.unchanged),
        ("Kept the existing submission (use --force to replace it)", done.kept),
        ("Late according to the LMS", done.late),
        ("Not collected: file names of no known LMS naming", done.unmatched),
    ):
        if names:
            print(f"{label} ({len(names)}):")
            print("".join(f"  {name}\n" for name in names), end="")
    return 0


def _print_checks(checks: list[Check]) -> None:
    for check in checks:
        if check.status != "ok":
            print(f"  {check.student}: {check.status}: {'; '.join(check.notes)}")
    counts = {s: sum(c.status == s for c in checks) for s in ("ok", "repaired", "quarantined")}
    print(f"Preflight: {', '.join(f'{n} {s}' for s, n in counts.items())}.")


def _cmd_preflight(args: argparse.Namespace) -> int:
    from intermestic.grading.preflight import preflight

    _print_checks(preflight(_course(args), args.assignment))
    return 0


def _cmd_autograde(args: argparse.Namespace) -> int:
    from intermestic.grading.autograde import Settings, autograde
    from intermestic.grading.progress import Progress, describe
    from intermestic.grading.sandbox import Limits

    settings = Settings(
        jobs=args.jobs,
        cell_timeout=args.timeout_cell,
        notebook_timeout=args.timeout_notebook,
        sandbox=not args.no_sandbox,
        limits=Limits(memory_bytes=args.memory, processes=args.processes),
        force=args.force,
    )
    run = autograde(_course(args), args.assignment, settings, Progress())
    _print_checks(run.checks)
    graded = [o for o in run.outcomes if o.status == "graded"]
    failed = [o for o in run.outcomes if o.status == "failed"]
    skipped = [o for o in run.outcomes if o.status == "skipped"]
    per = (
        f", {run.seconds / (len(graded) + len(failed)):.1f} s per submission"
        if (graded or failed)
        else ""
    )
    print(
        f"Autograded {len(graded)}, failed {len(failed)}, skipped {len(skipped)} "
        f"(already graded, unchanged) in {run.seconds:g} s{per}."
    )
    for outcome in failed:
        print(f"  {describe(outcome)}")
    for change in run.restored:
        print(f"  AUDIT: {change.describe()}")
    manual = [o.student for o in run.outcomes if o.needs_manual_grade]
    if manual:
        print(f"{len(manual)} submission(s) need manual grading: open 'nbgrader formgrader'.")
    if not settings.sandbox:
        print("Graded WITHOUT the sandbox: student code ran with your permissions.")
    return 0


def _cmd_feedback(args: argparse.Namespace) -> int:
    from intermestic.grading.feedback import feedback

    run = feedback(_course(args), args.assignment, include_ungraded=args.include_ungraded)
    print(f"Wrote feedback for {len(run.written)} student(s) into feedback/.")
    if run.waiting:
        print(
            f"Not yet, manual grading unfinished ({len(run.waiting)}; --include-ungraded "
            f"writes them anyway, showing 0 for ungraded answers): {', '.join(run.waiting)}"
        )
    if run.failed:
        print(f"Failed (no feedback written): {', '.join(run.failed)}")
    return 1 if run.failed else 0


def _cmd_export(args: argparse.Namespace) -> int:
    from intermestic.grading.export import export

    print(f"Wrote {export(_course(args), args.format, args.output)}")
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from intermestic.grading.status import status

    rows = status(_course(args))
    if not rows:
        print("No submissions yet.")
        return 0
    width = max(len(s) for s, _, _ in rows)
    current = None
    for student, assignment, state in rows:
        if assignment != current:
            print(f"{assignment}:")
            current = assignment
        print(f"  {student:<{width}}  {state}")
    return 0


def register(
    subcommands: Callable[..., argparse._SubParsersAction], commands: argparse._SubParsersAction
) -> None:
    """Add the ``grade`` group to the ``intermestic`` parser (``subcommands`` makes a group)."""
    grade = subcommands(commands, "grade", "grade a class: collect, autograde, feedback, export")

    def command(name: str, help_text: str, handler: Callable, *, course: bool = True):
        parser = grade.add_parser(
            name, help=help_text, description=help_text[0].upper() + help_text[1:] + "."
        )
        if course:
            parser.add_argument(
                "--course", type=Path, default=Path.cwd(), help="the course folder (default: here)"
            )
        parser.set_defaults(handler=handler)
        return parser

    init = command("init", "create an instructor course folder", _cmd_init, course=False)
    init.add_argument("directory", type=Path, help="the new course folder")
    init.add_argument(
        "--from",
        dest="source",
        type=Path,
        help="course sources (default: this checkout's autograder/)",
    )

    collect = command(
        "collect", "put a folder or LMS download of submissions into submitted/", _cmd_collect
    )
    collect.add_argument("source", type=Path, help="a folder of .ipynb files or an LMS zip")
    collect.add_argument("--assignment", required=True)
    collect.add_argument("--force", action="store_true", help="replace existing submissions")

    check = command("preflight", "check, repair or quarantine every submission", _cmd_preflight)
    check.add_argument("--assignment", required=True)

    auto = command(
        "autograde", "grade every submission in sandboxed parallel workers", _cmd_autograde
    )
    auto.add_argument("--assignment", required=True)
    auto.add_argument(
        "-j", "--jobs", type=_positive, default=os.cpu_count() or 1, help="workers (default: cores)"
    )
    auto.add_argument(
        "--timeout-cell", type=_positive, help="seconds per cell (default: course config)"
    )
    auto.add_argument(
        "--timeout-notebook",
        type=_positive,
        default=600,
        help="seconds per notebook (default: 600)",
    )
    auto.add_argument("--memory", type=_bytes, default="2G", help="memory per kernel (default: 2G)")
    auto.add_argument(
        "--processes", type=_positive, default=256, help="processes per kernel (default: 256)"
    )
    auto.add_argument("--no-sandbox", action="store_true", help="run student code unconfined")
    auto.add_argument("--force", action="store_true", help="regrade students already graded")

    back = command("feedback", "write HTML feedback without hidden tests", _cmd_feedback)
    back.add_argument("--assignment", required=True)
    back.add_argument("--include-ungraded", action="store_true", help="also before manual grading")

    out = command("export", "write grades per student and question", _cmd_export)
    out.add_argument("--format", choices=("csv", "canvas"), default="csv")
    out.add_argument("-o", "--output", type=Path, help="file (default: grades.csv or canvas.csv)")

    command("status", "show every student's state on every assignment", _cmd_status)
