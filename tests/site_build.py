"""The course website built once per test session, for tests/test_site.py and the browser tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intermestic.site import build_site


def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the student lessons into the session's temporary folder.

    The first caller builds it; later callers (in any test module) reuse it.
    """
    output = tmp_path_factory.getbasetemp() / "course-site"
    if not (output / "build.json").is_file():
        report = build_site(output)
        print(f"\n{report.summary()}")
    return output


def build_figures(output: Path) -> dict[str, float]:
    """The page count, total size (bytes) and build time (seconds) the build recorded."""
    return json.loads((output / "build.json").read_text(encoding="utf-8"))
