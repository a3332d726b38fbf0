"""Grades out of the gradebook: a CSV per student and question, or a Canvas gradebook import."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from intermestic.grading.course import Course

FORMATS = ("csv", "canvas")
# The identity columns of a Canvas gradebook export; its import matches students on them.
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _table(course: Course) -> tuple[list[str], list[dict]]:
    """Assignment names and one row per student with totals and per-question scores."""
    with course.gradebook() as gradebook:
        assignments = sorted(a.name for a in gradebook.assignments)
        rows = []
        for student in sorted(gradebook.students, key=lambda s: s.id):
            row: dict = {
                "student_id": student.id,
                "first_name": student.first_name or "",
                "last_name": student.last_name or "",
                "email": student.email or "",
                "lms_user_id": student.lms_user_id or "",
            }
            for name in assignments:
                try:
                    submission = gradebook.find_submission(name, student.id)
                except Exception:  # MissingEntry: nothing submitted counts as zero
                    row[name] = 0.0
                    continue
                row[name] = submission.score
                row[f"{name}:needs_manual_grade"] = bool(submission.needs_manual_grade)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        row[f"{name}:{notebook.name}:{grade.name}"] = grade.score
            rows.append(row)
        maxima = {a.name: a.max_score for a in gradebook.assignments}
    return assignments, [*rows, {"student_id": "(maximum)", **maxima}]


def export_csv(course: Course) -> str:
    """One row per student: identity, each assignment's total, and every question's score."""
    assignments, rows = _table(course)
    identity = ["student_id", "first_name", "last_name", "email", "lms_user_id"]
    details = sorted({k for r in rows for k in r if ":" in k})
    out = io.StringIO()
    writer = csv.DictWriter(out, [*identity, *assignments, *details], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export_canvas(course: Course) -> str:
    """A CSV that Canvas's gradebook import accepts: students identified by their Canvas id
    (recorded by ``collect``) or login, one column of points per assignment."""
    assignments, rows = _table(course)
    maximum = rows.pop()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CANVAS_COLUMNS, *assignments])
    writer.writerow(["Points Possible", "", "", "", "", *(maximum[a] for a in assignments)])
    for row in rows:
        name = f"{row['last_name']}, {row['first_name']}".strip(", ") or row["student_id"]
        identity = [name, row["lms_user_id"], "", row["student_id"], ""]
        writer.writerow([*identity, *(row[a] for a in assignments)])
    return out.getvalue()


def export(course: Course, fmt: str, output: Path | None) -> Path:
    """Write the grades in ``fmt`` to ``output`` (default: ``grades.csv`` or ``canvas.csv``)."""
    text = export_csv(course) if fmt == "csv" else export_canvas(course)
    target = output or course.root / ("grades.csv" if fmt == "csv" else "canvas.csv")
    target.write_text(text, encoding="utf-8")
    return target
