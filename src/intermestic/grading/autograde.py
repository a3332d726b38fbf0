"""Autograde a class: preflight, then parallel nbgrader workers with sandboxed kernels, a
per-notebook time limit, skip-what-is-done re-runs, and an audit of manual scores.

Each student's result is recorded as soon as it is known, so an interrupted run loses nothing
already graded and the next run carries on where it stopped. Whatever goes wrong while one
student is graded (the kernel, the worker process, the grading thread) becomes that student's
FAILED outcome with its reason; no student of the run is left without an outcome.
"""

from __future__ import annotations

import json
import logging
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
from typing import IO, Any

from intermestic.errors import CourseError
from intermestic.grading import defaults
from intermestic.grading.audit import Change, manual_scores, restore_manual_scores
from intermestic.grading.course import Course
from intermestic.grading.outcomes import (
    FAILED,
    GRADED,
    SKIPPED,
    Outcome,
    fingerprint,
    load_outcomes,
    record,
)
from intermestic.grading.preflight import QUARANTINED, Check, preflight
from intermestic.grading.preprocessors import SANITIZE
from intermestic.grading.sandbox import ROOT, Limits, Sandbox, install_kernel, prepare

log = logging.getLogger(__name__)
Progress = Callable[[Outcome, int, int], None]


@dataclass(frozen=True)
class Settings:
    """How to grade."""

    jobs: int = defaults.JOBS
    cell_timeout: int | None = None  # None: the course's nbgrader_config.py
    notebook_timeout: int = defaults.NOTEBOOK_TIMEOUT
    sandbox: bool = True
    limits: Limits = field(default_factory=Limits)
    force: bool = False


@dataclass
class Run:
    """What one ``autograde`` run did."""

    checks: list[Check]
    outcomes: list[Outcome]
    restored: list[Change]
    seconds: float
    sandbox: str | None  # the sandbox mode (root or user), None without a sandbox

    @property
    def failed(self) -> list[Outcome]:
        """Submissions whose autograde failed."""
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def quarantined(self) -> list[Check]:
        """Submissions preflight set aside."""
        return [c for c in self.checks if c.status == QUARANTINED]


def _exit_text(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"exit status {code}"


WORKER = (sys.executable, "-m", "intermestic.grading.worker")


class _Worker:
    """A worker process with its own sandboxed kernelspec, restarted after a crash or kill."""

    def __init__(
        self, job: dict[str, Any], log_path: Path, program: tuple[str, ...] = WORKER
    ) -> None:
        self.job, self.log_path, self.program = job, log_path, program
        self.process: subprocess.Popen[str] | None = None
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.last_exit: int | None = None

    def _start(self) -> None:
        with self.log_path.open("a", encoding="utf-8") as log_file:
            self.process = subprocess.Popen(
                [*self.program, json.dumps(self.job)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                text=True,
                start_new_session=True,
                cwd=self.job["course"],
            )
        self.replies = queue.Queue()
        reader = threading.Thread(
            target=self._read, args=(self.process.stdout, self.replies), daemon=True
        )
        reader.start()
        try:
            ready = self.replies.get(timeout=defaults.WORKER_START_TIMEOUT)
        except queue.Empty:
            ready = None
        if ready is None:
            self.kill()

    @staticmethod
    def _read(stream: IO[str] | None, replies: queue.Queue[dict[str, Any] | None]) -> None:
        """Pass each JSON line of the worker on; None when it stops answering."""
        try:
            for line in stream or ():
                try:
                    replies.put(json.loads(line))
                except json.JSONDecodeError:
                    log.warning("ignoring a line that is not a worker reply: %.200s", line)
        finally:
            replies.put(None)

    def _failed(self, student: str, reason: str, started: float) -> dict[str, Any]:
        seconds = round(time.monotonic() - started, 2)
        return {"student": student, "status": FAILED, "reason": reason, "seconds": seconds}

    def grade(self, student: str, timeout: float) -> dict[str, Any]:
        """Grade one student, killing the worker if it takes longer than ``timeout``."""
        started = time.monotonic()
        if self.process is None or self.process.poll() is not None:
            self._start()
        if self.process is None or self.process.stdin is None:
            status = _exit_text(self.last_exit)
            reason = f"the grader process did not start ({status}; see {self.log_path})"
            return self._failed(student, reason, started)
        try:
            self.process.stdin.write(student + "\n")
            self.process.stdin.flush()
            reply = self.replies.get(timeout=timeout)
        except BrokenPipeError:
            reply = None
        except queue.Empty:
            self.kill()
            reason = f"grading took longer than the notebook limit of {timeout:g} s"
            return self._failed(student, reason, started)
        if reply is None:
            self.kill()
            reason = (
                f"the grader process stopped ({_exit_text(self.last_exit)}; see {self.log_path})"
            )
            return self._failed(student, reason, started)
        return reply

    def kill(self) -> None:
        """Stop the worker and everything it started."""
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.last_exit = self.process.wait()
        self.process = None

    def close(self) -> None:
        """Let the worker finish and exit; kill it if it does not."""
        if self.process is None:
            return
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


def _job(
    course: Course,
    assignment: str,
    settings: Settings,
    sandbox: Sandbox | None,
    run_dir: Path,
    index: int,
) -> dict[str, Any]:
    """What a worker needs to know: the course, its nbgrader options and environment."""
    options: dict[str, Any] = {"Autograde__sanitize_preprocessors": SANITIZE}
    environment: dict[str, str] = {}
    if settings.cell_timeout is not None:
        options["Execute__timeout"] = settings.cell_timeout
    if sandbox is not None:
        kernel = install_kernel(sandbox, run_dir, index, course.root)
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
    """Return a graded folder to the course's owner (a root-mode sandbox ran it as another uid)."""
    if not folder.is_dir():
        return
    for path in [folder, *folder.rglob("*")]:
        if path.lstat().st_uid != uid or path.lstat().st_gid != gid:
            os.chown(path, uid, gid, follow_symlinks=False)


def _todo(
    course: Course, assignment: str, force: bool
) -> tuple[list[tuple[str, str]], list[Outcome]]:
    """(student, fingerprint) of every submission to grade, and the outcomes of those skipped."""
    recorded = load_outcomes(course, assignment)
    todo: list[tuple[str, str]] = []
    skipped: list[Outcome] = []
    for student, folder in course.submitted(assignment).items():
        stamp = fingerprint(course, assignment, folder)
        earlier = recorded.get(student)
        if (
            not force
            and earlier is not None
            and earlier.fingerprint == stamp
            and earlier.status == GRADED
        ):
            skipped.append(Outcome(**{**asdict(earlier), "status": SKIPPED}))
        else:
            todo.append((student, stamp))
    return todo, skipped


def autograde(
    course: Course, assignment: str, settings: Settings, progress: Progress | None = None
) -> Run:
    """Grade every submission of ``assignment`` not graded yet (all with ``settings.force``)."""
    course.check_assignment(assignment)
    if settings.jobs < 1:
        raise CourseError("--jobs must be at least 1")
    sandbox = prepare(course.root, settings.limits) if settings.sandbox else None
    if sandbox is not None:
        log.info("Sandbox: %s mode (see 'The sandbox and its limits' in the guide).", sandbox.mode)
    started = time.monotonic()
    checks = preflight(course, assignment)
    todo, outcomes = _todo(course, assignment, settings.force)
    before = manual_scores(course, assignment)
    owner = course.root.stat()
    lock = threading.Lock()

    def finish(outcome: Outcome) -> None:
        """Keep, record and report one student's outcome."""
        with lock:
            outcomes.append(outcome)
            done = sum(o.status != SKIPPED for o in outcomes)
        graded_folder = course.root / "autograded" / outcome.student / assignment
        if outcome.status == FAILED:
            shutil.rmtree(graded_folder, ignore_errors=True)
        elif sandbox is not None and sandbox.mode == ROOT:
            _give_back(graded_folder, owner.st_uid, owner.st_gid)
        record(course, assignment, outcome)
        if progress is not None:
            progress(outcome, done, len(todo))

    run_dir = Path(tempfile.mkdtemp(prefix="intermestic-grade-"))
    run_dir.chmod(0o755)
    try:
        _grade_all(course, assignment, settings, sandbox, run_dir, todo, finish)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    restored = restore_manual_scores(course, assignment, before)
    outcomes.sort(key=lambda o: o.student)
    mode = sandbox.mode if sandbox else None
    return Run(checks, outcomes, restored, round(time.monotonic() - started, 1), mode)


def _grade_all(
    course: Course,
    assignment: str,
    settings: Settings,
    sandbox: Sandbox | None,
    run_dir: Path,
    todo: list[tuple[str, str]],
    finish: Callable[[Outcome], None],
) -> None:
    """Grade ``todo`` in ``settings.jobs`` workers, passing every outcome to ``finish``."""
    pending: queue.Queue[tuple[str, str]] = queue.Queue()
    for item in todo:
        pending.put(item)
    finished: set[str] = set()

    def conclude(outcome: Outcome) -> None:
        finished.add(outcome.student)
        finish(outcome)

    def serve(worker: _Worker) -> None:
        while True:
            try:
                student, stamp = pending.get_nowait()
            except queue.Empty:
                return
            try:
                reply = worker.grade(student, settings.notebook_timeout)
                if reply.get("student") != student:
                    raise ValueError(f"the worker answered for {reply.get('student')!r}")
                outcome = Outcome.from_dict({**reply, "fingerprint": stamp})
            except Exception as exc:
                log.exception("grading %s failed inside the grader", student)
                reason = f"the grader failed ({type(exc).__name__}: {exc})"
                outcome = Outcome(student, FAILED, reason=reason, fingerprint=stamp)
            try:
                conclude(outcome)
            except Exception:
                log.exception("could not record the outcome of %s", student)

    workers: list[_Worker] = []
    try:
        for index in range(1, min(settings.jobs, len(todo)) + 1):
            job = _job(course, assignment, settings, sandbox, run_dir, index)
            workers.append(_Worker(job, course.state / "logs" / assignment / f"worker-{index}.log"))
        threads = [threading.Thread(target=serve, args=(w,), daemon=True) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
    finally:
        for worker in workers:
            worker.close() if pending.empty() else worker.kill()
    for student, stamp in todo:
        if student not in finished:  # only if a serving thread itself died
            reason = "not graded: its grading thread stopped (see the log above)"
            conclude(Outcome(student, FAILED, reason=reason, fingerprint=stamp))
