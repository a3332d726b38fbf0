"""Each student's latest autograde outcome, recorded as soon as it is known, and the
fingerprint that tells whether a submission changed since."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from intermestic.grading.course import Course

log = logging.getLogger(__name__)

GRADED, FAILED, SKIPPED = "graded", "failed", "skipped"


@dataclass
class Outcome:
    """One student's autograde result."""

    student: str
    status: str  # GRADED, FAILED, or SKIPPED (already graded, unchanged)
    score: float | None = None
    max_score: float | None = None
    needs_manual_grade: bool = False
    reason: str = ""  # why it FAILED
    seconds: float = 0.0
    fingerprint: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        """An outcome from a record or a worker's reply; ValueError if it is not one."""
        known = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or not isinstance(data.get("student"), str):
            raise ValueError(f"not an autograde outcome: {data!r:.200}")
        if data.get("status") not in (GRADED, FAILED, SKIPPED):
            raise ValueError(f"not an autograde outcome: {data!r:.200}")
        return cls(**{k: v for k, v in data.items() if k in known})


def state_dir(course: Course, assignment: str) -> Path:
    """Where each student's latest autograde outcome of ``assignment`` is recorded."""
    return course.state / "autograde" / assignment


def load_outcomes(course: Course, assignment: str) -> dict[str, Outcome]:
    """The recorded autograde outcomes of ``assignment``, by student; a damaged record is
    logged and left out (that student is graded again)."""
    folder = state_dir(course, assignment)
    outcomes: dict[str, Outcome] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            outcome = Outcome.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            log.warning("ignoring the damaged autograde record %s (%s)", path, exc)
            continue
        outcomes[outcome.student] = outcome
    return outcomes


def record(course: Course, assignment: str, outcome: Outcome) -> None:
    """Write one outcome atomically."""
    folder = state_dir(course, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{outcome.student}.json.partial"
    partial.write_text(json.dumps(asdict(outcome)), encoding="utf-8")
    partial.replace(folder / f"{outcome.student}.json")


def fingerprint(course: Course, assignment: str, submission: Path) -> str:
    """A hash of the submission and of the assignment's source: either changing means regrade."""
    digest = hashlib.sha256()
    for root in (submission, course.root / "source" / assignment):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
