"""Autograde a class: preflight, then parallel nbgrader workers with sandboxed kernels, a
per-notebook time limit, skip-what-is-done re-runs, and an audit of manual scores.

Each student's result is recorded as soon as it is graded, so an interrupted run loses
nothing already graded and the next run carries on where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from intermestic.errors import CourseError
from intermestic.grading.audit import Change, manual_scores, restore_manual_scores
from intermestic.grading.course import Course
from intermestic.grading.preflight import Check, preflight
from intermestic.grading.sandbox import Limits, install_kernel, require_sandbox

WORKER_START_TIMEOUT = 180


@dataclass(frozen=True)
class Settings:
    """How to grade."""

    jobs: int = os.cpu_count() or 1
    cell_timeout: int | None = None  # None: the course's nbgrader_config.py
    notebook_timeout: int = 600
    sandbox: bool = True
    limits: Limits = field(default_factory=Limits)
    force: bool = False


@dataclass
class Outcome:
    """One student's autograde result."""

    student: str
    status: str  # graded, failed, or skipped (already graded, unchanged)
    score: float | None = None
    max_score: float | None = None
    needs_manual_grade: bool = False
    reason: str = ""
    seconds: float = 0.0
    fingerprint: str = ""


@dataclass
class Run:
    """What one ``autograde`` run did."""

    checks: list[Check]
    outcomes: list[Outcome]
    restored: list[Change]
    seconds: float


def state_dir(course: Course, assignment: str) -> Path:
    """Where each student's latest autograde outcome of ``assignment`` is recorded."""
    return course.state / "autograde" / assignment


def load_outcomes(course: Course, assignment: str) -> dict[str, Outcome]:
    """The recorded autograde outcomes of ``assignment``, by student."""
    folder = state_dir(course, assignment)
    if not folder.is_dir():
        return {}
    outcomes = [Outcome(**json.loads(p.read_text("utf-8"))) for p in folder.glob("*.json")]
    return {o.student: o for o in outcomes}


def _record(course: Course, assignment: str, outcome: Outcome) -> None:
    """Write one outcome atomically."""
    folder = state_dir(course, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{outcome.student}.json.partial"
    partial.write_text(json.dumps(asdict(outcome)), encoding="utf-8")
    partial.replace(folder / f"{outcome.student}.json")


def _fingerprint(course: Course, assignment: str, submission: Path) -> str:
    """A hash of the submission and of the assignment's source: either changing means regrade."""
    digest = hashlib.sha256()
    for root in (submission, course.root / "source" / assignment):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class _Worker:
    """A worker process with its own sandboxed kernelspec, restarted after a crash or kill."""

    def __init__(self, job: dict, log: Path) -> None:
        self.job, self.log = job, log
        self.process: subprocess.Popen | None = None
        self.replies: queue.Queue = queue.Queue()

    def _start(self) -> None:
        with self.log.open("a", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "intermestic.grading.worker", json.dumps(self.job)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
                cwd=self.job["course"],
            )
        self.replies = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.replies), daemon=True).start()
        try:
            ready = self.replies.get(timeout=WORKER_START_TIMEOUT)
        except queue.Empty:
            ready = None
        if ready is None:
            self.kill()

    @staticmethod
    def _read(process: subprocess.Popen, replies: queue.Queue) -> None:
        for line in process.stdout:
            replies.put(json.loads(line))
        replies.put(None)

    def grade(self, student: str, timeout: float) -> dict:
        """Grade one student, killing the worker if it takes longer than ``timeout``."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        if self.process is None:
            return {
                "student": student,
                "status": "failed",
                "reason": f"the grader process did not start (see {self.log})",
            }
        started = time.monotonic()
        try:
            self.process.stdin.write(student + "\n")
            self.process.stdin.flush()
            reply = self.replies.get(timeout=timeout)
        except BrokenPipeError:
            reply = None
        except queue.Empty:
            self.kill()
            return {
                "student": student,
                "status": "failed",
                "reason": f"grading took longer than the notebook limit of {timeout:g} s",
                "seconds": round(time.monotonic() - started, 2),
            }
        if reply is None:
            self.kill()
            return {"student": student, "status": "failed", "reason": "the grader process died"}
        return reply

    def kill(self) -> None:
        """Stop the worker and everything it started."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def close(self) -> None:
        """Let the worker finish and exit; kill it if it does not."""
        if self.process is None:
            return
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


def _job(course: Course, assignment: str, settings: Settings, run_dir: Path, index: int) -> dict:
    """What a worker needs to know: the course, its nbgrader options and environment."""
    options: dict = {}
    environment: dict[str, str] = {}
    if settings.cell_timeout is not None:
        options["Execute__timeout"] = settings.cell_timeout
    if settings.sandbox:
        kernel = install_kernel(run_dir, index, course.root, settings.limits)
        options.update(kernel.options)
        environment.update(kernel.environment)
    log_dir = course.state / "logs" / assignment
    log_dir.mkdir(parents=True, exist_ok=True)
    return {
        "course": str(course.root),
        "assignment": assignment,
        "options": options,
        "environment": environment,
        "log_dir": str(log_dir),
    }


def _give_back(folder: Path, uid: int, gid: int) -> None:
    """Return a graded folder to the course's owner (the sandbox ran it as another uid)."""
    if not folder.is_dir():
        return
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, uid, gid, follow_symlinks=False)


def autograde(
    course: Course,
    assignment: str,
    settings: Settings,
    progress: Callable[[Outcome, int, int], None] | None = None,
) -> Run:
    """Grade every submission of ``assignment`` not graded yet (all with ``settings.force``)."""
    course.check_assignment(assignment)
    if settings.jobs < 1:
        raise CourseError("--jobs must be at least 1")
    if settings.sandbox:
        require_sandbox()
    started = time.monotonic()
    checks = preflight(course, assignment)
    recorded = load_outcomes(course, assignment)
    todo: list[tuple[str, str]] = []
    outcomes: list[Outcome] = []
    for student, folder in course.submitted(assignment).items():
        fingerprint = _fingerprint(course, assignment, folder)
        earlier = recorded.get(student)
        unchanged = earlier is not None and earlier.fingerprint == fingerprint
        if not settings.force and unchanged and earlier.status == "graded":
            outcomes.append(Outcome(**{**asdict(earlier), "status": "skipped"}))
        else:
            todo.append((student, fingerprint))
    before = manual_scores(course, assignment)
    owner = course.root.stat()
    pending: queue.Queue = queue.Queue()
    for item in todo:
        pending.put(item)
    lock = threading.Lock()
    total = len(todo)

    def serve(worker: _Worker) -> None:
        while True:
            try:
                student, fingerprint = pending.get_nowait()
            except queue.Empty:
                return
            reply = worker.grade(student, settings.notebook_timeout)
            outcome = Outcome(**{**reply, "fingerprint": fingerprint})
            graded_folder = course.root / "autograded" / student / assignment
            if outcome.status == "failed":
                shutil.rmtree(graded_folder, ignore_errors=True)
            else:
                _give_back(graded_folder, owner.st_uid, owner.st_gid)
            _record(course, assignment, outcome)
            with lock:
                outcomes.append(outcome)
                if progress:
                    progress(outcome, len([o for o in outcomes if o.status != "skipped"]), total)

    run_dir = Path(tempfile.mkdtemp(prefix="intermestic-grade-"))
    run_dir.chmod(0o755)
    workers: list[_Worker] = []
    try:
        for index in range(1, min(settings.jobs, total) + 1):
            job = _job(course, assignment, settings, run_dir, index)
            log = course.state / "logs" / assignment / f"worker-{index}.log"
            workers.append(_Worker(job, log))
        threads = [threading.Thread(target=serve, args=(w,), daemon=True) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
    finally:
        for worker in workers:
            worker.close() if pending.empty() else worker.kill()
        shutil.rmtree(run_dir, ignore_errors=True)
    restored = restore_manual_scores(course, assignment, before)
    outcomes.sort(key=lambda o: o.student)
    return Run(checks, outcomes, restored, round(time.monotonic() - started, 1))
