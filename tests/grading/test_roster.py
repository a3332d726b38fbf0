"""The roster import: nbgrader's students-table format, refused in one sentence when wrong."""

from __future__ import annotations

import pytest

from intermestic.errors import CourseError
from intermestic.grading.roster import import_roster, read_roster
from tests.grading.gradebook import small_course


def _write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_read_a_roster_with_any_of_the_columns(tmp_path):
    path = _write(
        tmp_path,
        "id,last_name,lms_user_id,Section\nana, Ruiz ,101,A\nben,,102,B\n",
        encoding="utf-8-sig",  # as Excel saves "CSV UTF-8"
    )
    assert read_roster(path) == [
        {"id": "ana", "last_name": "Ruiz", "lms_user_id": "101"},
        {"id": "ben", "last_name": None, "lms_user_id": "102"},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Student,ID,SIS Login ID\nDoe,1,jd\n",
            "has no 'id' column; a roster has the columns id, ",
        ),
        ("id,first_name\nana,Ana\n,Ben\n", "line 3: the id is empty"),
        ("id\nana\nben\nana\n", "line 4: the id 'ana' appears twice"),
    ],
)
def test_a_wrong_roster_is_refused_in_one_sentence(tmp_path, text, message):
    with pytest.raises(CourseError, match=message) as caught:
        read_roster(_write(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_a_roster_that_is_not_utf8_or_missing(tmp_path):
    with pytest.raises(CourseError, match="not UTF-8 text; save it as CSV UTF-8"):
        read_roster(_write(tmp_path, "id,first_name\nana,Ana\xefs\n", encoding="latin-1"))
    with pytest.raises(CourseError, match="no such file"):
        read_roster(tmp_path / "missing.csv")


def test_import_adds_and_updates_students(tmp_path):
    course = small_course(tmp_path / "course", students=("ana",))
    path = _write(tmp_path, "id,first_name,lms_user_id\nana,Ana,101\ncam,Cam,103\n")
    done = import_roster(course, path)
    assert (done.added, done.updated) == (["cam"], ["ana"])
    with course.gradebook() as gradebook:
        people = {s.id: (s.first_name, s.lms_user_id) for s in gradebook.students}
    assert people == {"ana": ("Ana", "101"), "cam": ("Cam", "103")}
