"""Ingest a folder of notebooks or an LMS download (Canvas, Moodle, Blackboard) into
``submitted/<student>/<assignment>/``, through nbgrader's zip_collect plugins.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin
from nbgrader.utils import parse_utc
from traitlets import List, Unicode

from intermestic.errors import CourseError
from intermestic.grading.course import Course
from intermestic.grading.preflight import originals_dir

# File names of the LMS downloads, tried in order on each file's path inside the download
# (an archive unpacks into a folder named after it, hence the optional leading folders).
NAMINGS: dict[str, str] = {
    # Canvas: doejane_12345_678901_00-start-here.ipynb, or doejane_LATE_12345_678901_...
    "canvas": (
        r"(?P<student_id>[a-z0-9]+)(?P<late>_late)?_(?P<lms_user_id>\d+)_\d+_(?P<file_id>[^/]+)"
    ),
    # Moodle: "Jane Doe_123456_assignsubmission_file_/00-start-here.ipynb" (folder or prefix)
    "moodle": r"(?P<name>[^/_]+)_(?P<lms_user_id>\d+)_assignsubmission_file_/?(?P<file_id>[^/]+)",
    # Blackboard: 00-start-here_doejane_attempt_2024-03-01-14-05-09_00-start-here.ipynb
    "blackboard": (
        r"[^/]*?_(?P<student_id>[^_/]+)_attempt_(?P<timestamp>[0-9-]+)_(?P<file_id>[^/]+)"
    ),
    # A folder per student: doejane/00-start-here.ipynb (ids: letters, digits, "_", "." and "-")
    "folder": r"(?P<student_id>[\w.-]+)/(?P<file_id>[^/]+)",
    # One notebook per student, named after the student: doejane.ipynb
    "file": r"(?P<student_id>[\w.-]+)\.ipynb",
}
BLACKBOARD_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)$")


def notebook_name(file_id: str | None, expected: list[str]) -> str | None:
    """The assignment notebook a submitted file is (LMSs append ``-1`` to resubmissions), or
    ``file_id`` itself for preflight to judge; None when it cannot be told."""
    if file_id is None:
        return expected[0] if len(expected) == 1 else None
    if file_id in expected:
        return file_id
    stem = re.sub(r"-\d+$", "", Path(file_id).stem) + ".ipynb"
    return stem if stem in expected else file_id


class SubmissionNames(FileNameCollectorPlugin):
    """Reads student, notebook and time from the file names of the LMS downloads we know."""

    expected = List(Unicode(), help="The notebook names of the assignment.").tag(config=True)

    def collect(self, submitted_file: str) -> dict | None:
        """The student id, notebook name and, when known, timestamp, LMS id and names of one
        extracted file (a path relative to the extracted download)."""
        if not submitted_file.endswith(tuple(self.valid_ext)):
            return None
        for naming, pattern in NAMINGS.items():
            match = re.fullmatch(rf"(?:.*/)?{pattern}", submitted_file, flags=re.IGNORECASE)
            if match is None:
                continue
            info = _normalise(naming, match.groupdict())
            info["file_id"] = notebook_name(info["file_id"], self.expected)
            if naming == "folder" and info["file_id"] not in self.expected:
                continue
            return info if info["file_id"] and info["student_id"] else None
        return None


def _normalise(naming: str, found: dict[str, str | None]) -> dict:
    """One collector result: ``student_id``, ``file_id``, and when known ``timestamp``,
    ``lms_user_id``, ``late`` and names."""
    info: dict = {"file_id": found.get("file_id"), "late": bool(found.get("late"))}
    if naming == "moodle":
        name = (found["name"] or "").strip()
        info["student_id"] = re.sub(r"[^a-z0-9]+", "", name.lower()) or found["lms_user_id"]
        first, _, last = name.partition(" ")
        info.update(first_name=first, last_name=last)
    else:
        info["student_id"] = (found["student_id"] or "").lower()
    if found.get("lms_user_id"):
        info["lms_user_id"] = found["lms_user_id"]
    stamp = BLACKBOARD_TIME.match(found.get("timestamp") or "")
    if stamp:
        y, mo, d, h, mi, s = stamp.groups()
        info["timestamp"] = parse_utc(f"{y}-{mo}-{d} {h}:{mi}:{s}")
    if naming == "file":
        info["file_id"] = None  # the assignment's only notebook
    return info


@dataclass
class Collected:
    """What ``collect`` did."""

    students: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)


def _extract(source: Path, into: Path) -> None:
    """Copy ``source`` (a folder or a zip) to ``into``, unpacking archives with nbgrader."""
    archive = into / "archive"
    archive.mkdir()
    if source.is_dir():
        shutil.copytree(source, archive, dirs_exist_ok=True)
    elif zipfile.is_zipfile(source):
        shutil.copy2(source, archive / source.name)
    else:
        raise CourseError(f"{source}: neither a folder nor a zip archive")
    ExtractorPlugin().extract(str(archive), str(into / "extracted"))


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
        _extract(source.resolve(), work)
        extracted = work / "extracted"
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
    """Write one student's files, their timestamp and LMS id, unless a submission is there."""
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
    details = {k: info[k] for k in ("first_name", "last_name", "lms_user_id") if info.get(k)}
    if details:
        with course.gradebook() as gradebook:
            gradebook.update_or_create_student(student, **details)
