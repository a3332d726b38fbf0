"""The translated editions of the course as ``intermestic build`` releases them, and as the
grading toolkit and ``check_my_work`` use them.

A lesson's edition in language ``xx`` is the nbgrader assignment ``NN-topic-xx``: its
instructor notebook is the English one with the markdown cells translated (code cells, tests,
points and cell ids unchanged), released with nbgrader like the English lesson but with the
written answers' stub in ``xx``, and with a marker file (``.intermestic-language``) beside the
notebook, so that every kernel that runs it (JupyterLab on Binder, nbgrader's autograde,
``intermestic check``) speaks ``xx``. See `intermestic.translations` for the catalogues.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intermestic import i18n
from intermestic.errors import CourseError
from intermestic.notebooks import dumps, read_notebook
from intermestic.paths import PACKAGE_DIR

GRADED_DIR = PACKAGE_DIR / "graded"
QUESTIONS_DIR = PACKAGE_DIR / "questions"


def marker_text(lang: str) -> str:
    """The contents of the marker file that sets a folder's language."""
    return f"{lang}  # intermestic: the language of the lessons in this folder\n"


def write_marker(folder: Path, lang: str) -> Path:
    """Write the language marker into `folder` and return its path."""
    path = folder / i18n.MARKER_FILE
    path.write_text(marker_text(lang), encoding="utf-8")
    return path


# --- the instructor notebooks of an edition ---------------------------------------------------


@dataclass
class EditionSources:
    """What `write_sources` made: assignment names, and the cells left in English by lesson."""

    names: list[str] = field(default_factory=list)
    fallbacks: dict[str, list[str]] = field(default_factory=dict)


def write_sources(autograder_dir: Path, source_dir: Path, lang: str) -> EditionSources:
    """Write the `lang` instructor notebook of every published lesson into
    ``source_dir/NN-topic-<lang>/`` (with the language marker); cells without a usable
    translation stay English and are listed in the result."""
    from intermestic import translations

    made = EditionSources()
    for lesson in translations.published(autograder_dir, lang):
        source = translations.source_notebook(autograder_dir, lesson)
        if not source.is_file():
            raise CourseError(
                f"{translations.locale_dir(autograder_dir, lang) / translations.PUBLISHED_FILE}"
                f" lists {lesson}, which has no instructor notebook"
            )
        notebook = read_notebook(source)
        entries = translations.entries_of(autograder_dir, lesson)
        catalogue = translations.lesson_catalogue(autograder_dir, lang, lesson)
        usable = translations.usable(catalogue, entries)
        name = i18n.edition_name(lesson, lang)
        folder = source_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        edition = translations.translated_notebook(notebook, usable)
        (folder / f"{name}.ipynb").write_text(dumps(edition), encoding="utf-8")
        write_marker(folder, lang)
        made.names.append(name)
        left = [
            str(e.context)
            for e in entries
            if e.key not in usable and e.context is not None and "/" not in e.context
        ]
        if left:
            made.fallbacks[lesson] = left
    return made


def release_config(config: Any, lang: str) -> Any:
    """A copy of an nbgrader configuration that releases the `lang` edition: the stub of a
    written answer in that language."""
    from intermestic import translations

    edited = copy.deepcopy(config)
    if lang in translations.TEXT_STUBS:
        edited.ClearSolutions.text_stub = translations.TEXT_STUBS[lang]
    return edited


def written_stubs() -> set[str]:
    """The text a written answer holds until the learner writes, in every edition."""
    from intermestic import translations

    return {"YOUR ANSWER HERE", *translations.TEXT_STUBS.values()}


# --- what the package ships of an edition -----------------------------------------------------


def _json(data: Any) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def package_files(autograder_dir: Path, lang: str) -> dict[Path, bytes]:
    """Every file of the package the `lang` edition needs, made from the catalogues: question
    banks, written-answer checklists, the strings of lesson code and the compiled library
    catalogue (absolute path → contents)."""
    from intermestic import translations
    from intermestic.answers import make_bank
    from intermestic.gradebanks import left_out
    from intermestic.gradebanks import load_bank as load_graded

    files: dict[Path, bytes] = {}
    code: dict[str, str] = {}
    for lesson in translations.published(autograder_dir, lang):
        notebook = read_notebook(translations.source_notebook(autograder_dir, lesson))
        entries = translations.entries_of(autograder_dir, lesson)
        usable = translations.usable(
            translations.lesson_catalogue(autograder_dir, lang, lesson), entries
        )
        spec = translations.question_spec(autograder_dir, lesson)
        if spec is not None:
            bank = make_bank(translations.translated_spec(spec, usable))
            text = json.dumps(bank, indent=2, ensure_ascii=False) + "\n"
            files[QUESTIONS_DIR / lang / f"{lesson}.json"] = text.encode()
        graded = load_graded(lesson)
        if graded is not None and not left_out():
            overlay = {
                "format": 1,
                "lesson": lesson,
                "language": lang,
                "fingerprint": graded["fingerprint"],
                "checklists": translations.translated_checklists(notebook, usable),
            }
            files[GRADED_DIR / lang / f"{lesson}.json"] = _json(overlay).encode()
        code.update(translations.code_translations(usable))
    exact = {k: v for k, v in sorted(code.items()) if "{" not in k}
    templates = [[k, v] for k, v in sorted(code.items()) if "{" in k]
    strings = {"exact": exact, "templates": templates}
    files[i18n.LOCALE_DIR / lang / i18n.LESSON_STRINGS] = _json(strings).encode()
    library = translations.library_catalogue(lang)
    if library.po or library.path.is_file():
        mo = library.path.with_suffix(".mo")
        files[mo] = bytes(library.po.to_binary())
    return files


def _owned(lang: str) -> list[Path]:
    """The files of the package an edition's build writes (to find stale ones)."""
    return [
        *sorted((QUESTIONS_DIR / lang).glob("*.json")),
        *sorted((GRADED_DIR / lang).glob("*.json")),
    ]


def write_package_files(autograder_dir: Path, lang: str) -> list[Path]:
    """Write the package files of the `lang` edition, removing those of unpublished lessons."""
    files = package_files(autograder_dir, lang)
    for stale in set(_owned(lang)) - set(files):
        stale.unlink()
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    return sorted(files)


def stale_package_files(autograder_dir: Path, lang: str) -> list[str]:
    """The package files of the `lang` edition that differ from a fresh build, by name."""
    files = package_files(autograder_dir, lang)
    stale = [
        path for path, data in files.items() if not path.is_file() or path.read_bytes() != data
    ]
    stale += sorted(set(_owned(lang)) - set(files))
    return [path.relative_to(PACKAGE_DIR).as_posix() for path in sorted(stale)]


# --- what the kernel of an edition reads ---------------------------------------------------


def localised_bank(
    bank: Mapping[str, Any] | None, lesson: str, graded_dir: Path = GRADED_DIR
) -> dict[str, Any] | None:
    """The graded-answer bank of a lesson of any edition: for a translated edition, the English
    lesson's bank (same items, answers and keys) with its written checklists translated."""
    if bank is None:
        return None
    _base, lang = i18n.split_edition(lesson)
    result = dict(bank)
    if lang == i18n.SOURCE_LANGUAGE:
        return result
    path = graded_dir / lang / f"{bank['lesson']}.json"
    try:
        overlay = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return result
    if overlay.get("fingerprint") != bank.get("fingerprint"):
        return result
    checklists = overlay.get("checklists", {})
    result["written"] = [
        {**entry, "checklist": checklists.get(entry["item"], entry["checklist"])}
        for entry in bank.get("written", [])
    ]
    return result


# --- the build commands ---------------------------------------------------------------------


def edition_problems(autograder_dir: Path, *, own_course: bool) -> list[str]:
    """Everything that keeps the translated editions from matching the source: each cell or
    field of a published lesson without a usable translation, each library string (for the
    package's own course), and each stale package file."""
    from intermestic import translations

    found = []
    for lang in translations.languages(autograder_dir):
        for lesson in translations.published(autograder_dir, lang):
            found += [
                f"{i18n.edition_name(lesson, lang)}: {problem}"
                for problem in translations.lesson_problems(autograder_dir, lang, lesson)
            ]
        if own_course:
            found += [
                f"library ({lang}): {problem}" for problem in translations.library_problems(lang)
            ]
            found += [
                f"{path}: stale; run 'intermestic build'"
                for path in stale_package_files(autograder_dir, lang)
            ]
    return found


def build_command(autograder_dir: Path) -> None:
    """``intermestic build``'s last step for the package's own course: write each edition's
    package files and say which published cells stayed English."""
    from intermestic import translations

    for lang in translations.languages(autograder_dir):
        write_package_files(autograder_dir, lang)
        names = translations.published(autograder_dir, lang)
        print(f"Edition '{lang}': {len(names)} published lesson(s): {', '.join(names) or 'none'}.")
    for problem in edition_problems(autograder_dir, own_course=True):
        print(f"  warning: {problem} (shown in English)")


def check_command(autograder_dir: Path, *, own_course: bool) -> int:
    """``intermestic build --check``'s translation step: 1, naming each problem, or 0."""
    found = edition_problems(autograder_dir, own_course=own_course)
    if not found:
        return 0
    print("intermestic: the translated editions are not complete:", file=sys.stderr)
    for problem in found:
        print(f"  {problem}", file=sys.stderr)
    return 1
