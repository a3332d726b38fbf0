"""A hostile and broken class graded end to end with real nbgrader, real kernels and the real
sandbox, as root and as an ordinary user: init, collect, roster import, autograde -j 2,
feedback and export give every kind of submission exactly its expected outcome, and the same
grades in both modes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.course import intermestic, tool_env
from tests.grading.fixtures import (
    ASSIGNMENT,
    LIMITS,
    Assignment,
    build_download,
    grade_class,
    wrong_outcomes,
)
from tests.grading.unprivileged import UnprivilegedUser

pytestmark = pytest.mark.slow
# Exit status of each command on the fixture class: 1 = done, with problems it lists (a failed
# and a quarantined submission; in Canvas also a manual grade still to give).
# Longer than grading any ordinary notebook takes on a busy machine.
NOTEBOOK_LIMIT = 30
EXIT = {"init": 0, "collect": 0, "roster": 0, "autograde": 1, "feedback": 0, "csv": 1, "canvas": 1}


def _graded_class(intermestic_: object, inputs: Path, course: Path) -> SimpleNamespace:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        expected = build_download(inputs, listener.getsockname()[1])
        if isinstance(intermestic_, UnprivilegedUser):
            intermestic_.seal()
        started = time.monotonic()
        done = grade_class(intermestic_, inputs, course)  # type: ignore[arg-type]
    return SimpleNamespace(
        course=course, expected=expected, done=done, seconds=time.monotonic() - started
    )


@pytest.fixture(scope="module")
def root_class(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The fixture class graded by root."""
    base = tmp_path_factory.mktemp("root")
    return _graded_class(intermestic, base / "inputs", base / "course")


@pytest.fixture(scope="module")
def user_class() -> Iterator[SimpleNamespace]:
    """The fixture class graded by an ordinary user (an unused uid)."""
    user = UnprivilegedUser()
    try:
        yield _graded_class(user, user.share(), user.home / "course")
    finally:
        user.close()


@pytest.fixture(params=["root", "user"])
def graded(request: pytest.FixtureRequest) -> SimpleNamespace:
    """The fixture class graded in each mode."""
    return request.getfixturevalue(f"{request.param}_class")


def _text(result: object) -> str:
    assert isinstance(result, subprocess.CompletedProcess)
    return result.stdout + result.stderr


def test_every_command_finishes_with_its_exit_status(graded):
    statuses = {name: graded.done[name].returncode for name in EXIT}
    assert statuses == EXIT, {n: _text(graded.done[n])[-3000:] for n in EXIT}
    autograde = _text(graded.done["autograde"])
    assert "Autograded 23, failed 1, skipped 0" in autograde, autograde[-3000:]
    assert "[24/24] 100%" in autograde and "eta" in autograde


def test_the_sandbox_mode_is_the_one_for_the_user(root_class, user_class):
    assert "Sandbox: root mode" in _text(root_class.done["autograde"])
    assert "Sandbox: user mode" in _text(user_class.done["autograde"])


def test_every_kind_gets_its_expected_outcome(graded):
    assert len(graded.expected) >= 25
    wrong = wrong_outcomes(graded.course, graded.expected)
    assert not wrong, f"(got, expected) by student: {wrong}"
    died = json.loads(
        (graded.course / ".intermestic" / "autograde" / ASSIGNMENT / "osexit.json").read_text()
    )
    assert "kernel died" in died["reason"]


def test_student_code_never_changed_a_manual_score(graded):
    assert _manual_scores(graded.course) == []
    assert "AUDIT" not in _text(graded.done["autograde"])


def test_an_ordinary_user_gets_the_same_grades_as_root(root_class, user_class):
    for name in ("grades.csv", "canvas.csv"):
        assert user_class.done[name] is not None and user_class.done[name] == root_class.done[name]


def test_export_leaves_errors_empty_and_names_students_from_the_roster(root_class):
    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO(root_class.done["grades.csv"]))}
    assert rows["partlycorrect"][ASSIGNMENT] == "1"
    assert rows["partlycorrect"]["first_name"] == "Partly_correct"
    assert rows["correct"][f"{ASSIGNMENT}:status"] == "graded, needs manual grading"
    assert (
        rows["osexit"][ASSIGNMENT] == "" and "kernel died" in rows["osexit"][f"{ASSIGNMENT}:status"]
    )
    assert rows["invalidjson"][ASSIGNMENT] == ""
    assert rows["invalidjson"][f"{ASSIGNMENT}:status"].startswith("quarantined: ")
    assert rows["(maximum)"][ASSIGNMENT] == "5"
    lines = list(csv.reader(io.StringIO(root_class.done["canvas.csv"])))
    assert lines[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    assert lines[1][0] == "Points Possible" and lines[1][5] == "5"
    by_id = {line[1]: line for line in lines[2:]}
    roster = {
        r[0]: r for r in csv.reader((root_class.course.parent / "inputs" / "roster.csv").open())
    }
    partly = by_id[roster["partlycorrect"][4]]
    assert partly[0] == "Fixture, Partly_correct" and partly[5] == "1"
    assert partly[3] == ""  # no SIS login is ever made up
    for student in ("osexit", "invalidjson", "correct"):  # failed, quarantined, manual unfinished
        assert by_id[roster[student][4]][5] == ""
    problems = _text(root_class.done["canvas"])
    assert "osexit 00-start-here: failed: the kernel died" in problems


def test_status_shows_every_student(root_class, capsys):
    status, printed = _cli(capsys, "grade", "status", "--course", str(root_class.course))
    assert status == 0, printed
    for student in root_class.expected:
        assert f"  {student} " in printed
    assert "quarantined: 00-start-here.ipynb: invalid JSON" in printed
    assert "autograde failed: the kernel died" in printed
    assert re.search(r"\n  partlycorrect +submitted, preflight ok, 1/5\n", printed), printed


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda db: db.write_bytes(b"not a database " * 100), id="garbage"),
        pytest.param(lambda db: db.write_bytes(b""), id="empty"),
        pytest.param(lambda db: _alter(db, "DROP TABLE grade"), id="table-missing"),
        pytest.param(
            lambda db: _alter(db, "ALTER TABLE grade RENAME COLUMN auto_score TO lost"),
            id="column-missing",
        ),
    ],
)
def test_a_gradebook_error_stops_export_and_writes_nothing(root_class, tmp_path, damage):
    course = tmp_path / "course"
    shutil.copytree(root_class.course, course)
    (course / "grades.csv").unlink()
    damage(course / "gradebook.db")
    result = intermestic("grade", "export", "--course", str(course))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "gradebook" in lines[0] and "Traceback" not in result.stderr
    assert not (course / "grades.csv").exists()
    assert not list(course.glob(".*.partial"))


def test_refuses_without_bubblewrap_and_says_how_to_install_it(root_class):
    env = tool_env()
    env["PATH"] = str(Path(sys.executable).parent)  # no /usr/bin: no bwrap
    command = [sys.executable, "-m", "intermestic", "grade", "autograde"]
    result = subprocess.run(
        [*command, "--course", str(root_class.course), "--assignment", ASSIGNMENT],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("intermestic: error: the grading sandbox needs bubblewrap")
    assert "apt-get install bubblewrap" in result.stderr and "--no-sandbox" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# The tests below change the root class; they run last.


def test_feedback_shows_no_hidden_test(root_class, capsys):
    from intermestic.grading.course import Course
    from intermestic.grading.feedback import hidden_lines

    course = str(root_class.course)
    first = _text(root_class.done["feedback"])
    assert "manual grading unfinished (1; --include-ungraded" in first and "correct" in first
    assert not (root_class.course / "feedback" / "correct").exists()
    _set_manual_score(root_class.course, "correct", "q3_answer", 2)  # as formgrader does
    args = ["grade", "feedback", "--course", course, "--assignment", ASSIGNMENT]
    status, printed = _cli(capsys, *args)
    assert status == 0 and "manual grading unfinished" not in printed, printed
    hidden = hidden_lines(Course(root_class.course), ASSIGNMENT)
    assert hidden
    pages = list((root_class.course / "feedback").rglob("*.html"))
    graded_students = [s for s, e in root_class.expected.items() if e.status == "graded"]
    assert len(pages) == len(graded_students)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "HIDDEN TESTS" not in html
        assert not [line for line in hidden if line in html], page
    status, printed = _cli(capsys, "grade", "export", "--course", course, "--format", "canvas")
    assert status == 1 and "correct 00-start-here" not in printed, printed


def test_a_rerun_grades_nothing_already_graded(root_class):
    result = intermestic(
        "grade", "autograde", "--course", str(root_class.course), "--assignment", ASSIGNMENT,
        "-j", "2", *LIMITS,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # the failed student is tried again
    graded_students = sum(e.status == "graded" for e in root_class.expected.values())
    assert f"Autograded 0, failed 1, skipped {graded_students} " in result.stderr, result.stderr
    assert _manual_scores(root_class.course) == [("correct", "q3_answer", 2.0, None)]


def test_interrupted_run_loses_nothing_and_notebook_limit_holds(tmp_path):
    """Kill a run after its first student; the re-run grades only the rest. A notebook over
    its time limit fails alone, and the next student is still graded."""
    inputs, course = tmp_path / "inputs", tmp_path / "course"
    build_download(inputs, 9)
    result = intermestic("grade", "init", str(course), "--from", str(inputs / "tpl"))
    assert result.returncode == 0, result.stderr
    assignment = Assignment(course)
    sleepy = assignment.notebook({"q1_answer": "import time\ntime.sleep(10**6)"})
    for student, nb in (
        ("afirst", assignment.notebook()),
        ("bsleepy", sleepy),
        ("clast", assignment.notebook()),
    ):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb))
    state = course / ".intermestic" / "autograde" / ASSIGNMENT
    command = [
        sys.executable, "-m", "intermestic", "grade", "autograde", "--course", str(course),
        "--assignment", ASSIGNMENT, "-j", "1", "--timeout-cell", "3600",
        "--timeout-notebook", str(NOTEBOOK_LIMIT),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        env=tool_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600  # a busy machine starts the first worker slowly
    first = state / "afirst.json"
    while not (first.exists() and '"graded"' in first.read_text()):
        assert time.monotonic() < deadline, "the first student was never graded"
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    result = subprocess.run(command, env=tool_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert "skipped 1 " in result.stderr and "Autograded 1, failed 1," in result.stderr
    assert f"longer than the notebook limit of {NOTEBOOK_LIMIT} s" in result.stderr


def _alter(gradebook: Path, statement: str) -> None:
    with closing(sqlite3.connect(gradebook)) as db:
        db.execute(statement)
        db.commit()


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``intermestic ARGS`` in this process (nbgrader is already imported); return the
    exit status and what it printed."""
    from intermestic.cli import main

    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def _manual_scores(course: Path) -> list[tuple[str, str, float | None, float | None]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return [
            (s.student.id, g.name, g.manual_score, g.extra_credit)
            for s in gradebook.assignment_submissions(ASSIGNMENT)
            for nb in s.notebooks
            for g in nb.grades
            if g.manual_score is not None or g.extra_credit is not None
        ]


def _set_manual_score(course: Path, student: str, cell: str, score: float) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
        grade.manual_score, grade.needs_manual_grade = score, False
        gradebook.db.commit()
