"""Check every submission before grading: repair what is safe from the release, quarantine
the rest with a reason, so that no single notebook can stop a class run.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

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


def _must_exist(meta: dict) -> bool:
    """Whether a release cell must be in every submission: tests, manual answers, locked cells."""
    return bool(meta.get("grade") or meta.get("locked"))


def _retype(cell: NotebookNode, cell_type: str) -> NotebookNode:
    """``cell`` as a ``cell_type`` cell with the same source and metadata."""
    make = nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell
    new = make(source=cell.source, metadata=cell.metadata)
    if "id" in cell:
        new.id = cell.id
    return new


def _remove_duplicates(
    nb: NotebookNode, release: dict[str, NotebookNode], notes: list[str]
) -> None:
    """Keep one copy of every grade id: the release's copy of a locked cell, the student's last
    copy of an answer (earlier copies stay as ordinary cells)."""
    counts = Counter(gid for gid in map(_grade_id, nb.cells) if gid)
    for gid in sorted(g for g, n in counts.items() if n > 1):
        copies = [i for i, cell in enumerate(nb.cells) if _grade_id(cell) == gid]
        reference = release.get(gid)
        if reference is not None and reference.metadata["nbgrader"].get("locked"):
            same = [i for i in copies if nb.cells[i].source == reference.source]
            keep = same[0] if same else copies[0]
            nb.cells = [c for i, c in enumerate(nb.cells) if i == keep or i not in copies]
            notes.append(f"removed {len(copies) - 1} duplicated copy(ies) of locked cell {gid}")
        else:
            for i in copies[:-1]:
                del nb.cells[i].metadata["nbgrader"]
            notes.append(f"cell {gid} was duplicated: graded the last copy")


def _restore_metadata(nb: NotebookNode, release: dict[str, NotebookNode], notes: list[str]) -> None:
    """Give every known cell its release metadata and type; drop unknown grade ids."""
    for index, cell in enumerate(nb.cells):
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        gid = _grade_id(cell)
        reference = release.get(gid) if gid else None
        if reference is None:
            del cell.metadata["nbgrader"]
            notes.append(f"dropped nbgrader metadata of a cell with unknown grade id {gid!r}")
            continue
        if cell.metadata["nbgrader"] != reference.metadata["nbgrader"]:
            cell.metadata["nbgrader"] = copy.deepcopy(reference.metadata["nbgrader"])
            notes.append(f"restored the nbgrader metadata of cell {gid}")
        if cell.cell_type != reference.cell_type:
            nb.cells[index] = _retype(cell, reference.cell_type)
            notes.append(f"cell {gid} is a {reference.cell_type} cell again")


def _restore_missing(nb: NotebookNode, release_cells: list[NotebookNode], notes: list[str]) -> None:
    """Put back deleted tests, manual answers and locked cells, copied from the release."""
    present = {gid for gid in map(_grade_id, nb.cells) if gid}
    for position, reference in enumerate(release_cells):
        gid = _grade_id(reference)
        if not gid or gid in present or not _must_exist(reference.metadata["nbgrader"]):
            continue
        earlier = {_grade_id(c) for c in release_cells[:position]} - {None}
        after = max((i for i, c in enumerate(nb.cells) if _grade_id(c) in earlier), default=-1)
        restored = copy.deepcopy(reference)
        nb.cells.insert(after + 1, restored)
        present.add(gid)
        notes.append(f"restored missing cell {gid} from the release")


def _unique_ids(nb: NotebookNode) -> None:
    """Give every cell a present, unique id (nbformat 4.5 requires both)."""
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):
        return
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        base = cell.get("id") or f"cell-{index}"
        candidate, n = base, 1
        while candidate in seen:
            candidate, n = f"{base}-{n}", n + 1
        cell.id = candidate
        seen.add(candidate)


def _read(raw: bytes, notes: list[str]) -> NotebookNode:
    """Parse a submitted notebook, removing null bytes; Quarantine if it cannot be read."""
    if b"\x00" in raw:
        raw = raw.replace(b"\x00", b"")
        notes.append("removed null bytes from the file")
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
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises many types for malformed notebooks
        raise Quarantine(f"not a notebook ({type(exc).__name__}: {exc})") from None
    for cell in nb.cells:
        source = cell.get("source", "")
        if isinstance(source, str) and "\x00" in source:
            cell.source = source.replace("\x00", "")
            notes.append("removed null characters from a cell")
    return nb


def repair_notebook(raw: bytes, release: NotebookNode) -> tuple[NotebookNode, list[str]]:
    """The submitted notebook ``raw`` made safe to grade against ``release``, with what changed.

    Raises Quarantine when that is not possible.
    """
    notes: list[str] = []
    nb = _read(raw, notes)
    by_id = {_grade_id(c): c for c in release.cells if _grade_id(c)}
    _remove_duplicates(nb, by_id, notes)
    _restore_metadata(nb, by_id, notes)
    _restore_missing(nb, release.cells, notes)
    wanted = release.metadata.get("kernelspec", {})
    if nb.metadata.get("kernelspec", {}).get("name") != wanted.get("name"):
        found = nb.metadata.get("kernelspec", {}).get("name")
        nb.metadata["kernelspec"] = copy.deepcopy(wanted)
        notes.append(f"kernel {found!r} replaced by {wanted.get('name')!r}")
    _unique_ids(nb)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise Quarantine(f"not a valid notebook ({exc.message})") from None
    return nb, notes


def _match_names(folder: Path, expected: list[str], notes: list[str]) -> None:
    """Rename a lone notebook with another name to the one the assignment expects."""
    present = {p.name for p in folder.glob("*.ipynb")}
    missing = sorted(set(expected) - present)
    extra = sorted(present - set(expected))
    if not missing:
        return
    if len(missing) == 1 and len(extra) == 1:
        (folder / extra[0]).rename(folder / missing[0])
        notes.append(f"renamed {extra[0]} to {missing[0]}")
        return
    found = f"found {', '.join(extra)}" if extra else "found no other notebook"
    raise Quarantine(f"{', '.join(missing)} missing ({found})")


def _check_student(
    course: Course, assignment: str, student: str, folder: Path, releases: dict[str, NotebookNode]
) -> Check:
    """Repair one student's submission in place, keeping the originals; raise Quarantine."""
    check = Check(student)
    originals = originals_dir(course, assignment, student)
    before = {p.name: p.read_bytes() for p in folder.glob("*.ipynb")}
    _match_names(folder, sorted(releases), check.notes)
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
        except Quarantine as exc:
            _quarantine(course, assignment, student, folder, str(exc))
            check = Check(student, QUARANTINED, [str(exc)])
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
