"""The Spanish edition with real nbgrader and real kernels: the build check catches a stale
translation, the grading contract holds in Spanish, and a Spanish submission graded with the
toolkit gets the English score and comes back in Spanish."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import nbformat
import pytest

from intermestic import editions, i18n, translations
from intermestic.gradebanks import grading
from tests import test_grading_contract as contract
from tests.course import AUTOGRADER, LESSONS, intermestic, read

pytestmark = pytest.mark.slow
LESSON = "02-economy-built-together"
SPANISH = i18n.edition_name(LESSON, "es")


def _course_copy(into: Path, lessons: tuple[str, ...] = (LESSON,)) -> Path:
    """The course sources of `lessons` with their Spanish catalogues, published."""
    for lesson in lessons:
        shutil.copytree(AUTOGRADER / "source" / lesson, into / "source" / lesson)
        locale = translations.locale_dir(AUTOGRADER, "es") / f"{lesson}.po"
        (into / "locale" / "es").mkdir(parents=True, exist_ok=True)
        shutil.copy2(locale, into / "locale" / "es" / locale.name)
    shutil.copy2(AUTOGRADER / "nbgrader_config.py", into / "nbgrader_config.py")
    (into / "locale" / "es" / translations.PUBLISHED_FILE).write_text("\n".join(lessons) + "\n")
    return into


def test_build_check_fails_naming_the_cell_whose_english_changed(tmp_path):
    course = _course_copy(tmp_path / "autograder")
    lessons = tmp_path / "lessons"
    (lessons / "es").mkdir(parents=True)
    shutil.copy2(LESSONS / f"{LESSON}.ipynb", lessons)
    for name in (f"{SPANISH}.ipynb", i18n.MARKER_FILE):
        shutil.copy2(LESSONS / "es" / name, lessons / "es")
    arguments = ("build", "--check", "--autograder", str(course), "--lessons", str(lessons))
    assert intermestic(*arguments).returncode == 0, intermestic(*arguments).stderr

    source = course / "source" / LESSON / f"{LESSON}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    prompt = next(c for c in notebook.cells if grading(c).get("grade_id") == "ex2_prompt")
    prompt.source = prompt.source.replace("Compute U.S.", "Work out U.S.")
    nbformat.write(notebook, source)
    result = intermestic(*arguments)
    assert result.returncode == 1
    assert f"{SPANISH}: ex2_prompt: stale" in result.stderr, result.stderr

    assert (
        intermestic("translations", "update", LESSON, "--autograder", str(course)).returncode == 0
    )
    result = intermestic(*arguments)
    assert result.returncode == 1
    assert f"{SPANISH}: ex2_prompt: fuzzy" in result.stderr, result.stderr
    po = course / "locale" / "es" / f"{LESSON}.po"
    assert "#| msgid" in po.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spanish_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Spanish instructor notebook of the lesson, as `intermestic build` makes it."""
    course = _course_copy(tmp_path_factory.mktemp("es-course"))
    made = editions.write_sources(course, course / "source", "es")
    assert made.names == [SPANISH] and not made.fallbacks
    return course / "source"


def test_spanish_source_changes_only_markdown(spanish_sources):
    english = read(AUTOGRADER / "source" / LESSON / f"{LESSON}.ipynb")
    spanish = read(spanish_sources / SPANISH / f"{SPANISH}.ipynb")
    for ours, theirs in zip(english.cells, spanish.cells, strict=True):
        if ours.cell_type == "code":
            assert ours == theirs
        else:
            assert ours.metadata == theirs.metadata and ours.source != theirs.source


@pytest.fixture(scope="module")
def spanish_verdicts(spanish_sources, tmp_path_factory):
    """The grading contract's runs (tests/test_grading_contract.py) on the Spanish lesson, in a
    kernel that speaks Spanish (the marker beside the notebook)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(
        contract, "source_notebook", lambda _name: spanish_sources / SPANISH / f"{SPANISH}.ipynb"
    )
    try:
        saved = tmp_path_factory.mktemp("contract-es") / "answers.pickle"
        verdicts = contract.Verdicts()
        contract._clean_pass(SPANISH, saved, verdicts)
        contract._altered_pass(SPANISH, saved, verdicts)
        yield contract.items(SPANISH), verdicts
    finally:
        patch.undo()


def test_spanish_lesson_honours_the_grading_contract(spanish_verdicts):
    items, verdicts = spanish_verdicts
    assert set(verdicts.baseline) == {item.test_id for item in items}
    assert not verdicts.rejected_wrongly, verdicts.rejected_wrongly
    assert not verdicts.accepted_wrongly, verdicts.accepted_wrongly
    assert verdicts.altered_checked and not verdicts.altered_passed, verdicts.altered_passed


# --- grading a class with both editions -----------------------------------------------------------

WRONG = {"deficit_share_2023": "deficit_share_2023 = 0.25\n"}  # a fraction: the visible test fails


def _submission(release: Path, source: Path) -> nbformat.NotebookNode:
    """The released notebook answered with the instructor's solutions, one of them wrong, and a
    written answer."""
    answers = {
        grading(c)["grade_id"]: c.source
        for c in nbformat.read(source, as_version=4).cells
        if c.cell_type == "code" and grading(c).get("solution")
    }
    notebook = nbformat.read(release, as_version=4)
    for cell in notebook.cells:
        gid = grading(cell).get("grade_id")
        if cell.cell_type == "code" and gid in answers:
            code = (
                answers[gid].replace("### BEGIN SOLUTION\n", "").replace("### END SOLUTION\n", "")
            )
            for variable, wrong in WRONG.items():
                if variable in code:
                    code = wrong
            cell.source = code
        elif cell.cell_type == "markdown" and grading(cell).get("solution"):
            cell.source = "Trade grew before and after 1994; other things changed too."
    return notebook


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory):
    """A course with lesson 02 in both editions: ana hands in English, beto the same answers in
    Spanish, caro both; init, collect, autograde, feedback and export run as an instructor would."""
    root = tmp_path_factory.mktemp("grading-es")
    template = _course_copy(root / "tpl")
    course = root / "course"
    assert intermestic("grade", "init", str(course), "--from", str(template)).returncode == 0
    source = course / "source" / LESSON / f"{LESSON}.ipynb"
    at = ("--course", str(course))
    for name, students in ((LESSON, ("ana", "caro")), (SPANISH, ("beto", "caro"))):
        download = root / f"download-{name}"
        for student in students:
            release = course / "release" / name / f"{name}.ipynb"
            (download / student).mkdir(parents=True)
            nbformat.write(_submission(release, source), download / student / f"{name}.ipynb")
        collected = intermestic("grade", "collect", str(download), "--assignment", name, *at)
        assert collected.returncode == 0, collected.stderr
        graded = intermestic("grade", "autograde", "--assignment", name, "-j", "2", *at)
        assert graded.returncode == 0, graded.stderr
        back = intermestic("grade", "feedback", "--assignment", name, "--include-ungraded", *at)
        assert back.returncode == 0, back.stderr
    exported = intermestic("grade", "export", *at)
    return course, exported


def _autograded(course: Path, student: str, name: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "autograded" / student / name / f"{name}.ipynb", as_version=4)


def _scores(course: Path, name: str) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            s.student.id: {g.name: g.auto_score for nb in s.notebooks for g in nb.grades}
            for s in gradebook.assignment_submissions(name)
        }


def test_init_releases_the_spanish_assignment_from_the_same_source(graded_class):
    course, _ = graded_class
    assert sorted(p.name for p in (course / "source").iterdir()) == [LESSON, SPANISH]
    release = read(course / "release" / SPANISH / f"{SPANISH}.ipynb")
    assert release.cells[0].source.startswith("# 02 · Una economía construida en conjunto")
    stubs = [
        c.source for c in release.cells if c.cell_type == "markdown" and grading(c).get("solution")
    ]
    assert stubs == [translations.TEXT_STUBS["es"]]


def test_a_spanish_submission_gets_the_english_score(graded_class):
    course, _ = graded_class
    english, spanish = _scores(course, LESSON)["ana"], _scores(course, SPANISH)["beto"]
    assert english == spanish
    assert english["q4_test"] == 0 and english["q1_test"] == 1 and english["ex2_test"] == 2


def test_a_spanish_submission_comes_back_in_spanish(graded_class):
    course, _ = graded_class
    graded = _autograded(course, "beto", SPANISH)
    assert graded.cells[0].source.startswith("# 02 · Una economía")
    failed = next(c for c in graded.cells if grading(c).get("grade_id") == "q4_test")
    message = "".join(o.get("evalue", "") for o in failed.outputs if o.output_type == "error")
    assert message == "Da un porcentaje (por ejemplo 12.5), no una fracción: multiplica por 100."
    (page,) = (course / "feedback" / "beto" / SPANISH).glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "Una economía construida en conjunto" in html
    assert "una prueba falló; sus detalles están ocultos" in html
    english_graded = _autograded(course, "ana", LESSON)
    failed = next(c for c in english_graded.cells if grading(c).get("grade_id") == "q4_test")
    assert "Give a percentage" in "".join(o.get("evalue", "") for o in failed.outputs)


def test_export_has_one_column_per_lesson_for_both_editions(graded_class):
    course, exported = graded_class
    assert exported.returncode == 1  # caro handed in twice: left empty and listed
    assert "caro 02-economy-built-together: handed in twice" in exported.stderr
    rows = {
        r["student_id"]: r for r in csv.DictReader(io.StringIO((course / "grades.csv").read_text()))
    }
    assert SPANISH not in next(iter(rows.values())) and LESSON in rows["ana"]
    assert rows["ana"][LESSON] == rows["beto"][LESSON] != ""
    assert rows["beto"][f"{LESSON}:status"].startswith("graded (es edition)")
    assert rows["ana"][f"{LESSON}:status"].startswith("graded")
    assert rows["caro"][LESSON] == ""
    assert rows["ana"][f"{LESSON}:{LESSON}:q4_test"] == rows["beto"][f"{LESSON}:{LESSON}:q4_test"]
