"""Every graded item of every lesson honours the grading contract in autograder/README.md.

- A correct answer in any reasonable form earns full marks: each instructor notebook runs with
  its solutions rewritten into other correct forms (rounded to the stated precision, other
  numeric types, one-element pandas results, other letter case and spacing).
- A wrong answer never does: values just outside the stated precision, other letters, wrong
  types; and answers computed from altered data (every table, number and dictionary the notebook
  can rebind, and its ``load``) fail whenever they differ from the true answer.
- Guessable answers are rare and cheap, and every numeric prompt states its precision.

The answer cell of each autograded item declares what it stores (``intermestic.answer`` in its
metadata; the kinds are described in tests/contract_forms.py).
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.course import assignment_names, grading, read, source_notebook
from tests.kernel import Kernel

NAMES = assignment_names()
FORMS_MODULE = Path(__file__).with_name("contract_forms.py")
GUESSABLE_KINDS = {"letter", "truth"}
PRECISION_WORDS = {1: "one", 2: "two", 3: "three"}


@dataclass
class Item:
    """One autograded item: its test cell, the answer cells before it and what they store."""

    test_id: str
    test_index: int
    points: float
    answer_indexes: list[int] = field(default_factory=list)
    specs: dict[str, dict] = field(default_factory=dict)
    prompt: str = ""


def _is_test(cell) -> bool:
    return bool(grading(cell).get("grade")) and not grading(cell).get("solution")


def _is_answer(cell) -> bool:
    return cell.cell_type == "code" and bool(grading(cell).get("solution"))


def items(name: str) -> list[Item]:
    """The autograded items of a lesson, in order."""
    cells = read(source_notebook(name)).cells
    found, answers, prompt = [], [], ""
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and not grading(cell).get("solution"):
            prompt = cell.source
        elif _is_answer(cell):
            answers.append(index)
        elif _is_test(cell):
            item = Item(grading(cell)["grade_id"], index, float(grading(cell)["points"]), answers)
            for answer in answers:
                item.specs.update(cells[answer].metadata.get("intermestic", {}).get("answer", {}))
            item.prompt = prompt
            found.append(item)
            answers = []
    return found


def _assigned(source: str) -> set[str]:
    names = set()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


# --- what each item declares -----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_autograded_item_declares_what_its_answer_stores(name):
    cells = read(source_notebook(name)).cells
    for item in items(name):
        assert item.answer_indexes, f"{item.test_id}: no answer cell before the test cell"
        assert item.specs, f"{item.test_id}: its answer cell has no intermestic.answer metadata"
        for variable in item.specs:
            assert variable in cells[item.test_index].source, (
                f"{item.test_id}: the test never looks at {variable}"
            )
        assigned = set().union(*(_assigned(cells[i].source) for i in item.answer_indexes))
        assert set(item.specs) <= assigned, f"{item.test_id}: declares names its answer never sets"


@pytest.mark.parametrize("name", NAMES)
def test_guessable_answers_earn_at_most_one_point_and_a_minority_of_points(name):
    guessable = computed = 0.0
    for item in items(name):
        kinds = {spec["kind"] for spec in item.specs.values()}
        guessable_dict = kinds == {"dict"} and all(
            spec["values"]["kind"] in GUESSABLE_KINDS for spec in item.specs.values()
        )
        if kinds <= GUESSABLE_KINDS or guessable_dict:
            assert item.points <= 1, f"{item.test_id}: a letter or True/False worth {item.points}"
            guessable += item.points
        else:
            computed += item.points
    assert computed > guessable, f"computed {computed} vs guessable {guessable} points"


def _precision_phrase(decimals: int) -> str:
    if decimals > 0:
        word = PRECISION_WORDS[decimals]
        return f"{word} decimal place" + ("s" if decimals > 1 else "")
    return "nearest"


@pytest.mark.parametrize("name", NAMES)
def test_every_numeric_prompt_states_its_precision(name):
    for item in items(name):
        for variable, spec in item.specs.items():
            if spec["kind"] in ("number", "series"):
                phrase = _precision_phrase(int(spec["decimals"]))
                assert phrase in item.prompt, (
                    f"{item.test_id}: the prompt for {variable} does not say '{phrase} …'"
                )


def _names_read_by_hidden_tests(source: str) -> set[str]:
    """Names a test cell's hidden block reads that the test cell itself never defines."""
    visible, _, rest = source.partition("### BEGIN HIDDEN TESTS")
    hidden = rest.partition("### END HIDDEN TESTS")[0]
    defined: set[str] = set(dir(builtins))
    for node in ast.walk(ast.parse(visible + "\n" + hidden)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    read_names = {
        node.id
        for node in ast.walk(ast.parse(hidden))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    return read_names - defined


@pytest.mark.parametrize("name", NAMES)
def test_hidden_tests_read_no_name_the_notebook_can_rebind_but_the_answers(name):
    cells = read(source_notebook(name)).cells
    for item in items(name):
        outside = _names_read_by_hidden_tests(cells[item.test_index].source) - set(item.specs)
        assert not outside, (
            f"{item.test_id}: the hidden tests read {sorted(outside)} from the notebook; compute "
            "expected values from intermestic.data or constants inside the test"
        )


# --- running the items ---------------------------------------------------------------------


@dataclass
class Verdicts:
    """What each form of each answer scored, by test cell."""

    baseline: dict[str, str] = field(default_factory=dict)
    accepted_wrongly: list[str] = field(default_factory=list)
    rejected_wrongly: list[str] = field(default_factory=list)
    altered_checked: list[str] = field(default_factory=list)
    altered_passed: list[str] = field(default_factory=list)


def _load_forms(kernel: Kernel) -> None:
    code = FORMS_MODULE.read_text(encoding="utf-8")
    setup = (
        "import types as _types\n"
        "_cf = _types.ModuleType('contract_forms')\n"
        f"exec(compile({code!r}, 'contract_forms.py', 'exec'), _cf.__dict__)\n"
        "_contract_saved = {}\n"
    )
    outcome = kernel.run(setup)
    assert outcome.ok, outcome.error


def _run_cell(kernel: Kernel, cell, where: str) -> None:
    outcome = kernel.run(cell.source)
    assert outcome.ok, f"{where}: {outcome.error}"


def _try_forms(kernel: Kernel, item: Item, test_source: str, verdicts: Verdicts) -> None:
    for variable, spec in item.specs.items():
        saved = f"_contract_saved[{variable!r}]"
        for family, expected_ok in (("equivalent_forms", True), ("wrong_forms", False)):
            count = kernel.value(f"len(_cf.{family}({saved}, {spec!r}))")
            for i in range(count):
                form = kernel.value(f"repr(_cf.{family}({saved}, {spec!r})[{i}])[:80]")
                set_form = kernel.run(f"{variable} = _cf.{family}({saved}, {spec!r})[{i}]")
                assert set_form.ok, set_form.error
                passed = kernel.run(test_source).ok
                if passed and not expected_ok:
                    verdicts.accepted_wrongly.append(f"{item.test_id}: {variable} = {form}")
                if not passed and expected_ok:
                    verdicts.rejected_wrongly.append(f"{item.test_id}: {variable} = {form}")
        assert kernel.run(f"{variable} = {saved}").ok
    assert kernel.run(test_source).ok, f"{item.test_id}: fails after restoring the answer"


def _clean_pass(name: str, saved: Path, verdicts: Verdicts) -> None:
    cells = read(source_notebook(name)).cells
    by_test = {item.test_index: item for item in items(name)}
    with Kernel(source_notebook(name).parent) as kernel:
        _load_forms(kernel)
        for index, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            where = f"{name} cell {index} ({grading(cell).get('grade_id')})"
            _run_cell(kernel, cell, where)
            if index in by_test:
                item = by_test[index]
                verdicts.baseline[item.test_id] = "passed"
                for variable in item.specs:
                    assert kernel.run(f"_contract_saved[{variable!r}] = {variable}").ok
                _try_forms(kernel, item, cell.source, verdicts)
        keep = (
            "import pickle as _pickle\n"
            "_keep = {k: v for k, v in _contract_saved.items() if not hasattr(v, 'savefig')\n"
            "         and type(v).__module__ != 'matplotlib.axes._axes'}\n"
            f"_pickle.dump(_keep, open({str(saved)!r}, 'wb'))\n"
        )
        outcome = kernel.run(keep)
        assert outcome.ok, outcome.error


def _altered_pass(name: str, saved: Path, verdicts: Verdicts) -> None:
    cells = read(source_notebook(name)).cells
    by_test = {item.test_index: item for item in items(name)}
    with Kernel(source_notebook(name).parent) as kernel:
        _load_forms(kernel)
        assert kernel.run(
            f"import pickle as _pickle\n_clean = _pickle.load(open({str(saved)!r}, 'rb'))"
        ).ok
        for index, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            if _is_answer(cell):
                assert kernel.run("_cf.alter_namespace(globals())").ok
            if index not in by_test:
                kernel.run(cell.source)  # a cell may fail on altered data; its answer is skipped
                continue
            item = by_test[index]
            for variable, spec in item.specs.items():
                differs = (
                    f"{variable!r} in _clean and {variable!r} in globals() and "
                    f"_cf.changed(_clean[{variable!r}], {variable}, {spec!r})"
                )
                try:
                    is_changed = kernel.value(differs)
                except RuntimeError:
                    is_changed = False  # the answer could not be computed from the altered data
                if is_changed:
                    verdicts.altered_checked.append(f"{item.test_id}: {variable}")
                    if kernel.run(cell.source).ok:
                        verdicts.altered_passed.append(f"{item.test_id}: {variable}")
                    break


@pytest.fixture(scope="module", params=NAMES)
def verdicts(request, tmp_path_factory) -> tuple[str, Verdicts]:
    """Every lesson's items tried with other correct forms, wrong values and altered data."""
    name = request.param
    saved = tmp_path_factory.mktemp(f"contract-{name}") / "answers.pickle"
    result = Verdicts()
    _clean_pass(name, saved, result)
    _altered_pass(name, saved, result)
    return name, result


@pytest.mark.slow
def test_correct_answers_in_other_forms_earn_full_marks(verdicts):
    name, result = verdicts
    assert set(result.baseline) == {item.test_id for item in items(name)}
    assert not result.rejected_wrongly, "\n".join(result.rejected_wrongly)


@pytest.mark.slow
def test_wrong_answers_never_pass(verdicts):
    _, result = verdicts
    assert not result.accepted_wrongly, "\n".join(result.accepted_wrongly)


@pytest.mark.slow
def test_answers_computed_from_altered_data_fail(verdicts):
    name, result = verdicts
    computed = [
        item
        for item in items(name)
        if any(spec["kind"] not in GUESSABLE_KINDS | {"chart"} for spec in item.specs.values())
    ]
    if computed:
        assert result.altered_checked, "altering the data changed no answer: the check is vacuous"
    assert not result.altered_passed, (
        "these tests passed an answer computed from altered data (they must compute what they "
        "expect from intermestic.data or constants, never from the notebook's names):\n"
        + "\n".join(result.altered_passed)
    )
