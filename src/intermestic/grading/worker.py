"""One autograde worker process: loads nbgrader once, then grades the students it is sent.

Protocol: the job (JSON) is the first argument; the worker answers ``{"ready": true}`` once
nbgrader is loaded, then each line on stdin is a student id and each reply one JSON line on
the original stdout (nbgrader's own output goes to stderr).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from intermestic.grading.course import Course
from intermestic.grading.outcomes import FAILED, GRADED

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI

# sqlite allows one writer at a time; a worker that finds the gradebook locked tries again.
LOCK_RETRIES = 3
PR_SET_PDEATHSIG = 1


def _reason(result: dict) -> str:
    """A one-line reason for a failed autograde, from nbgrader's log and error."""
    text = f"{result.get('log') or ''}\n{result.get('error') or ''}"
    for marker, reason in (
        ("DeadKernelError", "the kernel died (the notebook exited or crashed)"),
        ("Kernel died", "the kernel died (the notebook exited or crashed)"),
        ("UnresponsiveKernelError", "the kernel stopped responding"),
        ("SchemaTooOldError", "the notebook's nbgrader metadata is too old"),
        ("NotJSONError", "the notebook is not valid JSON"),
        ("Skipping unknown notebook", "the notebook has an unexpected name"),
        ("Notebook failed to validate", "the notebook's nbgrader metadata is damaged"),
    ):
        if marker in text:
            return reason
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "nbgrader failed without a message"


def _score(course: Course, assignment: str, student: str) -> dict:
    """The student's autograded score, maximum and whether manual grading is needed."""
    with course.gradebook() as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {
            "score": submission.score,
            "max_score": submission.max_score,
            "needs_manual_grade": bool(submission.needs_manual_grade),
        }


def grade(course: Course, api: NbGraderAPI, assignment: str, student: str, log_dir: Path) -> dict:
    """Autograde one student; return the outcome the parent records."""
    started = time.monotonic()
    for attempt in range(LOCK_RETRIES):
        result = api.autograde(assignment, student, force=True, create=True)
        locked = "database is locked" in f"{result.get('log')}{result.get('error')}"
        if result["success"] or not locked:
            break
        time.sleep(0.5 * (attempt + 1))
    (log_dir / f"{student}.log").write_text(
        (result.get("log") or "") + (result.get("error") or ""), encoding="utf-8"
    )
    outcome = {"student": student, "seconds": round(time.monotonic() - started, 2)}
    if result["success"]:
        outcome.update(status=GRADED, **_score(course, assignment, student))
    else:
        outcome.update(status=FAILED, reason=_reason(result))
    return outcome


def _die_with_parent() -> None:
    """Ask Linux to kill this worker (and so its sandboxes) if the grading run dies."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def main(argv: list[str]) -> int:
    """Serve grading requests until stdin closes."""
    _die_with_parent()
    job = json.loads(argv[1])
    os.environ.update(job["environment"])
    replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    course = Course(Path(job["course"]))
    api = course.api(course.config(**job["options"]))
    log_dir = Path(job["log_dir"])
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        student = line.strip()
        if not student:
            continue
        try:
            outcome = grade(course, api, job["assignment"], student, log_dir)
        except Exception as exc:  # answered as this student's failure; the worker carries on
            traceback.print_exc()
            reason = f"the grader failed ({type(exc).__name__}: {exc})"
            outcome = {"student": student, "status": FAILED, "reason": reason}
        replies.write(json.dumps(outcome) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
