"""The class roster: who each student is (name, email, LMS user id), kept in nbgrader's students
table and imported from a CSV the instructor provides; names and ids in submission file names
are never used for it."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path

from intermestic.errors import CourseError
from intermestic.grading.course import Course

log = logging.getLogger(__name__)

# nbgrader's own format (``nbgrader db student import``): the students table's columns.
COLUMNS = ("id", "first_name", "last_name", "email", "lms_user_id")


@dataclass
class Imported:
    """What a roster import did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def read_roster(path: Path) -> list[dict[str, str | None]]:
    """The students listed in the CSV file ``path`` (an ``id`` column, and any of
    first_name, last_name, email, lms_user_id); a CourseError naming the first problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CourseError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise CourseError(f"{path} is not UTF-8 text; save it as CSV UTF-8") from None
    reader = csv.DictReader(text.splitlines())
    header = [name.strip() for name in reader.fieldnames or []]
    if "id" not in header:
        raise CourseError(
            f"{path} has no 'id' column; a roster has the columns {', '.join(COLUMNS)} "
            "(only id is required)"
        )
    ignored = [name for name in header if name not in COLUMNS]
    if ignored:
        log.info("Ignoring the roster columns %s.", ", ".join(ignored))
    reader.fieldnames = header
    students: list[dict[str, str | None]] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        values = {k: (row.get(k) or "").strip() or None for k in COLUMNS if k in header}
        student = values.pop("id")
        if student is None:
            raise CourseError(f"{path}, line {line}: the id is empty")
        if student in seen:
            raise CourseError(f"{path}, line {line}: the id {student!r} appears twice")
        seen.add(student)
        students.append({"id": student, **values})
    return students


def import_roster(course: Course, path: Path) -> Imported:
    """Add or update every student of the roster file ``path`` in the course's gradebook."""
    students = read_roster(path)
    done = Imported()
    with course.gradebook() as gradebook:
        known = {s.id for s in gradebook.students}
        for values in students:
            student = str(values["id"])
            details = {k: v for k, v in values.items() if k != "id"}
            gradebook.update_or_create_student(student, **details)
            (done.updated if student in known else done.added).append(student)
            log.debug("%s %s: %s", "updated" if student in known else "added", student, details)
    return done
