"""The Spanish edition from one source: the language rules, the catalogues, what the build makes
of them, and that a learner of the Spanish edition reads Spanish (fast checks)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest
from matplotlib.figure import Figure

from intermestic import editions, i18n, translations
from intermestic.answers import bank_questions, evaluate
from intermestic.gradebanks import grading, lesson_items
from tests.course import AUTOGRADER, LESSONS, assignment_names, read

PUBLISHED = translations.published(AUTOGRADER, "es")
ALL_LESSONS = assignment_names()
# The untranslated-cell heuristic: in English prose, these function words make up 13% or more
# of the words of every lesson cell of twelve words or more (17-30% in most); Spanish prose has
# almost none. Code spans, URLs, quotations ("..."), cited titles (*...*) are left out first,
# since a translation keeps them in English.
_FUNCTION_WORDS = (
    "the and of to in is that for with it by on are as from this be or which an at not was "
    "were has have its their they you your what how"
)
ENGLISH_WORDS = frozenset(_FUNCTION_WORDS.split())
UNTRANSLATED_SHARE = 0.08
SPANISH_PRECISION = {1: "con un decimal", 2: "con dos decimales"}
MIN_WORDS = 12


def _edition(lesson: str) -> Path:
    return LESSONS / "es" / f"{i18n.edition_name(lesson, 'es')}.ipynb"


def _prose_words(markdown: str) -> list[str]:
    text = re.sub(r"`[^`]*`", " ", markdown)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r'"[^"\n]*"', " ", text)
    text = re.sub(r"(?<![*\w])\*(?!\*)[^*\n]+\*(?!\*)", " ", text)
    return re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())


# --- which language ---------------------------------------------------------------------------


def test_the_language_follows_use_then_notebook_then_environment_then_marker(tmp_path, monkeypatch):
    spanish = tmp_path / "es"
    spanish.mkdir()
    editions.write_marker(spanish, "es")
    monkeypatch.delenv(i18n.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    assert i18n.language() == "en"
    monkeypatch.chdir(spanish)
    assert i18n.language() == "es"  # the marker of the kernel's folder
    monkeypatch.setenv(i18n.ENVIRONMENT_VARIABLE, "en")
    assert i18n.language() == "en"  # the course setting beats the marker
    monkeypatch.setenv("JPY_SESSION_NAME", "/x/02-economy-built-together-es-Copy1.ipynb")
    assert i18n.language() == "es"  # a Spanish lesson beats the setting
    monkeypatch.setenv("JPY_SESSION_NAME", "/x/scratch.ipynb")
    assert i18n.language() == "en"  # a notebook that is no lesson follows the setting
    with i18n.use("es"):
        assert i18n.language() == "es"
    assert i18n.language() == "en"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")


def test_edition_names_round_trip():
    assert i18n.edition_name("02-economy-built-together", "es") == "02-economy-built-together-es"
    assert i18n.split_edition("02-economy-built-together-es") == ("02-economy-built-together", "es")
    assert i18n.split_edition("02-economy-built-together") == ("02-economy-built-together", "en")


def test_the_library_speaks_spanish_only_when_asked():
    from intermestic.explorers import trade_summary

    english = trade_summary(2018)
    with i18n.use("es"):
        spanish = trade_summary(2018)
        assert i18n._("Check") == "Comprobar"
    assert english.startswith("U.S. goods trade with Mexico in 2018")
    assert spanish.startswith("Comercio de bienes de EE. UU. con México en 2018")
    # The numbers are the same, written the Mexican way (comma for thousands, point for decimals).
    assert re.findall(r"[\d,]+\.\d", english) == re.findall(r"[\d,]+\.\d", spanish)


# --- the catalogues ---------------------------------------------------------------------------


def test_every_string_of_the_library_is_translated():
    assert translations.library_problems("es") == []


def test_the_compiled_library_catalogue_matches_its_po_file():
    catalogue = translations.library_catalogue("es")
    mo = catalogue.path.with_suffix(".mo")
    assert mo.is_file(), "run intermestic build"
    assert mo.read_bytes() == bytes(catalogue.po.to_binary()), "run intermestic build"


@pytest.mark.parametrize("lesson", PUBLISHED)
def test_every_published_lesson_is_fully_translated(lesson):
    assert translations.lesson_problems(AUTOGRADER, "es", lesson) == []


def test_every_lesson_exists_in_both_editions():
    assert sorted(PUBLISHED) == ALL_LESSONS


def test_published_lessons_are_lessons_of_the_course():
    assert set(PUBLISHED) <= set(ALL_LESSONS)
    assert sorted(p.name for p in (LESSONS / "es").glob("*.ipynb")) == sorted(
        f"{i18n.edition_name(lesson, 'es')}.ipynb" for lesson in PUBLISHED
    )


def _catalogue(tmp_path: Path, entries: list[translations.Entry]) -> translations.Catalogue:
    catalogue = translations.Catalogue.read(tmp_path / "x.po")
    translations.merge(catalogue, entries)
    return catalogue


def test_update_adds_marks_fuzzy_keeps_old_english_and_drops_vanished(tmp_path):
    first = [
        translations.Entry("intro", "Some prose."),
        translations.Entry("gone", "A cell that will vanish."),
        translations.Entry("t/code", "Divide by {0}."),
    ]
    catalogue = _catalogue(tmp_path, first)
    for entry in catalogue.po:
        entry.msgstr = {"intro": "Prosa.", "gone": "Se irá.", "t/code": "Divide entre {0}."}[
            entry.msgctxt
        ]
    catalogue.save(translations.po_header("x", "es"))
    second = [
        translations.Entry("intro", "Some new prose."),
        translations.Entry("t/code", "Divide by {0} first."),
        translations.Entry("new", "A new cell."),
    ]
    catalogue = translations.Catalogue.read(tmp_path / "x.po")
    report = translations.merge(catalogue, second)
    catalogue.save(translations.po_header("x", "es"))
    assert (report.added, report.changed, report.dropped) == (1, 2, 1)
    entries = {e.msgctxt: e for e in polib.pofile(str(tmp_path / "x.po"))}
    assert set(entries) == {"intro", "t/code", "new"}
    assert entries["intro"].fuzzy and entries["intro"].previous_msgid == "Some prose."
    assert entries["intro"].msgstr == "Prosa."
    assert entries["t/code"].fuzzy and entries["t/code"].msgstr == "Divide entre {0}."
    assert not entries["new"].msgstr
    problems = translations.problems(catalogue, second)
    assert problems == [
        "intro: fuzzy (its English changed; check it and remove the flag)",
        "t/code: fuzzy (its English changed; check it and remove the flag)",
        "new: missing (not translated yet)",
    ]
    assert translations.usable(catalogue, second) == {}


def test_a_stale_or_broken_translation_is_named(tmp_path):
    entries = [
        translations.Entry("a", "Old English."),
        translations.Entry("b/code", "{0} of {1}"),
        translations.Entry("c", "Model.\n=== BEGIN MARK SCHEME ===\nx\n=== END MARK SCHEME ==="),
    ]
    catalogue = _catalogue(tmp_path, entries)
    for entry, text in zip(catalogue.po, ("Viejo.", "{0} de", "Modelo."), strict=True):
        entry.msgstr = text
    changed = [translations.Entry("a", "New English."), *entries[1:]]
    assert translations.problems(catalogue, changed) == [
        "a: stale (its English changed since it was translated; run 'intermestic translations "
        "update')",
        "b/code: has the placeholders ['0'], not ['0', '1']",
        "c: lost the line === BEGIN MARK SCHEME ===",
    ]


def test_code_strings_are_what_a_learner_reads_never_solutions_or_hidden_tests():
    source = (
        "fig, ax = new_figure('Trade by year', source='Census')\n"
        "ax.plot(x, y, label='exports')\n"
        "assert ok, f'{n} rows, not {len(t)}'\n"
        "### BEGIN SOLUTION\nax.set_title('The solution title')\n### END SOLUTION\n"
        "### BEGIN HIDDEN TESTS\nassert x, 'a hidden message'\n### END HIDDEN TESTS\n"
    )
    assert translations.code_strings(source) == [
        ("Trade by year", ""),
        ("Census", ""),
        ("exports", ""),
        ("{0} rows, not {1}", "{0} = n; {1} = len(t)"),
    ]


# --- what the build makes -----------------------------------------------------------------


@pytest.mark.parametrize("lesson", PUBLISHED)
def test_code_cells_tests_points_and_ids_are_identical_in_both_editions(lesson):
    english, spanish = read(LESSONS / f"{lesson}.ipynb"), read(_edition(lesson))
    assert [c.id for c in english.cells] == [c.id for c in spanish.cells]
    for ours, theirs in zip(english.cells, spanish.cells, strict=True):
        assert ours.cell_type == theirs.cell_type
        assert grading(ours).get("points") == grading(theirs).get("points")
        if ours.cell_type == "code":
            assert ours.source == theirs.source, ours.id
            assert ours.metadata == theirs.metadata, ours.id


@pytest.mark.parametrize("lesson", PUBLISHED)
def test_no_markdown_cell_of_the_spanish_edition_is_left_in_english(lesson):
    """Heuristic: see ENGLISH_WORDS. A short cell must at least differ from the English one."""
    english = {c.id: c.source for c in read(LESSONS / f"{lesson}.ipynb").cells}
    untranslated = []
    for cell in read(_edition(lesson)).cells:
        if cell.cell_type != "markdown":
            continue
        words = _prose_words(cell.source)
        share = sum(w in ENGLISH_WORDS for w in words) / len(words) if words else 0.0
        if len(words) >= MIN_WORDS and share >= UNTRANSLATED_SHARE:
            untranslated.append(f"{cell.id} ({share:.0%} English function words)")
        elif words and cell.source == english[cell.id] and "ESCRIBE" not in cell.source:
            untranslated.append(f"{cell.id} (same as the English)")
    assert not untranslated, untranslated


@pytest.mark.parametrize("lesson", PUBLISHED)
def test_every_spanish_numeric_prompt_states_its_precision(lesson):
    """As tests/test_grading_contract.py checks the English prompts, in the words a Mexican
    reader expects: "con un decimal", "con dos decimales", "redondeado al … más cercano"."""
    source = read(AUTOGRADER / "source" / lesson / f"{lesson}.ipynb")
    entries = translations.entries_of(AUTOGRADER, lesson)
    catalogue = translations.lesson_catalogue(AUTOGRADER, "es", lesson)
    spanish = translations.translated_notebook(source, translations.usable(catalogue, entries))
    for item in lesson_items(spanish).autograded:
        prompt = " ".join(item.prompt.split())  # as the rendered markdown reads
        for variable, spec in item.specs.items():
            if spec["kind"] in ("number", "series"):
                phrase = SPANISH_PRECISION.get(int(spec["decimals"]), "más cercan")
                assert phrase in prompt, f"{item.item}: {variable} needs '{phrase}'"


def test_the_spanish_lessons_folder_says_its_language():
    assert i18n.folder_language(LESSONS / "es") == "es"
    assert i18n.folder_language(LESSONS) is None


@pytest.mark.parametrize("lesson", PUBLISHED)
def test_spanish_self_checks_have_the_same_answers_in_spanish(lesson):
    from intermestic import quiz

    english = bank_questions(quiz.load_bank(lesson))
    spanish = bank_questions(quiz.load_bank(lesson, "es"))
    assert english.keys() == spanish.keys()
    spec = {q["id"]: q for q in translations.question_spec(AUTOGRADER, lesson)["questions"]}
    for qid, question in spanish.items():
        assert question["answers"] == english[qid]["answers"], qid
        assert question["prompt"] != english[qid]["prompt"], f"{qid} is not translated"
        answer = spec[qid]["answer"]
        if isinstance(answer, list) and question["type"] == "short-text":
            answer = answer[0]  # one of the accepted answers
        response = answer if isinstance(answer, list) else str(answer)
        with i18n.use("es"):
            verdict = evaluate(question, response)
        assert verdict.correct, (qid, verdict.message)
        assert verdict.message.startswith("Correcto"), verdict.message


def test_the_lesson_strings_translate_exact_texts_and_templates():
    strings = json.loads((i18n.LOCALE_DIR / "es" / i18n.LESSON_STRINGS).read_text("utf-8"))
    assert strings["exact"] and strings["templates"]
    with i18n.use("es"):
        assert i18n.lesson_text("Index dips by year, with 2009 and 2020 only.") == (
            "Pon el año como índice de dips, solo con 2009 y 2020."
        )
        assert i18n.lesson_text("One row per year from 1994 to 2023 makes 30 rows, not 29.") == (
            "Una fila por año de 1994 a 2023 da 30 filas, no 29."
        )
        assert i18n.lesson_text("Not in any catalogue.") == "Not in any catalogue."
    assert i18n.lesson_text("Index dips by year, with 2009 and 2020 only.").startswith("Index")


def test_a_figure_drawn_by_lesson_code_is_shown_in_spanish():
    from intermestic.plotting import new_figure

    with i18n.use("es"):
        fig, ax = new_figure("U.S. goods exports to Mexico, 1985\N{EN DASH}2023", source="BLS")
        ax.plot([1, 2], [3, 4], label="current dollars")
        ax.set_xlabel("Year")
        ax.legend()
        i18n.translate_figure(fig)
    assert isinstance(fig, Figure)
    texts = {t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))}
    assert "Exportaciones de bienes de EE. UU. a México, 1985\N{EN DASH}2023" in texts
    assert {"Año", "dólares corrientes", "Fuente: BLS"} <= texts


def test_check_my_work_gives_a_spanish_scorecard():
    from intermestic.check import check_namespace, render_text

    lesson = "02-economy-built-together-es"
    with i18n.use("es"):
        report = check_namespace(lesson, {"dips": "no"})
        text = render_text([report])
    labels = [r.label for r in report.results]
    assert "Ejercicio 1" in labels and "Pregunta 6" in labels
    first = report.results[0]
    assert first.status == "not-yet" and "dips debería ser una Series" in first.message
    assert "sin intentar" in text and "Total: 0 de" in text
    written = report.results[-1]
    assert written.checklist[0].startswith("usa al menos dos cifras")


def test_grade_export_merges_the_editions_of_a_lesson():
    from intermestic.grading.export import BOTH_EDITIONS, merge_editions
    from intermestic.grading.standing import GRADED, NO_SUBMISSION, Scores, Standing, Table

    def graded(total: float, notebook: str) -> Standing:
        return Standing(GRADED, scores=Scores(total, 21.0, questions={f"{notebook}:q1": total}))

    lesson, spanish = "02-economy-built-together", "02-economy-built-together-es"
    cells = {
        (lesson, "ana"): graded(20.0, lesson),
        (spanish, "ana"): Standing(NO_SUBMISSION),
        (lesson, "beto"): Standing(NO_SUBMISSION),
        (spanish, "beto"): graded(20.0, spanish),
        (lesson, "caro"): graded(3.0, lesson),
        (spanish, "caro"): graded(4.0, spanish),
    }
    table = Table(
        [lesson, spanish], {lesson: 21.0, spanish: 21.0}, {}, ["ana", "beto", "caro"], cells
    )
    merged = merge_editions(table)
    assert merged.assignments == [lesson]
    assert merged.cells[lesson, "beto"].scores == Scores(
        20.0, 21.0, questions={f"{lesson}:q1": 20.0}
    )
    assert merged.cells[lesson, "beto"].reason == "es edition"
    assert merged.cells[lesson, "ana"].reason == ""
    assert merged.cells[lesson, "caro"].state == BOTH_EDITIONS


def test_feedback_says_hidden_details_in_the_assignments_language():
    import nbformat

    from intermestic.feedback import StripTestTracebacks

    cell = nbformat.v4.new_code_cell(
        "assert False",
        metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}},
        outputs=[nbformat.v4.new_output("error", ename="AssertionError", evalue="x")],
    )
    for assignment, note in (("02-x-es", "sus detalles están ocultos"), ("02-x", "hidden")):
        done, _ = StripTestTracebacks().preprocess_cell(
            nbformat.from_dict(json.loads(json.dumps(cell))),
            {"nbgrader": {"assignment": assignment}},
            0,
        )
        assert note in done.outputs[0]["traceback"][0]


def test_check_my_work_checks_the_lesson_of_the_learners_edition():
    """The last cell names the English lesson in both editions: run in a Spanish notebook, or
    in a Spanish kernel that cannot tell its notebook (nbconvert), it checks the Spanish one."""
    from intermestic.check import course_lessons
    from intermestic.checkwidget import _edition_of

    lessons = course_lessons()
    spanish = "05-the-border-es"
    assert _edition_of("05-the-border", spanish, lessons) == spanish
    assert _edition_of(None, spanish, lessons) == spanish
    assert _edition_of("05-the-border", "04-people-on-the-move", lessons) == "05-the-border"
    with i18n.use("es"):
        assert _edition_of("05-the-border", None, lessons) == spanish
    with i18n.use("en"):
        assert _edition_of("05-the-border", None, lessons) == "05-the-border"
