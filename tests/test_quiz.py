"""Self-check questions: hashing, checking, banks, the text fallback and the widgets, headless."""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
import pytest

from intermestic import cli, quiz
from intermestic.answers import (
    MAX_SCAN,
    Feedback,
    bank_questions,
    evaluate,
    make_bank,
    normalise_text,
    parse_number,
    rounded_units,
    seal,
    unseal,
)

SALT = "0123456789abcdef"

# A made-up bank exercising every question type; its numbers are invented, not course facts.
SPEC: dict[str, Any] = {
    "lesson": "99-test",
    "salt": SALT,
    "questions": [
        {
            "id": "t.mc",
            "type": "multiple-choice",
            "prompt": "Pick one.",
            "options": [
                {"key": "a", "text": "Alpha", "feedback": "Alpha note."},
                {"key": "b", "text": "Beta", "feedback": "Beta note."},
            ],
            "answer": "a",
        },
        {
            "id": "t.num",
            "type": "numeric",
            "prompt": "How much, in millions?",
            "answer": 612.1,
            "decimals": 1,
            "units": "million US$",
            "tolerance": {"abs": 0.2},
            "explanation": "Explained.",
            "feedback": {"300": "That is only one direction of trade."},
            "hint": "Add both directions.",
        },
        {
            "id": "t.rel",
            "type": "numeric",
            "prompt": "What share?",
            "answer": 80,
            "decimals": 0,
            "units": "%",
            "tolerance": {"rel": 0.05},
        },
        {
            "id": "t.big",
            "type": "numeric",
            "prompt": "How many crossings?",
            "answer": 1_234_000,
            "decimals": -3,
        },
        {
            "id": "t.code",
            "type": "code",
            "expect": "number",
            "prompt": "Compute the total.",
            "answer": 2.5,
            "decimals": 2,
            "units": "billion US$",
        },
        {
            "id": "t.word",
            "type": "code",
            "expect": "text",
            "prompt": "Name the port.",
            "answer": ["San Ysidro"],
        },
        {
            "id": "t.series",
            "type": "code",
            "expect": "series",
            "prompt": "A Series of three values.",
            "length": 3,
            "name": "exports",
            "total": {"answer": 6.0, "decimals": 1},
        },
        {
            "id": "t.frame",
            "type": "code",
            "expect": "dataframe",
            "prompt": "A table of trade by year.",
            "columns": ["year", "exports"],
            "length": 2,
            "totals": {"exports": {"answer": 30.0, "decimals": 1, "units": "billion US$"}},
        },
    ],
}


@pytest.fixture(scope="module")
def questions() -> dict[str, dict[str, Any]]:
    return bank_questions(make_bank(SPEC))


def verdict(questions: dict[str, dict[str, Any]], qid: str, response: object) -> tuple[str, str]:
    feedback = evaluate(questions[qid], response)
    return feedback.status, feedback.message


# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Intermestic! ", "intermestic"),
        ("INTER-mestic", "inter mestic"),
        ("Peña   Nieto", "pena nieto"),
        ("«Ciudad Juárez»", "ciudad juarez"),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1,234.5", 1234.5), (" 612.1 million US$ ", 612.1), ("\u22123", -3.0), ("80 %", 80.0)],
)
def test_parse_number(raw: str, expected: float) -> None:
    assert parse_number(raw, "million US$") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,5", "decimal separator"),
        ("abc", "not a number"),
        ("", "Type a number"),
        ("nan", "finite"),
    ],
)
def test_parse_number_rejects(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_number(raw)


def test_rounding_is_half_away_from_zero_and_handles_negative_decimals() -> None:
    assert rounded_units(0.15, 1) == 2
    assert rounded_units(-0.25, 1) == -3
    assert rounded_units(1_234_567, -3) == 1235


def test_seal_opens_only_with_its_answer() -> None:
    token = seal(SALT, "q", "b", "Yes, that's it.")
    assert "Yes" not in token
    assert unseal(SALT, "q", "b", token) == "Yes, that's it."
    try:
        wrong = unseal(SALT, "q", "a", token)
    except UnicodeDecodeError:
        wrong = ""
    assert wrong != "Yes, that's it."


# --- question types --------------------------------------------------------------------------


def test_multiple_choice(questions: dict[str, dict[str, Any]]) -> None:
    assert verdict(questions, "t.mc", "A") == ("correct", "Correct: (a). Alpha note.")
    assert verdict(questions, "t.mc", "(b)") == ("incorrect", "Not quite: (b). Beta note.")
    assert verdict(questions, "t.mc", "Beta")[0] == "invalid"
    assert verdict(questions, "t.mc", ["a", "b"])[0] == "invalid"
    assert "Choose an option" in verdict(questions, "t.mc", None)[1]
    assert verdict(questions, "t.mc", 3.5)[0] == "invalid"


@pytest.mark.parametrize(
    ("response", "status", "fragment"),
    [
        (612.1, "correct", "Explained."),
        (612.14, "correct", "Correct."),
        ("612.25", "correct", "Correct."),  # within the absolute tolerance of 0.2
        (612.5, "close", "stated precision (1 decimal place(s))"),
        (300, "incorrect", "one direction"),
        (612_100, "incorrect", "looks like thousands, but millions are expected"),
        (0.6121, "incorrect", "looks like billions, but millions are expected"),
        (612_100_000, "incorrect", "looks like US$, but millions are expected"),
        (-612.1, "incorrect", "sign"),
        (5, "incorrect", "Add both directions."),
        ("12,5", "invalid", "decimal separator"),
        ("six hundred", "invalid", "not a number"),
        (None, "invalid", "return"),
        (True, "invalid", "truth value"),
        (math.nan, "invalid", "missing"),
        (math.inf, "invalid", "infinite"),
        (pd.Series([612.1]), "invalid", ".item()"),
    ],
)
def test_numeric(
    questions: dict[str, dict[str, Any]], response: object, status: str, fragment: str
) -> None:
    got_status, message = verdict(questions, "t.num", response)
    assert (got_status, fragment in message) == (status, True), message


def test_numeric_relative_tolerance_and_percentages(questions: dict[str, dict[str, Any]]) -> None:
    assert verdict(questions, "t.rel", 83)[0] == "correct"
    assert verdict(questions, "t.rel", "77 %")[0] == "correct"
    assert verdict(questions, "t.rel", 86)[0] == "close"
    assert "fraction (0 to 1)" in verdict(questions, "t.rel", 0.8)[1]


def test_numeric_coarse_precision(questions: dict[str, dict[str, Any]]) -> None:
    assert verdict(questions, "t.big", "1,234,499")[0] == "correct"
    assert verdict(questions, "t.big", 1_236_000)[1].startswith("Close")
    assert "nearest 1,000" in verdict(questions, "t.big", 1_236_000)[1]


def test_short_text_in_code_check(questions: dict[str, dict[str, Any]]) -> None:
    assert verdict(questions, "t.word", "san ysidro")[0] == "correct"
    assert verdict(questions, "t.word", "Otay Mesa")[0] == "incorrect"
    assert verdict(questions, "t.word", 42)[0] == "invalid"


def test_code_number(questions: dict[str, dict[str, Any]]) -> None:
    assert verdict(questions, "t.code", 2.5)[0] == "correct"
    assert "looks like millions, but billions are expected" in verdict(questions, "t.code", 2500)[1]
    status, message = verdict(questions, "t.code", "2.5")
    assert status == "invalid"
    assert "float(" in message
    assert "2.5" not in verdict(questions, "t.code", 1.0)[1]
    assert "DataFrame" in verdict(questions, "t.code", pd.DataFrame({"x": [1, 2]}))[1]


def test_code_series(questions: dict[str, dict[str, Any]]) -> None:
    good = pd.Series([1.0, 2.0, 3.0], name="exports")
    assert verdict(questions, "t.series", good)[0] == "correct"
    assert "3 are expected" in verdict(questions, "t.series", good.iloc[:2])[1]
    assert "named 'exports'" in verdict(questions, "t.series", good.rename("x"))[1]
    assert verdict(questions, "t.series", good * 1000)[0] == "incorrect"
    assert "df['exports']" in verdict(questions, "t.series", good.to_frame())[1]


def test_code_dataframe(questions: dict[str, dict[str, Any]]) -> None:
    good = pd.DataFrame({"year": [2017, 2018], "exports": [14.0, 16.0]})
    assert verdict(questions, "t.frame", good)[0] == "correct"
    status, message = verdict(questions, "t.frame", good.rename(columns={"exports": "value"}))
    assert status == "invalid"
    assert "missing column(s) 'exports'" in message
    assert "unexpected column(s) 'value'" in message
    assert "2 are expected" in verdict(questions, "t.frame", good.iloc[:1])[1]
    in_millions = good.assign(exports=[14e3, 16e3])
    assert "looks like millions" in verdict(questions, "t.frame", in_millions)[1]
    assert verdict(questions, "t.frame", good.assign(exports=[14.0, 16.9]))[0] == "close"
    text = good.assign(exports=["14", "16"])
    assert "pd.to_numeric" in verdict(questions, "t.frame", text)[1]
    repeated = pd.DataFrame([[1, 2, 3]], columns=["year", "exports", "exports"])
    assert "repeated" in verdict(questions, "t.frame", repeated)[1]
    assert ".to_frame()" in verdict(questions, "t.frame", good["exports"])[1]
    assert verdict(questions, "t.frame", None)[0] == "invalid"


def test_checks_are_fast(questions: dict[str, dict[str, Any]]) -> None:
    start = time.perf_counter()
    for response in (612.5, 612_100, 5, "1,234.5"):
        evaluate(questions["t.num"], response)
    evaluate(questions["t.rel"], 10_000)
    assert time.perf_counter() - start < 0.1


# --- authoring and banks ---------------------------------------------------------------------


def test_bank_hides_answers_and_correct_feedback() -> None:
    bank_text = json.dumps(make_bank(SPEC))
    for question in SPEC["questions"]:
        for option in question.get("options", []):
            assert option["feedback"] not in bank_text
    assert "612.1" not in bank_text
    assert "San Ysidro" not in bank_text
    assert "Explained." not in bank_text
    mc = bank_questions(make_bank(SPEC))["t.mc"]
    assert len(mc["feedback"]) == len(mc["options"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"salt": None}, "'salt' field"),
        (
            {"options": [{"key": "a", "text": "A", "feedback": "x"}, {"key": "b", "text": "B"}]},
            "every option needs feedback",
        ),
        ({"answer": "z"}, "must name option keys"),
        ({"type": "essay"}, "type must be one of"),
        ({"prompt": ""}, "prompt is needed"),
    ],
)
def test_make_bank_rejects_bad_specs(change: dict[str, Any], message: str) -> None:
    question = {**SPEC["questions"][0], **change}
    spec = {**SPEC, "questions": [question]}
    if change.get("salt", "") is None:
        del spec["salt"]
    with pytest.raises(ValueError, match=message):
        make_bank(spec)


def test_make_bank_rejects_wide_tolerance_and_duplicates() -> None:
    wide = {**SPEC["questions"][1], "tolerance": {"abs": MAX_SCAN}}
    with pytest.raises(ValueError, match="use fewer decimals"):
        make_bank({**SPEC, "questions": [wide]})
    with pytest.raises(ValueError, match="unique"):
        make_bank({**SPEC, "questions": [SPEC["questions"][0]] * 2})


def _specs() -> list[Path]:
    """The authoring specs; the tests run from a checkout, so missing specs are a failure."""
    folder = quiz.authoring_dir()
    assert folder is not None, "the tests must run from a repository checkout"
    specs = sorted(folder.glob("*.json"))
    assert specs, f"no authoring specs in {folder}"
    return specs


def test_every_bank_is_derived_from_its_authoring_spec() -> None:
    specs = _specs()
    assert sorted(p.stem for p in specs) == sorted(p.stem for p in quiz.BANKS_DIR.glob("*.json"))
    for path in specs:
        spec = json.loads(path.read_text(encoding="utf-8"))
        assert spec["lesson"] == path.stem
        assert make_bank(spec) == quiz.load_bank(path.stem), f"re-run the author command for {path}"


def test_author_command_writes_the_shipped_banks(tmp_path: Path) -> None:
    assert cli.main(["questions", "author", "--out", str(tmp_path)]) == 0
    for bank in tmp_path.glob("*.json"):
        assert bank.read_text(encoding="utf-8") == (quiz.BANKS_DIR / bank.name).read_text("utf-8")


def test_author_command_reports_bad_specs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({"lesson": "bad", "questions": []}), encoding="utf-8")
    assert cli.main(["questions", "author", str(spec), "--out", str(tmp_path)]) == 2
    assert "salt" in capsys.readouterr().err


# --- the course's banks through the public API -----------------------------------------------


def test_lesson_00_answers() -> None:
    assert quiz.answer("00.1", "b").correct
    assert not quiz.answer("00.1", "c").correct
    assert quiz.answer("00.2", "a, b, d, e").correct
    assert not quiz.answer("00.2", ["a", "b"]).correct
    assert quiz.answer("00.3", "“Intermestic”").correct
    assert "half of it" in str(quiz.answer("00.3", "International"))
    assert {"00.1", "00.2", "00.3"} <= set(quiz.question_ids())


@pytest.mark.parametrize("qid", ["00.4", "q0_1", None, 3])
def test_unknown_question_ids_get_a_message(qid: object) -> None:
    feedback = quiz.check(qid, 1)  # type: ignore[arg-type]
    assert feedback.status == "invalid"
    assert "There is no question" in feedback.message
    suggested = re.findall(r"'(\d\d\.\d+)'", feedback.message.partition("Did you mean")[2])
    if isinstance(qid, str):
        assert suggested, "close ids are suggested"
    assert set(suggested) <= set(quiz.question_ids())
    assert quiz.ask(qid) == feedback  # type: ignore[arg-type]


def test_code_questions_are_checked_not_asked(
    questions: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quiz, "_questions", lambda: questions)
    shown = quiz.ask("t.frame")
    assert isinstance(shown, Feedback)
    assert "check('t.frame', your_value)" in shown.message
    assert quiz.check("t.code", 2.5).correct


def test_text_fallback_shows_the_question_without_a_widget() -> None:
    box = quiz.ask("00.2")
    text = box._repr_mimebundle_()["text/plain"]
    assert "(f) Energy" in text
    assert "answer('00.2', ...)" in text
    assert "Intermestic" not in quiz.question_text(quiz._questions()["00.3"])


# --- widgets, driven headless ----------------------------------------------------------------


def _controls(widget: widgets.Widget) -> list[widgets.Widget]:
    children = getattr(widget, "children", ())
    return [widget, *(c for child in children for c in _controls(child))]


@pytest.mark.parametrize("qid", ["00.1", "00.2", "00.3"])
def test_every_control_is_labelled(qid: str) -> None:
    box = quiz.ask(qid)
    assert isinstance(box, quiz.QuestionBox)
    inputs = [w for w in _controls(box) if isinstance(w, widgets.ValueWidget | widgets.Button)]
    inputs = [w for w in inputs if not isinstance(w, widgets.HTML | widgets.Label)]
    assert inputs
    for control in inputs:
        assert control.description and control.tooltip, control


def test_choice_widget() -> None:
    box = quiz.ask("00.1")
    box.check_button.click()
    assert "Choose an option" in box.feedback.value
    box.input.value = "b"
    box.check_button.click()
    assert box.last_feedback is not None and box.last_feedback.correct
    assert "Correct" in box.feedback.value
    assert 'role="status"' in box.feedback.value


def test_multiple_select_widget() -> None:
    box = quiz.ask("00.2")
    boxes = box.input.children[1:]
    for checkbox, tick in zip(boxes, [True, True, False, True, True, False], strict=True):
        checkbox.value = tick
    box.check_button.click()
    assert box.last_feedback is not None and box.last_feedback.correct
    boxes[2].value = True
    box.check_button.click()
    assert "Not quite" in box.feedback.value


def test_text_and_numeric_widgets(questions: dict[str, dict[str, Any]]) -> None:
    box = quiz.ask("00.3")
    box.input.value = "intermestic"
    box.check_button.click()
    assert "Correct" in box.feedback.value
    numeric = quiz.QuestionBox(questions["t.num"])
    assert numeric.input.description == "Answer (million US$):"
    for typed, status in [("", "invalid"), ("612,100", "incorrect"), ("612.1", "correct")]:
        numeric.input.value = typed
        numeric.check_button.click()
        assert numeric.last_feedback is not None and numeric.last_feedback.status == status
    assert "&lt;" not in numeric.feedback.value
