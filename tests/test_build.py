"""lessons/ is a fresh, reproducible nbgrader release of autograder/source/ that leaks nothing."""

from __future__ import annotations

import re
import shutil

import pytest

from intermestic.build import build_lessons, check_lessons
from intermestic.notebooks import EXPECTED_ERROR_TAG, expects_error_in_release
from tests.course import (
    AUTOGRADER,
    LESSONS,
    assignment_names,
    grading,
    intermestic,
    lesson_notebook,
    read,
    source_notebook,
)

NAMES = assignment_names()
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL)
INSTRUCTOR_ONLY_MARKERS = (
    "BEGIN SOLUTION",
    "END SOLUTION",
    "BEGIN HIDDEN TESTS",
    "END HIDDEN TESTS",
    "BEGIN MARK SCHEME",
    "END MARK SCHEME",
    "Model answer",
    "Instructor note",
)


@pytest.mark.slow
def test_build_check_passes_on_the_committed_lessons():
    result = intermestic("build", "--check")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_build_check_names_the_stale_lesson_after_a_source_edit(tmp_path):
    course = tmp_path / "autograder"
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for name in NAMES[:2]:  # a course of two lessons: one edited, one left as it is
        shutil.copytree(AUTOGRADER / "source" / name, course / "source" / name)
        shutil.copy2(LESSONS / f"{name}.ipynb", lessons)
    shutil.copy2(AUTOGRADER / "nbgrader_config.py", course)
    assert check_lessons(course, lessons).is_fresh
    edited = course / "source" / NAMES[0] / f"{NAMES[0]}.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Start here", "Begin here", 1))
    (lessons / "99-orphan.ipynb").write_bytes((lessons / f"{NAMES[0]}.ipynb").read_bytes())

    staleness = check_lessons(course, lessons)
    assert staleness.changed == [f"{NAMES[0]}.ipynb"]
    assert staleness.unexpected == ["99-orphan.ipynb"]
    assert not staleness.is_fresh

    result = intermestic("build", "--check", "--autograder", str(course), "--lessons", str(lessons))
    assert result.returncode == 1
    assert f"{NAMES[0]}.ipynb" in result.stderr and "99-orphan.ipynb" in result.stderr

    build_lessons(course, lessons)
    assert not (lessons / "99-orphan.ipynb").exists()
    assert check_lessons(course, lessons).is_fresh


def test_every_source_has_a_released_lesson_and_no_other_lessons_exist():
    assert sorted(p.stem for p in LESSONS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_source_notebooks_are_committed_without_outputs(name):
    for cell in read(source_notebook(name)).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("name", NAMES)
def test_lessons_contain_no_solution_hidden_test_or_mark_scheme(name):
    text = lesson_notebook(name).read_text(encoding="utf-8")
    for marker in INSTRUCTOR_ONLY_MARKERS:
        assert marker not in text, f"{name} leaks {marker!r}"
    lesson = {grading(c).get("grade_id"): c for c in read(lesson_notebook(name)).cells}
    for cell in read(source_notebook(name)).cells:
        if not grading(cell).get("solution"):
            continue
        released = {line.strip() for line in lesson[grading(cell)["grade_id"]].source.splitlines()}
        for region in SOLUTION_REGION.findall(cell.source) or [cell.source]:
            for line in (line.strip() for line in region.splitlines()):
                # Lines such as ")" carry no answer; every line with some content must be gone.
                if sum(character.isalnum() for character in line) >= 3:
                    assert line not in released, f"{name}: solution line {line!r} was released"


@pytest.mark.parametrize("name", NAMES)
def test_only_answer_stubs_and_their_tests_may_raise_in_lessons(name):
    for cell in read(lesson_notebook(name)).cells:
        tagged = EXPECTED_ERROR_TAG in cell.metadata.get("tags", [])
        assert tagged == expects_error_in_release(cell), cell.source[:60]


@pytest.mark.parametrize("name", NAMES)
def test_lessons_have_deterministic_ids_and_no_outputs(name):
    for index, cell in enumerate(read(lesson_notebook(name)).cells):
        grade_id = grading(cell).get("grade_id")
        assert cell.id == (grade_id or f"cell-{index:03d}").replace("_", "-")
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
