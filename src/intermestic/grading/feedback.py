"""HTML feedback per student, with hidden tests and their tracebacks removed and a final check
that no hidden-test line reached any file a student will see.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from intermestic.errors import CourseError
from intermestic.grading.course import Course

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI

log = logging.getLogger(__name__)

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
# Always applied, whatever the course's nbgrader_config.py says.
PREPROCESSORS = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "intermestic.feedback.StripTestTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]


@dataclass
class FeedbackRun:
    """What ``feedback`` did."""

    written: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # manual grading not finished
    failed: list[str] = field(default_factory=list)


def hidden_lines(course: Course, assignment: str) -> list[str]:
    """Every non-blank line of the hidden tests of ``assignment``."""
    lines = []
    for path in course.source_notebooks(assignment):
        for cell in nbformat.read(path, as_version=4).cells:
            for block in cell.source.split(HIDDEN_BEGIN)[1:]:
                hidden = block.split(HIDDEN_END)[0]
                lines += [line.strip() for line in hidden.splitlines() if line.strip()]
    return lines


def _leaks(path: Path, hidden: list[str]) -> bool:
    """Whether a feedback file shows any hidden-test line."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return "HIDDEN TESTS" in text or any(
        line in text or html.escape(line) in text for line in hidden
    )


def _generate(api: NbGraderAPI, assignment: str, student: str | None) -> bool:
    """Run nbgrader's generate_feedback (for one student, or all); log why it failed."""
    result = api.generate_feedback(assignment, student, force=True)
    if not result["success"]:
        text = f"{result.get('log') or ''}\n{result.get('error') or ''}"
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        log.warning("nbgrader generate_feedback failed: %s", lines[-1] if lines else "no message")
        log.debug("%s", text)
    return bool(result["success"])


def feedback(course: Course, assignment: str, *, include_ungraded: bool = False) -> FeedbackRun:
    """Write ``feedback/<student>/<assignment>/*.html`` for every autograded student whose
    manual grading is done (all of them with ``include_ungraded``)."""
    course.check_assignment(assignment)
    config = course.config(GenerateFeedback__preprocessors=PREPROCESSORS)
    api = course.api(config)
    run = FeedbackRun()
    hidden = hidden_lines(course, assignment)
    with course.gradebook() as gradebook:
        try:
            submissions = gradebook.assignment_submissions(assignment)
        except Exception as exc:  # nbgrader raises MissingEntry for an unknown assignment
            raise CourseError(f"no gradebook entry for {assignment}: {exc}") from None
        students = {s.student.id: bool(s.needs_manual_grade) for s in submissions}
    autograded = [
        s for s in sorted(students) if (course.root / "autograded" / s / assignment).is_dir()
    ]
    ready = [s for s in autograded if include_ungraded or not students[s]]
    run.waiting = [s for s in autograded if s not in ready]
    if ready == autograded:  # one nbgrader pass for the whole class
        results = dict.fromkeys(ready, _generate(api, assignment, None))
    else:
        results = {s: _generate(api, assignment, s) for s in ready}
    for student in ready:
        folder = course.root / "feedback" / student / assignment
        leaked = [p for p in folder.rglob("*.html") if _leaks(p, hidden)]
        for path in leaked:
            path.unlink()
        written = folder.is_dir() and any(folder.rglob("*.html"))
        if results[student] and written and not leaked:
            run.written.append(student)
        else:
            run.failed.append(student)
    return run
