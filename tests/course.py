"""Paths and small helpers shared by the test modules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
AUTOGRADER = REPO_ROOT / "autograder"
LESSONS = REPO_ROOT / "lessons"
VENV_BIN = Path(sys.executable).parent

# An answer that claims to equal anything: tests that compare with == alone give it full marks.
ALWAYS_EQUAL = """
class _AlwaysEqual(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __gt__(self, other): return True
    def __ge__(self, other): return True
    def __abs__(self): return _AlwaysEqual(0.0)
    def __sub__(self, other): return _AlwaysEqual(0.0)
    __rsub__ = __sub__
    __hash__ = float.__hash__
    def strip(self): return self
    def lower(self): return self
"""


def assignment_names() -> list[str]:
    """Every assignment in autograder/source/."""
    return sorted(p.name for p in (AUTOGRADER / "source").iterdir() if p.is_dir())


def source_notebook(name: str) -> Path:
    """The instructor notebook of an assignment."""
    return AUTOGRADER / "source" / name / f"{name}.ipynb"


def lesson_notebook(name: str) -> Path:
    """The released student notebook of an assignment."""
    return LESSONS / f"{name}.ipynb"


def read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4."""
    return nbformat.read(path, as_version=4)


def richest_lesson() -> str:
    """The lesson whose autograded items store the most kinds of answer (ties: the last name):
    the one graded by real nbgrader with every form of answer."""
    from intermestic import gradebanks

    def kinds(name: str) -> int:
        items = gradebanks.lesson_items(read(source_notebook(name))).autograded
        return len({spec["kind"] for item in items for spec in item.specs.values()})

    return max(assignment_names(), key=lambda name: (kinds(name), name))


def grading(cell: nbformat.NotebookNode) -> dict:
    """The nbgrader metadata of a cell ({} when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def tool_env() -> dict[str, str]:
    """The environment for running the venv's tools: its bin folder first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
    return env


def run(
    command: list[str],
    cwd: Path | None = None,
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Run a command (with the venv's tools on PATH unless ``env`` is given) and capture its
    output as text."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=tool_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def intermestic(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``intermestic`` command line."""
    return run([sys.executable, "-m", "intermestic", *args], cwd=cwd)
