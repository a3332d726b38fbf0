"""Ingest a folder of notebooks or an LMS download (Canvas, Moodle, Blackboard) into
``submitted/<student>/<assignment>/``, through nbgrader's zip_collect extractor and our
file-name plugin (``names``). File names give the student id, the notebook, lateness and a
time; never identity (names, LMS ids), which only the roster gives.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import ExtractorPlugin

from intermestic.errors import CourseError
from intermestic.grading.course import Course
from intermestic.grading.names import SubmissionNames
from intermestic.grading.preflight import originals_dir


@dataclass
class Collected:
    """What ``collect`` did."""

    students: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)


def _extract(source: Path, into: Path) -> Path:
    """Copy ``source`` (a folder or a zip) to ``into``, unpacking archives with nbgrader;
    return the folder that holds the download's files as the LMS named them."""
    archive, extracted = into / "archive", into / "extracted"
    archive.mkdir()
    if source.is_dir():
        shutil.copytree(source, archive, dirs_exist_ok=True)
    elif zipfile.is_zipfile(source):
        shutil.copy2(source, archive / source.name)
    else:
        raise CourseError(f"{source}: neither a folder nor a zip archive")
    ExtractorPlugin().extract(str(archive), str(extracted))
    return extracted if source.is_dir() else extracted / source.stem


def collect(course: Course, source: Path, assignment: str, *, force: bool = False) -> Collected:
    """Put every submission found in ``source`` into ``submitted/<student>/<assignment>/``.

    A student's existing submission is kept unless ``force``; files whose names match no
    known naming are reported, never guessed.
    """
    course.check_assignment(assignment)
    if not source.exists():
        raise CourseError(f"{source}: no such file or folder")
    expected = [p.name for p in course.release_notebooks(assignment)]
    result = Collected()
    found: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="intermestic-collect-") as tmp:
        work = Path(tmp)
        extracted = _extract(source.resolve(), work)
        names = SubmissionNames(expected=expected)
        for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
            relative = path.relative_to(extracted).as_posix()
            if path.suffix != ".ipynb" or "__MACOSX" in relative:
                continue
            info = names.collect(relative)
            if info is None:
                result.unmatched.append(relative)
                continue
            student, notebook = info["student_id"], info["file_id"]
            entry = found.setdefault(student, {"files": {}, "info": info})
            if notebook in entry["files"]:
                result.unmatched.append(f"{relative} (a second {notebook} for {student})")
                continue
            entry["files"][notebook] = path.read_bytes()
        for student, entry in sorted(found.items()):
            _store(course, assignment, student, entry, force, result)
    return result


def _store(
    course: Course, assignment: str, student: str, entry: dict, force: bool, result: Collected
) -> None:
    """Write one student's files and their timestamp, unless a submission is there."""
    info = entry["info"]
    target = course.root / "submitted" / student / assignment
    if target.exists():
        same = all(
            (target / n).is_file() and (target / n).read_bytes() == data
            for n, data in entry["files"].items()
        )
        if same:
            result.unchanged.append(student)
            return
        if not force:
            result.kept.append(student)
            return
        shutil.rmtree(target)
        shutil.rmtree(originals_dir(course, assignment, student), ignore_errors=True)
    target.mkdir(parents=True)
    for name, data in entry["files"].items():
        (target / name).write_bytes(data)
    if info.get("timestamp") is not None:
        (target / "timestamp.txt").write_text(info["timestamp"].isoformat(" "), encoding="utf-8")
    if info.get("late"):
        result.late.append(student)
    result.students.append(student)
