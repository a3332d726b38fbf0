"""Reading student, notebook, lateness and time from the file names of LMS downloads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.utils import parse_utc
from traitlets import List, Unicode

# File names of the LMS downloads, tried in order on each file's path relative to the
# download (the folder given, or the unpacked archive).
NAMINGS: dict[str, str] = {
    # Canvas: doejane_12345_678901_00-start-here.ipynb, or doejane_LATE_12345_678901_...
    "canvas": r"(?:.*/)?(?P<student_id>[a-z0-9]+)(?P<late>_late)?_\d+_\d+_(?P<file_id>[^/]+)",
    # Moodle: "Jane Doe_123456_assignsubmission_file_/00-start-here.ipynb" (folder or prefix)
    "moodle": (
        r"(?:.*/)?(?P<name>[^/_]+)_(?P<number>\d+)_assignsubmission_file_/?(?P<file_id>[^/]+)"
    ),
    # Blackboard: 00-start-here_doejane_attempt_2024-03-01-14-05-09_00-start-here.ipynb
    "blackboard": (
        r"(?:.*/)?[^/]*?_(?P<student_id>[^_/]+)_attempt_(?P<timestamp>[0-9-]+)_(?P<file_id>[^/]+)"
    ),
    # A folder per student: doejane/00-start-here.ipynb (ids: letters, digits, "_", "." and
    # "-"); deeper down only with the assignment's notebook name, at the top with any name
    "folder": r"(?P<parents>.*/)?(?P<student_id>[\w.-]+)/(?P<file_id>[^/]+)",
    # One notebook per student at the top, named after the student: doejane.ipynb
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
    """Reads student, notebook and time from the file names of the LMS downloads we know; a
    path is relative to the download (the folder given, or the unpacked archive)."""

    expected = List(Unicode(), help="The notebook names of the assignment.").tag(config=True)

    def collect(self, submitted_file: str) -> dict[str, Any] | None:
        """The student id, notebook name, lateness and, when known, timestamp of one extracted
        file (a path relative to the extracted download); None if no naming fits."""
        if not submitted_file.endswith(tuple(self.valid_ext)):
            return None
        for naming, pattern in NAMINGS.items():
            match = re.fullmatch(pattern, submitted_file, flags=re.IGNORECASE)
            if match is None:
                continue
            info = _normalise(naming, match.groupdict())
            info["file_id"] = notebook_name(info["file_id"], self.expected)
            nested = naming == "folder" and match.group("parents")
            if nested and info["file_id"] not in self.expected:
                continue  # e.g. download/jdoe/notes.ipynb: which folder is the student's?
            return info if info["file_id"] and info["student_id"] else None
        return None


def _normalise(naming: str, found: dict[str, str | None]) -> dict[str, Any]:
    """One collector result: ``student_id``, ``file_id``, ``late`` and, when known,
    ``timestamp``."""
    info: dict[str, Any] = {"file_id": found.get("file_id"), "late": bool(found.get("late"))}
    if naming == "moodle":
        name = (found["name"] or "").strip()
        info["student_id"] = re.sub(r"[^a-z0-9]+", "", name.lower()) or found["number"]
    else:
        info["student_id"] = (found["student_id"] or "").lower()
    stamp = BLACKBOARD_TIME.match(found.get("timestamp") or "")
    if stamp:
        y, mo, d, h, mi, s = stamp.groups()
        info["timestamp"] = parse_utc(f"{y}-{mo}-{d} {h}:{mi}:{s}")
    if naming == "file":
        info["file_id"] = None  # the assignment's only notebook
    return info
