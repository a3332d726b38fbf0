"""How far a learner is through the course: one record per lesson, kept in the workspace.

``intermestic check`` and ``check_my_work()`` record each lesson's scorecard in
``.intermestic-progress.json`` in the folder of the lesson notebooks (never inside a notebook):
self-checks answered and right, graded items right and attempted, written answers drafted, and
when the lesson was last checked. ``intermestic progress`` prints the table; a lesson whose
notebook changed since its record (or that has no record, as when the file was deleted) is
checked again first, so the table can always be rebuilt from the notebooks. `progress_chart`
draws the same records as a chart, for lesson 00.

Self-checks answered with the Check button live only in the running kernel, so they are counted
when ``check_my_work()`` runs in the lesson; those answered in code with ``answer(...)`` are
counted by every check. A self-check once answered or right stays so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intermestic.errors import CourseError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from intermestic.check import LessonReport

__all__ = ["PROGRESS_FILE", "progress_chart", "progress_table", "read_progress", "record"]

PROGRESS_FILE = ".intermestic-progress.json"
FORMAT = 1


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_progress(workspace: Path) -> dict[str, dict[str, Any]]:
    """The progress records of `workspace` by lesson ({} when there are none or the file is
    unreadable: it is rebuilt from the notebooks)."""
    path = workspace / PROGRESS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    lessons = data.get("lessons") if isinstance(data, dict) else None
    return lessons if isinstance(lessons, dict) else {}


def _write(workspace: Path, records: dict[str, dict[str, Any]]) -> None:
    path = workspace / PROGRESS_FILE
    text = json.dumps({"format": FORMAT, "lessons": records}, indent=1, sort_keys=True) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CourseError(
            f"{path}: could not save the progress record ({error.strerror})"
        ) from None


def _entry(report: LessonReport, previous: dict[str, Any] | None) -> dict[str, Any]:
    from intermestic.check import totals

    t = totals(report)
    before = (previous or {}).get("self_checks", {})
    answered = set(before.get("answered", [])) | report.self_checks.answered
    right = set(before.get("right", [])) | report.self_checks.right
    notebook = report.notebook
    return {
        "notebook": notebook.name,
        "notebook_sha256": _sha256(notebook) if notebook.is_file() else "",
        "checked_at": report.checked_at,
        "self_checks": {
            "total": report.self_checks.total,
            "answered": sorted(answered),
            "right": sorted(right),
        },
        "graded": {
            "items": t["items"],
            "attempted": t["attempted"],
            "correct": t["correct"],
            "points": t["points"],
            "max_points": t["max_points"],
        },
        "written": {"items": t["written"], "drafted": t["drafted"]},
    }


def record(report: LessonReport, workspace: Path | None = None) -> None:
    """Store `report` as its lesson's progress record in `workspace` (default: its folder)."""
    workspace = workspace if workspace is not None else report.notebook.resolve().parent
    records = read_progress(workspace)
    records[report.lesson] = _entry(report, records.get(report.lesson))
    _write(workspace, records)


def _current(workspace: Path, lesson: str, notebook: Path, records: dict[str, Any]) -> bool:
    entry = records.get(lesson) or {}
    return entry.get("notebook_sha256") == _sha256(notebook)


def refresh(workspace: Path, lessons: Sequence[str] = ()) -> dict[str, dict[str, Any]]:
    """The records of every lesson in `workspace` (or those named), checking again each lesson
    whose notebook changed since it was recorded."""
    from intermestic.check import check_notebook, find_lessons

    records = read_progress(workspace)
    errors = []
    for lesson, notebook in find_lessons(list(lessons), workspace):
        if _current(workspace, lesson, notebook, records):
            continue
        try:
            report = check_notebook(notebook, lesson)
        except CourseError as error:
            errors.append(str(error))
            continue
        records[lesson] = _entry(report, records.get(lesson))
    _write(workspace, records)
    if errors:
        raise CourseError("; ".join(errors))
    return records


def _fraction(done: float, total: float) -> str:
    return f"{done:g}/{total:g}" if total else "\u2013"


def progress_table(records: dict[str, dict[str, Any]]) -> str:
    """The progress records as a plain-text table, one row per lesson."""
    header = ("Lesson", "Self-checks right", "Graded right", "Points", "Written", "Last checked")
    rows = [header]
    for lesson in sorted(records):
        entry = records[lesson]
        checks, graded, written = entry["self_checks"], entry["graded"], entry["written"]
        rows.append(
            (
                lesson,
                f"{len(checks['right'])} of {len(checks['answered'])} answered "
                f"({checks['total']} in all)",
                f"{graded['correct']:g} of {graded['attempted']:g} attempted "
                f"({graded['items']:g} in all)",
                _fraction(graded["points"], graded["max_points"]),
                f"{written['drafted']:g} of {written['items']:g} drafted",
                entry["checked_at"].replace("T", " ").replace("+00:00", " UTC"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def run_command(workspace: Path, lessons: Sequence[str], *, as_json: bool) -> int:
    """``intermestic progress``: print the table (or JSON) of the workspace's records."""
    records = refresh(workspace, lessons)
    if lessons:
        from intermestic.check import find_lessons

        wanted = {lesson for lesson, _ in find_lessons(list(lessons), workspace)}
        records = {k: v for k, v in records.items() if k in wanted}
    print(json.dumps(records, indent=2, sort_keys=True) if as_json else progress_table(records))
    return 0


def progress_chart(workspace: Path | str | None = None) -> Figure:
    """Draw the graded points right per lesson from the progress records, with alt text.

    Reads the records only (run ``check_my_work()`` in a lesson, or ``intermestic progress``, to
    update them); `workspace` defaults to the current folder, where a lesson's kernel runs.
    """
    from intermestic.check import course_lessons
    from intermestic.plotting import PALETTE, new_figure, show_figure

    folder = Path(workspace) if workspace is not None else Path.cwd()
    records = read_progress(folder)
    lessons = course_lessons()
    fig, ax = new_figure(
        "Your progress: graded points right per lesson",
        source=f"your checks, recorded in {PROGRESS_FILE}",
        size=(7.0, 0.45 * len(lessons) + 1.4),
    )
    right, rest, parts = [], [], []
    for lesson in lessons:
        graded = records.get(lesson, {}).get("graded")
        if graded is None:
            right.append(0.0)
            rest.append(0.0)
            parts.append(f"{lesson}: not checked yet")
            continue
        right.append(float(graded["points"]))
        rest.append(float(graded["max_points"] - graded["points"]))
        parts.append(f"{lesson}: {graded['points']:g} of {graded['max_points']:g} points right")
    positions = list(range(len(lessons)))[::-1]
    ax.barh(positions, right, color=PALETTE["blue"], label="right")
    ax.barh(positions, rest, left=right, color=PALETTE["sky blue"], label="not yet right")
    ax.set_yticks(positions, lessons)
    ax.set_xlabel("Autograded points")
    ax.legend(loc="lower right")
    alt = "Bar chart of graded points right per lesson. " + "; ".join(parts) + "."
    show_figure(fig, alt=alt)
    return fig
