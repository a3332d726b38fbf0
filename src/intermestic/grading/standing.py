"""Where each student stands on each assignment: the one judgement behind ``status`` and
``export``, made from the course folder, the autograde records and the gradebook.

A score is reported only for a submission nbgrader graded; "no submission" (nothing was
handed in) is told apart from the errors (quarantined, autograde failed, not graded yet),
which never get a score.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from intermestic.errors import CourseError
from intermestic.grading.course import Course
from intermestic.grading.outcomes import FAILED as OUTCOME_FAILED
from intermestic.grading.outcomes import Outcome, fingerprint, load_outcomes
from intermestic.grading.preflight import REASON_FILE

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

NO_SUBMISSION, GRADED = "no submission", "graded"
QUARANTINED, FAILED, NOT_GRADED = "quarantined", "failed", "not graded"
ERRORS = (QUARANTINED, FAILED, NOT_GRADED)


@dataclass(frozen=True)
class Scores:
    """A graded submission's scores, as the gradebook holds them."""

    total: float  # after the late penalty, never below 0
    max_score: float
    penalty: float = 0.0
    needs_manual_grade: bool = False
    questions: dict[str, float | None] = field(default_factory=dict)  # "notebook:cell"


@dataclass(frozen=True)
class Standing:
    """One student's state on one assignment."""

    state: str  # NO_SUBMISSION, GRADED, or one of ERRORS
    reason: str = ""
    scores: Scores | None = None

    @property
    def is_error(self) -> bool:
        """Whether a submission exists that has no trustworthy score."""
        return self.state in ERRORS

    def describe(self) -> str:
        """The state in a few words."""
        if self.state == GRADED and self.scores is not None:
            words = f"{self.scores.total:g}/{self.scores.max_score:g}"
            if self.scores.penalty:
                words += f" (late penalty {self.scores.penalty:g})"
            if self.scores.needs_manual_grade:
                words += ", needs manual grading"
            return words
        return f"{self.state}: {self.reason}" if self.reason else self.state


def judge(
    *,
    quarantine: str | None,
    submitted: bool,
    outcome: Outcome | None,
    unchanged: bool,
    scores: Scores | None,
    autograded: bool,
) -> Standing:
    """The standing of one submission from what is known about it.

    ``quarantine``: preflight's reason, if it set the submission aside; ``submitted``: a
    submission is in ``submitted/``; ``outcome``: the recorded autograde outcome;
    ``unchanged``: the submission is the one that outcome is about; ``scores``: the gradebook's;
    ``autograded``: nbgrader's graded copy exists (nbgrader removes it when grading fails).
    """
    if quarantine is not None:
        return Standing(QUARANTINED, quarantine)
    if submitted and outcome is not None and not unchanged:
        return Standing(NOT_GRADED, "changed since it was autograded; run autograde again")
    if outcome is not None and outcome.status == OUTCOME_FAILED:
        return Standing(FAILED, outcome.reason)
    if scores is not None and (outcome is not None or autograded):
        return Standing(GRADED, scores=scores)
    if submitted:
        return Standing(NOT_GRADED, "not autograded yet")
    return Standing(NO_SUBMISSION)


@dataclass(frozen=True)
class Person:
    """A student as the roster (nbgrader's students table) knows them."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""


@dataclass
class Table:
    """Every student's standing on every assignment."""

    assignments: list[str]
    max_scores: dict[str, float]
    roster: dict[str, Person]
    students: list[str]
    cells: dict[tuple[str, str], Standing]  # (assignment, student)

    def errors(self) -> list[tuple[str, str, Standing]]:
        """(assignment, student, standing) of every submission without a trustworthy score."""
        return [
            (a, s, self.cells[a, s])
            for a in self.assignments
            for s in self.students
            if self.cells[a, s].is_error
        ]


def _scores(submission: Any) -> Scores:
    """The Scores of an nbgrader SubmittedAssignment."""
    score = float(submission.score or 0.0)
    penalty = float(submission.late_submission_penalty or 0.0)
    return Scores(
        total=max(0.0, score - penalty),
        max_score=float(submission.max_score or 0.0),
        penalty=penalty,
        needs_manual_grade=bool(submission.needs_manual_grade),
        questions={
            f"{notebook.name}:{grade.name}": grade.score
            for notebook in submission.notebooks
            for grade in notebook.grades
        },
    )


def _read(
    gradebook: Gradebook,
) -> tuple[dict[str, float], dict[str, Person], dict[tuple[str, str], Scores]]:
    """Maximum scores by assignment, the roster, and Scores by (assignment, student)."""
    maxima = {a.name: float(a.max_score or 0.0) for a in gradebook.assignments}
    roster = {
        s.id: Person(
            s.id, s.first_name or "", s.last_name or "", s.email or "", s.lms_user_id or ""
        )
        for s in gradebook.students
    }
    scores = {
        (name, submission.student.id): _scores(submission)
        for name in maxima
        for submission in gradebook.assignment_submissions(name)
    }
    return maxima, roster, scores


def _folders(course: Course, kind: str) -> dict[str, set[str]]:
    """Students with a folder in ``course/<kind>/<student>/<assignment>``, by assignment."""
    found: dict[str, set[str]] = {}
    base = course.root / kind
    for student in base.iterdir() if base.is_dir() else ():
        if student.is_dir() and not student.name.startswith("."):
            for assignment in student.iterdir():
                if assignment.is_dir():
                    found.setdefault(assignment.name, set()).add(student.name)
    return found


def table(course: Course, gradebook: Gradebook | None = None) -> Table:
    """Every student's standing on every assignment of the gradebook (the course's own, or
    ``gradebook`` when nbgrader passes one); a CourseError of one sentence if the gradebook
    cannot be read (nothing is guessed instead)."""
    from nbgrader.api import MissingEntry
    from sqlalchemy.exc import SQLAlchemyError

    try:
        if gradebook is not None:
            maxima, roster, scores = _read(gradebook)
        else:
            with course.gradebook() as opened:
                maxima, roster, scores = _read(opened)
    except (SQLAlchemyError, MissingEntry, sqlite3.Error) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise CourseError(
            f"could not read the gradebook {course.gradebook_path} ({type(exc).__name__}: {detail})"
        ) from None
    assignments = sorted(maxima)
    submitted, quarantined = _folders(course, "submitted"), _folders(course, "quarantine")
    graded = _folders(course, "autograded")
    outcomes = {a: load_outcomes(course, a) for a in assignments}
    students = set(roster) | {student for _, student in scores}
    for found in (*submitted.values(), *quarantined.values(), *outcomes.values()):
        students |= set(found)
    cells: dict[tuple[str, str], Standing] = {}
    for assignment in assignments:
        for student in students:
            folder = course.root / "submitted" / student / assignment
            is_submitted = student in submitted.get(assignment, set())
            outcome = outcomes[assignment].get(student)
            unchanged = (
                not is_submitted
                or outcome is None
                or (outcome.fingerprint == fingerprint(course, assignment, folder))
            )
            reason_file = course.root / "quarantine" / student / assignment / REASON_FILE
            quarantine = None
            if student in quarantined.get(assignment, set()):
                text = reason_file.read_text("utf-8").strip() if reason_file.is_file() else ""
                quarantine = text or "set aside by preflight"
            cells[assignment, student] = judge(
                quarantine=quarantine,
                submitted=is_submitted,
                outcome=outcome,
                unchanged=unchanged,
                scores=scores.get((assignment, student)),
                autograded=student in graded.get(assignment, set()),
            )
    return Table(assignments, maxima, roster, sorted(students), cells)
