"""collect (LMS downloads) and preflight (repair or quarantine), without running kernels."""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat
import pytest

from intermestic.errors import CourseError
from intermestic.grading.collect import SubmissionNames, collect
from intermestic.grading.course import Course
from intermestic.grading.preflight import Quarantine, repair_notebook
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


@pytest.mark.parametrize(
    ("path", "student", "extra"),
    [
        (f"doejane_12345_678901_{NAME}", "doejane", {"lms_user_id": "12345"}),
        (f"doejane_LATE_12345_678901_{ASSIGNMENT}-1.ipynb", "doejane", {"late": True}),
        (f"Jane Doe_4242_assignsubmission_file_/{NAME}", "janedoe", {"last_name": "Doe"}),
        (f"{ASSIGNMENT}_jdoe_attempt_2024-03-01-14-05-09_{NAME}", "jdoe", {}),
        (f"download/jdoe/{NAME}", "jdoe", {}),
        ("download/jdoe.ipynb", "jdoe", {}),
    ],
)
def test_lms_file_names(path, student, extra):
    info = SubmissionNames(expected=[NAME]).collect(path)
    assert info["student_id"] == student and info["file_id"] == NAME
    assert extra.items() <= info.items()


def test_blackboard_gives_a_timestamp():
    info = SubmissionNames(expected=[NAME]).collect(f"a_jdoe_attempt_2024-03-01-14-05-09_{NAME}")
    assert info["timestamp"].isoformat(" ") == "2024-03-01 14:05:09"


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
    assert done.unmatched == ["submissions/notes from the LMS.ipynb"]
    target = course.root / "submitted" / "doejane" / ASSIGNMENT / NAME
    assert target.read_text() == first
    with course.gradebook() as gradebook:
        assert gradebook.find_student("doejane").lms_user_id == "12345"

    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"doejane_12345_678901_{NAME}", second)
    assert collect(course, archive, ASSIGNMENT).kept == ["doejane"]
    assert target.read_text() == first
    assert collect(course, archive, ASSIGNMENT, force=True).students == ["doejane"]
    assert target.read_text() == second


def test_collect_errors_are_one_line(course, tmp_path):
    with pytest.raises(CourseError, match="no such file or folder"):
        collect(course, tmp_path / "missing.zip", ASSIGNMENT)
    with pytest.raises(CourseError, match="no assignment 'nope'"):
        collect(course, tmp_path, "nope")


def _release(course: Course) -> nbformat.NotebookNode:
    return nbformat.read(course.release_notebooks(ASSIGNMENT)[0], as_version=4)


def test_repairs_keep_the_release_order(course):
    nb = Assignment(course.root).notebook(solve=("q1_answer", "q2_answer"))
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    del nb.cells[ids.index("q1_test")]
    nb.cells[ids.index("q2_test") - 1].metadata["nbgrader"]["schema_version"] = 1
    repaired, notes = repair_notebook(nbformat.writes(nb).encode(), _release(course))
    assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in repaired.cells] == ids
    assert any("restored missing cell q1_test" in n for n in notes)
    assert any("restored the nbgrader metadata of cell q2_test" in n for n in notes)


def test_an_untouched_submission_needs_no_repair(course):
    raw = nbformat.writes(Assignment(course.root).notebook()).encode()
    assert repair_notebook(raw, _release(course))[1] == []


@pytest.mark.parametrize(
    ("raw", "reason"),
    [(b"{not json", "invalid JSON"), (b"[1, 2]", "not a notebook"), (b"\xff\xfe", "not UTF-8")],
)
def test_unreadable_notebooks_are_quarantined(course, raw, reason):
    with pytest.raises(Quarantine, match=reason):
        repair_notebook(raw, _release(course))


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
