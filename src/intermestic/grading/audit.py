"""Audit of manual scores: autograde never sets one, so any that changes during a run was
written by no grader (student code reaching the gradebook) and is put back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from intermestic.grading.course import Course

if TYPE_CHECKING:
    from nbgrader.api import Gradebook
    from sqlalchemy.orm import Query

Key = tuple[str, str, str]  # student, notebook, grade cell
Scores = dict[Key, tuple[float | None, float | None]]  # manual score, extra credit


@dataclass(frozen=True)
class Change:
    """A manual score that changed while no grader was at work."""

    student: str
    notebook: str
    cell: str
    before: tuple[float | None, float | None]
    after: tuple[float | None, float | None]

    def describe(self) -> str:
        """One line for the report."""
        return (
            f"{self.student} {self.notebook} {self.cell}: manual score/extra credit "
            f"{self.before} became {self.after} during autograde; restored"
        )


def _grades(gradebook: Gradebook, assignment: str) -> Query:
    """The grades of every submission of ``assignment``."""
    from nbgrader.api import Assignment, Grade, SubmittedAssignment, SubmittedNotebook

    return (
        gradebook.db.query(Grade)
        .join(SubmittedNotebook)
        .join(SubmittedAssignment)
        .join(Assignment)
        .filter(Assignment.name == assignment)
    )


def manual_scores(course: Course, assignment: str) -> Scores:
    """Every manual score and extra credit recorded for ``assignment``."""
    with course.gradebook() as gradebook:
        return {
            (g.notebook.assignment.student.id, g.notebook.name, g.name): (
                g.manual_score,
                g.extra_credit,
            )
            for g in _grades(gradebook, assignment)
        }


def restore_manual_scores(course: Course, assignment: str, before: Scores) -> list[Change]:
    """Put back every manual score that differs from ``before``; return what was changed."""
    changes = []
    with course.gradebook() as gradebook:
        for grade in _grades(gradebook, assignment):
            key = (grade.notebook.assignment.student.id, grade.notebook.name, grade.name)
            now = (grade.manual_score, grade.extra_credit)
            then = before.get(key, (None, None))
            if now != then:
                grade.manual_score, grade.extra_credit = then
                changes.append(Change(*key, before=then, after=now))
        gradebook.db.commit()
    return changes
