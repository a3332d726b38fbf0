"""Grades out of the gradebook, as nbgrader export plugins: a CSV per student and question,
or a Canvas gradebook import.

Scores are read through nbgrader's gradebook API and judged by ``standing``: a student with
no submission gets 0 (as nbgrader's own export gives), a submission that is quarantined, failed
or not graded gets an empty cell and is listed as a problem, never a 0. Identity columns come
only from the roster (nbgrader's students table). If the gradebook cannot be read, nothing is
written. Outside ``intermestic grade export``, nbgrader runs them too:
``nbgrader export --exporter intermestic.grading.export.CanvasGrades``.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from nbgrader.plugins import ExportPlugin

from intermestic.grading.course import Course
from intermestic.grading.standing import GRADED, NO_SUBMISSION, Standing, Table, table

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

# The identity columns of a Canvas gradebook export; its import matches students on them.
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
IDENTITY = ["student_id", "first_name", "last_name", "email", "lms_user_id"]
MAXIMUM = "(maximum)"


def number(value: float | None) -> str:
    """A score as the CSV shows it: ``5``, ``2.5``, or empty for none."""
    if value is None:
        return ""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: a reader sees the old file or the new one."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


class GradesExport(ExportPlugin):
    """Writes every student's grades from the course's gradebook; ``problems`` then lists
    what needs the instructor (each an empty cell in the file)."""

    default_file = "grades.csv"

    def __init__(self, course: Course | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.course = course
        self.problems: list[str] = []
        self.written: Path | None = None

    def _course(self) -> Course:
        if self.course is not None:
            return self.course
        root = getattr(getattr(self.parent, "coursedir", None), "root", "") or "."
        return Course(Path(root).resolve())

    def _selected(self, grades: Table) -> Table:
        """``grades`` limited to nbgrader's ``--assignment`` and ``--student`` choices."""
        assignments = [a for a in grades.assignments if not self.assignment or a in self.assignment]
        students = [s for s in grades.students if not self.student or s in self.student]
        return Table(assignments, grades.max_scores, grades.roster, students, grades.cells)

    def text(self, grades: Table) -> str:
        """The file's contents; add to ``self.problems`` whatever is left empty."""
        raise NotImplementedError

    def export(self, gradebook: Gradebook | None = None) -> None:
        """Read every standing (from ``gradebook`` if given), then write the file."""
        course = self._course()
        grades = self._selected(table(course, gradebook))
        self.problems = []
        text = self.text(grades)
        target = Path(self.to) if self.to else course.root / self.default_file
        write_atomically(target, text)
        self.written = target
        if self.parent is not None:  # run by 'nbgrader export'
            for problem in self.problems:
                self.log.warning(problem)


def _problem(student: str, assignment: str, standing: Standing) -> str:
    return f"{student} {assignment}: {standing.describe()}; left empty"


class CsvGrades(GradesExport):
    """One row per student: roster identity, then for each assignment its total, its status,
    and every question's score; a last row of maximum scores."""

    default_file = "grades.csv"

    def text(self, grades: Table) -> str:
        """The CSV text."""
        questions = {
            a: sorted({q for s in grades.students for q in _questions(grades.cells[a, s])})
            for a in grades.assignments
        }
        columns = list(IDENTITY)
        for assignment in grades.assignments:
            columns += [assignment, f"{assignment}:status"]
            columns += [f"{assignment}:{q}" for q in questions[assignment]]
        out = io.StringIO()
        writer = csv.DictWriter(out, columns, lineterminator="\n")
        writer.writeheader()
        for student in grades.students:
            person = grades.roster.get(student)
            row = {
                "student_id": student,
                "first_name": person.first_name if person else "",
                "last_name": person.last_name if person else "",
                "email": person.email if person else "",
                "lms_user_id": person.lms_user_id if person else "",
            }
            for assignment in grades.assignments:
                standing = grades.cells[assignment, student]
                row.update(self._cells(student, assignment, standing))
            writer.writerow(row)
        maximum = {"student_id": MAXIMUM}
        maximum.update({a: number(grades.max_scores[a]) for a in grades.assignments})
        writer.writerow(maximum)
        return out.getvalue()

    def _cells(self, student: str, assignment: str, standing: Standing) -> dict[str, str]:
        if standing.state == NO_SUBMISSION:
            return {assignment: "0", f"{assignment}:status": NO_SUBMISSION}
        if standing.state != GRADED or standing.scores is None:
            self.problems.append(_problem(student, assignment, standing))
            return {assignment: "", f"{assignment}:status": standing.describe()}
        status = GRADED + (", needs manual grading" if standing.scores.needs_manual_grade else "")
        cells = {assignment: number(standing.scores.total), f"{assignment}:status": status}
        for question, score in standing.scores.questions.items():
            cells[f"{assignment}:{question}"] = number(score)
        return cells


def _questions(standing: Standing) -> list[str]:
    return list(standing.scores.questions) if standing.scores else []


class CanvasGrades(GradesExport):
    """A CSV that Canvas's gradebook import accepts: each student identified by the Canvas
    user id the roster gives (``lms_user_id``), one column of points per assignment."""

    default_file = "canvas.csv"

    def text(self, grades: Table) -> str:
        """The CSV text."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*CANVAS_COLUMNS, *grades.assignments])
        possible = [number(grades.max_scores[a]) for a in grades.assignments]
        writer.writerow(["Points Possible", "", "", "", "", *possible])
        for student in grades.students:
            person = grades.roster.get(student)
            if person is None or not person.lms_user_id:
                self.problems.append(
                    f"{student}: no Canvas id (lms_user_id) in the roster; not exported "
                    "(import the roster with 'intermestic grade roster import FILE.csv')"
                )
                continue
            name = ", ".join(n for n in (person.last_name, person.first_name) if n)
            scores = [self._score(student, a, grades.cells[a, student]) for a in grades.assignments]
            writer.writerow([name, person.lms_user_id, "", "", "", *scores])
        return out.getvalue()

    def _score(self, student: str, assignment: str, standing: Standing) -> str:
        if standing.state == NO_SUBMISSION:
            return "0"
        if standing.state == GRADED and standing.scores and standing.scores.needs_manual_grade:
            self.problems.append(f"{student} {assignment}: manual grading unfinished; left empty")
            return ""
        if standing.state != GRADED or standing.scores is None:
            self.problems.append(_problem(student, assignment, standing))
            return ""
        return number(standing.scores.total)


FORMATS: dict[str, type[GradesExport]] = {"csv": CsvGrades, "canvas": CanvasGrades}


def export(course: Course, fmt: str, output: Path | None) -> GradesExport:
    """Write the grades in ``fmt`` to ``output`` (default: the format's file in the course);
    the finished plugin tells what it wrote and its problems."""
    plugin = FORMATS[fmt](course, to=str(output) if output else "")
    plugin.export()
    return plugin
