"""Benchmark: plain serial ``nbgrader autograde`` (no sandbox) against
``intermestic grade autograde -j N`` (sandboxed) on the same synthetic class of a real lesson.

Run from the repository with the venv's tools on PATH (not part of the test suite):

    python bench/bench_grading.py --students 100 --jobs 2

It prints seconds per submission for both and the throughput ratio.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "00-start-here"


def _course(base: Path, name: str) -> Path:
    """A fresh grading course holding only the benchmark lesson."""
    template = base / "template"
    if not template.exists():
        shutil.copytree(
            REPO / "autograder" / "source" / ASSIGNMENT, template / "source" / ASSIGNMENT
        )
        shutil.copy2(REPO / "autograder" / "nbgrader_config.py", template)
    course = base / name
    _run(
        [sys.executable, "-m", "intermestic", "grade", "init", str(course), "--from", str(template)]
    )
    return course


def _class(course: Path, students: int) -> None:
    """``students`` submissions: alternately the solution and a wrong answer."""
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"
    }
    for number in range(students):
        nb = copy.deepcopy(release)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in solutions:
                cell.source = solutions[gid] if number % 2 == 0 else f"{gid[:2]} = None"
        folder = course / "submitted" / f"s{number:04d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")


def _run(command: list[str], cwd: Path | None = None) -> float:
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    return time.monotonic() - started


def main() -> None:
    """Grade the same class both ways and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="intermestic-bench-") as tmp:
        base = Path(tmp)
        plain, ours = _course(base, "plain"), _course(base, "ours")
        _class(plain, args.students)
        _class(ours, args.students)
        plain_s = _run(["nbgrader", "autograde", ASSIGNMENT], cwd=plain)
        ours_s = _run(
            [
                sys.executable,
                "-m",
                "intermestic",
                "grade",
                "autograde",
                "--course",
                str(ours),
                "--assignment",
                ASSIGNMENT,
                "-j",
                str(args.jobs),
            ]
        )
    n = args.students
    print(f"{n} submissions of {ASSIGNMENT}")
    print(
        f"plain nbgrader autograde (serial, no sandbox): {plain_s:7.1f} s, {plain_s / n:.2f} s/sub"
    )
    label = f"intermestic grade autograde -j {args.jobs} (sandbox)"
    print(f"{label}: {ours_s:7.1f} s, {ours_s / n:.2f} s/sub")
    print(f"throughput ratio: {plain_s / ours_s:.2f}x")


if __name__ == "__main__":
    main()
