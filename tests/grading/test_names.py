"""Reading student, notebook, lateness and time from LMS download file names; never identity."""

from __future__ import annotations

import pytest

from intermestic.grading.names import SubmissionNames, notebook_name
from tests.grading.fixtures import ASSIGNMENT

NAME = f"{ASSIGNMENT}.ipynb"


@pytest.mark.parametrize(
    ("path", "student", "late"),
    [
        (f"doejane_12345_678901_{NAME}", "doejane", False),
        (f"doejane_LATE_12345_678901_{ASSIGNMENT}-1.ipynb", "doejane", True),
        (f"submissions/doejane_12345_678901_{NAME}", "doejane", False),
        (f"Jane Doe_4242_assignsubmission_file_/{NAME}", "janedoe", False),
        (f"Jane Doe_4242_assignsubmission_file_{NAME}", "janedoe", False),
        (f"{ASSIGNMENT}_jdoe_attempt_2024-03-01-14-05-09_{NAME}", "jdoe", False),
        (f"download/jdoe/{NAME}", "jdoe", False),
        ("jdoe.ipynb", "jdoe", False),
    ],
)
def test_lms_file_names(path, student, late):
    info = SubmissionNames(expected=[NAME]).collect(path)
    assert info is not None
    assert (info["student_id"], info["file_id"], info["late"]) == (student, NAME, late)
    assert not {"first_name", "last_name", "lms_user_id", "email"} & set(info)


def test_blackboard_gives_a_timestamp():
    info = SubmissionNames(expected=[NAME]).collect(f"a_jdoe_attempt_2024-03-01-14-05-09_{NAME}")
    assert info is not None and info["timestamp"].isoformat(" ") == "2024-03-01 14:05:09"


def test_a_renamed_notebook_in_a_students_folder_is_left_to_preflight():
    info = SubmissionNames(expected=[NAME]).collect("jdoe/lesson (1).ipynb")
    assert info is not None and (info["student_id"], info["file_id"]) == (
        "jdoe",
        "lesson (1).ipynb",
    )


@pytest.mark.parametrize(
    "path",
    [
        "notes from the LMS.ipynb",
        "download/jdoe/readme.txt",
        "download/jdoe/lesson.ipynb",  # whose folder: download's or jdoe's?
    ],
)
def test_names_of_no_known_naming_are_not_guessed(path):
    assert SubmissionNames(expected=[NAME]).collect(path) is None


@pytest.mark.parametrize(
    ("file_id", "expected", "name"),
    [
        (NAME, [NAME], NAME),
        (f"{ASSIGNMENT}-2.ipynb", [NAME], NAME),  # an LMS resubmission suffix
        ("Copy of lesson.ipynb", [NAME], "Copy of lesson.ipynb"),  # preflight judges it
        (None, [NAME], NAME),
        (None, ["a.ipynb", "b.ipynb"], None),
    ],
)
def test_notebook_name(file_id, expected, name):
    assert notebook_name(file_id, expected) == name
