"""Where every student stands on every assignment: submitted, preflight, autograded, manual."""

from __future__ import annotations

from intermestic.grading.autograde import load_outcomes
from intermestic.grading.course import Course
from intermestic.grading.preflight import QUARANTINED, REASON_FILE, load_report


def _cell(
    course: Course, assignment: str, student: str, outcomes: dict, checks: dict, live: dict
) -> str:
    """One student's state on one assignment, in a few words."""
    quarantined = course.root / "quarantine" / student / assignment / REASON_FILE
    if quarantined.is_file():
        return "quarantined: " + quarantined.read_text(encoding="utf-8").strip()
    if not (course.root / "submitted" / student / assignment).is_dir():
        return "-"
    check = checks.get(student)
    words = ["submitted"]
    if check is not None and check.status != QUARANTINED:
        words.append(f"preflight {check.status}")
    outcome = outcomes.get(student)
    if outcome is None:
        return ", ".join([*words, "not graded"])
    if outcome.status == "failed":
        return ", ".join([*words, f"autograde failed: {outcome.reason}"])
    score, maximum, needs_manual = live.get((assignment, student), (None, None, False))
    if score is None:
        return ", ".join([*words, "not graded"])
    words.append(f"{score:g}/{maximum:g}")
    if needs_manual:
        words.append("needs manual grading")
    return ", ".join(words)


def status(course: Course) -> list[tuple[str, str, str]]:
    """(student, assignment, state) for every student known to the course; scores and manual
    grading are read from the gradebook, so they include formgrader's work."""
    assignments = course.assignments()
    students: set[str] = set()
    for folder in ("submitted", "quarantine"):
        base = course.root / folder
        if base.is_dir():
            students |= {p.name for p in base.iterdir() if p.is_dir()}
    with course.gradebook() as gradebook:
        live = {
            (a, s.student.id): (s.score, s.max_score, bool(s.needs_manual_grade))
            for a in assignments
            for s in gradebook.assignment_submissions(a)
        }
    rows = []
    for assignment in assignments:
        outcomes = load_outcomes(course, assignment)
        checks = load_report(course, assignment)
        for student in sorted(students):
            rows.append(
                (student, assignment, _cell(course, assignment, student, outcomes, checks, live))
            )
    return rows
