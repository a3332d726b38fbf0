"""Check my work in a lesson: the scorecard as a widget, with a plain-text fallback.

The scorecard is made from the lesson's running kernel (`intermestic.check.check_namespace`):
each graded item's visible test runs on the current values, which are then judged against the
lesson's graded-answer bank. Written answers are counted from the last saved copy of the
notebook. Every check is recorded in the workspace's progress file.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython import get_ipython
from IPython.display import display

from intermestic.check import (
    LessonReport,
    check_namespace,
    course_lessons,
    live_self_checks,
    render_text,
    summary_line,
)
from intermestic.errors import CourseError
from intermestic.notebooks import read_notebook

__all__ = ["ScorecardBox", "check_my_work", "scorecard_html"]

_RESULT = {
    "correct": "\u2714 correct",
    "not-yet": "\u2718 not yet",
    "not-attempted": "not attempted",
    "written": "\u270e written answer",
    "unchecked": "answered (checked when graded)",
}
FRESH_RUN_NOTE = (
    "This checks the values in the running notebook. For the verdict your instructor's grading "
    "will give, use Kernel \u25b8 Restart Kernel and Run All Cells first."
)


def scorecard_html(report: LessonReport) -> str:
    """The scorecard of one lesson as an accessible HTML table."""
    rows = []
    for result in report.results:
        details = []
        if result.message:
            details.append(html.escape(result.message))
        if result.hint:
            details.append(f"<em>Hint:</em> {html.escape(result.hint)}")
        if result.status == "written":
            if result.words:
                details.append(f"{result.words} words")
            items = "".join(f"<li>{html.escape(point)}</li>" for point in result.checklist)
            details.append(f"Before you hand it in, check that your answer:<ul>{items}</ul>")
        points = (
            f"{result.max_points:g} (your instructor)"
            if result.status == "written"
            else f"{result.points or 0:g} of {result.max_points:g}"
        )
        rows.append(
            f"<tr><th scope='row'>{html.escape(result.label)}</th>"
            f"<td>{_RESULT[result.status]}</td><td>{points}</td>"
            f"<td>{'<br>'.join(details)}</td></tr>"
        )
    notes = "".join(f"<p>{html.escape(note)}</p>" for note in report.notes)
    return (
        '<div class="intermestic-scorecard">'
        f"<table><caption>Check my work: {html.escape(report.title)}</caption>"
        "<thead><tr><th scope='col'>Item</th><th scope='col'>Result</th>"
        "<th scope='col'>Points</th><th scope='col'>Details</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p role='status'>{html.escape(summary_line(report))}</p>{notes}"
        f"<p><small>{html.escape(FRESH_RUN_NOTE)}</small></p></div>"
    )


def _lesson_of(path: Path | None) -> str | None:
    from intermestic.save import assignment_name

    if path is None:
        return None
    name = assignment_name(path, set(course_lessons()))
    return name if name in course_lessons() else None


def _scorecard(lesson: str, namespace: dict[str, Any], path: Path | None) -> LessonReport:
    from intermestic import progress

    notebook = None
    if path is not None and path.is_file():
        try:
            notebook = read_notebook(path)
        except CourseError:
            notebook = None
    report = check_namespace(lesson, namespace, notebook)
    if path is not None:
        report.notebook = path
    live_self_checks(report)
    if path is None:
        return report  # not run from a front end (nbval, nbgrader): no workspace to record in
    try:
        progress.record(report, path.resolve().parent)
    except CourseError as error:
        report.notes.append(str(error))
    return report


class ScorecardBox(widgets.VBox):
    """The scorecard of a lesson and a button that checks again."""

    def __init__(self, lesson: str, namespace: dict[str, Any], path: Path | None) -> None:
        super().__init__()
        self._lesson, self._namespace, self._path = lesson, namespace, path
        self.table = widgets.HTML()
        self.again = widgets.Button(
            description="Check again",
            tooltip="Check your answers again with the values the notebook holds now",
            icon="refresh",
        )
        self.again.on_click(lambda _button: self.refresh())
        self.report: LessonReport | None = None
        self.children = [self.table, self.again]
        self.refresh()

    def refresh(self) -> None:
        """Judge the answers again and show the new scorecard."""
        self.report = _scorecard(self._lesson, self._namespace, self._path)
        self.table.value = scorecard_html(self.report)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and self.report is not None:
            bundle["text/plain"] = render_text([self.report]) + FRESH_RUN_NOTE
        return bundle


def check_my_work(lesson: str | None = None) -> None:
    """Show the scorecard of this lesson: a widget with a Check again button, or plain text.

    Call it in the last cell of a lesson; `lesson` defaults to the notebook's own name.
    """
    from intermestic.save import notebook_path

    shell = get_ipython()
    namespace: dict[str, Any] = shell.user_ns if shell is not None else {}
    path = notebook_path(namespace)
    lessons = course_lessons()
    lesson = lesson or _lesson_of(path)
    if lesson not in lessons:
        example = lessons[0] if lessons else "00-start-here"
        print(
            "check_my_work() could not tell which lesson this notebook is; name it, for "
            f'example check_my_work("{example}").'
        )
        return
    if shell is None or not hasattr(shell, "kernel"):
        print(render_text([_scorecard(lesson, namespace, path)]) + FRESH_RUN_NOTE)
        return
    display(ScorecardBox(lesson, namespace, path))
