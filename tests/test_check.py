"""``intermestic check`` and ``check_my_work()`` give nbgrader's verdicts without the answers.

- Every kind of answer: the key made from a solution accepts the solution's other correct forms
  and rejects the wrong ones (tests/contract_forms.py), in-process.
- The graded-answer banks are fresh, hold no answer in plain text, and their checklists never
  quote a mark scheme or model answer.
- On every lesson, the scorecard of the solution-filled copy is all correct, of the blank
  release none, and of answers just outside the stated precision none. (On the lesson with the
  most kinds of answer, tests/test_nbgrader.py shows that it equals real ``nbgrader autograde``
  item by item on right, wrong, mixed and blank submissions.)
- Bad input gets one sentence and exit status 2; wrong answers exit 0.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from intermestic import answer_checks, gradebanks
from intermestic.check import check_notebook, render_json, render_text
from intermestic.kernels import Kernel
from tests import contract_forms
from tests.course import (
    AUTOGRADER,
    assignment_names,
    grading,
    intermestic,
    lesson_notebook,
    read,
    run,
    source_notebook,
)

NAMES = assignment_names()


def _submission(name: str, kind: str) -> nbformat.NotebookNode:
    from tests.test_nbgrader import _submission as submission

    return submission(name, kind)


# --- answer keys, in-process --------------------------------------------------------------


def _chart():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([2018, 2019, 2020], [1.25, 2.5, 3.75], label="remittances")
    ax.set_title("A chart")
    ax.set_xlabel("Year")
    ax.set_ylabel("Billions")
    return fig


VALUES = [
    (76.43, {"kind": "number", "decimals": 1}),
    (1_234_567.0, {"kind": "number", "decimals": -3}),
    (-12.3456, {"kind": "number", "decimals": 2}),
    (2026, {"kind": "integer"}),
    (True, {"kind": "truth"}),
    ("c", {"kind": "letter", "options": "abcd"}),
    ("Canada", {"kind": "text"}),
    (pd.Series([-14.2, -17.6], index=[2009, 2020]), {"kind": "series", "decimals": 1}),
    (
        pd.DataFrame({"name": ["A. Lopez", "M. Ebrard"], "role": ["president", "minister"]}),
        {"kind": "frame"},
    ),
    ({"NAFTA": True, "USMCA": False}, {"kind": "dict", "values": {"kind": "truth"}}),
]


@pytest.mark.parametrize(("value", "spec"), VALUES, ids=[s["kind"] for _, s in VALUES])
def test_a_key_accepts_every_correct_form_and_rejects_wrong_ones(value, spec):
    key = answer_checks.make_key(value, spec, "salt", "lesson/item/x")
    text = json.dumps(key)
    assert repr(value) not in text or isinstance(value, bool)
    for form in [value, *contract_forms.equivalent_forms(value, spec)]:
        verdict = answer_checks.judge(form, spec, key, "salt", "lesson/item/x", "x")
        assert verdict.correct, f"{form!r}: {verdict.message}"
    for form in contract_forms.wrong_forms(value, spec):
        verdict = answer_checks.judge(form, spec, key, "salt", "lesson/item/x", "x")
        assert not verdict.correct, f"{form!r} was accepted"
        assert verdict.message


def test_a_chart_key_accepts_the_same_data_and_rejects_other_data():
    spec = {"kind": "chart", "decimals": 1}
    key = answer_checks.make_key(_chart(), spec, "salt", "l/i/ax")
    same = _chart()
    same.axes[0].bar(["x", "y"], [1, 2])  # an extra trace does no harm
    assert answer_checks.judge(same, spec, key, "salt", "l/i/ax", "ax").correct
    for wrong in contract_forms.wrong_forms(_chart(), spec):
        assert not answer_checks.judge(wrong, spec, key, "salt", "l/i/ax", "ax").correct
    untitled = _chart()
    untitled.axes[0].set_title("")
    verdict = answer_checks.judge(untitled, spec, key, "salt", "l/i/ax", "ax")
    assert not verdict.correct and "title" in verdict.message


def test_a_number_is_judged_as_the_hidden_tests_judge_it():
    spec = {"kind": "number", "decimals": 1}
    key = answer_checks.make_key(76.43, spec, "salt", "s")
    judge = answer_checks.judge
    # marking.close: within half a unit of the exact value, not of its rounding.
    assert judge(76.38, spec, key, "salt", "s", "x").correct
    assert judge(76.48, spec, key, "salt", "s", "x").correct
    assert not judge(76.36, spec, key, "salt", "s", "x").correct
    assert not judge(76.49, spec, key, "salt", "s", "x").correct
    assert "times too large" in judge(76430.0, spec, key, "salt", "s", "x").message
    assert "Close" in judge(76.6, spec, key, "salt", "s", "x").message
    assert "number" in judge("76.4", spec, key, "salt", "s", "x").message


# --- the banks -----------------------------------------------------------------------------


def test_the_banks_are_up_to_date_with_the_instructor_notebooks():
    state = gradebanks.bank_state(AUTOGRADER)
    assert state.is_fresh, f"{state.describe()}: run `intermestic build`"


def _solution_literals(name: str) -> set[str]:
    found = set()
    for cell in read(source_notebook(name)).cells:
        if cell.cell_type == "code" and grading(cell).get("solution"):
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(node.value)
    return found


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("name", NAMES)
def test_a_bank_holds_no_answer_in_plain_text(name):
    bank = gradebanks.load_bank(name)
    assert bank is not None, f"no bank for {name}: run `intermestic build`"
    strings = set(_strings([item["answers"] for item in bank["items"]])) - {
        "kind",
        "decimals",
        "options",
        "values",
        "spec",
        "key",
        *answer_checks.KINDS,
    }
    released = "\n".join(cell.source for cell in read(lesson_notebook(name)).cells)
    leaked = {s for s in strings & _solution_literals(name) if s not in released}
    assert not leaked, f"{name}: the bank shows {leaked}"
    text = gradebanks.dumps_bank(bank)
    assert "BEGIN SOLUTION" not in text and "MARK SCHEME" not in text


@pytest.mark.parametrize("name", NAMES)
def test_written_checklists_never_quote_the_model_answer_or_mark_scheme(name):
    bank = gradebanks.load_bank(name)
    assert bank is not None
    secret = [
        line.strip()
        for cell in read(source_notebook(name)).cells
        if gradebanks.is_written_cell(cell)
        for line in cell.source.splitlines()
        if len(line.strip()) > 15
    ]
    assert bank["written"], f"{name} has a written item"
    for entry in bank["written"]:
        assert entry["checklist"]
        for point in entry["checklist"]:
            assert not any(line in point or point in line for line in secret), point


def test_a_checklist_field_in_the_cell_metadata_replaces_the_one_from_the_prompt():
    prompt = nbformat.v4.new_markdown_cell(
        "**Question 9 (2 points).** Argue in two or three sentences."
    )
    answer = nbformat.v4.new_markdown_cell(
        "Model.",
        metadata={
            "nbgrader": {"grade": True, "solution": True, "grade_id": "q9", "points": 2},
            "intermestic": {"checklist": ["states a position", "uses a number"]},
        },
    )
    items = gradebanks.lesson_items(nbformat.v4.new_notebook(cells=[prompt, answer]))
    assert items.written[0].checklist == ["states a position", "uses a number"]
    del answer.metadata["intermestic"]
    derived = gradebanks.lesson_items(nbformat.v4.new_notebook(cells=[prompt, answer]))
    assert "is two or three sentences long" in derived.written[0].checklist
    assert derived.written[0].label == "Question 9"


def test_leaving_the_answer_checks_out_deletes_every_bank(tmp_path):
    graded = tmp_path / "graded"
    graded.mkdir()
    for bank in gradebanks.GRADED_DIR.glob("*.json"):
        shutil.copy2(bank, graded)
    assert gradebanks.write_banks(AUTOGRADER, graded, answer_checks=False) == []
    assert [p.name for p in graded.iterdir()] == [gradebanks.LEFT_OUT_MARKER]
    assert gradebanks.bank_state(AUTOGRADER, graded).is_fresh
    # A rebuild keeps the setting until it is turned on again.
    assert gradebanks.write_banks(AUTOGRADER, graded) == []
    assert gradebanks.left_out(graded)


# --- scorecards on whole notebooks (real kernels) -------------------------------------------


def _write(notebook: nbformat.NotebookNode, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def _statuses(path: Path, name: str, **options) -> dict[str, str]:
    report = check_notebook(path, name, **options)
    return {r.item: r.status for r in report.results if r.status != "written"}


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_the_scorecard_of_solutions_blanks_and_near_misses(name, tmp_path):
    solution = _statuses(_write(_submission(name, "solution"), tmp_path / "s", name), name)
    assert set(solution.values()) == {"correct"}, solution
    blank = _statuses(_write(_submission(name, "blank"), tmp_path / "b", name), name)
    assert set(blank.values()) == {"not-attempted"}, blank
    wrong = _write(_submission(name, "first_wrong_form"), tmp_path / "w", name)
    assert "correct" not in _statuses(wrong, name).values()


# --- the command line ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A workspace with a solution-filled lesson, a wrong one and untouched ones."""
    folder = tmp_path_factory.mktemp("workspace") / "intermestic-course"
    for name in NAMES:
        _write(read(lesson_notebook(name)), folder, name)
    _write(_submission(NAMES[-1], "solution"), folder, NAMES[-1])
    return folder


@pytest.mark.slow
def test_check_json_lists_every_graded_item_with_its_status(workspace):
    result = intermestic("check", "--json", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    verdicts = json.loads(result.stdout)
    assert {v["lesson"] for v in verdicts} == set(NAMES)
    for verdict in verdicts:
        assert {"lesson", "item", "status", "points"} <= set(verdict)
        assert verdict["status"] in {"correct", "not-yet", "not-attempted", "written"}
    graded = {
        grading(c)["grade_id"]
        for name in NAMES
        for c in read(lesson_notebook(name)).cells
        if grading(c).get("grade")
    }
    assert {v["item"] for v in verdicts} == graded
    last = [v for v in verdicts if v["lesson"] == NAMES[-1] and v["status"] != "written"]
    assert all(v["status"] == "correct" and v["points"] == v["max_points"] for v in last)
    assert (workspace / ".intermestic-progress.json").is_file()


@pytest.mark.slow
def test_check_prints_a_scorecard_and_exits_0_when_answers_are_wrong(workspace, tmp_path):
    name = NAMES[0]
    path = _write(_submission(name, "first_wrong_form"), tmp_path, name)
    result = intermestic("check", str(path))
    assert result.returncode == 0, result.stderr
    assert "not yet" in result.stdout and "Total: 0 of" in result.stdout
    assert "Before you hand it in" in result.stdout
    by_number = intermestic(
        "check", name.split("-")[0].lstrip("0") or "0", "--workspace", str(workspace)
    )
    assert by_number.returncode == 0 and "not attempted" in by_number.stdout


def _one_sentence_error(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.slow
def test_bad_input_gets_one_sentence(workspace, tmp_path):
    assert "not a lesson of the course" in _one_sentence_error(
        intermestic("check", "99", "--workspace", str(workspace))
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "not in the workspace" in _one_sentence_error(
        intermestic("check", NAMES[0], "--workspace", str(empty))
    )
    broken = tmp_path / f"{NAMES[0]}.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    assert "invalid JSON" in _one_sentence_error(intermestic("check", str(broken)))
    other = tmp_path / "other.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), other)
    assert "not a lesson of this course" in _one_sentence_error(intermestic("check", str(other)))


@pytest.mark.slow
def test_an_endless_loop_is_stopped_and_reported(tmp_path):
    name = NAMES[-1]
    notebook = _submission(name, "solution")
    first = gradebanks.lesson_items(read(lesson_notebook(name))).autograded[0]
    for cell in notebook.cells:
        if grading(cell).get("grade_id") == first.answer_cells[0]:
            cell.source = "while True:\n    pass"
    path = _write(notebook, tmp_path, name)
    result = intermestic("check", str(path), "--timeout", "3", "--json")
    assert result.returncode == 0, result.stderr
    verdicts = {v["item"]: v for v in json.loads(result.stdout)}
    assert verdicts[first.item]["status"] == "not-yet"
    assert "more than 3 s" in verdicts[first.item]["message"]
    assert sum(v["status"] == "correct" for v in verdicts.values()) >= 1


@pytest.mark.slow
def test_a_kernel_that_ignores_interrupts_is_one_sentence(tmp_path):
    name = NAMES[0]
    notebook = _submission(name, "solution")
    notebook.cells.insert(
        1,
        nbformat.v4.new_code_cell(
            "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
            "    time.sleep(0.1)"
        ),
    )
    path = _write(notebook, tmp_path, name)
    line = _one_sentence_error(intermestic("check", str(path), "--timeout", "2"))
    assert "stopped answering" in line


# --- check_my_work() in a notebook ------------------------------------------------------------


@pytest.mark.slow
def test_check_my_work_in_the_last_cell_shows_the_scorecard(tmp_path):
    name = NAMES[-1]
    notebook = _submission(name, "solution")
    notebook.cells.append(
        nbformat.v4.new_code_cell("import intermestic\nintermestic.check_my_work()")
    )
    path = _write(notebook, tmp_path, name)
    saved = path.read_bytes()
    env = {**os.environ, "JPY_SESSION_NAME": str(path)}
    with Kernel(tmp_path, env=env) as kernel:
        runs = [kernel.run(c.source, 120) for c in notebook.cells if c.cell_type == "code"]
    last = runs[-1]
    assert last.ok, f"{last.ename}: {last.evalue}"
    bundle = next(o["data"] for o in last.outputs if "text/plain" in o["data"])
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "not yet" not in bundle["text/plain"] and "correct" in bundle["text/plain"]
    assert "Total: " in bundle["text/plain"]
    records = json.loads((tmp_path / ".intermestic-progress.json").read_text(encoding="utf-8"))
    graded = records["lessons"][name]["graded"]
    assert graded["correct"] == graded["items"]
    # The notebook itself is never written to.
    assert path.read_bytes() == saved


@pytest.mark.slow
def test_check_my_work_outside_a_kernel_prints_text(tmp_path):
    code = f"from intermestic import check_my_work\ncheck_my_work({NAMES[0]!r})"
    result = run([sys.executable, "-c", code], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not attempted" in result.stdout and "Total:" in result.stdout
    unknown = run([sys.executable, "-c", "from intermestic import check_my_work; check_my_work()"])
    assert "could not tell which lesson" in unknown.stdout


def test_the_text_and_json_renderings_agree(tmp_path):
    name = NAMES[0]
    path = _write(read(lesson_notebook(name)), tmp_path, name)
    report = check_notebook(path, name)  # untouched: no kernel needed
    verdicts = json.loads(render_json([report]))
    assert len(verdicts) == len(report.results)
    text = render_text([report])
    for result in report.results:
        assert result.label in text
