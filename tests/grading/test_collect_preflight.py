"""collect (LMS downloads) and the one-line errors of the grade commands, on a real course
made by ``intermestic grade init`` (no kernels)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat
import pytest

from intermestic.errors import CourseError
from intermestic.grading.collect import collect
from intermestic.grading.course import Course
from tests.course import intermestic
from tests.grading.fixtures import ASSIGNMENT, Assignment, template

pytestmark = pytest.mark.slow
NAME = f"{ASSIGNMENT}.ipynb"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    base = tmp_path_factory.mktemp("collect")
    result = intermestic("grade", "init", str(base / "c"), "--from", str(template(base / "t")))
    assert result.returncode == 0, result.stderr
    return Course.open(base / "c")


def test_collect_a_canvas_zip_reports_unmatched_and_never_overwrites(course, tmp_path):
    a = Assignment(course.root)
    first, second = nbformat.writes(a.notebook()), nbformat.writes(a.notebook(solve=("q1_answer",)))
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"doejane_12345_678901_{NAME}", first)
        zf.writestr(f"roesmith_late_222_333_{ASSIGNMENT}-2.ipynb", first)
        zf.writestr("notes from the LMS.ipynb", first)
    done = collect(course, archive, ASSIGNMENT)
    assert done.students == ["doejane", "roesmith"] and done.late == ["roesmith"]
    assert done.unmatched == ["notes from the LMS.ipynb"]
    target = course.root / "submitted" / "doejane" / ASSIGNMENT / NAME
    assert target.read_text() == first
    with course.gradebook() as gradebook:  # identity comes from the roster, not file names
        assert [s.id for s in gradebook.students] == []

    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"doejane_12345_678901_{NAME}", second)
    assert collect(course, archive, ASSIGNMENT).kept == ["doejane"]
    assert target.read_text() == first
    assert collect(course, archive, ASSIGNMENT, force=True).students == ["doejane"]
    assert target.read_text() == second


def test_collect_a_folder_per_student(course, tmp_path):
    notebook = nbformat.writes(Assignment(course.root).notebook())
    (tmp_path / "kim").mkdir()
    (tmp_path / "kim" / "Copy of lesson.ipynb").write_text(notebook)
    (tmp_path / "lee.ipynb").write_text(notebook)
    done = collect(course, tmp_path, ASSIGNMENT)
    assert done.students == ["kim", "lee"] and done.unmatched == []
    assert (course.root / "submitted" / "kim" / ASSIGNMENT / "Copy of lesson.ipynb").is_file()
    assert (course.root / "submitted" / "lee" / ASSIGNMENT / NAME).is_file()


def test_collect_errors_are_one_line(course, tmp_path):
    with pytest.raises(CourseError, match="no such file or folder"):
        collect(course, tmp_path / "missing.zip", ASSIGNMENT)
    with pytest.raises(CourseError, match="no assignment 'nope'"):
        collect(course, tmp_path, "nope")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x").write_text("")
    result = intermestic("grade", "init", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("intermestic: error:") and "not empty" in result.stderr


def test_commands_outside_a_course_say_how_to_make_one(tmp_path):
    result = intermestic("grade", "status", "--course", str(tmp_path))
    assert result.returncode == 2 and "intermestic grade init DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_repository_is_not_a_grading_course():
    result = intermestic(
        "grade", "status", "--course", str(Path(__file__).parents[2] / "autograder")
    )
    assert result.returncode == 2 and "source repository" in result.stderr
