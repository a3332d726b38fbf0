"""Check every submission before grading, so that no single notebook can stop a class run:
file-level repairs nbgrader does not make, then quarantine (with a reason) for what cannot be
graded. Cell-level repairs (grade cell types, points and locked sources, duplicated grade ids,
the kernelspec) are nbgrader's own autograde steps (see ``preprocessors.SANITIZE``).

Each step has one job; the notebook steps take the submitted and the released notebook and
return what they changed, or raise Quarantine.
"""

from __future__ import annotations

import copy
import json
import shutil
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.corpus.words import generate_corpus_id

from intermestic.grading.course import Course

OK, REPAIRED, QUARANTINED = "ok", "repaired", "quarantined"
REASON_FILE = "QUARANTINED.txt"


class Quarantine(Exception):
    """A submission that cannot be graded safely; the message is the reason."""


@dataclass
class Check:
    """The preflight outcome of one student's submission."""

    student: str
    status: str = OK
    notes: list[str] = field(default_factory=list)


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def match_names(folder: Path, expected: list[str]) -> list[str]:
    """Rename a lone notebook with another name to the one the assignment expects; Quarantine
    when an expected notebook is missing and cannot be told."""
    present = {p.name for p in folder.glob("*.ipynb")}
    missing = sorted(set(expected) - present)
    extra = sorted(present - set(expected))
    if not missing:
        return []
    if len(missing) == 1 and len(extra) == 1:
        (folder / extra[0]).rename(folder / missing[0])
        return [f"renamed {extra[0]} to {missing[0]}"]
    found = f"found {', '.join(extra)}" if extra else "found no other notebook"
    raise Quarantine(f"{', '.join(missing)} missing ({found})")


def strip_null_bytes(raw: bytes) -> tuple[bytes, list[str]]:
    """The file without null bytes (which no text editor writes), and whether any were there."""
    if b"\x00" not in raw:
        return raw, []
    return raw.replace(b"\x00", b""), ["removed null bytes from the file"]


def parse(raw: bytes) -> NotebookNode:
    """The notebook in ``raw`` (nbformat 4); Quarantine if it is not UTF-8 JSON of a notebook."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Quarantine("not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Quarantine(f"invalid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells", []), list):
        raise Quarantine("not a notebook (no list of cells)")
    try:
        with warnings.catch_warnings():  # e.g. duplicated cell ids, which nbformat repairs
            warnings.simplefilter("ignore")
            return nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises many types for malformed notebooks
        raise Quarantine(f"not a notebook ({type(exc).__name__}: {exc})") from None


def strip_null_characters(nb: NotebookNode, release: NotebookNode) -> list[str]:
    """Remove null characters from cell sources (Python refuses to run them)."""
    changed = 0
    for cell in nb.cells:
        source = cell.get("source", "")
        if isinstance(source, str) and "\x00" in source:
            cell.source = source.replace("\x00", "")
            changed += 1
    return [f"removed null characters from {changed} cell(s)"] if changed else []


def restore_deleted_grade_cells(nb: NotebookNode, release: NotebookNode) -> list[str]:
    """Put back every graded cell (test or written answer) the submission lost or stripped of
    its nbgrader metadata, copied from the release, after the cells that precede it there.

    nbgrader 0.9.6 does not by default, and its ``OverwriteCells.add_missing_cells`` fails on a
    written answer that follows a locked prompt, as every one in this course does.
    """
    notes = []
    present = {gid for gid in map(_grade_id, nb.cells) if gid}
    for position, reference in enumerate(release.cells):
        gid = _grade_id(reference)
        if not gid or gid in present or not reference.metadata["nbgrader"].get("grade"):
            continue
        earlier = {_grade_id(c) for c in release.cells[:position]} - {None}
        after = max((i for i, c in enumerate(nb.cells) if _grade_id(c) in earlier), default=-1)
        restored = copy.deepcopy(reference)
        if "id" in restored and restored.id in {c.get("id") for c in nb.cells}:
            restored.id = generate_corpus_id()  # the stripped copy keeps the release's id
        nb.cells.insert(after + 1, restored)
        present.add(gid)
        notes.append(f"restored missing cell {gid} from the release")
    return notes


def validate(nb: NotebookNode, release: NotebookNode) -> list[str]:
    """Quarantine a notebook that nbformat's schema rejects."""
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise Quarantine(f"not a valid notebook ({exc.message})") from None
    return []


NotebookStep = Callable[[NotebookNode, NotebookNode], list[str]]
NOTEBOOK_STEPS: tuple[NotebookStep, ...] = (
    strip_null_characters,
    restore_deleted_grade_cells,
    validate,
)


def repair_notebook(raw: bytes, release: NotebookNode) -> tuple[NotebookNode, list[str]]:
    """The submitted notebook ``raw`` made safe to grade against ``release``, with what changed.

    Raises Quarantine when that is not possible.
    """
    raw, notes = strip_null_bytes(raw)
    nb = parse(raw)
    for step in NOTEBOOK_STEPS:
        notes += step(nb, release)
    return nb, notes


def _check_student(
    course: Course, assignment: str, student: str, folder: Path, releases: dict[str, NotebookNode]
) -> Check:
    """Repair one student's submission in place, keeping the originals; raise Quarantine."""
    check = Check(student)
    originals = originals_dir(course, assignment, student)
    before = {p.name: p.read_bytes() for p in folder.glob("*.ipynb")}
    check.notes += match_names(folder, sorted(releases))
    for name, release in releases.items():
        path = folder / name
        raw = path.read_bytes()
        try:
            nb, notes = repair_notebook(raw, release)
        except Quarantine as exc:
            raise Quarantine(f"{name}: {exc}") from None
        if notes:
            path.write_text(nbformat.writes(nb, version=4), encoding="utf-8")
            check.notes += [f"{name}: {note}" for note in notes]
    if check.notes:
        check.status = REPAIRED
        originals.mkdir(parents=True, exist_ok=True)
        for name, data in before.items():
            if not (originals / name).exists():
                (originals / name).write_bytes(data)
    return check


def _quarantine(course: Course, assignment: str, student: str, folder: Path, reason: str) -> None:
    """Move a submission to ``quarantine/<student>/<assignment>/`` with its reason."""
    target = course.root / "quarantine" / student / assignment
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(folder), str(target))
    (target / REASON_FILE).write_text(reason + "\n", encoding="utf-8")
    if not any(folder.parent.iterdir()):
        folder.parent.rmdir()


def _retire_quarantine(course: Course, assignment: str, student: str) -> None:
    """Move an earlier quarantined copy out of the way of a submission that passes now."""
    earlier = course.root / "quarantine" / student / assignment
    if not earlier.is_dir():
        return
    kept = course.state / "preflight" / assignment / "was-quarantined" / student
    if kept.exists():
        shutil.rmtree(kept)
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(earlier), str(kept))
    if not any(earlier.parent.iterdir()):
        earlier.parent.rmdir()


def originals_dir(course: Course, assignment: str, student: str) -> Path:
    """Where preflight keeps a student's notebooks as submitted, before its repairs."""
    return course.state / "preflight" / assignment / "originals" / student


def report_path(course: Course, assignment: str) -> Path:
    """Where the latest preflight outcome of every student of ``assignment`` is recorded."""
    return course.state / "preflight" / f"{assignment}.json"


def load_report(course: Course, assignment: str) -> dict[str, Check]:
    """The recorded preflight outcomes of ``assignment``, by student."""
    path = report_path(course, assignment)
    if not path.is_file():
        return {}
    return {s: Check(**c) for s, c in json.loads(path.read_text(encoding="utf-8")).items()}


def preflight(course: Course, assignment: str) -> list[Check]:
    """Check, repair or quarantine every submission of ``assignment``; record the outcomes."""
    course.check_assignment(assignment)
    releases = {
        p.name: nbformat.read(p, as_version=4) for p in course.release_notebooks(assignment)
    }
    checks = []
    for student, folder in course.submitted(assignment).items():
        try:
            check = _check_student(course, assignment, student, folder, releases)
        except OSError as exc:
            reason = f"preflight could not read it ({type(exc).__name__}: {exc})"
            _quarantine(course, assignment, student, folder, reason)
            check = Check(student, QUARANTINED, [reason])
        except Quarantine as exc:
            _quarantine(course, assignment, student, folder, str(exc))
            check = Check(student, QUARANTINED, [str(exc)])
        else:
            _retire_quarantine(course, assignment, student)
        checks.append(check)
    recorded = load_report(course, assignment)
    for check in checks:
        earlier = recorded.get(check.student)
        repaired_before = earlier is not None and earlier.status == REPAIRED
        if not (
            check.status == OK
            and repaired_before
            and originals_dir(course, assignment, check.student).is_dir()
        ):
            recorded[check.student] = check
    path = report_path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({s: asdict(c) for s, c in sorted(recorded.items())}, indent=1), encoding="utf-8"
    )
    return checks
