"""Every lesson after the introduction meets the course's lesson standard.

What a test can check is checked here: objectives and their mapping to graded items, the quiz's
size, mark schemes, explorers, self-checks, charts with alt text, the closing sections, the
article citation, and that self-check answers still agree with the data they come from.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
from collections.abc import Callable

import pytest

from intermestic import quiz
from intermestic.answers import bank_questions, evaluate
from intermestic.data import load, tables
from tests import self_check_data
from tests.course import assignment_names, grading, read, source_notebook

LESSONS = [name for name in assignment_names() if not name.startswith("00-")]


def _cells(name: str) -> list:
    return read(source_notebook(name)).cells


def _sources(name: str, cell_type: str) -> list[str]:
    return [cell.source for cell in _cells(name) if cell.cell_type == cell_type]


def _graded(name: str) -> dict[str, dict]:
    return {grading(c)["grade_id"]: grading(c) for c in _cells(name) if grading(c).get("grade")}


@pytest.mark.parametrize("name", LESSONS)
def test_title_states_an_estimated_time_of_45_to_60_minutes(name):
    title = _sources(name, "markdown")[0]
    assert title.startswith("# "), "the first cell is the lesson's title"
    minutes = re.search(r"Estimated time: (\d+) minutes", title)
    assert minutes, "the title cell states 'Estimated time: N minutes'"
    assert 45 <= int(minutes.group(1)) <= 60


@pytest.mark.parametrize("name", LESSONS)
def test_three_to_five_objectives_each_assessed_by_a_graded_item(name):
    notebook = read(source_notebook(name))
    objectives = notebook.metadata["intermestic"]["objectives"]
    assert 3 <= len(objectives) <= 5
    title = notebook.cells[0].source.replace("**", "")
    graded = _graded(name)
    for objective in objectives:
        assert objective["text"] in title, f"{objective['id']} is not stated in the title cell"
        assert objective["assessed_by"], f"{objective['id']} is assessed by no item"
        for grade_id in objective["assessed_by"]:
            assert grade_id in graded, f"{objective['id']}: {grade_id} is not a graded cell"
    listed = re.findall(r"^\d+\. ", title, flags=re.MULTILINE)
    assert len(listed) == len(objectives), "every objective in the title is in the metadata mapping"


@pytest.mark.parametrize("name", LESSONS)
def test_quiz_has_five_autograded_points_and_a_marked_manual_answer(name):
    graded = _graded(name)
    autograded = {gid: g for gid, g in graded.items() if not g.get("solution")}
    manual = {gid for gid, g in graded.items() if g.get("solution")}
    quiz_items = [gid for gid in autograded if gid.startswith("q")]
    assert len(quiz_items) >= 5, "the quiz has at least five autograded items"
    assert sum(autograded[gid]["points"] for gid in quiz_items) >= 5
    assert manual, "at least one manually graded answer"
    for cell in _cells(name):
        if grading(cell).get("grade_id") in manual:
            assert "=== BEGIN MARK SCHEME ===" in cell.source, grading(cell)["grade_id"]


@pytest.mark.parametrize("name", LESSONS)
def test_visible_tests_check_the_kind_of_answer_and_hidden_tests_its_value(name):
    for cell in _cells(name):
        if grading(cell).get("grade") and not grading(cell).get("solution"):
            visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            assert "from intermestic.marking import" in visible, grading(cell)["grade_id"]
            assert "### BEGIN HIDDEN TESTS" in cell.source, grading(cell)["grade_id"]


@pytest.mark.parametrize("name", LESSONS)
def test_has_an_explorer_three_self_checks_and_two_described_charts(name):
    code = "\n".join(_sources(name, "code"))
    assert re.search(r"\w+_explorer\(", code), "at least one explorer widget"
    asked = re.findall(r'ask\("([^"]+)"\)', code)
    assert len(asked) >= 3, "at least three self-check questions"
    assert set(asked) <= set(quiz.question_ids()), "every self-check exists in a question bank"
    charts = _chart_cells(name)
    assert len(charts) >= 2, "at least two charts"
    for chart in charts:
        if "show_figure(" in chart:
            assert "alt=" in chart and "source=" in chart and "set_xlabel" in chart


def _chart_cells(name: str) -> list[str]:
    """Code cells that show a chart: drawn in the cell, or one call to `intermestic.charts`."""
    code = _sources(name, "code")
    library = set()
    for source in code:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "intermestic.charts"
            ):
                library |= {alias.asname or alias.name for alias in node.names}
    calls = re.compile(r"\b(" + "|".join(map(re.escape, library)) + r")\(") if library else None
    return [s for s in code if "show_figure(" in s or (calls is not None and calls.search(s))]


@pytest.mark.parametrize("name", LESSONS)
def test_has_perspectives_key_points_what_happened_next_and_citation(name):
    text = "\n".join(_sources(name, "markdown"))
    for heading in ("## Perspectives", "## Key points", "## What happened next"):
        assert heading in text, heading
    assert '"Resetting U.S.-Mexico Relations"' in text and "Wilson Center" in text
    assert re.search(r"¶\d+", text), "paragraph references"


@pytest.mark.parametrize("name", assignment_names())
def test_save_my_work_opens_and_check_my_work_closes_the_lesson(name):
    code = _sources(name, "code")
    assert "save_my_work()" in code[0] and "save_my_work()" in code[-1]
    assert f'check_my_work("{name}")' in code[-1], "the last cell shows the lesson's scorecard"


# Self-check answers that come from data, recomputed from the data package (tests/self_check_data/).
def _data_answers() -> dict[str, Callable[[], object]]:
    answers: dict[str, Callable[[], object]] = {}
    for module in pkgutil.iter_modules(self_check_data.__path__):
        answers.update(importlib.import_module(f"{self_check_data.__name__}.{module.name}").ANSWERS)
    return answers


DATA_ANSWERS = _data_answers()


def _spec_questions() -> dict[str, dict]:
    folder = quiz.authoring_dir()
    questions = {}
    for path in sorted(folder.glob("*.json")):
        for question in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            questions[question["id"]] = question
    return questions


def test_every_numeric_self_check_is_recomputed_from_data():
    numeric = {qid for qid, q in _spec_questions().items() if q["type"] == "numeric"}
    missing = numeric - set(DATA_ANSWERS)
    assert not missing, f"add these to tests/self_check_data/: {sorted(missing)}"


@pytest.mark.parametrize("question_id", sorted(DATA_ANSWERS))
def test_self_check_answers_agree_with_the_data(question_id):
    questions = {}
    for bank in quiz.BANKS_DIR.glob("*.json"):
        questions.update(bank_questions(quiz.load_bank(bank.stem)))
    feedback = evaluate(questions[question_id], DATA_ANSWERS[question_id]())
    assert feedback.correct, f"{question_id}: the bank's answer no longer matches the data"


def _lesson_code() -> str:
    return "\n".join(
        cell.source
        for name in assignment_names()
        for cell in _cells(name)
        if cell.cell_type == "code"
    )


def test_every_table_of_the_data_package_is_loaded_by_a_lesson():
    loaded = set(re.findall(r'load\("([a-z0-9_]+)"\)', _lesson_code()))
    assert not set(tables()) - loaded, f"no lesson loads {sorted(set(tables()) - loaded)}"


def test_every_article_claim_is_tested_or_shown_untestable_with_a_cited_estimate():
    code = _lesson_code()
    loaded = set(re.findall(r'load\("([a-z0-9_]+)"\)', code))
    shown = {int(i) for i in re.findall(r'claims\["claim_id"\] == (\d+)', code)}
    for group in re.findall(r'claims\["claim_id"\]\.isin\(\[([\d, ]+)\]\)', code):
        shown |= {int(i) for i in group.split(",")}
    for claim in load("article_claims").itertuples():
        if claim.testable:
            assert claim.table in loaded, f"claim {claim.claim_id}: no lesson loads {claim.table}"
        else:
            assert claim.claim_id in shown, (
                f"claim {claim.claim_id} is untestable and no lesson shows it"
            )
            assert re.search(r"(19|20)\d\d", claim.note), (
                f"claim {claim.claim_id}: cite a dated source"
            )
