"""``intermestic progress``: a record per lesson in the workspace, rebuilt from the notebooks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from intermestic import progress
from intermestic.check import ItemResult, LessonReport, SelfChecks
from tests.course import LESSONS, assignment_names, intermestic

NAMES = assignment_names()


def _report(folder: Path, name: str) -> LessonReport:
    notebook = folder / f"{name}.ipynb"
    shutil.copy2(LESSONS / f"{name}.ipynb", notebook)
    results = [
        ItemResult(name, "q1_test", "Question 1", "correct", 1.0),
        ItemResult(name, "q2_test", "Question 2", "not-yet", 2.0, message="Not quite."),
        ItemResult(name, "q3_test", "Question 3", "not-attempted", 2.0),
        ItemResult(name, "q4_answer", "Question 4", "written", 2.0, words=40),
    ]
    checks = SelfChecks(total=3, answered={"x.1", "x.2"}, right={"x.1"})
    return LessonReport(name, "Title", notebook, results, self_checks=checks)


def test_a_record_keeps_what_was_checked_and_merges_self_checks(tmp_path):
    report = _report(tmp_path, NAMES[0])
    progress.record(report)
    later = _report(tmp_path, NAMES[0])
    later.self_checks = SelfChecks(total=3, answered={"x.3"}, right={"x.3"})
    progress.record(later)
    entry = progress.read_progress(tmp_path)[NAMES[0]]
    assert entry["graded"] == {
        "items": 3,
        "attempted": 2,
        "correct": 1,
        "points": 1.0,
        "max_points": 5.0,
    }
    assert entry["written"] == {"items": 1, "drafted": 1}
    assert entry["self_checks"] == {
        "total": 3,
        "answered": ["x.1", "x.2", "x.3"],
        "right": ["x.1", "x.3"],
    }
    table = progress.progress_table(progress.read_progress(tmp_path))
    assert NAMES[0] in table and "2 of 3 answered" in table and "1/5" in table


def test_an_unreadable_progress_file_is_rebuilt(tmp_path):
    (tmp_path / progress.PROGRESS_FILE).write_text("{not json", encoding="utf-8")
    assert progress.read_progress(tmp_path) == {}
    progress.record(_report(tmp_path, NAMES[0]))
    assert NAMES[0] in progress.read_progress(tmp_path)


@pytest.mark.slow
def test_progress_is_rebuilt_from_the_notebooks_when_the_file_is_deleted(tmp_path):
    workspace = tmp_path / "intermestic-course"
    workspace.mkdir()
    for name in NAMES:
        shutil.copy2(LESSONS / f"{name}.ipynb", workspace)
    before = {p.name: p.read_bytes() for p in workspace.glob("*.ipynb")}
    first = intermestic("progress", "--workspace", str(workspace))
    assert first.returncode == 0, first.stderr
    for name in NAMES:
        assert name in first.stdout
    record = workspace / progress.PROGRESS_FILE
    assert set(json.loads(record.read_text(encoding="utf-8"))["lessons"]) == set(NAMES)
    record.unlink()
    again = intermestic("progress", "--workspace", str(workspace), "--json")
    assert again.returncode == 0, again.stderr
    assert set(json.loads(again.stdout)) == set(NAMES)
    assert record.is_file()
    assert {p.name: p.read_bytes() for p in workspace.glob("*.ipynb")} == before


def test_progress_chart_draws_every_lesson_with_alt_text(tmp_path, monkeypatch):
    progress.record(_report(tmp_path, NAMES[0]))
    shown = {}
    monkeypatch.setattr(
        "intermestic.plotting.show_figure", lambda fig, alt: shown.update(fig=fig, alt=alt)
    )
    fig = progress.progress_chart(tmp_path)
    assert shown["fig"] is fig
    for name in NAMES:
        assert name in shown["alt"]
    assert f"{NAMES[0]}: 1 of 5 points right" in shown["alt"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(labels) == NAMES


@pytest.mark.slow
def test_progress_of_a_missing_workspace_is_one_sentence(tmp_path):
    result = intermestic("progress", "--workspace", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES[:1])
def test_a_lesson_not_in_the_workspace_is_one_sentence(tmp_path, name):
    result = intermestic("progress", name, "--workspace", str(tmp_path))
    assert result.returncode == 2 and "not in the workspace" in result.stderr
