"""A fixture class: one submission of every kind an instructor meets, built from the real
source (solutions) and release of an assignment, each with the outcome it must get, as a
Canvas download with its roster; and the checks every graded copy of it must pass.
"""

from __future__ import annotations

import copy
import csv
import json
import shutil
import subprocess
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from tests.course import ALWAYS_EQUAL as ALWAYS_EQUAL_CLASS
from tests.course import AUTOGRADER, lesson_notebook

ASSIGNMENT = "00-start-here"
FORK_ATTEMPTS = 200  # the fork bomb stops by itself here, whatever the limit does
PROCESSES = 64  # the fork bomb must stop here, well below its own bound
# A cell limit long enough for the fork bomb on a busy machine, short for the endless loops.
LIMITS = ("--timeout-cell", "10", "--memory", "2G", "--processes", str(PROCESSES))

ALWAYS_EQUAL = ALWAYS_EQUAL_CLASS + "q1 = _AlwaysEqual(1.0)\ntrade_2017_bn = _AlwaysEqual(1.0)\n"
WRITE_GRADEBOOK = """
import sqlite3
for path in ("../../gradebook.db", "../../../gradebook.db"):
    try:
        db = sqlite3.connect(path)
        db.execute("UPDATE grade SET manual_score = 99")
        db.commit()
        print("CHEAT wrote", path)
    except Exception as exc:
        print("blocked", path, type(exc).__name__)
q1 = "a"
"""
READ_SOURCE = """
import glob, os
import intermestic
repo = os.path.join(os.path.dirname(intermestic.__file__), "..", "..")
found = glob.glob("../../../source/*/*.ipynb") + glob.glob(repo + "/autograder/source/*/*")
print("CHEAT read" if found else "blocked: no source visible", found)
q1 = "b" if found else "a"
"""
OTHER_STUDENT = """
import glob
found = glob.glob("../../*/00-start-here/*.ipynb") + glob.glob("../../../submitted/*/*/*.ipynb")
found = [f for f in found if "otherstudent" not in f]
print("CHEAT read" if found else "blocked: no classmate visible", found)
q1 = "b" if found else "a"
"""
NETWORK = """
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
    print("CHEAT connected")
    q1 = "b"
except OSError as exc:
    print("blocked", type(exc).__name__, exc)
    q1 = "a"
"""
FORK_BOMB = f"""
import os
# Each child waits until the parent has stopped forking, so that all are alive at once.
wait, done = os.pipe()
children, limited = [], False
for _ in range({FORK_ATTEMPTS}):
    try:
        pid = os.fork()
    except OSError:
        limited = True
        break
    if pid == 0:
        os.close(done)
        os.read(wait, 1)
        os._exit(0)
    children.append(pid)
os.close(done)
for pid in children:
    os.waitpid(pid, 0)
print(f"forks={{len(children)}} limited={{limited}}")
q1 = "b"
"""


@dataclass(frozen=True)
class Expected:
    """The outcome a kind of submission must get."""

    preflight: str  # ok, repaired or quarantined
    status: str  # graded, failed or quarantined
    score: float | None  # autograded points; None when not graded
    cheat: bool = False  # the sandbox must block it: it prints "blocked", never "CHEAT"


def _read(path: Path) -> NotebookNode:
    return nbformat.read(path, as_version=4)


def _gid(cell: NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


class Assignment:
    """The real source and release of the fixture assignment."""

    def __init__(self, course: Path) -> None:
        name = ASSIGNMENT
        self.source = _read(course / "source" / name / f"{name}.ipynb")
        self.release = _read(course / "release" / name / f"{name}.ipynb")
        self.solutions = {_gid(c): c.source for c in self.source.cells if _gid(c)}

    @classmethod
    def from_checkout(cls) -> Assignment:
        """The assignment as the repository holds it: the source and the released lesson (which
        a test keeps identical to nbgrader's release)."""
        made = cls.__new__(cls)
        made.source = _read(AUTOGRADER / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
        made.release = _read(lesson_notebook(ASSIGNMENT))
        made.solutions = {_gid(c): c.source for c in made.source.cells if _gid(c)}
        return made

    def notebook(self, answers: dict[str, str] | None = None, solve: tuple = ()) -> NotebookNode:
        """The release with the answer cells in ``solve`` solved and ``answers`` written in."""
        nb = copy.deepcopy(self.release)
        for cell in nb.cells:
            gid = _gid(cell)
            if gid in solve:
                cell.source = self.solutions[gid]
            if answers and gid in answers:
                cell.source = answers[gid]
        return nb


ALL = ("q1_answer", "q2_answer")


def _edit(nb: NotebookNode, change: Callable[[NotebookNode], None]) -> NotebookNode:
    change(nb)
    return nb


def _index(nb: NotebookNode, gid: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if _gid(c) == gid)


def kinds(a: Assignment, port: int) -> dict[str, tuple[NotebookNode | bytes, str, Expected]]:
    """Every kind: (notebook or raw bytes, file name, expected outcome). 3 autograded points:
    q1 is worth 1, q2 is worth 2. nbgrader itself repairs an edited or duplicated test and a
    changed kernel; preflight restores deleted tests and fixes names and null characters."""
    name = f"{ASSIGNMENT}.ipynb"
    q2 = {"solve": ("q2_answer",)}

    def stripped(nb: NotebookNode) -> None:
        for gid in ("q1_test", "q2_test"):
            del nb.cells[_index(nb, gid)].metadata["nbgrader"]

    def delete_test(nb: NotebookNode) -> None:
        del nb.cells[_index(nb, "q1_test")]

    def duplicate_test(nb: NotebookNode) -> None:
        i = _index(nb, "q1_test")
        nb.cells.insert(i + 1, copy.deepcopy(nb.cells[i]))

    def edit_test(nb: NotebookNode) -> None:
        nb.cells[_index(nb, "q1_test")].source = "pass"

    def other_kernel(nb: NotebookNode) -> None:
        nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}

    invalid = nbformat.writes(a.notebook(solve=ALL)).encode()[:-200]
    null = nbformat.writes(a.notebook(solve=ALL)).replace('q1 = \\"b\\"', 'q1 = \\"b\\"\\u0000')
    ok, fixed, graded = "ok", "repaired", "graded"
    return {
        "correct": (
            a.notebook({"q3_answer": "Migration: negotiated, and divisive at home."}, solve=ALL),
            name,
            Expected(ok, graded, 3),
        ),
        "partly_correct": (a.notebook(solve=("q1_answer",)), name, Expected(ok, graded, 1)),
        "wrong": (
            a.notebook({"q1_answer": 'q1 = "a"', "q2_answer": "trade_2017_bn = 300.0"}),
            name,
            Expected(ok, graded, 0),
        ),
        "blank": (a.notebook(), name, Expected(ok, graded, 0)),
        "syntax_error": (
            a.notebook({"q1_answer": 'q1 = "b"\nif True print(q1)'}, **q2),
            name,
            Expected(ok, graded, 2),
        ),
        "exception": (
            a.notebook({"q1_answer": "q1 = undefined_name"}, **q2),
            name,
            Expected(ok, graded, 2),
        ),
        "infinite_loop": (
            a.notebook({"q1_answer": "while True:\n    pass"}, **q2),
            name,
            Expected(ok, graded, 2),
        ),
        "sleep_top_level": (
            a.notebook({"q1_answer": "import time\ntime.sleep(10**6)"}, **q2),
            name,
            Expected(ok, graded, 2),
        ),
        "huge_output": (
            a.notebook({"q1_answer": 'for i in range(20_000):\n    print(i)\nq1 = "b"'}, **q2),
            name,
            Expected(ok, graded, 3),
        ),
        "memory_bomb": (
            a.notebook({"q1_answer": 'q1 = "b"\nhoard = bytearray(3 * 1024**3)'}, **q2),
            name,
            Expected(ok, graded, 3),
        ),
        "fork_bomb": (a.notebook({"q1_answer": FORK_BOMB}, **q2), name, Expected(ok, graded, 3)),
        "os_exit": (
            a.notebook({"q1_answer": "import os\nos._exit(1)"}, **q2),
            name,
            Expected(ok, "failed", None),
        ),
        "edited_test": (
            _edit(a.notebook({"q1_answer": 'q1 = "a"'}, **q2), edit_test),
            name,
            Expected(ok, graded, 2),
        ),
        "deleted_test": (
            _edit(a.notebook({"q1_answer": 'q1 = "a"'}, **q2), delete_test),
            name,
            Expected(fixed, graded, 2),
        ),
        "duplicated_test": (
            _edit(a.notebook(solve=ALL), duplicate_test),
            name,
            Expected(ok, graded, 3),
        ),
        "stripped_metadata": (
            _edit(a.notebook({"q1_answer": 'q1 = "a"'}, **q2), stripped),
            name,
            Expected(fixed, graded, 2),
        ),
        "renamed_notebook": (
            a.notebook(solve=ALL),
            "Copy of lesson (1).ipynb",
            Expected(fixed, graded, 3),
        ),
        "invalid_json": (invalid, name, Expected("quarantined", "quarantined", None)),
        "null_bytes": (null.encode(), name, Expected(fixed, graded, 3)),
        "kernel_mismatch": (
            _edit(a.notebook(solve=ALL), other_kernel),
            name,
            Expected(ok, graded, 3),
        ),
        "always_equal": (
            a.notebook({"q1_answer": ALWAYS_EQUAL, "q2_answer": ""}),
            name,
            Expected(ok, graded, 0),
        ),
        "writes_gradebook": (
            a.notebook({"q1_answer": WRITE_GRADEBOOK}),
            name,
            Expected(ok, graded, 0, cheat=True),
        ),
        "reads_source": (
            a.notebook({"q1_answer": READ_SOURCE}),
            name,
            Expected(ok, graded, 0, cheat=True),
        ),
        "network": (
            a.notebook({"q1_answer": NETWORK.format(port=port)}),
            name,
            Expected(ok, graded, 0, cheat=True),
        ),
        "other_student": (
            a.notebook({"q1_answer": OTHER_STUDENT}),
            name,
            Expected(ok, graded, 0, cheat=True),
        ),
    }


def _bytes(nb: NotebookNode) -> bytes:
    """The notebook's file, as broken as the kind makes it (nbformat warns of duplicated ids)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nbformat.writes(nb).encode()


def student_id(kind: str) -> str:
    """The student id of a kind, as the Canvas file name gives it (letters and digits)."""
    return kind.replace("_", "")


def build_download(folder: Path, port: int) -> dict[str, Expected]:
    """Write the course template (``tpl``), a Canvas download of one submission of every kind
    (``download``) and its roster (``roster.csv``) into ``folder``; return the expected
    outcome by student id."""
    template(folder / "tpl")
    assignment = Assignment.from_checkout()
    download = folder / "download"
    download.mkdir(parents=True)
    roster = [("id", "first_name", "last_name", "email", "lms_user_id")]
    expected = {}
    for number, (kind, (content, filename, outcome)) in enumerate(
        kinds(assignment, port).items(), start=1
    ):
        student = student_id(kind)
        data = content if isinstance(content, bytes) else _bytes(content)
        (download / f"{student}_{1000 + number}_{5000 + number}_{filename}").write_bytes(data)
        roster.append((student, kind.capitalize(), "Fixture", "", str(1000 + number)))
        expected[student] = outcome
    with (folder / "roster.csv").open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(roster)
    return expected


def build_class(course: Path, port: int) -> dict[str, Expected]:
    """Write one submission of every kind into ``course/submitted/``; return the expectations."""
    expected = {}
    for kind, (content, filename, outcome) in kinds(Assignment(course), port).items():
        student = student_id(kind)
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        data = content if isinstance(content, bytes) else _bytes(content)
        (folder / filename).write_bytes(data)
        expected[student] = outcome
    return expected


def template(into: Path) -> Path:
    """A copy of the course sources holding only the fixture assignment (a faster init)."""
    shutil.copytree(AUTOGRADER / "source" / ASSIGNMENT, into / "source" / ASSIGNMENT)
    shutil.copy2(AUTOGRADER / "nbgrader_config.py", into / "nbgrader_config.py")
    return into


def outputs(course: Path, student: str) -> str:
    """All text the student's graded notebook printed."""
    path = course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    texts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("evalue") or ""
            texts.append("".join(text) if isinstance(text, list) else text)
            texts.append(output.get("ename", ""))
    return "\n".join(texts)


Runner = Callable[..., subprocess.CompletedProcess]


def grade_class(intermestic: Runner, inputs: Path, course: Path) -> dict[str, object]:
    """Run every instructor command on the fixture download in ``inputs`` (made by
    build_download) into the new ``course``: init, collect, roster import, autograde -j 2,
    feedback, export (CSV and Canvas); return each command's result and the exported files."""
    done: dict[str, object] = {}
    at = ("--course", str(course))
    done["init"] = intermestic("grade", "init", str(course), "--from", str(inputs / "tpl"))
    download = str(inputs / "download")
    done["collect"] = intermestic("grade", "collect", download, "--assignment", ASSIGNMENT, *at)
    done["roster"] = intermestic("grade", "roster", "import", str(inputs / "roster.csv"), *at)
    done["autograde"] = intermestic(
        "grade", "autograde", "--assignment", ASSIGNMENT, "-j", "2", *LIMITS, *at
    )
    done["feedback"] = intermestic("grade", "feedback", "--assignment", ASSIGNMENT, *at)
    done["csv"] = intermestic("grade", "export", *at)
    done["canvas"] = intermestic("grade", "export", "--format", "canvas", *at)
    for name in ("grades.csv", "canvas.csv"):
        path = course / name
        done[name] = path.read_text(encoding="utf-8") if path.is_file() else None
    return done


def wrong_outcomes(course: Path, expected: dict[str, Expected]) -> dict[str, object]:
    """Every way the graded fixture class differs from what each kind must get, by student:
    preflight and autograde status, autograded points, and what the sandbox must stop."""
    from nbgrader.api import Gradebook

    report = json.loads((course / ".intermestic" / "preflight" / f"{ASSIGNMENT}.json").read_text())
    state = course / ".intermestic" / "autograde" / ASSIGNMENT
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        points = {
            s.student.id: sum(
                g.auto_score or 0 for nb in s.notebooks for g in nb.grades if g.cell_type == "code"
            )
            for s in gradebook.assignment_submissions(ASSIGNMENT)
        }
    wrong: dict[str, object] = {}
    for student, want in expected.items():
        got_preflight = report.get(student, {}).get("status")
        record = state / f"{student}.json"
        if want.status == "quarantined":
            reason = course / "quarantine" / student / ASSIGNMENT / "QUARANTINED.txt"
            got = ("quarantined" if reason.is_file() else "not quarantined", None)
        else:
            outcome = json.loads(record.read_text()) if record.is_file() else {}
            score = points.get(student) if outcome.get("status") == "graded" else None
            got = (outcome.get("status", "no outcome"), score)
        if (got_preflight, *got) != (want.preflight, want.status, want.score):
            wrong[student] = ((got_preflight, *got), (want.preflight, want.status, want.score))
        elif want.cheat:
            text = outputs(course, student)
            if "CHEAT" in text or "blocked" not in text:
                wrong[student] = f"the sandbox did not block it: {text[-500:]}"
    memory = outputs(course, student_id("memory_bomb"))
    if "MemoryError" not in memory:
        wrong["memorybomb"] = f"no MemoryError: {memory[-500:]}"
    forks = outputs(course, student_id("fork_bomb"))
    count = int(forks.split("forks=")[1].split()[0]) if "forks=" in forks else FORK_ATTEMPTS
    if "limited=True" not in forks or not count < PROCESSES:
        wrong["forkbomb"] = f"the process limit did not hold: {forks[-500:]}"
    return wrong
