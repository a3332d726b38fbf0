"""Whatever goes wrong while a student is graded becomes that student's failure with its reason:
an exception in a serving thread, a reply that is no outcome, a worker that dies, hangs or
never starts. No student is left without an outcome."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from intermestic.grading import autograde
from intermestic.grading.autograde import Settings, _grade_all, _Worker
from intermestic.grading.course import Course
from intermestic.grading.outcomes import FAILED, GRADED, Outcome

ANSWERS = {
    "ok": {"student": "ok", "status": GRADED, "score": 1.0, "max_score": 2.0},
    "mixed_up": {"student": "someone_else", "status": GRADED},
    "garbage": {"student": "garbage", "status": "splendid"},
}


class FakeWorker:
    """Answers from ANSWERS; raises for ``raises``; stops its thread for ``stops``."""

    def __init__(self, job: dict[str, Any], log_path: Path) -> None:
        self.closed = False

    def grade(self, student: str, timeout: float) -> dict[str, Any]:
        if student == "raises":
            raise RuntimeError("boom")
        if student == "stops":
            raise SystemExit  # not an Exception: ends the serving thread itself
        return ANSWERS[student]

    def close(self) -> None:
        self.closed = True

    kill = close


def _run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, students: list[str]
) -> dict[str, Outcome]:
    monkeypatch.setattr(autograde, "_Worker", FakeWorker)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the stopped thread's
    outcomes: dict[str, Outcome] = {}
    todo = [(s, f"print-{s}") for s in students]
    settings = Settings(jobs=2, sandbox=False)

    def finish(outcome: Outcome) -> None:
        outcomes[outcome.student] = outcome

    _grade_all(Course(tmp_path), "a1", settings, None, tmp_path, todo, finish)
    assert sorted(outcomes) == sorted(students)
    return outcomes


def test_every_failure_in_the_grader_is_that_students_with_its_reason(tmp_path, monkeypatch):
    outcomes = _run(tmp_path, monkeypatch, ["ok", "raises", "mixed_up", "garbage"])
    assert outcomes["ok"] == Outcome("ok", GRADED, 1.0, 2.0, fingerprint="print-ok")
    reasons = {s: o.reason for s, o in outcomes.items() if o.status == FAILED}
    assert reasons.pop("raises") == "the grader failed (RuntimeError: boom)"
    assert reasons.pop("mixed_up") == (
        "the grader failed (ValueError: the worker answered for 'someone_else')"
    )
    assert reasons.pop("garbage").startswith(
        "the grader failed (ValueError: not an autograde outcome: {'student': 'garbage'"
    )
    assert reasons == {}
    assert all(o.fingerprint == f"print-{s}" for s, o in outcomes.items())


def test_a_stopped_serving_thread_leaves_no_student_without_an_outcome(tmp_path, monkeypatch):
    outcomes = _run(tmp_path, monkeypatch, ["stops", "ok"])
    assert outcomes["stops"].status == FAILED
    assert outcomes["stops"].reason.startswith("not graded: its grading thread stopped")
    assert outcomes["ok"].status == GRADED


SCRIPTS = {
    "dies": "import os, signal, sys; print('{\"ready\": true}', flush=True); "
    "sys.stdin.readline(); os.kill(os.getpid(), signal.SIGKILL)",
    "hangs": "import sys, time; print('{\"ready\": true}', flush=True); "
    "sys.stdin.readline(); time.sleep(60)",
    "never_ready": "import sys; print('cannot load nbgrader', file=sys.stderr); sys.exit(3)",
}


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("dies", "the grader process stopped (killed by signal SIGKILL; see {log})"),
        ("hangs", "grading took longer than the notebook limit of 1 s"),
        ("never_ready", "the grader process did not start (exit status 3; see {log})"),
    ],
)
def test_a_worker_process_that_fails_fails_the_student(tmp_path, script, reason):
    log = tmp_path / "worker-1.log"
    worker = _Worker(
        {"course": str(tmp_path)}, log, program=(sys.executable, "-c", SCRIPTS[script])
    )
    try:
        reply = worker.grade("ana", timeout=1)
    finally:
        worker.kill()
    assert reply["student"] == "ana" and reply["status"] == FAILED
    assert reply["reason"] == reason.format(log=log)
    if script == "never_ready":
        assert "cannot load nbgrader" in log.read_text()
