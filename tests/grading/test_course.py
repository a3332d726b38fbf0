"""The gradebook is opened only if it is one: anything else is one sentence, never a new, empty
gradebook that would make every student look as if nothing was submitted."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import pytest

from intermestic.errors import CourseError
from intermestic.grading.course import Course, check_gradebook
from tests.grading.gradebook import small_course


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no gradebook; run 'intermestic grade init'"),
        (b"", "is not an nbgrader gradebook (it has none of its tables)"),
        (b"not a database " * 100, "could not read the gradebook"),
    ],
)
def test_what_is_not_a_gradebook_is_refused(tmp_path, content, message):
    path = tmp_path / "gradebook.db"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CourseError, match=re.escape(message)):
        check_gradebook(path)
    assert content is None or path.read_bytes() == content  # left as it was


def _alter(course: Course, statement: str) -> None:
    with closing(sqlite3.connect(course.gradebook_path)) as db:
        db.execute(statement)
        db.commit()


def test_a_lost_table_is_not_recreated_empty(tmp_path):
    course = small_course(tmp_path / "course")
    _alter(course, "DROP TABLE grade")
    message = "damaged: the gradebook tables grade are missing"
    with pytest.raises(CourseError, match=message), course.gradebook():
        pass
    with pytest.raises(CourseError, match="tables grade are missing"):  # still missing
        check_gradebook(course.gradebook_path)


def test_a_database_error_while_open_is_one_sentence(tmp_path):
    course = small_course(tmp_path / "course")
    _alter(course, "ALTER TABLE grade RENAME COLUMN auto_score TO lost")
    message = r"could not use the gradebook .* \(OperationalError: .*no such column"
    with pytest.raises(CourseError, match=message), course.gradebook() as gradebook:
        gradebook.find_submission("a1", "ana").score  # noqa: B018
