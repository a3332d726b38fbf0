"""The audit that puts back manual scores changed during an autograde run."""

from __future__ import annotations

from intermestic.grading.audit import Change, manual_scores, restore_manual_scores
from tests.grading.gradebook import ASSIGNMENT, set_scores, small_course


def test_a_manual_score_written_during_the_run_is_put_back(tmp_path):
    course = small_course(tmp_path)
    set_scores(course, "ben", "essay", manual_score=1.0)  # a grader's, before the run
    before = manual_scores(course, ASSIGNMENT)
    assert before[("ben", "a1", "essay")] == (1.0, None)
    set_scores(course, "ana", "essay", manual_score=3.0, extra_credit=5.0)  # student code
    set_scores(course, "ben", "test", auto_score=2.0)  # nbgrader's own work is kept
    restored = restore_manual_scores(course, ASSIGNMENT, before)
    assert restored == [Change("ana", "a1", "essay", before=(None, None), after=(3.0, 5.0))]
    after = manual_scores(course, ASSIGNMENT)
    assert after == before
    with course.gradebook() as gradebook:
        assert gradebook.find_grade("test", "a1", ASSIGNMENT, "ben").auto_score == 2.0


def test_nothing_changed_nothing_restored(tmp_path):
    course = small_course(tmp_path)
    before = manual_scores(course, ASSIGNMENT)
    assert restore_manual_scores(course, ASSIGNMENT, before) == []


def test_a_change_is_one_line():
    change = Change("ana", "a1", "essay", before=(None, None), after=(3.0, None))
    assert change.describe() == (
        "ana a1 essay: manual score/extra credit (None, None) became (3.0, None) during "
        "autograde; restored"
    )
