"""Check my work: a scorecard of a learner's graded answers, offline, with no instructor.

``intermestic check [LESSON ...]`` executes each of the learner's lesson notebooks in a fresh
kernel, cell by cell with time limits, as nbgrader would: the test cells are the course's own
(a learner's edits to a locked test cell are ignored, as nbgrader ignores them). After each test
cell, every answer variable of the item is judged against the lesson's graded-answer bank
(`intermestic.gradebanks`, `intermestic.answer_checks`), which gives the hidden tests' verdict
without holding the answers. In a notebook, ``check_my_work()`` gives the same scorecard for
the lesson's current kernel, as a widget with a plain-text fallback.

Statuses: ``correct`` (the visible test passes and the value is right), ``not-yet`` (with the
visible test's message or what is wrong, and the prompt's hint), ``not-attempted`` (the answer
cell is still the blank one), ``written`` (a written answer for the instructor: its word count
and a checklist), and ``unchecked`` when the instructor left the answer checks out of the
release (the visible test passes; the value is marked at grading time).
"""

from __future__ import annotations

import ast
import json
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from nbformat import NotebookNode

from intermestic import gradebanks
from intermestic.errors import CourseError
from intermestic.gradebanks import AutogradedItem, WrittenItem, grade_id
from intermestic.notebooks import read_notebook
from intermestic.paths import lessons_dir

__all__ = [
    "ItemResult",
    "LessonReport",
    "check_lessons",
    "check_notebook",
    "find_lessons",
    "render_json",
    "render_text",
]

Status = Literal["correct", "not-yet", "not-attempted", "written", "unchecked"]
CELL_TIMEOUT = 60.0  # seconds per cell, as the course's nbgrader configuration
LESSON_TIMEOUT = 600.0  # seconds for a whole notebook
DEFAULT_WORKSPACE = Path("intermestic-course")
WRITTEN_PLACEHOLDER = "YOUR ANSWER HERE"
_MARK = {
    "correct": "\u2714",
    "not-yet": "\u2718",
    "not-attempted": "\u00b7",
    "written": "\u270e",
    "unchecked": "?",
}
_STATUS_TEXT = {
    "correct": "correct",
    "not-yet": "not yet",
    "not-attempted": "not attempted",
    "written": "written answer",
    "unchecked": "answered",
}


@dataclass
class ItemResult:
    """The verdict on one graded item of a lesson."""

    lesson: str
    item: str
    label: str
    status: Status
    max_points: float
    message: str = ""
    hint: str = ""
    words: int | None = None
    words_asked: tuple[int, int] | None = None
    checklist: list[str] = field(default_factory=list)

    @property
    def points(self) -> float | None:
        """Points this check gives: all for correct, none otherwise, None for written answers."""
        if self.status == "written":
            return None
        return self.max_points if self.status == "correct" else 0.0

    def as_json(self) -> dict[str, Any]:
        """The result as a JSON object (``lesson``, ``item``, ``status``, ``points`` and more)."""
        data: dict[str, Any] = {
            "lesson": self.lesson,
            "item": self.item,
            "status": self.status,
            "points": self.points,
            "max_points": self.max_points,
            "label": self.label,
        }
        for name in ("message", "hint", "words", "checklist"):
            value = getattr(self, name)
            if value not in ("", None, []):
                data[name] = value
        if self.words_asked:
            data["words_asked"] = list(self.words_asked)
        return data


@dataclass
class SelfChecks:
    """The self-check questions of a lesson the learner answered, and got right."""

    total: int = 0
    answered: set[str] = field(default_factory=set)
    right: set[str] = field(default_factory=set)


@dataclass
class LessonReport:
    """The scorecard of one lesson notebook."""

    lesson: str
    title: str
    notebook: Path
    results: list[ItemResult]
    notes: list[str] = field(default_factory=list)
    self_checks: SelfChecks = field(default_factory=SelfChecks)
    checked_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def autograded(self) -> list[ItemResult]:
        """The results of autograded items."""
        return [r for r in self.results if r.status != "written"]

    def written(self) -> list[ItemResult]:
        """The results of written items."""
        return [r for r in self.results if r.status == "written"]


# --- finding lessons ----------------------------------------------------------------------


def course_lessons() -> list[str]:
    """The names of the course's lessons, e.g. ``03-nafta-to-usmca``."""
    return sorted(path.stem for path in lessons_dir().glob("*.ipynb"))


def release_notebook(lesson: str) -> NotebookNode:
    """The blank student notebook of `lesson`, as shipped with the package."""
    return read_notebook(lessons_dir() / f"{lesson}.ipynb")


def _lesson_for_name(name: str, lessons: Sequence[str]) -> str | None:
    """The lesson a file name or argument names: full name, number ("3", "03") or topic."""
    from intermestic.save import assignment_name

    stem = assignment_name(Path(name).with_suffix(".ipynb"), set(lessons))
    if stem in lessons:
        return stem
    if name.isdigit():
        return next(
            (lesson for lesson in lessons if lesson.split("-")[0] == f"{int(name):02d}"), None
        )
    found = [lesson for lesson in lessons if lesson.split("-", 1)[-1] == name or name in lesson]
    return found[0] if len(found) == 1 else None


def find_lessons(arguments: Sequence[str], workspace: Path) -> list[tuple[str, Path]]:
    """The (lesson, notebook) pairs that `arguments` name, or every lesson in `workspace`.

    An argument is a lesson number (``3``), name (``03-nafta-to-usmca``, ``nafta-to-usmca``) or
    the path of a notebook.
    """
    lessons = course_lessons()
    if not arguments:
        if not workspace.is_dir():
            raise CourseError(
                f"{workspace}: no such folder; run `intermestic start` first, or name a "
                "lesson notebook to check"
            )
        found = [
            (lesson, path)
            for path in sorted(workspace.glob("*.ipynb"))
            if (lesson := _lesson_for_name(path.stem, lessons)) is not None
        ]
        if not found:
            raise CourseError(f"{workspace}: no lesson notebooks of the course in this folder")
        return found
    chosen = []
    for argument in arguments:
        path = Path(argument)
        if argument.endswith(".ipynb") or path.is_file():
            if not path.is_file():
                raise CourseError(f"{argument}: no such notebook")
            chosen.append((identify(read_notebook(path), path, lessons), path))
            continue
        lesson = _lesson_for_name(argument, lessons)
        if lesson is None:
            raise CourseError(
                f"{argument!r} is not a lesson of the course; lessons are "
                f"{', '.join(lessons)} (or give a lesson number such as 3)"
            )
        notebook = workspace / f"{lesson}.ipynb"
        if not notebook.is_file():
            raise CourseError(
                f"{lesson} is not in the workspace {workspace} (no {notebook.name}); run "
                "`intermestic start` to copy it there, or give the notebook's path"
            )
        chosen.append((lesson, notebook))
    return chosen


def _signature(notebook: NotebookNode) -> set[tuple[str, str]]:
    """The (grade_id, checksum) pairs of a notebook's locked cells."""
    return {
        (meta.get("grade_id", ""), meta.get("checksum", ""))
        for cell in notebook.cells
        if (meta := gradebanks.grading(cell)).get("locked") and meta.get("checksum")
    }


def identify(notebook: NotebookNode, path: Path, lessons: Sequence[str] | None = None) -> str:
    """The lesson `notebook` is a copy of, judged by its locked cells; CourseError if none."""
    lessons = list(lessons) if lessons is not None else course_lessons()
    own = _signature(notebook)
    best, best_share = None, 0.0
    for lesson in lessons:
        reference = _signature(release_notebook(lesson))
        share = len(own & reference) / len(reference) if reference else 0.0
        if share > best_share:
            best, best_share = lesson, share
    if best is None or best_share < 0.5:
        raise CourseError(
            f"{path}: this notebook is not a lesson of this course (its locked cells match none "
            "of the lessons)"
        )
    return best


# --- judging ------------------------------------------------------------------------------


def _words(markdown: str) -> int:
    text = re.sub(r"[#*_`>|-]", " ", markdown)
    return len([w for w in text.split() if any(c.isalnum() for c in w)])


def written_result(lesson: str, item: WrittenItem, bank_entry: Mapping[str, Any] | None,
                   source: str | None) -> ItemResult:  # fmt: skip
    """The checklist and word count of a written answer."""
    text = (source or "").strip()
    drafted = bool(text) and text != WRITTEN_PLACEHOLDER
    words_asked = item.words
    if bank_entry is not None and bank_entry.get("words"):
        low, high = bank_entry["words"]
        words_asked = (int(low), int(high))
    return ItemResult(
        lesson=lesson,
        item=item.item,
        label=item.label,
        status="written",
        max_points=item.points,
        words=_words(text) if drafted else 0,
        words_asked=words_asked,
        checklist=list(bank_entry["checklist"]) if bank_entry else item.checklist,
        message="" if drafted else "Not written yet.",
    )


def _test_message(ename: str, evalue: str, variables: Iterable[str]) -> tuple[bool, str]:
    """(attempted, message) for a failing visible test."""
    if ename == "NameError" and any(f"'{v}'" in evalue for v in variables):
        return False, ""
    if ename == "AssertionError":
        return True, evalue or "The visible test failed."
    return True, f"{ename}: {evalue}" if evalue else ename


def _judge_code(item: Mapping[str, Any], salt: str, lesson: str) -> str:
    """Python code that judges every answer of a bank entry in the kernel, as JSON text."""
    parts = []
    for variable, entry in item["answers"].items():
        scope = f"{lesson}/{item['item']}/{variable}"
        parts.append(
            f"__import__('json').loads(__import__('intermestic.answer_checks', "
            f"fromlist=['judge_json']).judge_json({variable}, {entry['spec']!r}, "
            f"{entry['key']!r}, {salt!r}, {scope!r}, {variable!r}))"
        )
    return f"__import__('json').dumps([{', '.join(parts)}])"


def _verdict(judgements: list[dict[str, Any]]) -> tuple[bool, str]:
    wrong = [j["message"] for j in judgements if not j["correct"]]
    return (not wrong, " ".join(wrong))


# --- running a learner's notebook ----------------------------------------------------------


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
    ]


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _runs_the_check(source: str) -> bool:
    """Whether a cell calls check_my_work() (it is skipped when a whole notebook is checked)."""
    tree = _parse(source)
    return tree is not None and bool(_calls(tree, "check_my_work"))


def self_check_ids(notebook: NotebookNode) -> list[str]:
    """The self-check question ids a lesson asks (``ask("03.1")`` and ``answer("03.1", ...)``)."""
    found: list[str] = []
    for cell in notebook.cells:
        tree = _parse(cell.source) if cell.cell_type == "code" else None
        if tree is None:
            continue
        for call in _calls(tree, "ask") + _calls(tree, "answer"):
            first = call.args[0] if call.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found += [] if first.value in found else [first.value]
    return found


def _answer_calls(notebook: NotebookNode) -> list[tuple[str, str]]:
    """(question id, response source) of every ``answer(...)`` call in the learner's code."""
    calls = []
    for cell in notebook.cells:
        tree = _parse(cell.source) if cell.cell_type == "code" else None
        for call in _calls(tree, "answer") if tree is not None else []:
            if len(call.args) == 2 and isinstance(call.args[0], ast.Constant):
                calls.append((str(call.args[0].value), ast.unparse(call.args[1])))
    return calls


@dataclass
class _Run:
    """What happened to one cell while the notebook was checked."""

    status: str
    ename: str = ""
    evalue: str = ""


def _title(release: NotebookNode, lesson: str) -> str:
    for cell in release.cells:
        if cell.cell_type == "markdown":
            found = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if found:
                return found.group(1).strip()
    return lesson


def check_notebook(
    path: Path,
    lesson: str | None = None,
    *,
    cell_timeout: float = CELL_TIMEOUT,
    lesson_timeout: float = LESSON_TIMEOUT,
    graded_dir: Path = gradebanks.GRADED_DIR,
) -> LessonReport:
    """Execute the learner's notebook at `path` in a fresh kernel and judge its graded items."""
    from intermestic.kernels import Kernel, KernelHungError

    notebook = read_notebook(path)
    lesson = lesson or identify(notebook, path)
    release = release_notebook(lesson)
    items = gradebanks.lesson_items(release)
    bank = None if gradebanks.left_out(graded_dir) else gradebanks.load_bank(lesson, graded_dir)
    entries = gradebanks.bank_items(bank)
    tests = items.by_id()
    learner = _by_id(notebook)
    released = _by_id(release)
    answer_runs: dict[str, _Run] = {}
    results: dict[str, ItemResult] = {}
    notes: list[str] = []
    deadline = time.monotonic() + lesson_timeout
    # Test cells the learner deleted are run at the end, as the course's copy.
    order = list(notebook.cells) + [
        cell
        for cell in release.cells
        if gradebanks.is_test_cell(cell) and grade_id(cell) not in learner
    ]
    self_checks = SelfChecks(total=len(self_check_ids(release)))
    if _untouched(notebook, release):
        return _blank_report(lesson, release, items, path, self_checks, bank, graded_dir)
    try:
        with Kernel(path.parent) as kernel:
            for cell in order:
                if cell.cell_type != "code" or _runs_the_check(cell.source):
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    notes.append(
                        f"The whole notebook ran for more than {lesson_timeout:.0f} s, so the "
                        "check stopped there; items after it are not attempted."
                    )
                    break
                cid = grade_id(cell) or ""
                item = tests.get(cid)
                source = item.test_source if item is not None else cell.source
                run = kernel.run(source, min(cell_timeout, remaining))
                outcome = _Run(run.status, run.ename, run.evalue)
                if gradebanks.is_answer_cell(cell):
                    answer_runs[cid] = outcome
                if item is not None:
                    results[cid] = _judge_item(
                        kernel, lesson, item, entries.get(cid), bank, (learner, released),
                        answer_runs, outcome, cell_timeout,
                    )  # fmt: skip
                elif run.status == "timeout":
                    notes.append(
                        f"Cell {cid or '(no id)'} ran for more than {cell_timeout:.0f} s and was "
                        "stopped; look for a loop that never ends."
                    )
            _self_checks_from_calls(kernel, notebook, self_checks)
    except KernelHungError as error:
        raise CourseError(
            f"{path}: {error}; check the cell that was running for an endless loop"
        ) from None
    written = gradebanks.written_entries(bank)
    ordered = [
        results.get(item.item)
        or ItemResult(lesson, item.item, item.label, "not-attempted", item.points)
        for item in items.autograded
    ]
    ordered += [
        written_result(lesson, item, written.get(item.item), _source(learner.get(item.item)))
        for item in items.written
    ]
    report = LessonReport(lesson, _title(release, lesson), path, ordered, notes, self_checks)
    _note_bank(report, bank, graded_dir)
    return report


def _by_id(notebook: NotebookNode) -> dict[str, NotebookNode]:
    """The cells of `notebook` that have a grade_id, by grade_id."""
    return {cid: cell for cell in notebook.cells if (cid := grade_id(cell))}


def _untouched(notebook: NotebookNode, release: NotebookNode) -> bool:
    """Whether every cell of the learner's notebook is still as released."""
    return [c.source for c in notebook.cells] == [c.source for c in release.cells]


def _blank_report(
    lesson: str,
    release: NotebookNode,
    items: gradebanks.LessonItems,
    path: Path,
    self_checks: SelfChecks,
    bank: Mapping[str, Any] | None,
    graded_dir: Path,
) -> LessonReport:
    """The report of a notebook nobody has answered yet (no kernel needed)."""
    written = gradebanks.written_entries(bank)
    results = [
        ItemResult(lesson, item.item, item.label, "not-attempted", item.points)
        for item in items.autograded
    ] + [written_result(lesson, item, written.get(item.item), None) for item in items.written]
    report = LessonReport(lesson, _title(release, lesson), path, results, [], self_checks)
    _note_bank(report, bank, graded_dir)
    return report


def _source(cell: NotebookNode | None) -> str | None:
    return None if cell is None else cell.source


def _note_bank(report: LessonReport, bank: Mapping[str, Any] | None, graded_dir: Path) -> None:
    if gradebanks.left_out(graded_dir):
        report.notes.append(
            "Your instructor left the answer checks out of this release: answered items show "
            "whether their visible test passes; the values are marked when you hand in."
        )
    elif bank is None:
        report.notes.append(
            "This version of the course has no answer checks for this lesson; answered items "
            "show whether their visible test passes."
        )


def _judge_item(
    kernel: Any,
    lesson: str,
    item: AutogradedItem,
    entry: Mapping[str, Any] | None,
    bank: Mapping[str, Any] | None,
    sources: tuple[Mapping[str, NotebookNode], Mapping[str, NotebookNode]],
    answer_runs: Mapping[str, _Run],
    test: _Run,
    cell_timeout: float,
) -> ItemResult:
    """The verdict on an item right after its test cell ran in the learner's kernel.

    `sources` are the learner's and the release's cells by grade_id.
    """
    learner, release = sources
    result = ItemResult(lesson, item.item, item.label, "not-yet", item.points, hint=item.hint)
    if all(
        _same_code(_source(learner.get(cid)), _source(release.get(cid)))
        for cid in item.answer_cells
    ):
        result.status, result.hint = "not-attempted", ""
        return result
    answers = [run for cid in item.answer_cells if (run := answer_runs.get(cid)) is not None]
    if any(run.status == "timeout" for run in answers):
        result.message = (
            f"Your answer cell ran for more than {cell_timeout:.0f} s and was stopped: look for "
            "a loop that never ends."
        )
        return result
    if test.status == "timeout":
        result.message = f"The test ran for more than {cell_timeout:.0f} s and was stopped."
        return result
    variables = list(entry["answers"]) if entry else _assigned(item, learner)
    if test.status != "ok":
        attempted, message = _test_message(test.ename, test.evalue, variables)
        failed = next((run for run in answers if run.status == "error"), None)
        if not attempted and (failed is None or failed.ename == "NotImplementedError"):
            result.status, result.hint = "not-attempted", ""
            return result
        if not attempted and failed is not None:
            message = f"Your answer cell raised {failed.ename}: {failed.evalue}"
        result.message = message
        return result
    if entry is None or bank is None:
        result.status, result.hint = "unchecked", ""
        return result
    judgements = kernel.json_value(_judge_code(entry, bank["salt"], lesson), timeout=cell_timeout)
    correct, message = _verdict(judgements)
    if correct:
        result.status, result.hint = "correct", ""
    else:
        result.message = message
    return result


def _same_code(learner: str | None, release: str | None) -> bool:
    """Whether the learner left an answer cell as released (or deleted it)."""
    return learner is None or learner.strip() == (release or "").strip()


def _self_checks_from_calls(kernel: Any, notebook: NotebookNode, found: SelfChecks) -> None:
    """Record the self-checks the learner answered in code with ``answer(...)``."""
    for question, response in _answer_calls(notebook):
        expression = (
            "__import__('json').dumps(__import__('intermestic.quiz', fromlist=['answer'])"
            f".answer({question!r}, {response}).status)"
        )
        try:
            status = kernel.json_value(expression, timeout=30)
        except RuntimeError:
            continue
        if status in ("correct", "close", "incorrect"):
            found.answered.add(question)
        if status == "correct":
            found.right.add(question)


# --- several lessons, and the command line ------------------------------------------------


def check_lessons(
    arguments: Sequence[str],
    workspace: Path = DEFAULT_WORKSPACE,
    *,
    cell_timeout: float = CELL_TIMEOUT,
    lesson_timeout: float = LESSON_TIMEOUT,
) -> tuple[list[LessonReport], list[str]]:
    """Check every lesson `arguments` name (default: all in `workspace`); return the reports
    and a one-sentence error for each notebook that could not be checked."""
    reports, errors = [], []
    for lesson, path in find_lessons(arguments, workspace):
        try:
            reports.append(
                check_notebook(
                    path, lesson, cell_timeout=cell_timeout, lesson_timeout=lesson_timeout
                )
            )
        except CourseError as error:
            errors.append(str(error))
    return reports, errors


def _points(value: float) -> str:
    return f"{value:g}"


def totals(report: LessonReport) -> dict[str, float]:
    """Points and item counts of a report: correct, attempted, possible, written."""
    auto = report.autograded()
    return {
        "points": sum(r.points or 0.0 for r in auto),
        "max_points": sum(r.max_points for r in auto),
        "correct": sum(r.status == "correct" for r in auto),
        "attempted": sum(r.status != "not-attempted" for r in auto),
        "items": len(auto),
        "written": len(report.written()),
        "drafted": sum(bool(r.words) for r in report.written()),
        "written_points": sum(r.max_points for r in report.written()),
    }


def summary_line(report: LessonReport) -> str:
    """The totals of a lesson in one sentence."""
    t = totals(report)
    line = (
        f"Total: {_points(t['points'])} of {_points(t['max_points'])} autograded points correct "
        f"({t['correct']:g} of {t['items']:g} items; {t['attempted']:g} attempted)"
    )
    if t["written"]:
        line += (
            f"; {t['drafted']:g} of {t['written']:g} written answers drafted "
            f"({_points(t['written_points'])} points, marked by your instructor)"
        )
    return line + "."


def render_text(reports: Sequence[LessonReport]) -> str:
    """The scorecards as plain text for a terminal or a notebook without widgets."""
    lines: list[str] = []
    for report in reports:
        lines.append(f"{report.title}  ({report.notebook.name})")
        for result in report.results:
            points = (
                f"{_points(result.max_points)} pts, marked by your instructor"
                if result.status == "written"
                else f"{_points(result.points or 0)}/{_points(result.max_points)}"
            )
            status = _STATUS_TEXT[result.status]
            lines.append(f"  {_MARK[result.status]} {result.label:<12} {status:<15} {points}")
            lines += [f"      {text}" for text in _details(result)]
        lines.append(f"  {summary_line(report)}")
        lines += [f"  Note: {note}" for note in report.notes]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _details(result: ItemResult) -> list[str]:
    details = []
    if result.message:
        details.append(("Test: " if result.status == "not-yet" else "") + result.message)
    if result.hint:
        details.append(f"Hint: {result.hint}")
    if result.status == "written":
        if result.words:
            details.append(f"{result.words} words{_asked(result.words_asked)}.")
        details.append("Before you hand it in, check that your answer:")
        details += [f"  [ ] {point}" for point in result.checklist]
    return details


def _asked(words: tuple[int, int] | None) -> str:
    if words is None:
        return ""
    low, high = words
    size = f"about {low}" if low == high else f"{low}\u2013{high}"
    return f" (the question asks for {size})"


def render_json(reports: Sequence[LessonReport]) -> str:
    """Every verdict as a JSON list of objects with ``lesson``, ``item``, ``status``, ``points``."""
    return json.dumps([r.as_json() for report in reports for r in report.results], indent=2)


def run_command(
    arguments: Sequence[str],
    workspace: Path,
    *,
    as_json: bool,
    cell_timeout: float,
    lesson_timeout: float,
) -> int:
    """``intermestic check``: print the scorecards; 0 even when answers are wrong."""
    import sys

    from intermestic import progress

    reports, errors = check_lessons(
        arguments, workspace, cell_timeout=cell_timeout, lesson_timeout=lesson_timeout
    )
    for report in reports:
        progress.record(report)
    print(render_json(reports) if as_json else render_text(reports), end="")
    for error in errors:
        print(f"intermestic: error: {error}", file=sys.stderr)
    return 2 if errors else 0


# --- in a notebook --------------------------------------------------------------------------


def check_namespace(
    lesson: str,
    namespace: dict[str, Any],
    notebook: NotebookNode | None = None,
    *,
    graded_dir: Path = gradebanks.GRADED_DIR,
) -> LessonReport:
    """The scorecard of `lesson` for the values in a running kernel's `namespace`.

    Each item's visible test runs in the namespace, then its answers are judged. Written
    answers are counted from `notebook` (the last saved copy), when given.
    """
    from intermestic.answer_checks import judge

    release = release_notebook(lesson)
    items = gradebanks.lesson_items(release)
    bank = None if gradebanks.left_out(graded_dir) else gradebanks.load_bank(lesson, graded_dir)
    entries = gradebanks.bank_items(bank)
    learner = _by_id(notebook) if notebook is not None else {}
    results = []
    for item in items.autograded:
        entry = entries.get(item.item)
        result = ItemResult(lesson, item.item, item.label, "not-yet", item.points, hint=item.hint)
        results.append(result)
        try:
            exec(compile(item.test_source, f"<test {item.item}>", "exec"), namespace)
        except Exception as error:
            variables = list(entry["answers"]) if entry else _assigned(item, learner)
            attempted, message = _test_message(type(error).__name__, str(error), variables)
            if not attempted or isinstance(error, NotImplementedError):
                result.status, result.hint = "not-attempted", ""
            result.message = message if attempted else ""
            continue
        if entry is None or bank is None:
            result.status, result.hint = "unchecked", ""
            continue
        wrong = []
        for variable, answer in entry["answers"].items():
            scope = f"{lesson}/{item.item}/{variable}"
            verdict = judge(
                namespace.get(variable), answer["spec"], answer["key"], bank["salt"], scope,
                variable,
            )  # fmt: skip
            if not verdict.correct:
                wrong.append(verdict.message)
        if wrong:
            result.message = " ".join(wrong)
        else:
            result.status, result.hint = "correct", ""
    written = gradebanks.written_entries(bank)
    results += [
        written_result(lesson, item, written.get(item.item), _source(learner.get(item.item)))
        for item in items.written
    ]
    report = LessonReport(lesson, _title(release, lesson), Path(f"{lesson}.ipynb"), results)
    report.self_checks.total = len(self_check_ids(release))
    _note_bank(report, bank, graded_dir)
    return report


def _assigned(item: AutogradedItem, learner: Mapping[str, NotebookNode]) -> list[str]:
    """Names the learner's answer cells of `item` assign (used without a bank)."""
    names = []
    for cid in item.answer_cells:
        tree = _parse(_source(learner.get(cid)) or "")
        for node in getattr(tree, "body", []):
            if isinstance(node, ast.Assign):
                names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return names


def live_self_checks(report: LessonReport) -> None:
    """Add the self-checks answered with the Check button in this kernel to `report`."""
    import gc

    from intermestic.quiz import QuestionBox

    for box in (obj for obj in gc.get_objects() if isinstance(obj, QuestionBox)):
        question = str(box.question.get("id", ""))
        if box.last_feedback is None or not question.startswith(report.lesson[:2]):
            continue
        report.self_checks.answered.add(question)
        if box.last_feedback.correct:
            report.self_checks.right.add(question)
