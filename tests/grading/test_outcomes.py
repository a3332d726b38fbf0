"""Autograde outcome records: written atomically, read back, damaged ones set aside."""

from __future__ import annotations

import pytest

from intermestic.grading.course import Course
from intermestic.grading.outcomes import (
    FAILED,
    GRADED,
    Outcome,
    fingerprint,
    load_outcomes,
    record,
    state_dir,
)


def test_record_and_load(tmp_path):
    course = Course(tmp_path)
    record(course, "a1", Outcome("ana", GRADED, 3.0, 5.0, fingerprint="x"))
    record(course, "a1", Outcome("ben", FAILED, reason="the kernel died"))
    loaded = load_outcomes(course, "a1")
    assert loaded["ana"] == Outcome("ana", GRADED, 3.0, 5.0, fingerprint="x")
    assert loaded["ben"].reason == "the kernel died"
    assert not list(state_dir(course, "a1").glob(".*"))
    assert load_outcomes(course, "other") == {}


def test_a_damaged_record_is_left_out(tmp_path, caplog):
    course = Course(tmp_path)
    record(course, "a1", Outcome("ana", GRADED))
    (state_dir(course, "a1") / "ben.json").write_text("{half")
    (state_dir(course, "a1") / "cam.json").write_text('{"student": "cam", "status": "great"}')
    assert list(load_outcomes(course, "a1")) == ["ana"]
    assert caplog.text.count("ignoring the damaged autograde record") == 2


@pytest.mark.parametrize(
    "reply",
    [{"status": GRADED}, {"student": "ana", "status": "ready"}, ["ana"], {"student": 3}],
)
def test_a_reply_that_is_no_outcome_is_refused(reply):
    with pytest.raises(ValueError, match="not an autograde outcome"):
        Outcome.from_dict(reply)


def test_unknown_fields_of_a_reply_are_ignored():
    assert Outcome.from_dict({"student": "a", "status": FAILED, "extra": 1}) == Outcome("a", FAILED)


def test_the_fingerprint_follows_the_submission_and_the_source(tmp_path):
    course = Course(tmp_path)
    submission = tmp_path / "submitted" / "ana" / "a1"
    source = tmp_path / "source" / "a1"
    submission.mkdir(parents=True)
    source.mkdir(parents=True)
    (submission / "a1.ipynb").write_text("1")
    (source / "a1.ipynb").write_text("source")
    first = fingerprint(course, "a1", submission)
    assert fingerprint(course, "a1", submission) == first
    (submission / "a1.ipynb").write_text("2")
    second = fingerprint(course, "a1", submission)
    (source / "a1.ipynb").write_text("fixed test")
    assert len({first, second, fingerprint(course, "a1", submission)}) == 3
