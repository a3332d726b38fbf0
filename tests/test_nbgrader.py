"""nbgrader marks the course as intended: solutions pass, releases fail, cheats and blanks score 0.

These tests run real nbgrader and real kernels (a few seconds per notebook). Every lesson is
graded with a solution, a blank release and a cheat; one lesson (the one with the most kinds of
answer) also with its answers rewritten into other correct forms and into wrong ones. The other
lessons' forms are tried in a kernel by tests/test_grading_contract.py, which runs each hidden
test directly. On that lesson, the offline scorecard of ``intermestic check`` gives nbgrader's
verdict item by item on right, wrong, mixed and blank submissions.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import pytest

from intermestic import gradebanks
from intermestic.check import check_notebook
from tests.course import (
    ALWAYS_EQUAL,
    AUTOGRADER,
    REPO_ROOT,
    assignment_names,
    grading,
    lesson_notebook,
    read,
    richest_lesson,
    run,
    source_notebook,
)

pytestmark = pytest.mark.slow
NAMES = assignment_names()
FORMS_MODULE = REPO_ROOT / "tests" / "contract_forms.py"


def _assigned_names(source: str) -> list[str]:
    """Top-level variable names a solution assigns."""
    names = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def _submission(name: str, kind: str) -> nbformat.NotebookNode:
    """A student's notebook: the release with its answer cells filled in according to ``kind``."""
    if kind == "mixed":
        return _mixed(name)
    if kind == "blank_run":
        notebook = _submission(name, "blank")
        notebook.cells.append(nbformat.v4.new_markdown_cell("My notes."))  # so a kernel runs it
        return notebook
    solutions = {
        grading(c)["grade_id"]: c
        for c in read(source_notebook(name)).cells
        if grading(c).get("solution")
    }
    notebook = read(lesson_notebook(name))
    for cell in notebook.cells:
        solution = solutions.get(grading(cell).get("grade_id"))
        if solution is None or kind == "blank":
            continue
        if cell.cell_type == "markdown":
            cell.source = "A student's written answer."
        elif kind == "solution":
            cell.source = solution.source
        elif kind == "always_equal":
            assigned = _assigned_names(solution.source)
            cell.source = ALWAYS_EQUAL + "".join(f"{v} = _AlwaysEqual(1.0)\n" for v in assigned)
        elif kind in FORM_KINDS:
            cell.source = solution.source + _rewritten(solution, *FORM_KINDS[kind])
    return notebook


def _mixed(name: str) -> nbformat.NotebookNode:
    """Solutions for every other item, wrong forms for the rest, one item left blank."""
    right = _submission(name, "solution")
    wrong = _submission(name, "first_wrong_form")
    blank = _submission(name, "blank")
    items = gradebanks.lesson_items(read(source_notebook(name))).autograded
    choice = {}
    for position, item in enumerate(items):
        source = (right, wrong, right, blank)[position % 4]
        choice.update(dict.fromkeys(item.answer_cells, source))
    cells = []
    for index, cell in enumerate(right.cells):
        chosen = choice.get(grading(cell).get("grade_id"))
        cells.append(chosen.cells[index] if chosen is not None else cell)
    right.cells = cells
    return right


def _rewritten(solution: nbformat.NotebookNode, family: str, position: int) -> str:
    """Code that replaces each answer with one of its other forms (tests/contract_forms.py)."""
    specs = solution.metadata.get("intermestic", {}).get("answer", {})
    if not specs:
        return ""
    lines = [
        "\nimport types as _types",
        "_cf = _types.ModuleType('contract_forms')",
        f"exec({FORMS_MODULE.read_text(encoding='utf-8')!r}, _cf.__dict__)",
    ]
    for variable, spec in specs.items():
        lines.append(f"_forms = _cf.{family}({variable}, {spec!r})")
        lines.append(f"{variable} = _forms[{position}] if _forms else {variable}")
    return "\n".join(lines) + "\n"


# Submissions whose answers are rewritten into another correct form (full marks expected) or a
# wrong value just outside the stated precision (no marks expected).
FORM_KINDS = {
    "first_other_form": ("equivalent_forms", 0),
    "last_other_form": ("equivalent_forms", -1),
    "first_wrong_form": ("wrong_forms", 0),
}
BASIC_KINDS = ("solution", "blank", "always_equal")
# More submissions for the offline scorecard to agree with nbgrader on.
SCORECARD_KINDS = ("mixed", "blank_run")
FORMS_LESSON = richest_lesson()


def _kinds(name: str) -> tuple[str, ...]:
    if name == FORMS_LESSON:
        return (*BASIC_KINDS, *FORM_KINDS, *SCORECARD_KINDS)
    return BASIC_KINDS


@pytest.fixture(scope="module", params=NAMES)
def graded_course(request, tmp_path_factory) -> tuple[str, Path]:
    """A course where one submission of every kind has been autograded."""
    name = request.param
    course = tmp_path_factory.mktemp(f"course-{name}")
    shutil.copytree(AUTOGRADER / "source" / name, course / "source" / name)
    shutil.copy2(AUTOGRADER / "nbgrader_config.py", course)
    released = run(["nbgrader", "generate_assignment", name, "--force"], cwd=course)
    assert released.returncode == 0, released.stderr
    for kind in _kinds(name):
        target = course / "submitted" / kind / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(_submission(name, kind), target)
    graded = run(["nbgrader", "autograde", name], cwd=course, timeout=600)
    assert graded.returncode == 0, graded.stderr[-3000:]
    return name, course


def _scores(course: Path, name: str, student: str) -> dict[str, float | None]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(name, name, student)
        return {g.name: g.auto_score for g in submission.grades}


def _max_scores(name: str) -> dict[str, float]:
    return {
        grading(c)["grade_id"]: float(grading(c)["points"])
        for c in read(source_notebook(name)).cells
        if grading(c).get("grade")
    }


def _autograded_ids(name: str) -> set[str]:
    return {
        grading(c)["grade_id"]
        for c in read(source_notebook(name)).cells
        if grading(c).get("grade") and not grading(c).get("solution")
    }


def test_the_solution_scores_full_marks(graded_course):
    name, course = graded_course
    scores = _scores(course, name, "solution")
    maxima = _max_scores(name)
    for grade_id in _autograded_ids(name):
        assert scores[grade_id] == maxima[grade_id], grade_id
    manual = set(maxima) - _autograded_ids(name)
    assert manual, "every lesson has at least one manually graded answer"

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for grade_id in manual:
            grade = gradebook.find_grade(grade_id, name, name, "solution")
            grade.manual_score = maxima[grade_id]
            grade.needs_manual_grade = False
        gradebook.db.commit()
        total = gradebook.find_submission(name, "solution").score
    assert total == sum(maxima.values())


@pytest.mark.parametrize("graded_course", [FORMS_LESSON], indirect=True)
@pytest.mark.parametrize("student", ["first_other_form", "last_other_form"])
def test_correct_answers_in_other_forms_score_full_marks(graded_course, student):
    name, course = graded_course
    scores = _scores(course, name, student)
    maxima = _max_scores(name)
    for grade_id in _autograded_ids(name):
        assert scores[grade_id] == maxima[grade_id], grade_id


@pytest.mark.parametrize("graded_course", [FORMS_LESSON], indirect=True)
def test_answers_just_outside_the_stated_precision_score_zero(graded_course):
    name, course = graded_course
    scores = _scores(course, name, "first_wrong_form")
    for grade_id in _autograded_ids(name):
        assert scores[grade_id] == 0, grade_id


def test_the_blank_release_scores_zero(graded_course):
    name, course = graded_course
    scores = _scores(course, name, "blank")
    assert all(not score for score in scores.values()), scores


def test_an_answer_that_claims_to_equal_anything_scores_zero(graded_course):
    name, course = graded_course
    scores = _scores(course, name, "always_equal")
    for grade_id in _autograded_ids(name):
        assert scores[grade_id] == 0, grade_id


def test_feedback_shows_no_hidden_test_or_its_traceback(graded_course):
    name, course = graded_course
    result = run(["nbgrader", "generate_feedback", name], cwd=course)
    assert result.returncode == 0, result.stderr[-3000:]
    hidden = []
    for cell in read(source_notebook(name)).cells:
        source = cell.source
        if "### BEGIN HIDDEN TESTS" in source:
            block = source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            hidden += [line.strip() for line in block.splitlines() if line.strip()]
    assert hidden, "every lesson has hidden tests"
    for student in _kinds(name):
        html = (course / "feedback" / student / name / f"{name}.html").read_text(encoding="utf-8")
        assert "HIDDEN TESTS" not in html
        for line in hidden:
            assert line not in html, f"{student}'s feedback shows {line!r}"
            assert _escaped(line) not in html, f"{student}'s feedback shows {line!r}"


@pytest.mark.parametrize("graded_course", [FORMS_LESSON], indirect=True)
def test_the_offline_scorecard_equals_nbgrader_item_by_item(graded_course):
    name, course = graded_course
    maxima = {
        i.item: i.points for i in gradebanks.lesson_items(read(lesson_notebook(name))).autograded
    }
    disagreements = []
    for student in _kinds(name):
        scores = _scores(course, name, student)
        report = check_notebook(course / "submitted" / student / name / f"{name}.ipynb", name)
        statuses = {r.item: r.status for r in report.results if r.status != "written"}
        assert set(statuses) == set(maxima), student
        for item, status in statuses.items():
            full_marks = scores[item] == maxima[item]
            if full_marks != (status == "correct"):
                disagreements.append(f"{student} {item}: nbgrader {full_marks}, check {status}")
    assert not disagreements, "\n".join(disagreements)
    mixed = _scores(course, name, "mixed")
    assert 0 < sum(mixed[item] == maxima[item] for item in maxima) < len(maxima)


def _escaped(text: str) -> str:
    import html

    return html.escape(text)
