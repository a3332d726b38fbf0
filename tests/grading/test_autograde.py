"""A hostile and broken class graded end to end with real nbgrader, real kernels and the real
sandbox: every kind of submission gets exactly its expected outcome.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.course import intermestic, tool_env
from tests.grading.fixtures import (
    ASSIGNMENT,
    FORK_ATTEMPTS,
    Assignment,
    build_class,
    outputs,
    template,
)

pytestmark = pytest.mark.slow
PROCESSES = 64  # the fork bomb must stop here, well below its own bound
LIMITS = ["--timeout-cell", "5", "--memory", "1G", "--processes", str(PROCESSES)]


def _init(base: Path) -> Path:
    course = base / "course"
    result = intermestic("grade", "init", str(course), "--from", str(template(base / "tpl")))
    assert result.returncode == 0, result.stderr
    return course


def _cli(capsys, *args: str) -> tuple[int, str]:
    """Run ``intermestic ARGS`` in this process (nbgrader is already imported); return the
    exit status and what it printed."""
    from intermestic.cli import main

    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def _grade(course: Path, *extra: str) -> subprocess.CompletedProcess:
    return intermestic(
        "grade", "autograde", "--course", str(course), "--assignment", ASSIGNMENT, *extra
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> SimpleNamespace:
    """The fixture class after one sandboxed autograde run with two workers."""
    course = _init(tmp_path_factory.mktemp("grading"))
    with socket.create_server(("127.0.0.1", 0)) as listener:
        expected = build_class(course, listener.getsockname()[1])
        started = time.monotonic()
        run = _grade(course, "-j", "2", *LIMITS)
        seconds = time.monotonic() - started
    return SimpleNamespace(course=course, expected=expected, run=run, seconds=seconds)


def _auto_scores(course: Path) -> dict[str, float]:
    """Each graded student's autograded points (test cells only)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {}
        for submission in gradebook.assignment_submissions(ASSIGNMENT):
            tests = [g for nb in submission.notebooks for g in nb.grades if g.cell_type == "code"]
            scores[submission.student.id] = sum(g.auto_score or 0 for g in tests)
        return scores


def _manual_scores(course: Path) -> list:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return [
            (s.student.id, g.name, g.manual_score, g.extra_credit)
            for s in gradebook.assignment_submissions(ASSIGNMENT)
            for nb in s.notebooks
            for g in nb.grades
            if g.manual_score is not None or g.extra_credit is not None
        ]


def test_the_class_run_completes(graded):
    assert graded.run.returncode == 0, graded.run.stderr[-3000:]
    assert len(graded.expected) >= 20
    failed = [s for s, e in graded.expected.items() if e.status == "failed"]
    assert f"failed {len(failed)}," in graded.run.stdout, graded.run.stdout
    total = sum(e.status != "quarantined" for e in graded.expected.values())
    assert f"[{total}/{total}] 100%" in graded.run.stderr and "eta" in graded.run.stderr


def test_every_kind_gets_its_expected_score(graded):
    scores = _auto_scores(graded.course)
    wrong = {}
    for student, expected in graded.expected.items():
        got = scores.get(student) if expected.status == "graded" else None
        if expected.status == "graded" and student not in scores:
            got = "not graded"
        if got != expected.score:
            wrong[student] = (got, expected.score)
    assert not wrong, f"(got, expected) by student: {wrong}\n{graded.run.stdout}"


def test_every_kind_gets_its_expected_preflight_and_status(graded):
    report = json.loads(
        (graded.course / ".intermestic" / "preflight" / f"{ASSIGNMENT}.json").read_text()
    )
    state = graded.course / ".intermestic" / "autograde" / ASSIGNMENT
    for student, expected in graded.expected.items():
        assert report[student]["status"] == expected.preflight, (student, report[student])
        if expected.status == "quarantined":
            reason = graded.course / "quarantine" / student / ASSIGNMENT / "QUARANTINED.txt"
            assert "invalid JSON" in reason.read_text()
            assert not (state / f"{student}.json").exists()
        else:
            outcome = json.loads((state / f"{student}.json").read_text())
            assert outcome["status"] == expected.status, (student, outcome)
    died = json.loads((state / "os_exit.json").read_text())
    assert "kernel died" in died["reason"]


def test_student_code_never_changed_a_manual_score(graded):
    assert _manual_scores(graded.course) == []
    assert "AUDIT" not in graded.run.stdout
    text = outputs(graded.course, "writes_gradebook")
    assert "CHEAT" not in text and "blocked" in text, text


@pytest.mark.parametrize("student", ["reads_source", "other_student", "network"])
def test_the_sandbox_blocks(graded, student):
    text = outputs(graded.course, student)
    assert "CHEAT" not in text and "blocked" in text, text


def test_a_memory_bomb_raises_memory_error_and_the_kernel_survives(graded):
    assert "MemoryError" in outputs(graded.course, "memory_bomb")


def test_the_process_limit_holds_for_a_fork_bomb(graded):
    text = outputs(graded.course, "fork_bomb")
    forks = int(text.split("forks=")[1].split()[0])
    assert "limited=True" in text, text
    assert forks < PROCESSES < FORK_ATTEMPTS, text


def test_feedback_shows_no_hidden_test(graded, capsys):
    from intermestic.grading.course import Course
    from intermestic.grading.feedback import hidden_lines

    course = str(graded.course)
    args = ["grade", "feedback", "--course", course, "--assignment", ASSIGNMENT]
    status, printed = _cli(capsys, *args)
    assert status == 0, printed
    assert "manual grading unfinished (1; --include-ungraded" in printed and "correct" in printed
    assert not (graded.course / "feedback" / "correct").exists()
    _set_manual_score(graded.course, "correct", "q3_answer", 2)  # as formgrader does
    status, printed = _cli(capsys, *args)
    assert status == 0 and "manual grading unfinished" not in printed, printed
    hidden = hidden_lines(Course(graded.course), ASSIGNMENT)
    assert hidden
    pages = list((graded.course / "feedback").rglob("*.html"))
    graded_students = [s for s, e in graded.expected.items() if e.status == "graded"]
    assert len(pages) == len(graded_students)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "HIDDEN TESTS" not in html
        assert not [line for line in hidden if line in html], page


def _set_manual_score(course: Path, student: str, cell: str, score: float) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
        grade.manual_score, grade.needs_manual_grade = score, False
        gradebook.db.commit()


def test_export_csv_and_canvas(graded, capsys):
    out = graded.course / "grades.csv"
    status, printed = _cli(
        capsys, "grade", "export", "--course", str(graded.course), "-o", str(out)
    )
    assert status == 0, printed
    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert float(rows["correct"][ASSIGNMENT]) == 5.0  # 3 autograded + 2 manual
    assert float(rows["(maximum)"][ASSIGNMENT]) == 5.0
    assert float(rows["correct"][f"{ASSIGNMENT}:{ASSIGNMENT}:q2_test"]) == 2.0
    canvas = graded.course / "canvas.csv"
    args = ["grade", "export", "--course", str(graded.course), "--format", "canvas"]
    status, printed = _cli(capsys, *args, "-o", str(canvas))
    assert status == 0, printed
    lines = list(csv.reader(io.StringIO(canvas.read_text())))
    assert lines[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    assert lines[1][0] == "Points Possible" and float(lines[1][5]) == 5.0
    by_login = {line[3]: line for line in lines[2:]}
    assert float(by_login["partly_correct"][5]) == 1.0


def test_status_shows_every_student(graded, capsys):
    status, printed = _cli(capsys, "grade", "status", "--course", str(graded.course))
    assert status == 0, printed
    for student in graded.expected:
        assert f"  {student} " in printed
    assert "quarantined: 00-start-here.ipynb: invalid JSON" in printed
    assert "autograde failed: the kernel died" in printed
    assert re.search(r"\n  correct +submitted, preflight ok, 5/5\n", printed), printed


def test_a_rerun_grades_nothing_already_graded(graded):
    result = _grade(graded.course, "-j", "2", *LIMITS)
    assert result.returncode == 0, result.stderr
    graded_students = sum(e.status == "graded" for e in graded.expected.values())
    assert f"Autograded 0, failed 1, skipped {graded_students} " in result.stdout, result.stdout
    assert _manual_scores(graded.course) == [("correct", "q3_answer", 2.0, None)]


def test_refuses_without_bubblewrap_and_says_how_to_install_it(graded):
    env = tool_env()
    env["PATH"] = str(Path(sys.executable).parent)  # no /usr/bin: no bwrap
    command = [sys.executable, "-m", "intermestic", "grade", "autograde"]
    result = subprocess.run(
        [*command, "--course", str(graded.course), "--assignment", ASSIGNMENT],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("intermestic: error: the grading sandbox needs bwrap")
    assert "apt-get install bubblewrap" in result.stderr and "--no-sandbox" in result.stderr


def test_interrupted_run_loses_nothing_and_notebook_limit_holds(tmp_path):
    """Kill a run after its first student; the re-run grades only the rest. A notebook over
    its time limit fails alone, and the next student is still graded."""
    course = _init(tmp_path)
    assignment = Assignment(course)
    sleepy = assignment.notebook({"q1_answer": "import time\ntime.sleep(120)"})
    for student, nb in (
        ("a_first", assignment.notebook()),
        ("b_sleepy", sleepy),
        ("c_last", assignment.notebook()),
    ):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb))
    state = course / ".intermestic" / "autograde" / ASSIGNMENT
    command = [
        sys.executable,
        "-m",
        "intermestic",
        "grade",
        "autograde",
        "--course",
        str(course),
        "--assignment",
        ASSIGNMENT,
        "-j",
        "1",
        "--timeout-notebook",
        "10",
    ]
    process = subprocess.Popen(
        command,
        env=tool_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    first = state / "a_first.json"
    while not (first.exists() and '"graded"' in first.read_text()):
        assert time.monotonic() < deadline, "the first student was never graded"
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    result = subprocess.run(command, env=tool_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "skipped 1 " in result.stdout and "Autograded 1, failed 1," in result.stdout, (
        result.stdout
    )
    assert "longer than the notebook limit of 10 s" in result.stdout
