"""The course website built once per test run, for tests/test_site.py and the browser tests."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

from intermestic.site import build_site


def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the student lessons into the run's temporary folder.

    The first caller builds it; later callers (in any test module, and in any pytest-xdist
    worker of the same run, which share the parent of their temporary folders) reuse it.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    output = shared / "course-site"
    with (shared / "course-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker waits for the first one's build
        if not (output / "build.json").is_file():
            report = build_site(output)
            print(f"\n{report.summary()}")
    return output


def build_figures(output: Path) -> dict[str, float]:
    """The page count, total size (bytes) and build time (seconds) the build recorded."""
    return json.loads((output / "build.json").read_text(encoding="utf-8"))
