"""How each submission is judged (the one judgement behind status and export), and how status
words it, without a gradebook."""

from __future__ import annotations

import pytest

from intermestic.grading.outcomes import FAILED as OUTCOME_FAILED
from intermestic.grading.outcomes import GRADED as OUTCOME_GRADED
from intermestic.grading.outcomes import Outcome
from intermestic.grading.preflight import Check
from intermestic.grading.standing import (
    FAILED,
    GRADED,
    NO_SUBMISSION,
    NOT_GRADED,
    QUARANTINED,
    Scores,
    Standing,
    judge,
)
from intermestic.grading.status import describe

SCORES = Scores(total=3.0, max_score=5.0)
GRADED_OUTCOME = Outcome("s", OUTCOME_GRADED, 3.0, 5.0)
FAILED_OUTCOME = Outcome("s", OUTCOME_FAILED, reason="the kernel died")


def _judge(**known: object) -> Standing:
    facts: dict[str, object] = {
        "quarantine": None,
        "submitted": True,
        "outcome": None,
        "unchanged": True,
        "scores": None,
        "autograded": False,
    }
    return judge(**{**facts, **known})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("known", "state", "reason"),
    [
        ({"submitted": False}, NO_SUBMISSION, ""),
        ({}, NOT_GRADED, "not autograded yet"),
        ({"quarantine": "invalid JSON"}, QUARANTINED, "invalid JSON"),
        # nbgrader leaves a row with zero scores behind a failed autograde: still an error
        ({"outcome": FAILED_OUTCOME, "scores": SCORES}, FAILED, "the kernel died"),
        ({"outcome": GRADED_OUTCOME, "scores": SCORES, "autograded": True}, GRADED, ""),
        # graded by plain 'nbgrader autograde' (no record of ours): nbgrader's graded copy counts
        ({"scores": SCORES, "autograded": True}, GRADED, ""),
        ({"scores": SCORES}, NOT_GRADED, "not autograded yet"),
        (
            {"outcome": GRADED_OUTCOME, "scores": SCORES, "unchanged": False},
            NOT_GRADED,
            "changed since it was autograded; run autograde again",
        ),
        # a quarantined resubmission hides an older grade
        ({"quarantine": "bad", "outcome": GRADED_OUTCOME, "scores": SCORES}, QUARANTINED, "bad"),
        # graded, then the submission folder was cleared: the grade stands
        ({"submitted": False, "outcome": GRADED_OUTCOME, "scores": SCORES}, GRADED, ""),
    ],
)
def test_judge(known, state, reason):
    standing = _judge(**known)
    assert (standing.state, standing.reason) == (state, reason)
    assert (standing.scores is not None) == (state == GRADED)


def test_errors_never_carry_a_score():
    for state in (QUARANTINED, FAILED, NOT_GRADED):
        assert Standing(state, "why").is_error
    assert not Standing(NO_SUBMISSION).is_error and not Standing(GRADED, scores=SCORES).is_error


LATE = Scores(2.5, 5.0, penalty=0.5, needs_manual_grade=True)


@pytest.mark.parametrize(
    ("standing", "check", "words"),
    [
        (Standing(NO_SUBMISSION), None, "-"),
        (Standing(QUARANTINED, "bad JSON"), Check("s", "quarantined"), "quarantined: bad JSON"),
        (
            Standing(FAILED, "the kernel died"),
            Check("s"),
            "submitted, preflight ok, autograde failed: the kernel died",
        ),
        (Standing(NOT_GRADED, "not yet"), None, "submitted, not graded (not yet)"),
        (
            Standing(GRADED, scores=SCORES),
            Check("s", "repaired"),
            "submitted, preflight repaired, 3/5",
        ),
        (
            Standing(GRADED, scores=LATE),
            None,
            "submitted, 2.5/5 (late penalty 0.5), needs manual grading",
        ),
    ],
)
def test_status_words(standing, check, words):
    assert describe(standing, check) == words
