"""The graded items of a lesson, and the banks that let a learner check them offline.

A lesson's graded items follow nbgrader's cell roles: an autograded item is a locked ``grade``
code cell (its *test cell*, whose ``grade_id`` names the item) after one or more ``solution``
code cells (its *answer cells*); a written item is a ``grade`` + ``solution`` markdown cell,
marked by an instructor.

For every lesson, ``intermestic build`` executes the instructor notebook
(``autograder/source/NN-topic/NN-topic.ipynb``) in a kernel and writes
``intermestic/graded/NN-topic.json``: for each autograded item the answer specifications
declared in the answer cells' metadata (``intermestic.answer``) and a key per answer variable
made from the solution's value (`intermestic.answer_checks`: salted hashes, never the answer),
and for each written item a learner-facing checklist. A bank records a fingerprint of its
instructor notebook, the data package and the hashing scheme, so a stale bank is found
without running anything.

Instructors may leave the answer checks out of a release (``intermestic build
--answer-checks off``): the banks are then deleted, so neither a wheel nor a Binder image built
from the repository holds them, and a marker file records the choice until it is reversed.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from intermestic.errors import CourseError
from intermestic.notebooks import read_notebook
from intermestic.paths import PACKAGE_DIR, data_dir

BANK_FORMAT = 1
GRADED_DIR = PACKAGE_DIR / "graded"
LEFT_OUT_MARKER = "answer-checks-left-out.json"
COURSE = "intermestic"
# Seconds one cell of an instructor notebook may run while its bank is built.
AUTHORING_CELL_TIMEOUT = 300.0

_HEADING = re.compile(
    r"^\s*\*\*\s*((?:Exercise|Question|Task)\s+[\w.]+)", re.IGNORECASE | re.MULTILINE
)
_HINT = re.compile(r"^\s*\*?\s*Hint\s*:?\s*\*?\s*:?\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*])\s+(.+)$")
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def grading(cell: Mapping[str, Any]) -> dict[str, Any]:
    """The nbgrader metadata of a cell ({} when it has none)."""
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def grade_id(cell: Mapping[str, Any]) -> str | None:
    """The nbgrader ``grade_id`` of a cell, if it has one."""
    return grading(cell).get("grade_id")


def is_test_cell(cell: Mapping[str, Any]) -> bool:
    """Whether `cell` is the locked test cell of an autograded item."""
    meta = grading(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer_cell(cell: Mapping[str, Any]) -> bool:
    """Whether `cell` is a code cell the learner answers in."""
    return cell.get("cell_type") == "code" and bool(grading(cell).get("solution"))


def is_written_cell(cell: Mapping[str, Any]) -> bool:
    """Whether `cell` is a written answer that an instructor marks."""
    meta = grading(cell)
    return cell.get("cell_type") == "markdown" and bool(meta.get("grade") and meta.get("solution"))


@dataclass
class AutogradedItem:
    """An autograded item: its test cell, the answer cells before it, its prompt."""

    item: str
    points: float
    answer_cells: list[str]
    prompt: str
    test_source: str
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """A learner-facing name, e.g. "Exercise 1", from the prompt's bold heading."""
        return item_label(self.prompt, self.item)

    @property
    def hint(self) -> str:
        """The prompt's own hint line, if it has one."""
        found = _HINT.search(self.prompt)
        return _plain(found.group(1)) if found else ""


@dataclass
class WrittenItem:
    """A written answer marked by an instructor: its cell, points, prompt and checklist."""

    item: str
    points: float
    prompt: str
    checklist_field: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """A learner-facing name, e.g. "Question 6"."""
        return item_label(self.prompt, self.item)

    @property
    def checklist(self) -> list[str]:
        """What a strong answer covers, for the learner: the cell's ``checklist`` or the prompt."""
        return self.checklist_field or checklist_from_prompt(self.prompt)

    @property
    def words(self) -> tuple[int, int] | None:
        """The length the prompt asks for, in words, if it says."""
        return words_asked(self.prompt)


@dataclass
class LessonItems:
    """The graded items of one lesson notebook, in order."""

    autograded: list[AutogradedItem]
    written: list[WrittenItem]

    def by_id(self) -> dict[str, AutogradedItem]:
        """The autograded items by their test cell's grade_id."""
        return {item.item: item for item in self.autograded}


def _plain(text: str) -> str:
    """Markdown `text` as plain text: emphasis marks and extra spaces removed."""
    return " ".join(re.sub(r"[*`]", "", text).split())


def item_label(prompt: str, fallback: str) -> str:
    """The bold heading of a prompt ("Exercise 1", "Question 6"), else `fallback`."""
    found = _HEADING.search(prompt)
    return _plain(found.group(1)) if found else fallback


def words_asked(prompt: str) -> tuple[int, int] | None:
    """The length a prompt asks for in words: (150, 150) for "about 150 words", (100, 200) for
    "100-200 words"."""
    text = prompt.replace("\u2013", "-")
    ranged = re.search(r"(\d+)\s*-\s*(\d+)\s+words", text)
    if ranged:
        return int(ranged.group(1)), int(ranged.group(2))
    about = re.search(r"(?:about|around|roughly)\s+(\d+)\s+words", text, re.IGNORECASE)
    if about:
        return int(about.group(1)), int(about.group(1))
    return None


def _sentences_asked(prompt: str) -> str | None:
    words = "|".join(_NUMBER_WORDS)
    found = re.search(rf"\bin\s+((?:{words})(?:\s+or\s+(?:{words}))?)\s+sentences\b", prompt, re.I)
    return found.group(1).lower() if found else None


def checklist_from_prompt(prompt: str) -> list[str]:
    """A learner-facing checklist made only from the prompt's own words.

    The listed points of the prompt when it has a list, else its sentences; then what the
    prompt asks of every answer (a number, a paragraph reference, a length). Mark schemes are
    never read.
    """
    heading = _HEADING.search(prompt)
    body = prompt[heading.end() :] if heading else prompt
    body = re.sub(r"^[^.]*?\)\.?\*\*", "", body, count=1)  # the rest of the bold heading
    listed = [_plain(m.group(1)) for line in body.splitlines() if (m := _LIST_ITEM.match(line))]
    if listed:
        intro = _plain(" ".join(line for line in body.splitlines() if not _LIST_ITEM.match(line)))
        points = [f"covers: {item}" for item in listed]
        checklist = [f"answers the question: {intro}"] if intro else []
        checklist += points
    else:
        sentences = re.split(r"(?<=[.?!])\s+(?=[A-Z])", _plain(body))
        checklist = [f"answers: {s}" for s in sentences if len(s.split()) > 2]
    lowered = prompt.lower()
    if "number" in lowered or "data" in lowered or "figure" in lowered:
        checklist.append("uses a number from the lesson's data, and says what it measures")
    if "\u00b6" in prompt or "paragraph" in lowered:
        checklist.append("refers to the article by paragraph (\u00b6)")
    sentences_asked = _sentences_asked(prompt)
    if sentences_asked:
        checklist.append(f"is {sentences_asked} sentences long")
    checklist.append("is in your own words, not copied from the article or the lesson")
    return checklist


def lesson_items(notebook: NotebookNode) -> LessonItems:
    """The graded items of a lesson notebook (instructor source or student release)."""
    autograded: list[AutogradedItem] = []
    written: list[WrittenItem] = []
    answers: list[NotebookNode] = []
    prompt = ""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not grading(cell).get("solution"):
            prompt = cell.source
        elif is_written_cell(cell):
            checklist = cell.get("metadata", {}).get("intermestic", {}).get("checklist", [])
            written.append(
                WrittenItem(grade_id(cell) or "", float(grading(cell)["points"]), prompt, checklist)
            )
        elif is_answer_cell(cell):
            answers.append(cell)
        elif is_test_cell(cell):
            specs: dict[str, dict[str, Any]] = {}
            for answer in answers:
                specs.update(answer.get("metadata", {}).get("intermestic", {}).get("answer", {}))
            autograded.append(
                AutogradedItem(
                    item=grade_id(cell) or "",
                    points=float(grading(cell)["points"]),
                    answer_cells=[grade_id(a) or "" for a in answers],
                    prompt=prompt,
                    test_source=visible_part(cell.source),
                    specs=specs,
                )
            )
            answers = []
    return LessonItems(autograded, written)


def visible_part(test_source: str) -> str:
    """A test cell's source without its hidden block, as nbgrader releases it."""
    return re.sub(
        r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?",
        "",
        test_source,
        flags=re.DOTALL | re.MULTILINE,
    )


# --- banks -------------------------------------------------------------------------------


def fingerprint(source_notebook: NotebookNode, data_descriptor: Path) -> str:
    """A hash of what a lesson's bank is made from: its cells, the data package and the
    hashing scheme (the source of `intermestic.answer_checks`)."""
    cells = [
        [
            cell.cell_type,
            cell.source,
            cell.get("metadata", {}).get("nbgrader", {}),
            cell.get("metadata", {}).get("intermestic", {}),
        ]
        for cell in source_notebook.cells
    ]
    text = json.dumps([BANK_FORMAT, cells], sort_keys=True, ensure_ascii=False)
    hasher = hashlib.sha256(text.encode())
    hasher.update(data_descriptor.read_bytes())
    hasher.update((PACKAGE_DIR / "answer_checks.py").read_bytes())
    return hasher.hexdigest()


def _salt(lesson: str, print_: str) -> str:
    """A salt derived from the lesson and its fingerprint, so a rebuild is byte-identical."""
    return hashlib.sha256(f"{COURSE}\x1fgraded\x1f{lesson}\x1f{print_}".encode()).hexdigest()[:32]


def source_lessons(autograder_dir: Path) -> dict[str, Path]:
    """The instructor notebook of every lesson under ``autograder_dir/source``, by name."""
    source = autograder_dir / "source"
    if not source.is_dir():
        raise CourseError(f"{source}: no such folder (expected an nbgrader course's source/)")
    return {
        folder.name: folder / f"{folder.name}.ipynb"
        for folder in sorted(source.iterdir())
        if folder.is_dir() and (folder / f"{folder.name}.ipynb").is_file()
    }


def author_bank(lesson: str, source: Path, descriptor: Path) -> dict[str, Any]:
    """The bank of one lesson, made by executing its instructor notebook in a fresh kernel."""
    from intermestic.kernels import Kernel

    notebook = read_notebook(source)
    items = lesson_items(notebook)
    print_ = fingerprint(notebook, descriptor)
    salt = _salt(lesson, print_)
    tests = items.by_id()
    for item in items.autograded:
        if not item.specs:
            raise CourseError(
                f"{source}: {item.item}'s answer cell declares no intermestic.answer metadata"
            )
    keys: dict[str, dict[str, Any]] = {}
    with Kernel(source.parent) as kernel:
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            run = kernel.run(cell.source, AUTHORING_CELL_TIMEOUT)
            if not run.ok:
                problem = "timed out" if run.status == "timeout" else f"{run.ename}: {run.evalue}"
                raise CourseError(
                    f"{source}: cell {grade_id(cell) or '?'} failed while building the answer "
                    f"checks ({problem})"
                )
            tested = tests.get(grade_id(cell) or "")
            if tested is None:
                continue
            keys[tested.item] = {
                variable: kernel.json_value(
                    "__import__('intermestic.answer_checks', fromlist=['make_key_json'])"
                    f".make_key_json({variable}, {spec!r}, {salt!r}, "
                    f"{f'{lesson}/{tested.item}/{variable}'!r})"
                )
                for variable, spec in tested.specs.items()
            }
    return {
        "format": BANK_FORMAT,
        "course": COURSE,
        "lesson": lesson,
        "fingerprint": print_,
        "salt": salt,
        "items": [
            {
                "item": item.item,
                "points": item.points,
                "answer_cells": item.answer_cells,
                "answers": {
                    variable: {"spec": spec, "key": keys[item.item][variable]}
                    for variable, spec in item.specs.items()
                },
            }
            for item in items.autograded
        ],
        "written": [
            {
                "item": written.item,
                "points": written.points,
                "checklist": written.checklist,
                "words": list(written.words) if written.words else None,
            }
            for written in items.written
        ],
    }


def dumps_bank(bank: Mapping[str, Any]) -> str:
    """A bank as the JSON text stored in the package."""
    return json.dumps(bank, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class BankState:
    """How the banks in a folder compare with the instructor notebooks."""

    left_out: bool
    stale: list[str]
    missing: list[str]
    unexpected: list[str]

    @property
    def is_fresh(self) -> bool:
        """Whether every bank matches its instructor notebook (or all are rightly left out)."""
        return not (self.stale or self.missing or self.unexpected)

    def describe(self) -> str:
        """One line naming what is out of date."""
        parts = []
        for label, names in (
            ("stale", self.stale),
            ("missing", self.missing),
            ("left out but present" if self.left_out else "without a lesson", self.unexpected),
        ):
            if names:
                parts.append(f"{label}: {', '.join(names)}")
        return "; ".join(parts)


def left_out(graded_dir: Path = GRADED_DIR) -> bool:
    """Whether the instructor left the answer checks out of this release."""
    return (graded_dir / LEFT_OUT_MARKER).is_file()


def bank_state(autograder_dir: Path, graded_dir: Path = GRADED_DIR) -> BankState:
    """Compare the banks in `graded_dir` with the instructor notebooks, without running them."""
    lessons = source_lessons(autograder_dir)
    present = {p.stem: p for p in graded_dir.glob("*.json") if p.name != LEFT_OUT_MARKER}
    if left_out(graded_dir):
        return BankState(True, [], [], sorted(present))
    descriptor = data_dir() / "datapackage.json"
    stale = []
    for lesson, source in lessons.items():
        if lesson not in present:
            continue
        stored = json.loads(present[lesson].read_text(encoding="utf-8"))
        if stored.get("fingerprint") != fingerprint(read_notebook(source), descriptor):
            stale.append(lesson)
    return BankState(
        False,
        stale=stale,
        missing=sorted(set(lessons) - set(present)),
        unexpected=sorted(set(present) - set(lessons)),
    )


def write_banks(
    autograder_dir: Path,
    graded_dir: Path = GRADED_DIR,
    *,
    answer_checks: bool | None = None,
    progress: Any = None,
) -> list[str]:
    """Bring the banks up to date; return the lessons whose bank was written.

    `answer_checks` True or False turns the checks on or off for the release (off deletes
    every bank and leaves a marker); None keeps the current setting. Fresh banks are kept.
    """
    graded_dir.mkdir(parents=True, exist_ok=True)
    marker = graded_dir / LEFT_OUT_MARKER
    if answer_checks is False or (answer_checks is None and marker.is_file()):
        for bank in graded_dir.glob("*.json"):
            bank.unlink()
        marker.write_text(
            json.dumps(
                {
                    "answer_checks": "left out",
                    "note": "The instructor left the graded-answer checks out of this release; "
                    "`intermestic build --answer-checks on` puts them back.",
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        return []
    marker.unlink(missing_ok=True)
    state = bank_state(autograder_dir, graded_dir)
    for lesson in state.unexpected:
        (graded_dir / f"{lesson}.json").unlink()
    descriptor = data_dir() / "datapackage.json"
    written = []
    for lesson, source in source_lessons(autograder_dir).items():
        if lesson not in state.stale and lesson not in state.missing:
            continue
        if progress is not None:
            progress(lesson)
        made = author_bank(lesson, source, descriptor)
        (graded_dir / f"{lesson}.json").write_text(dumps_bank(made), encoding="utf-8")
        written.append(lesson)
    return written


def build_banks_command(autograder_dir: Path, setting: str | None) -> None:
    """``intermestic build``'s second step: bring the banks up to date and say what it did.

    `setting` is ``"on"`` or ``"off"`` (``--answer-checks``), or None to keep the current one.
    """
    written = write_banks(
        autograder_dir,
        answer_checks=None if setting is None else setting == "on",
        progress=lambda lesson: print(f"Building the answer checks of {lesson}...", flush=True),
    )
    if left_out():
        print(f"Answer checks are left out of this release ({GRADED_DIR} holds no bank).")
    else:
        print(f"Answer checks: {len(written)} bank(s) rebuilt, the others up to date.")


def check_banks_command(autograder_dir: Path) -> int:
    """``intermestic build --check``'s second step: 1, naming the lessons, when a bank is stale."""
    state = bank_state(autograder_dir)
    if state.is_fresh:
        setting = " (answer checks left out)" if state.left_out else ""
        print(f"{GRADED_DIR} is up to date{setting}.")
        return 0
    print(
        f"intermestic: the answer checks are stale ({state.describe()}); run 'intermestic build'",
        file=sys.stderr,
    )
    return 1


def load_bank(lesson: str, graded_dir: Path = GRADED_DIR) -> dict[str, Any] | None:
    """The bank of `lesson` shipped with the package, or None when there is none."""
    path = graded_dir / f"{lesson}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def bank_items(bank: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """The autograded entries of a bank by item id ({} without a bank)."""
    return {entry["item"]: entry for entry in (bank or {}).get("items", [])}


def written_entries(bank: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """The written entries of a bank by item id ({} without a bank)."""
    return {entry["item"]: entry for entry in (bank or {}).get("written", [])}
