"""The export formats, from a table of standings made by hand: no score is ever made up, and
identity comes only from the roster."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest

from intermestic.errors import CourseError
from intermestic.grading import export as export_module
from intermestic.grading.course import Course
from intermestic.grading.export import CanvasGrades, CsvGrades, export, number
from intermestic.grading.standing import (
    FAILED,
    GRADED,
    NO_SUBMISSION,
    NOT_GRADED,
    QUARANTINED,
    Person,
    Scores,
    Standing,
    Table,
)

A = "00-start-here"
ROSTER = {
    "ana": Person("ana", "Ana", "Ruiz", "ana@example.edu", "101"),
    "ben": Person("ben", "Ben", "Lee", "", "102"),
    "cam": Person("cam", "Cam", "Diaz", "", "103"),
    "dee": Person("dee", "Dee", "Moss", "", "104"),
    "eve": Person("eve", "Eve", "Park", "", "105"),
}
CELLS = {
    (A, "ana"): Standing(GRADED, scores=Scores(3.0, 5.0, questions={"nb:q1": 1.0, "nb:q2": 2.0})),
    (A, "ben"): Standing(FAILED, "the kernel died"),
    (A, "cam"): Standing(NO_SUBMISSION),
    (A, "dee"): Standing(QUARANTINED, "invalid JSON"),
    (A, "eve"): Standing(GRADED, scores=Scores(4.5, 5.0, needs_manual_grade=True)),
    (A, "zed"): Standing(NOT_GRADED, "not autograded yet"),
}


def _table() -> Table:
    students = sorted({s for _, s in CELLS})
    return Table([A], {A: 5.0}, dict(ROSTER), students, dict(CELLS))


def _csv(text: str) -> dict[str, dict[str, str]]:
    return {row["student_id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_csv_gives_scores_only_to_graded_submissions():
    plugin = CsvGrades(None)
    rows = _csv(plugin.text(_table()))
    assert rows["ana"][A] == "3" and rows["ana"][f"{A}:nb:q2"] == "2"
    assert rows["ana"]["email"] == "ana@example.edu" and rows["ana"]["lms_user_id"] == "101"
    assert rows["cam"][A] == "0" and rows["cam"][f"{A}:status"] == "no submission"
    assert rows["eve"][A] == "4.5" and rows["eve"][f"{A}:status"] == "graded, needs manual grading"
    for student in ("ben", "dee", "zed"):
        assert rows[student][A] == "" and rows[student][f"{A}:nb:q1"] == ""
    assert rows["ben"][f"{A}:status"] == "failed: the kernel died"
    assert rows["zed"]["first_name"] == ""  # not in the roster: no name is made up
    assert rows["(maximum)"][A] == "5"
    flagged = [problem.split(":")[0] for problem in plugin.problems]
    assert flagged == [f"{student} {A}" for student in ("ben", "dee", "zed")]


def test_canvas_identifies_students_only_by_the_roster():
    plugin = CanvasGrades(None)
    lines = list(csv.reader(io.StringIO(plugin.text(_table()))))
    assert lines[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    assert lines[1] == ["Points Possible", "", "", "", "", "5"]
    rows = {line[1]: line for line in lines[2:]}
    assert rows["101"] == ["Ruiz, Ana", "101", "", "", "", "3"]
    assert rows["103"][5] == "0"  # no submission
    for canvas_id in ("102", "104", "105"):  # failed, quarantined, manual grading unfinished
        assert rows[canvas_id][5] == ""
    assert "zed" not in {line[0] for line in lines} and len(rows) == 5
    assert any(p.startswith("zed: no Canvas id") for p in plugin.problems)
    assert any("eve 00-start-here: manual grading unfinished" in p for p in plugin.problems)


@pytest.mark.parametrize(
    ("value", "text"), [(5.0, "5"), (2.5, "2.5"), (1 / 3, "0.333333"), (None, "")]
)
def test_numbers(value, text):
    assert number(value) == text


def test_export_writes_the_whole_file_or_nothing(tmp_path, monkeypatch):
    course = Course(tmp_path)
    monkeypatch.setattr(export_module, "table", lambda course, gradebook=None: _table())
    done = export(course, "csv", None)
    assert (
        done.written == tmp_path / "grades.csv" and _csv(done.written.read_text())["ana"][A] == "3"
    )
    assert not list(tmp_path.glob(".*.partial"))

    def unreadable(course: Course, gradebook: object = None) -> Table:
        raise CourseError("could not read the gradebook (OperationalError: database is locked)")

    monkeypatch.setattr(export_module, "table", unreadable)
    before = done.written.read_text()
    with pytest.raises(CourseError, match="could not read the gradebook"):
        export(course, "csv", None)
    with pytest.raises(CourseError):
        export(course, "canvas", tmp_path / "canvas.csv")
    assert done.written.read_text() == before and not (tmp_path / "canvas.csv").exists()


def test_nbgrader_can_run_the_plugins(tmp_path, monkeypatch):
    """``nbgrader export --exporter intermestic.grading.export.CsvGrades`` passes its gradebook,
    its course folder (CourseDirectory.root) and its --assignment and --student choices."""
    from traitlets.config import Configurable

    class ExportApp(Configurable):
        coursedir = SimpleNamespace(root=str(tmp_path))

    seen: dict[str, object] = {}

    def read(course: Course, gradebook: object = None) -> Table:
        seen.update(root=course.root, gradebook=gradebook)
        return _table()

    monkeypatch.setattr(export_module, "table", read)
    plugin = CsvGrades(parent=ExportApp(), to=str(tmp_path / "out.csv"), student=["ana", "ben"])
    gradebook = SimpleNamespace(name="the open gradebook")
    plugin.export(gradebook)
    assert seen == {"root": tmp_path, "gradebook": gradebook}
    assert list(_csv((tmp_path / "out.csv").read_text())) == ["ana", "ben", "(maximum)"]
