"""The grade commands' options: defaults from one place (and the guide says the same), -v/-q,
and one-line refusals."""

from __future__ import annotations

import re

import pytest

from intermestic.cli import build_parser, main
from intermestic.grading import defaults
from intermestic.grading.autograde import Settings
from intermestic.grading.sandbox import Limits
from tests.course import AUTOGRADER, REPO_ROOT
from tests.grading.gradebook import small_course

GUIDE = (AUTOGRADER / "README.md").read_text(encoding="utf-8")


def test_the_command_line_and_the_library_share_the_defaults():
    args = build_parser().parse_args(["grade", "autograde", "--assignment", "a1"])
    memory = defaults.size_in_bytes(defaults.MEMORY)
    assert (args.jobs, args.timeout_notebook, args.memory, args.processes) == (
        defaults.JOBS, defaults.NOTEBOOK_TIMEOUT, memory, defaults.PROCESSES
    )  # fmt: skip
    settings = Settings()
    assert (settings.jobs, settings.notebook_timeout) == (args.jobs, args.timeout_notebook)
    assert (Limits().memory_bytes, Limits().processes) == (args.memory, args.processes)
    assert args.timeout_cell is None  # the course's own c.Execute.timeout


def test_the_guide_states_the_same_defaults():
    assert f"`--timeout-notebook S` (default {defaults.NOTEBOOK_TIMEOUT};" in GUIDE
    assert f"`--memory SIZE` (default {defaults.MEMORY})" in GUIDE
    assert f"`--processes N` (default {defaults.PROCESSES})" in GUIDE
    assert "`-j N` (default: one per core)" in GUIDE
    gib = defaults.size_in_bytes(defaults.MEMORY) // 1024**3
    mib = defaults.size_in_bytes(defaults.FILE_SIZE) // 1024**2
    assert f"address space {gib} GiB per process" in GUIDE
    assert f"{defaults.PROCESSES} processes and threads" in GUIDE and f"{mib} MiB per file" in GUIDE


def test_the_exit_statuses_are_documented_alike():
    assert re.findall(r"^\| (\d+) \|", GUIDE, flags=re.MULTILINE) == ["0", "1", "2", "130"]
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for words in (
        "exits 0 when everything was done",
        "1 when it finished",
        "2 when it did nothing",
    ):
        assert words in readme


def test_quiet_says_only_what_needs_you_and_verbose_more(tmp_path, capsys):
    course = small_course(tmp_path / "course")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,Section\nana,Ana,A\n", encoding="utf-8")
    command = ["grade", "roster", "import", str(roster), "--course", str(course.root)]
    assert main([*command, "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(command) == 0
    said = "Ignoring the roster columns Section.\nRoster: 0 student(s) added, 1 updated.\n"
    assert capsys.readouterr().err == said
    assert main([*command, "-v"]) == 0
    assert capsys.readouterr().err == said.replace(
        "\nRoster", "\nupdated ana: {'first_name': 'Ana'}\nRoster"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--memory", "lots"], "argument --memory: not a size: 'lots'"),
        (["--processes", "0"], "argument --processes: must be at least 1, not 0"),
        (["-j", "two"], "argument -j/--jobs: not a whole number: 'two'"),
        (["-v", "-q"], "argument -q/--quiet: not allowed with argument -v/--verbose"),
    ],
)
def test_bad_options_are_refused_in_one_line(args, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["grade", "autograde", "--assignment", "a1", *args])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
