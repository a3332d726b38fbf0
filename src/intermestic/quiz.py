"""Self-check questions and exercise checks for the lessons.

In a notebook::

    from intermestic.quiz import ask, answer, check
    ask("00.1")                  # the question as a widget with a Check button
    answer("00.1", "b")          # the same feedback as plain text (nbviewer, screen readers)
    check("q2_1", exports_2017)  # feedback on a value computed in an exercise

Questions come from one JSON bank per lesson in ``intermestic/questions/``; the banks hold only
salted hashes of the answers (see `intermestic.answers`). Instructors write plaintext specs in
``autograder/questions/<lesson>.json`` and turn them into banks with
``intermestic questions author``.
"""

from __future__ import annotations

import difflib
import functools
import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from intermestic import i18n
from intermestic.answers import Feedback, bank_questions, evaluate, make_bank
from intermestic.i18n import N_, _
from intermestic.paths import PACKAGE_DIR, repository_root

BANKS_DIR = PACKAGE_DIR / "questions"
_HOW_TO_ANSWER = {
    "multiple-choice": N_("one option letter, e.g. 'a'"),
    "multiple-select": N_("all the letters that apply, e.g. 'a, c'"),
    "numeric": N_("a number"),
    "short-text": N_("a word or short phrase"),
}


# --- banks ---------------------------------------------------------------------------------


def banks_dir(lang: str = i18n.SOURCE_LANGUAGE) -> Path:
    """The folder of the question banks of one edition (translations in a subfolder)."""
    return BANKS_DIR if lang == i18n.SOURCE_LANGUAGE else BANKS_DIR / lang


def load_bank(lesson: str, lang: str = i18n.SOURCE_LANGUAGE) -> dict[str, Any]:
    """The question bank of `lesson` (e.g. ``"00-start-here"``) as stored in the package, in
    the edition `lang`."""
    return json.loads((banks_dir(lang) / f"{lesson}.json").read_text(encoding="utf-8"))


def _questions() -> dict[str, dict[str, Any]]:
    """Every question by id, in the learner's language where its lesson is translated."""
    return _questions_in(i18n.language())


@functools.cache
def _questions_in(lang: str) -> dict[str, dict[str, Any]]:
    """Every question by id, in `lang` where its lesson is translated, else in English."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(BANKS_DIR.glob("*.json")):
        translated = banks_dir(lang) / path.name
        edition = lang if translated.is_file() else i18n.SOURCE_LANGUAGE
        found.update(bank_questions(load_bank(path.stem, edition)))
    return found


def question_ids() -> list[str]:
    """The ids of every question in the course's banks."""
    return list(_questions())


def _lookup(question_id: object) -> dict[str, Any] | Feedback:
    """The question called `question_id`, or feedback explaining that there is none."""
    questions = _questions()
    if isinstance(question_id, str) and question_id in questions:
        return questions[question_id]
    close = difflib.get_close_matches(str(question_id), list(questions), n=3, cutoff=0.5)
    suggestion = (
        _("Did you mean {ids}?").format(ids=_(" or ").join(map(repr, close)))
        if close
        else _("Question ids look like {ids}.").format(
            ids=", ".join(map(repr, list(questions)[:3]))
        )
    )
    return Feedback(
        "invalid",
        _("There is no question {id}. {suggestion}").format(
            id=repr(question_id), suggestion=suggestion
        ),
    )


def answer(question_id: str, response: object) -> Feedback:
    """Feedback on `response` to a self-check question, as plain text.

    `response` is an option letter (``"b"``), several letters (``"a, c"`` or a list), a number or
    a short text, as the question asks.
    """
    question = _lookup(question_id)
    return question if isinstance(question, Feedback) else evaluate(question, response)


def check(question_id: str, value: object) -> Feedback:
    """Feedback on a `value` computed in an exercise: its type, shape, units and closeness."""
    return answer(question_id, value)


# --- text and widgets ------------------------------------------------------------------------


def question_text(question: Mapping[str, Any]) -> str:
    """`question` as plain text, with its options and how to answer it without a widget."""
    lines = [_("Question {id}: {prompt}").format(id=question["id"], prompt=question["prompt"])]
    lines += [f"  ({o['key']}) {o['text']}" for o in question.get("options", [])]
    if question.get("units"):
        lines.append(_("  Units: {units}.").format(units=question["units"]))
    if question["type"] == "code":
        lines.append(
            _("Check your result in code with check({id}, your_value).").format(
                id=repr(question["id"])
            )
        )
    else:
        how = _(_HOW_TO_ANSWER[question["type"]])
        lines.append(
            _("Answer in code with answer({id}, ...), giving {how}.").format(
                id=repr(question["id"]), how=how
            )
        )
    return "\n".join(lines)


def _feedback_html(feedback: Feedback) -> str:
    mark = {"correct": "\u2714", "close": "\u2248"}.get(feedback.status, "\u2716")
    return (
        f'<div role="status" aria-live="polite" style="white-space: pre-line">'
        f"{mark} {html.escape(feedback.message)}</div>"
    )


class QuestionBox(widgets.VBox):
    """A question as a widget: prompt, labelled input, Check button and feedback area."""

    def __init__(self, question: Mapping[str, Any]) -> None:
        super().__init__()
        self.question = question
        self.input = _input_widget(question)
        self.check_button = widgets.Button(
            description=_("Check"),
            tooltip=_("Check your answer to question {id}").format(id=question["id"]),
            icon="check",
            button_style="primary",
        )
        self.feedback = widgets.HTML(value="")
        self.last_feedback: Feedback | None = None
        self.check_button.on_click(self._on_check)
        heading = _("Question {id}.").format(id=question["id"])
        prompt = widgets.HTML(
            f"<p><strong>{html.escape(heading)}</strong> {html.escape(question['prompt'])}</p>"
        )
        self.children = [prompt, self.input, self.check_button, self.feedback]

    def response(self) -> object:
        """The learner's current response, in the form `answer` accepts."""
        if self.question["type"] == "multiple-select":
            boxes = self.input.children[1:]
            keys = [option["key"] for option in self.question["options"]]
            return [key for key, box in zip(keys, boxes, strict=True) if box.value]
        return self.input.value

    def _on_check(self, _button: widgets.Button) -> None:
        self.last_feedback = evaluate(self.question, self.response())
        self.feedback.value = _feedback_html(self.last_feedback)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = question_text(self.question)
        return bundle


def _input_widget(question: Mapping[str, Any]) -> widgets.Widget:
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="auto")
    if question["type"] == "multiple-choice":
        return widgets.RadioButtons(
            options=[(f"({o['key']}) {o['text']}", o["key"]) for o in question["options"]],
            value=None,
            description=_("Answer:"),
            tooltip=_("Choose one option"),
            style=style,
            layout=layout,
        )
    if question["type"] == "multiple-select":
        boxes = [
            widgets.Checkbox(
                value=False,
                description=f"({option['key']}) {option['text']}",
                tooltip=_("Tick every option that applies"),
                indent=False,
                style=style,
                layout=layout,
            )
            for option in question["options"]
        ]
        return widgets.VBox([widgets.Label(_("Choose all that apply:")), *boxes])
    units = question.get("units")
    numeric = question["type"] == "numeric"
    return widgets.Text(
        value="",
        description=_("Answer ({units}):").format(units=units) if units else _("Answer:"),
        placeholder=_("a number, e.g. 12.5") if numeric else _("type a word or phrase"),
        tooltip=_("Type your answer, then press Check"),
        # Sync every keystroke: with updates only on blur, a click on Check could reach the
        # kernel before the new text does and judge the previous answer.
        continuous_update=True,
        style=style,
        layout=layout,
    )


def ask(question_id: str) -> QuestionBox | Feedback:
    """The question `question_id` as a widget, or a message saying why it cannot be shown."""
    question = _lookup(question_id)
    if isinstance(question, Feedback):
        return question
    if question["type"] == "code":
        return Feedback("invalid", question_text(question))
    return QuestionBox(question)


# --- authoring -------------------------------------------------------------------------------


def authoring_dir() -> Path | None:
    """The folder of plaintext authoring specs, present only in a repository checkout."""
    root = repository_root()
    return None if root is None else root / "autograder" / "questions"


def author(specs: Sequence[Path], banks_dir: Path = BANKS_DIR) -> list[Path]:
    """Write the bank for each authoring spec in `specs` into `banks_dir`; return the banks."""
    banks_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for spec_path in specs:
        bank = make_bank(json.loads(spec_path.read_text(encoding="utf-8")))
        target = banks_dir / f"{bank['lesson']}.json"
        target.write_text(json.dumps(bank, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written
