"""The built wheel, installed in a fresh environment outside the repository, runs the course."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.course import LESSONS, REPO_ROOT, run, tool_env

pytestmark = pytest.mark.slow
TOKEN = "intermestic-test-token"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment, outside the repository, with only the built wheel installed.

    The course's dependencies are borrowed from the test environment (a .pth file) so the
    test does not download them again; the course itself comes only from the wheel.
    """
    root = tmp_path_factory.mktemp("wheel")
    built = run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(root / "dist"),
        ],
        cwd=REPO_ROOT,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (root / "dist").glob("intermestic-*.whl")
    venv = root / "venv"
    created = run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert created.returncode == 0, created.stderr
    site_packages = Path(
        sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)})
    )
    (site_packages / "borrowed-dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    python = venv / "bin" / "python"
    installed = run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", str(wheel)],
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return venv


def _wheel_env() -> dict[str, str]:
    """The tools' environment without PYTHONPATH, which would import the checkout's copy."""
    return {name: value for name, value in tool_env().items() if name != "PYTHONPATH"}


def _python(venv: Path, code: str, cwd: Path) -> str:
    result = run([str(venv / "bin" / "python"), "-c", code], cwd=cwd, env=_wheel_env())
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def test_the_wheel_ships_lessons_data_and_question_banks(installed, tmp_path):
    report = json.loads(
        _python(
            installed,
            "import json, intermestic, intermestic.paths as p, intermestic.data as d\n"
            "from intermestic.quiz import answer\n"
            "print(json.dumps({'package': intermestic.__file__,\n"
            "  'checkout': str(p.repository_root()),\n"
            "  'lessons': sorted(x.name for x in p.lessons_dir().glob('*.ipynb')),\n"
            "  'tables': len(d.tables()), 'rows': len(d.load('us_mexico_trade_annual')),\n"
            "  'answer': answer('00.1', 'b').status}))",
            cwd=tmp_path,
        )
    )
    assert Path(report["package"]).is_relative_to(installed)
    assert report["checkout"] == "None"
    assert report["lessons"] == sorted(p.name for p in LESSONS.glob("*.ipynb"))
    assert report["tables"] > 0 and report["rows"] > 0
    assert report["answer"] in {"correct", "incorrect"}


def test_the_wheel_ships_no_solutions_hidden_tests_or_mark_schemes(installed):
    package = next(installed.glob("lib/python*/site-packages/intermestic"))
    assert not (package / "course" / "autograder").exists()
    assert not list(installed.rglob("data-raw")), "the raw data files belong in the sdist only"
    for path in package.rglob("*"):
        # Course content only: the grading code legitimately names the markers it strips.
        if path.is_file() and path.suffix in {".ipynb", ".json"}:
            text = path.read_text(encoding="utf-8")
            for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME"):
                assert marker not in text, f"{path} contains {marker}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def _wait_for_lab(server: subprocess.Popen, port: int) -> str:
    """The base URL of the JupyterLab `server` started on `port`, once it answers (90 s at most)."""
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    status = None
    while time.monotonic() < deadline and server.poll() is None:
        try:
            status, _ = _get(f"{base}/api/status?token={TOKEN}")
        except OSError:
            status = None
        if status == 200:
            return base
        time.sleep(0.5)
    raise AssertionError(f"JupyterLab did not answer: {_stop(server)}")


def _stop(server: subprocess.Popen) -> str:
    """Stop the server's process group (intermestic and JupyterLab); return what it printed."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    output, _ = server.communicate(timeout=30)
    return output


def test_start_copies_the_lessons_and_serves_the_first_one(installed, tmp_path):
    workspace = tmp_path / "intermestic-course"
    workspace.mkdir()
    first = sorted(LESSONS.glob("*.ipynb"))[0].name
    my_work = (
        (LESSONS / first).read_text(encoding="utf-8").replace("YOUR ANSWER HERE", "My answer.")
    )
    (workspace / first).write_text(my_work, encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [str(installed / "bin" / "intermestic"), "start", "--no-browser", "--port", str(port),
         "--", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         # CI runs as root, which JupyterLab refuses unless told otherwise.
         "--ServerApp.allow_root=True"],
        cwd=tmp_path, env=_wheel_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True, text=True,
    )  # fmt: skip
    try:
        base = _wait_for_lab(server, port)
        for lesson in LESSONS.glob("*.ipynb"):
            status, _ = _get(f"{base}/api/contents/{lesson.name}?token={TOKEN}")
            assert status == 200, lesson.name
        _, location = _get(f"{base}/?token={TOKEN}")
        assert location.split("?")[0].endswith(f"/lab/tree/{first}"), location
    finally:
        output = _stop(server)
    assert (workspace / first).read_text(encoding="utf-8") == my_work
    for lesson in LESSONS.glob("*.ipynb"):
        if lesson.name != first:
            assert (workspace / lesson.name).read_bytes() == lesson.read_bytes()
    assert f"Kept your existing work in {workspace}" in output
    assert "Traceback" not in output


def test_start_lang_es_opens_the_spanish_course(installed, tmp_path):
    """The Spanish edition on a fresh install: its lessons, catalogues and marker come from the
    wheel, `start --lang es` serves them with the first Spanish lesson open, and a kernel of the
    workspace speaks Spanish."""
    workspace = tmp_path / "intermestic-course"
    port = _free_port()
    server = subprocess.Popen(
        [str(installed / "bin" / "intermestic"), "start", "--lang", "es", "--no-browser",
         "--port", str(port), "--", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", "--ServerApp.allow_root=True"],
        cwd=tmp_path, env=_wheel_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True, text=True,
    )  # fmt: skip
    spanish = sorted((LESSONS / "es").glob("*.ipynb"))
    try:
        base = _wait_for_lab(server, port)
        _, location = _get(f"{base}/?token={TOKEN}")
        assert location.split("?")[0].endswith(f"/lab/tree/{spanish[0].name}"), location
    finally:
        output = _stop(server)
    assert sorted(p.name for p in workspace.glob("*.ipynb")) == [p.name for p in spanish]
    assert f"Se copiaron {len(spanish)} lección(es)" in output and "Traceback" not in output
    said = _python(
        installed,
        "from intermestic.quiz import answer; print(answer('02.2', 'a'))",
        cwd=workspace,
    )
    assert said.startswith("Correcto"), said
