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

from intermestic import i18n
from intermestic.check import (
    LessonReport,
    check_namespace,
    course_lessons,
    live_self_checks,
    render_text,
    summary_line,
)
from intermestic.errors import CourseError
from intermestic.i18n import N_, _
from intermestic.notebooks import read_notebook

__all__ = ["ScorecardBox", "check_my_work", "scorecard_html"]

_RESULT = {
    "correct": N_("\u2714 correct"),
    "not-yet": N_("\u2718 not yet"),
    "not-attempted": N_("not attempted"),
    "written": N_("\u270e written answer"),
    "unchecked": N_("answered (checked when graded)"),
}
FRESH_RUN_NOTE = N_(
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
            details.append(f"<em>{html.escape(_('Hint:'))}</em> {html.escape(result.hint)}")
        if result.status == "written":
            if result.words:
                details.append(html.escape(_("{count} words").format(count=result.words)))
            items = "".join(f"<li>{html.escape(point)}</li>" for point in result.checklist)
            before = html.escape(_("Before you hand it in, check that your answer:"))
            details.append(f"{before}<ul>{items}</ul>")
        points = (
            _("{points} (your instructor)").format(points=f"{result.max_points:g}")
            if result.status == "written"
            else _("{points} of {max_points}").format(
                points=f"{result.points or 0:g}", max_points=f"{result.max_points:g}"
            )
        )
        rows.append(
            f"<tr><th scope='row'>{html.escape(result.label)}</th>"
            f"<td>{html.escape(_(_RESULT[result.status]))}</td><td>{html.escape(points)}</td>"
            f"<td>{'<br>'.join(details)}</td></tr>"
        )
    notes = "".join(f"<p>{html.escape(note)}</p>" for note in report.notes)
    caption = _("Check my work: {title}").format(title=report.title)
    headings = "".join(
        f"<th scope='col'>{html.escape(_(name))}</th>"
        for name in (N_("Item"), N_("Result"), N_("Points"), N_("Details"))
    )
    return (
        '<div class="intermestic-scorecard">'
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{headings}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p role='status'>{html.escape(summary_line(report))}</p>{notes}"
        f"<p><small>{html.escape(_(FRESH_RUN_NOTE))}</small></p></div>"
    )


def _lesson_of(path: Path | None) -> str | None:
    from intermestic.save import assignment_name

    if path is None:
        return None
    name = assignment_name(path, set(course_lessons()))
    return name if name in course_lessons() else None


def _edition_of(named: str | None, own: str | None, lessons: list[str]) -> str | None:
    """The lesson to check: the notebook's own (`own`) when `named` is missing or is the same
    lesson in another edition (the code cell names the English lesson in both editions), else
    `named` in the learner's edition where that edition has it."""
    if named is None:
        return own
    base = i18n.split_edition(named)[0]
    if own is not None and i18n.split_edition(own)[0] == base:
        return own
    localised = i18n.edition_name(base, i18n.language())
    return localised if localised in lessons else named


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
            description=_("Check again"),
            tooltip=_("Check your answers again with the values the notebook holds now"),
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
            bundle["text/plain"] = render_text([self.report]) + _(FRESH_RUN_NOTE)
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
    lesson = _edition_of(lesson, _lesson_of(path), lessons)
    if lesson not in lessons:
        own = course_lessons(i18n.language())
        example = own[0] if own else "00-start-here"
        print(
            _(
                "check_my_work() could not tell which lesson this notebook is; name it, for "
                'example check_my_work("{example}").'
            ).format(example=example)
        )
        return
    if shell is None or not hasattr(shell, "kernel"):
        print(render_text([_scorecard(lesson, namespace, path)]) + _(FRESH_RUN_NOTE))
        return
    display(ScorecardBox(lesson, namespace, path))
