"""Where every student stands on every assignment: submitted, preflight, autograded, manual.
Scores and manual grading come from the gradebook, so they include formgrader's work."""

from __future__ import annotations

from intermestic.grading.course import Course
from intermestic.grading.preflight import QUARANTINED as PREFLIGHT_QUARANTINED
from intermestic.grading.preflight import Check, load_report
from intermestic.grading.standing import (
    FAILED,
    NO_SUBMISSION,
    NOT_GRADED,
    QUARANTINED,
    Standing,
    table,
)


def describe(standing: Standing, check: Check | None) -> str:
    """One student's state on one assignment, in a few words."""
    if standing.state == NO_SUBMISSION:
        return "-"
    if standing.state == QUARANTINED:
        return f"quarantined: {standing.reason}"
    words = ["submitted"]
    if check is not None and check.status != PREFLIGHT_QUARANTINED:
        words.append(f"preflight {check.status}")
    if standing.state == FAILED:
        words.append(f"autograde failed: {standing.reason}")
    elif standing.state == NOT_GRADED:
        words.append(f"not graded ({standing.reason})")
    else:
        words.append(standing.describe())
    return ", ".join(words)


def status(course: Course) -> list[tuple[str, str, str]]:
    """(student, assignment, state) for every student known to the course or its roster."""
    grades = table(course)
    rows = []
    for assignment in grades.assignments:
        checks = load_report(course, assignment)
        for student in grades.students:
            state = describe(grades.cells[assignment, student], checks.get(student))
            rows.append((student, assignment, state))
    return rows
