"""The ``intermestic`` command line: start the course, build lessons, data and question banks,
grade a class."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from intermestic import __version__, paths
from intermestic.errors import CourseError
from intermestic.grading import cli as grading_cli

PROG = "intermestic"


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit with status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{PROG} --help')\n")


def _checkout_folder(name: str) -> Path | None:
    """A folder of the repository checkout, or None when installed from a wheel."""
    root = paths.repository_root()
    return root / name if root else None


def _cmd_start(args: argparse.Namespace) -> int:
    from intermestic.launch import start

    return start(
        paths.lessons_dir(),
        args.workspace,
        port=args.port,
        open_browser=not args.no_browser,
        extra=args.jupyter_args,
    )


def _cmd_build(args: argparse.Namespace) -> int:
    from intermestic.build import build_lessons, check_lessons
    from intermestic.gradebanks import build_banks_command, check_banks_command

    autograder = args.autograder or _checkout_folder("autograder")
    lessons = args.lessons or _checkout_folder("lessons")
    if autograder is None or lessons is None:
        raise CourseError(
            "build needs the course sources: run it in a repository checkout "
            "or pass --autograder DIR and --lessons DIR"
        )
    own_course = autograder.resolve() == (_checkout_folder("autograder") or Path()).resolve()
    if args.check:
        staleness = check_lessons(autograder, lessons)
        if staleness.is_fresh:
            print(f"{lessons} is up to date with {autograder / 'source'}.")
        else:
            print(
                f"{PROG}: {lessons} is stale ({staleness.describe()}); run '{PROG} build'",
                file=sys.stderr,
            )
        banks = check_banks_command(autograder) if own_course else 0
        return max(int(not staleness.is_fresh), banks)
    written = build_lessons(autograder, lessons)
    print(f"Released {len(written)} lesson(s) into {lessons}: {', '.join(p.name for p in written)}")
    if own_course:  # the package's answer-check banks belong to this repository's course only
        build_banks_command(autograder, args.answer_checks)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from intermestic.check import run_command

    return run_command(
        args.lessons,
        args.workspace,
        as_json=args.json,
        cell_timeout=args.timeout,
        lesson_timeout=args.lesson_timeout,
    )


def _cmd_progress(args: argparse.Namespace) -> int:
    from intermestic.progress import run_command

    return run_command(args.workspace, args.lessons, as_json=args.json)


def _cmd_site_build(args: argparse.Namespace) -> int:
    from intermestic.site import build_site

    report = build_site(args.output)
    print(report.summary())
    return 0


def _cmd_data_rebuild(args: argparse.Namespace) -> int:
    from intermestic.datarebuild import RawDataError, RawFileMissingError, rebuild

    try:
        written = rebuild(args.raw, args.out)
    except (RawDataError, RawFileMissingError) as exc:
        raise CourseError(str(exc)) from None
    print(f"Wrote {len(written)} file(s) into {written[-1].parent}.")
    return 0


def _cmd_data_extract(args: argparse.Namespace) -> int:
    from intermestic.rawdata import RawDataError, RawFileMissingError, extract

    try:
        written = extract(args.originals, args.raw)
    except (RawDataError, RawFileMissingError) as exc:
        raise CourseError(str(exc)) from None
    for path in written:
        print(f"Wrote {path} (matches its SHA-256 in the manifest)")
    return 0


def _cmd_article_fingerprint(args: argparse.Namespace) -> int:
    from intermestic.overlap import write_fingerprints

    out = args.out or _checkout_folder("tests")
    if out is None:
        raise CourseError("no repository checkout here: pass --out FILE")
    if out.is_dir():
        out = out / "article_fingerprints.txt"
    if not args.article.is_file():
        raise CourseError(f"article not found: {args.article}")
    count = write_fingerprints(args.article, out)
    print(f"Wrote {count} fingerprints of {args.article.name} to {out}")
    return 0


def _cmd_questions_author(args: argparse.Namespace) -> int:
    from intermestic.quiz import BANKS_DIR, author, authoring_dir

    specs = args.specs
    if not specs:
        folder = authoring_dir()
        if folder is None:
            raise CourseError("no specs given, and no repository checkout to find them in")
        specs = sorted(folder.glob("*.json"))
    try:
        written = author(specs, args.out or BANKS_DIR)
    except (OSError, ValueError) as exc:
        raise CourseError(str(exc)) from None
    for path in written:
        print(f"Wrote {path}")
    return 0


def _subcommands(
    commands: argparse._SubParsersAction, name: str, help_text: str
) -> argparse._SubParsersAction:
    """A command group (e.g. ``data``) whose own sub-command is required."""
    group = commands.add_parser(name, help=help_text).add_subparsers(
        dest=f"{name}_command", metavar="COMMAND", parser_class=_OneLineParser
    )
    group.required = True
    return group


def _workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        type=Path,
        default=Path("intermestic-course"),
        help="folder of your lesson notebooks (default: ./intermestic-course)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``intermestic`` command."""
    parser = _OneLineParser(
        prog=PROG,
        description="A Jupyter course on U.S.-Mexico relations.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_OneLineParser)
    commands.required = True

    start = commands.add_parser(
        "start",
        help="copy the lessons into a workspace and open them in JupyterLab",
        description=(
            "Copy the lessons into a workspace folder (files already there are never "
            "overwritten) and open JupyterLab on the first lesson. Arguments after '--' "
            "go to JupyterLab. As root, JupyterLab needs '-- --allow-root' (passed for you "
            "inside a container)."
        ),
    )
    start.add_argument("--port", type=int, help="port for JupyterLab (default: JupyterLab's)")
    start.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    start.add_argument(
        "--workspace",
        type=Path,
        default=Path("intermestic-course"),
        help="folder for your copy of the lessons (default: ./intermestic-course)",
    )
    start.add_argument("jupyter_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    start.set_defaults(handler=_cmd_start)

    build = commands.add_parser(
        "build",
        help="release lessons/ from autograder/source/ with nbgrader",
        description="Regenerate the student lessons from the instructor notebooks.",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 and name the stale files if lessons/ differs from a fresh build",
    )
    build.add_argument(
        "--autograder", type=Path, help="nbgrader course root (default: autograder/)"
    )
    build.add_argument("--lessons", type=Path, help="output folder (default: lessons/)")
    build.add_argument(
        "--answer-checks",
        choices=("on", "off"),
        help="put the graded-answer checks in this release or leave them out (default: keep "
        "the current setting); see autograder/README.md",
    )
    build.set_defaults(handler=_cmd_build)

    check = commands.add_parser(
        "check",
        help="check your graded answers: a scorecard per lesson (offline)",
        description=(
            "Run your lesson notebooks in a fresh kernel and say, for every graded item, whether "
            "it is correct, not yet right, not attempted or a written answer for your instructor."
        ),
    )
    check.add_argument(
        "lessons",
        nargs="*",
        metavar="LESSON",
        help="a lesson number (3), name (03-nafta-to-usmca) or notebook path (default: every "
        "lesson in the workspace)",
    )
    _workspace_option(check)
    check.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    check.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="seconds one cell may run before it is stopped (default: 60)",
    )
    check.add_argument(
        "--lesson-timeout",
        type=float,
        default=600.0,
        metavar="S",
        help="seconds a whole notebook may run (default: 600)",
    )
    check.set_defaults(handler=_cmd_check)

    progress = commands.add_parser(
        "progress",
        help="a table of your progress through the course",
        description=(
            "Self-checks, graded items and written answers per lesson, from the progress record "
            "in the workspace (lessons changed since they were last checked are checked again)."
        ),
    )
    progress.add_argument("lessons", nargs="*", metavar="LESSON", help="only these lessons")
    _workspace_option(progress)
    progress.add_argument("--json", action="store_true", help="print the records as JSON")
    progress.set_defaults(handler=_cmd_progress)

    site_build = _subcommands(commands, "site", "build the course website").add_parser(
        "build",
        help="build the static website of the student lessons",
        description="Execute the student lessons and build the course website (HTML) from them.",
    )
    site_build.add_argument(
        "--output", type=Path, default=Path("_site"), help="output folder (default: ./_site)"
    )
    site_build.set_defaults(handler=_cmd_site_build)

    data_commands = _subcommands(commands, "data", "maintain the data package in data/")
    rebuild = data_commands.add_parser(
        "rebuild",
        help="regenerate every derived table from the raw public data files",
        description="Regenerate the tidy tables and datapackage.json from the raw data files.",
    )
    rebuild.add_argument(
        "--raw",
        type=Path,
        help="folder of raw files with its manifest.json (default: the repository's data-raw/)",
    )
    rebuild.add_argument("--out", type=Path, help="output folder (default: the package's data/)")
    rebuild.set_defaults(handler=_cmd_data_rebuild)
    extract = data_commands.add_parser(
        "extract",
        help="recut the extracts in data-raw/ from the large original files",
        description=(
            "Recreate each extract that data-raw/manifest.json describes from its original "
            "file, checking the original's and the extract's SHA-256."
        ),
    )
    extract.add_argument(
        "originals", type=Path, help="folder holding the originals at the manifest's paths"
    )
    extract.add_argument(
        "--raw", type=Path, help="raw folder to write into (default: the repository's data-raw/)"
    )
    extract.set_defaults(handler=_cmd_data_extract)

    questions = _subcommands(commands, "questions", "maintain the self-check question banks")
    author = questions.add_parser(
        "author",
        help="hash plaintext authoring specs into the question banks the lessons use",
        description="Turn autograder/questions/*.json specs into hashed question banks.",
    )
    author.add_argument("specs", nargs="*", type=Path, help="specs (default: every spec)")
    author.add_argument("--out", type=Path, help="folder for the banks (default: the package's)")
    author.set_defaults(handler=_cmd_questions_author)

    fingerprint = _subcommands(
        commands, "article", "keep the course from repeating the article"
    ).add_parser(
        "fingerprint",
        help="hash every 12-word run of the article into tests/article_fingerprints.txt",
        description=(
            "Write the SHA-256 of every run of 12 consecutive normalised words of the article, "
            "which the tests use to flag course text that repeats it."
        ),
    )
    fingerprint.add_argument("article", type=Path, help="the article's text (Markdown)")
    fingerprint.add_argument(
        "--out", type=Path, help="file to write (default: tests/article_fingerprints.txt)"
    )
    fingerprint.set_defaults(handler=_cmd_article_fingerprint)

    grading_cli.register(_subcommands, commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "jupyter_args", None) and args.jupyter_args[0] == "--":
        args.jupyter_args = args.jupyter_args[1:]
    try:
        return args.handler(args)
    except CourseError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
