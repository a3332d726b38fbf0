"""The ``intermestic grade`` command group: init, collect, roster import, preflight, autograde,
feedback, export and status. Heavy modules (nbgrader) are imported only when a command runs.

Messages go through ``logging`` to stderr (``-v`` adds detail, ``-q`` keeps only problems);
results that are data (the status table) go to stdout.

Exit status: 0 when everything was done; 1 when the command finished but left something that
needs the instructor (each listed: a failed or quarantined submission, a file not collected, a
grade left empty); 2 when it did nothing (bad input, a missing tool, an unreadable gradebook);
130 when interrupted.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intermestic.grading import defaults

if TYPE_CHECKING:
    from intermestic.grading.course import Course
    from intermestic.grading.preflight import Check

log = logging.getLogger("intermestic.grading")
DONE, ATTENTION = 0, 1

NEXT_STEPS = """Next steps:
  cd {root}
  intermestic grade collect DOWNLOAD.zip --assignment {first}   # or a folder of .ipynb files
  intermestic grade roster import ROSTER.csv                    # names and Canvas ids
  intermestic grade autograde --assignment {first}              # preflight, then sandboxed grading
  nbgrader formgrader                                           # manual answers
  intermestic grade feedback --assignment {first}
  intermestic grade export --format canvas"""


class _Handler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is logged (tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(verbosity: int) -> None:
    """Send the grading messages to stderr: warnings only (-q), progress (default) or detail
    (-v)."""
    level = {-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG)
    if not any(isinstance(h, _Handler) for h in log.handlers):
        handler = _Handler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(level)


def _bytes(text: str) -> int:
    """A size such as 2G, 512M or 1500000000."""
    try:
        return defaults.size_in_bytes(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _course(args: argparse.Namespace) -> Course:
    from intermestic.grading.course import Course

    return Course.open(args.course)


def _listing(label: str, names: list[str]) -> None:
    if names:
        log.warning("%s (%d):\n%s", label, len(names), "\n".join(f"  {n}" for n in names))


def _cmd_init(args: argparse.Namespace) -> int:
    from intermestic.grading.course import init_course

    names = init_course(args.directory, args.source)
    root = args.directory.resolve()
    log.info(
        "Created the grading course %s with %d assignment(s): %s",
        root,
        len(names),
        ", ".join(names),
    )
    log.info(NEXT_STEPS.format(root=root, first=names[0]))
    return DONE


def _cmd_collect(args: argparse.Namespace) -> int:
    from intermestic.grading.collect import collect

    done = collect(_course(args), args.source, args.assignment, force=args.force)
    log.info("Collected %d submission(s) of %s.", len(done.students), args.assignment)
    for label, names in (
        ("Already there, unchanged", done.unchanged),
        ("Kept the existing submission (use --force to replace it)", done.kept),
        ("Late according to the LMS", done.late),
    ):
        if names:
            log.info("%s (%d):\n%s", label, len(names), "\n".join(f"  {n}" for n in names))
    _listing("Not collected: file names of no known LMS naming", done.unmatched)
    return ATTENTION if done.unmatched else DONE


def _cmd_roster_import(args: argparse.Namespace) -> int:
    from intermestic.grading.roster import import_roster

    done = import_roster(_course(args), args.file)
    log.info("Roster: %d student(s) added, %d updated.", len(done.added), len(done.updated))
    return DONE


def _log_checks(checks: list[Check]) -> None:
    for check in checks:
        if check.status != "ok":
            level = logging.WARNING if check.status == "quarantined" else logging.INFO
            log.log(level, "  %s: %s: %s", check.student, check.status, "; ".join(check.notes))
    counts = {s: sum(c.status == s for c in checks) for s in ("ok", "repaired", "quarantined")}
    log.info("Preflight: %s.", ", ".join(f"{n} {s}" for s, n in counts.items()))


def _cmd_preflight(args: argparse.Namespace) -> int:
    from intermestic.grading.preflight import preflight

    checks = preflight(_course(args), args.assignment)
    _log_checks(checks)
    return ATTENTION if any(c.status == "quarantined" for c in checks) else DONE


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
    progress = Progress() if log.isEnabledFor(logging.INFO) else None
    run = autograde(_course(args), args.assignment, settings, progress)
    _log_checks(run.checks)
    graded = [o for o in run.outcomes if o.status == "graded"]
    skipped = [o for o in run.outcomes if o.status == "skipped"]
    attempted = len(graded) + len(run.failed)
    per = f", {run.seconds / attempted:.1f} s per submission" if attempted else ""
    log.info(
        "Autograded %d, failed %d, skipped %d (already graded, unchanged) in %g s%s.",
        len(graded),
        len(run.failed),
        len(skipped),
        run.seconds,
        per,
    )
    for outcome in run.failed:
        log.warning("  %s", describe(outcome))
    for change in run.restored:
        log.warning("  AUDIT: %s", change.describe())
    manual = [o.student for o in run.outcomes if o.needs_manual_grade]
    if manual:
        log.info("%d submission(s) need manual grading: open 'nbgrader formgrader'.", len(manual))
    if run.sandbox is None:
        log.warning("Graded WITHOUT the sandbox: student code ran with your permissions.")
    return ATTENTION if run.failed or run.quarantined else DONE


def _cmd_feedback(args: argparse.Namespace) -> int:
    from intermestic.grading.feedback import feedback

    run = feedback(_course(args), args.assignment, include_ungraded=args.include_ungraded)
    log.info("Wrote feedback for %d student(s) into feedback/.", len(run.written))
    if run.waiting:
        log.info(
            "Not yet, manual grading unfinished (%d; --include-ungraded writes them anyway, "
            "showing 0 for ungraded answers): %s",
            len(run.waiting),
            ", ".join(run.waiting),
        )
    if run.failed:
        log.warning("Failed (no feedback written): %s", ", ".join(run.failed))
    return ATTENTION if run.failed else DONE


def _cmd_export(args: argparse.Namespace) -> int:
    from intermestic.grading.export import export

    done = export(_course(args), args.format, args.output)
    log.info("Wrote %s", done.written)
    _listing("Left empty, needing your attention", done.problems)
    return ATTENTION if done.problems else DONE


def _cmd_status(args: argparse.Namespace) -> int:
    from intermestic.grading.status import status

    rows = status(_course(args))
    if not rows:
        print("No students or submissions yet.")
        return DONE
    width = max(len(s) for s, _, _ in rows)
    current = None
    for student, assignment, state in rows:
        if assignment != current:
            print(f"{assignment}:")
            current = assignment
        print(f"  {student:<{width}}  {state}")
    return DONE


def _verbosity() -> argparse.ArgumentParser:
    """The -v/-q options every grade command takes."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_mutually_exclusive_group()
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        default=0,
        help="say more (each step and repair)",
    )
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        help="say only what needs your attention",
    )
    return parent


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``grade`` command with its logging set up."""
    configure_logging(args.verbosity)
    handler: Callable[[argparse.Namespace], int] = args.grade_handler
    return handler(args)


def register(
    subcommands: Callable[..., argparse._SubParsersAction],
    commands: argparse._SubParsersAction,
) -> None:
    """Add the ``grade`` group to the ``intermestic`` parser (``subcommands`` makes a group)."""
    grade = subcommands(commands, "grade", "grade a class: collect, autograde, feedback, export")
    common = _verbosity()

    def command(
        group: Any, name: str, help_text: str, handler: Callable[..., int], *, course: bool = True
    ) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = group.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            parents=[common],
        )
        if course:
            parser.add_argument(
                "--course", type=Path, default=Path.cwd(), help="the course folder (default: here)"
            )
        parser.set_defaults(handler=run, grade_handler=handler)
        return parser

    init = command(grade, "init", "create an instructor course folder", _cmd_init, course=False)
    init.add_argument("directory", type=Path, help="the new course folder")
    init.add_argument(
        "--from",
        dest="source",
        type=Path,
        help="course sources (default: this checkout's autograder/)",
    )

    collect = command(
        grade,
        "collect",
        "put a folder or LMS download of submissions into submitted/",
        _cmd_collect,
    )
    collect.add_argument("source", type=Path, help="a folder of .ipynb files or an LMS zip")
    collect.add_argument("--assignment", required=True)
    collect.add_argument("--force", action="store_true", help="replace existing submissions")

    roster = subcommands(grade, "roster", "the class roster: names and LMS ids")
    imported = command(
        roster, "import", "add or update students from a CSV roster", _cmd_roster_import
    )
    imported.add_argument(
        "file",
        type=Path,
        help="CSV with an id column and any of first_name, last_name, email, lms_user_id",
    )

    check = command(
        grade, "preflight", "check, repair or quarantine every submission", _cmd_preflight
    )
    check.add_argument("--assignment", required=True)

    auto = command(
        grade,
        "autograde",
        "grade every submission in sandboxed parallel workers",
        _cmd_autograde,
    )
    auto.add_argument("--assignment", required=True)
    auto.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=defaults.JOBS,
        help=f"workers (default: one per core, here {defaults.JOBS})",
    )
    auto.add_argument(
        "--timeout-cell", type=_positive, help="seconds per cell (default: course config)"
    )
    auto.add_argument(
        "--timeout-notebook",
        type=_positive,
        default=defaults.NOTEBOOK_TIMEOUT,
        help=f"seconds per notebook (default: {defaults.NOTEBOOK_TIMEOUT})",
    )
    auto.add_argument(
        "--memory",
        type=_bytes,
        default=defaults.MEMORY,
        help=f"memory per kernel process (default: {defaults.MEMORY})",
    )
    auto.add_argument(
        "--processes",
        type=_positive,
        default=defaults.PROCESSES,
        help=f"processes and threads per kernel (default: {defaults.PROCESSES})",
    )
    auto.add_argument("--no-sandbox", action="store_true", help="run student code unconfined")
    auto.add_argument("--force", action="store_true", help="regrade students already graded")

    back = command(grade, "feedback", "write HTML feedback without hidden tests", _cmd_feedback)
    back.add_argument("--assignment", required=True)
    back.add_argument("--include-ungraded", action="store_true", help="also before manual grading")

    out = command(grade, "export", "write grades per student and question", _cmd_export)
    out.add_argument("--format", choices=("csv", "canvas"), default="csv")
    out.add_argument("-o", "--output", type=Path, help="file (default: grades.csv or canvas.csv)")

    command(grade, "status", "show every student's state on every assignment", _cmd_status)
