"""A small real nbgrader gradebook made through nbgrader's API in well under a second, for the
fast tests of the modules that read or write one (no nbgrader run)."""

from __future__ import annotations

import warnings
from pathlib import Path

from intermestic.grading.course import Course
from intermestic.nbgrader_env import fast_gradebook_creation

ASSIGNMENT = "a1"
NOTEBOOK = "a1"


def small_course(root: Path, students: tuple[str, ...] = ("ana", "ben")) -> Course:
    """A course folder whose gradebook holds assignment a1 (a code test worth 2 points and a
    written answer worth 3) and a submission from each of ``students``."""
    from nbgrader.api import Gradebook

    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n", encoding="utf-8")
    with fast_gradebook_creation(), Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment(ASSIGNMENT)
        gradebook.add_notebook(NOTEBOOK, ASSIGNMENT)
        gradebook.add_grade_cell("test", NOTEBOOK, ASSIGNMENT, max_score=2, cell_type="code")
        gradebook.add_grade_cell("essay", NOTEBOOK, ASSIGNMENT, max_score=3, cell_type="markdown")
        gradebook.add_solution_cell("essay", NOTEBOOK, ASSIGNMENT)
        for student in students:
            gradebook.add_student(student)
            with warnings.catch_warnings():  # nbgrader's own session handling warns
                warnings.simplefilter("ignore")
                gradebook.add_submission(ASSIGNMENT, student)
    return Course(root)


def set_scores(course: Course, student: str, cell: str, **scores: float | None) -> None:
    """Set ``auto_score``, ``manual_score`` or ``extra_credit`` of one grade."""
    with course.gradebook() as gradebook:
        grade = gradebook.find_grade(cell, NOTEBOOK, ASSIGNMENT, student)
        for name, value in scores.items():
            setattr(grade, name, value)
        gradebook.db.commit()
