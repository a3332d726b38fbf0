"""A learner's path through a lesson after Run All: self-checks answered wrong then right,
exercises filled with the instructor's solutions, and nbgrader's Validate button.

Answers come from the instructors' plaintext question specs (autograder/questions/) and the
solution regions of the source notebooks (autograder/source/), never from the tests. The tests in
tests/browser/test_notebooks.py walk this path on each lesson's page after every other test of
that page has looked at it as Run All left it.

Validate is pressed in the first lesson, the last (the memo) and the one with the most kinds of
answer. That every lesson's release, filled with its solutions, passes all of its tests is shown
by real ``nbgrader autograde`` in tests/test_nbgrader.py (full marks), which runs the same visible
tests that Validate runs, and the hidden ones too.
"""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

from intermestic.quiz import answer
from tests.browser.lab import LESSONS, PANEL, REPO_ROOT, OpenNotebook
from tests.course import richest_lesson

AUTOGRADER = REPO_ROOT / "autograder"
LESSON_NAMES = sorted(p.stem for p in LESSONS.glob("*.ipynb"))
MARKS = {"correct": "\u2714", "close": "\u2248"}
SOLUTION = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$", re.MULTILINE)
MARK_SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===.*?=== END MARK SCHEME ===", re.DOTALL)


def _text(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "".join(source)


def _spec(lesson: str) -> dict[str, dict[str, Any]]:
    """The plaintext authoring spec of the lesson's self-checks, by question id."""
    path = AUTOGRADER / "questions" / f"{lesson}.json"
    if not path.exists():
        return {}
    return {q["id"]: q for q in json.loads(path.read_text(encoding="utf-8"))["questions"]}


# The lessons with self-checks, and the ones where Validate is pressed.
SELF_CHECKED = [name for name in LESSON_NAMES if _spec(name)]
VALIDATED = sorted({LESSON_NAMES[0], richest_lesson(), LESSON_NAMES[-1]})


def _solutions(lesson: str) -> dict[str, str]:
    """What a learner who answers everything right writes in each answer cell, by grade id:
    the source notebook's solution without its markers, or its model answer without the mark
    scheme."""
    path = AUTOGRADER / "source" / lesson / f"{lesson}.ipynb"
    if not path.exists():
        return {}
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {
        cell["metadata"]["nbgrader"]["grade_id"]: MARK_SCHEME.sub(
            "", SOLUTION.sub("", _text(cell["source"]))
        ).strip()
        for cell in cells
        if cell["metadata"].get("nbgrader", {}).get("solution")
    }


def _responses(question: dict[str, Any]) -> tuple[Any, Any]:
    """A wrong and the right response to `question`, as `intermestic.quiz.answer` takes them."""
    right = question["answer"]
    kind = question["type"]
    if kind == "multiple-choice":
        wrong = next(o["key"] for o in question["options"] if o["key"] != right)
    elif kind == "multiple-select":
        wrong = [next(o["key"] for o in question["options"] if o["key"] not in right)]
    elif kind == "numeric":
        wrong = right * 1_000 + 1
    else:
        right = right[0] if isinstance(right, list) else right
        wrong = "not the answer"
    return wrong, right


def _respond(box: Locator, question: dict[str, Any], response: Any) -> None:
    """Give `response` in the question's widget, as a learner would, and press Check."""
    if question["type"] in {"multiple-choice", "multiple-select"}:
        chosen = {response} if isinstance(response, str) else set(response)
        role = "radio" if question["type"] == "multiple-choice" else "checkbox"
        for option in question["options"]:
            control = box.get_by_role(role, name=f"({option['key']}) {option['text']}")
            if role == "checkbox" or option["key"] in chosen:
                control.set_checked(option["key"] in chosen)
    else:
        box.get_by_role("textbox").fill(str(response))
    box.get_by_role("button", name="Check").click()


def _question_box(page: Page, question_id: str) -> Locator:
    """The innermost widget box holding the prompt of `question_id` and a Check button."""
    return (
        page.locator(f"{PANEL} .widget-vbox")
        .filter(has=page.get_by_text(f"Question {question_id}.", exact=True))
        .filter(has=page.get_by_role("button", name="Check"))
        .last
    )


def answer_self_checks(notebook: OpenNotebook, lesson: str) -> None:
    """Answer every self-check of the lesson wrong, then right; each must say "not quite" to the
    wrong answer and "correct" to the right one, with exactly the feedback
    intermestic.quiz.answer gives."""
    notebook.page.bring_to_front()  # the learner works in this tab; others stay open behind it
    asked = re.findall(
        r"""\bask\(\s*["']([^"']+)["']""",
        "\n".join(_text(c["source"]) for c in notebook.saved["cells"] if c["cell_type"] == "code"),
    )
    assert asked, f"{lesson} asks no self-check question"
    questions = _spec(lesson)
    for question_id in asked:
        question = questions[question_id]
        box = _question_box(notebook.page, question_id)
        feedback = box.locator("[role=status]")
        for response, correct in zip(_responses(question), (False, True), strict=True):
            expected = answer(question_id, response)
            assert expected.correct is correct, f"{question_id}: {response!r} → {expected}"
            _respond(box, question, response)
            mark = MARKS.get(expected.status, "\u2716")
            expect(feedback).to_have_text(f"{mark} {expected.message}", timeout=10_000)


def validate_with_solutions(notebook: OpenNotebook, lesson: str) -> None:
    """Fill every answer cell with its solution and press Validate: nbgrader must report
    success."""
    notebook.page.bring_to_front()
    solutions = _solutions(lesson)
    filled = set()
    for index, cell in enumerate(notebook.saved["cells"]):
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            if cell["cell_type"] == "markdown":
                notebook.cell(index).dblclick()  # a rendered Markdown cell opens its editor
            notebook.cell(index).locator(".cm-content").fill(solutions[grade_id])
            filled.add(grade_id)
    assert filled == set(solutions), f"exercises missing from the lesson: {set(solutions) - filled}"
    page = notebook.page
    page.locator(f"{PANEL} .validate-button").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=60_000)
    try:
        expect(dialog.locator(".validation-success, .validation-failed").first).to_be_attached(
            timeout=60_000
        )
        assert "Success! Your notebook passes all the tests." in dialog.inner_text(), (
            dialog.inner_text()
        )
    finally:
        dialog.get_by_role("button").last.click()
