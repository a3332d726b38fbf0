"""Save my work: the download link of ``intermestic.save_my_work()`` gives a file that nbgrader's
``zip_collect`` files under the right student and assignment once an LMS has renamed it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.lab import LESSONS, PANEL, LabServer, open_notebook, run_all

pytestmark = pytest.mark.browser

SAVE_CELL = "import intermestic\n\nintermestic.save_my_work()"
# Canvas names a download "<login>_<user id>_<submission id>_<file name>".
CANVAS_NAME = "doejane_12345_678901_{}"
# nbgrader matches it against the extracted file's whole path.
CANVAS_REGEXP = r".*/(?P<student_id>[a-z0-9]+)_\d+_\d+_(?P<file_id>[^/]+\.ipynb)"


def _has_outputs(path: Path) -> bool:
    """Whether the notebook at `path` is completely written and its last cell has outputs."""
    try:
        return bool(nbformat.read(path, as_version=4).cells[-1].outputs)
    except (ValueError, OSError):  # half-written JSON while the server writes it
        return False


def test_download_is_collected_by_nbgrader_zip_collect(
    server: LabServer, browser_context: BrowserContext, tmp_path: Path
) -> None:
    """In a renamed copy of the first lesson ("-Copy1"), save_my_work() saves the notebook and
    its link downloads it under the lesson's own name; zip_collect accepts the Canvas download."""
    lesson = sorted(LESSONS.glob("*.ipynb"))[0]
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(SAVE_CELL))
    relative = f"save/{lesson.stem}-Copy1.ipynb"
    (server.workspace / "save").mkdir()
    nbformat.write(notebook, server.workspace / relative)

    page = open_notebook(browser_context, server, relative)
    try:
        run_all(page)
        expect(page.locator(f"{PANEL} .intermestic-save-status").last).to_contain_text(
            "Saved at", timeout=30_000
        )
        # "Saved at" appears only once the file has changed on disk, so the notebook the
        # server holds already has the save cell's output (no one saves it but save_my_work).
        assert _has_outputs(server.workspace / relative), "'Saved at' before the save"
        link = page.locator(f"{PANEL} .intermestic-save a[download]").last
        # The name the link asks the browser to give the file. (Headless Chromium driven by
        # Playwright reports the server's file name as the download's suggested name even for a
        # plain <a download="...">, so the attribute is what is checked here.)
        name = link.get_attribute("download")
        assert name == lesson.name
        with page.expect_download() as download_info:
            link.click()
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        saved = downloads / CANVAS_NAME.format(name)
        download_info.value.save_as(saved)
    finally:
        page.close()

    assert _has_outputs(saved), "the download is not the notebook save_my_work() saved"

    course = tmp_path / "course"
    (course / "release" / lesson.stem).mkdir(parents=True)
    (course / "release" / lesson.stem / lesson.name).write_bytes(lesson.read_bytes())
    archive = course / "downloaded" / lesson.stem / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "submissions.zip", "w") as bundle:
        bundle.write(saved, saved.name)
    collected = subprocess.run(
        [sys.executable, "-m", "nbgrader", "zip_collect", lesson.stem,
         "--ZipCollectApp.collector_plugin=nbgrader.plugins.FileNameCollectorPlugin",
         f"--FileNameCollectorPlugin.named_regexp={CANVAS_REGEXP}"],
        cwd=course, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stdout + collected.stderr
    submitted = course / "submitted" / "doejane" / lesson.stem / lesson.name
    assert submitted.read_bytes() == saved.read_bytes(), collected.stdout + collected.stderr
