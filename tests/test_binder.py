"""Binder: repo2docker plans a Python 3.11 image with the pinned set and the course installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from intermestic.launch import HIDDEN_LAB_PLUGINS, HIDDEN_SERVER_EXTENSIONS
from tests.course import REPO_ROOT, VENV_BIN, run

BINDER = REPO_ROOT / "binder"
SERVER_EXTENSION_TOOL = ["-m", "jupyter_server.extension.serverextension"]
LAB_EXTENSION_TOOL = ["-m", "jupyterlab.labextensions"]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            specifiers = list(requirement.specifier)
            assert len(specifiers) == 1 and specifiers[0].operator == "==", f"not exact: {line}"
            pins[requirement.name.lower()] = specifiers[0].version
    return pins


def _dependencies() -> list[Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(dependency) for dependency in project["dependencies"]]


def test_every_dependency_is_pinned_for_binder_within_its_range():
    pins = _pins()
    for requirement in _dependencies():
        name = requirement.name.lower()
        assert name in pins, f"{name} is not pinned in binder/requirements.txt"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} ∉ {requirement}"


def test_binder_pins_nothing_the_package_does_not_depend_on():
    assert set(_pins()) == {r.name.lower() for r in _dependencies()}


def test_runtime_is_python_3_11():
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


def test_repo2docker_plans_python_3_11_the_pins_and_post_build():
    repo2docker = shutil.which("jupyter-repo2docker", path=str(VENV_BIN))
    if repo2docker is None:
        pytest.fail("jupyter-repo2docker is not installed (it is in the test extra)")
    result = run([repo2docker, "--no-build", "--no-run", "--debug", str(REPO_ROOT)], timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    plan = result.stdout + result.stderr
    assert "Building conda environment for python=3.11" in plan
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in plan
    assert "RUN ./binder/postBuild" in plan


# Stands in for `python` while postBuild runs: records each call (arguments separated by tabs)
# and answers `python -c ...` (postBuild's question for sys.prefix) with a scratch folder.
FAKE_PYTHON = """#!/bin/bash
(IFS=$'\\t'; printf '%s\\n' "$*") >> "$CALLS"
if [ "$1" = "-c" ]; then echo "$FAKE_PREFIX"; fi
"""


def _run_post_build(tmp_path: Path) -> tuple[list[list[str]], Path]:
    """Run binder/postBuild with a stand-in `python`; return its calls and the prefix."""
    bin_dir, prefix, calls = tmp_path / "bin", tmp_path / "prefix", tmp_path / "calls"
    bin_dir.mkdir()
    (bin_dir / "python").write_text(FAKE_PYTHON, encoding="utf-8")
    (bin_dir / "python").chmod(0o755)
    result = subprocess.run(
        ["bash", str(BINDER / "postBuild")],
        cwd=REPO_ROOT,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "CALLS": str(calls), "FAKE_PREFIX": str(prefix)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = calls.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines], prefix


def test_post_build_installs_the_course_and_hides_what_intermestic_start_hides(tmp_path):
    """postBuild disables and locks exactly the nbgrader parts `intermestic start` hides, so
    Binder students keep Validate and nothing else of nbgrader's."""
    assert (BINDER / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    calls, prefix = _run_post_build(tmp_path)
    assert ["-m", "pip", "install", "--no-cache-dir", "--no-deps", "."] in calls
    disabled_extensions = [
        call[-1]
        for call in calls
        if call[:4] == [*SERVER_EXTENSION_TOOL, "disable", "--sys-prefix"]
    ]
    assert sorted(disabled_extensions) == sorted(HIDDEN_SERVER_EXTENSIONS)
    disabled_plugins = [
        call[-1]
        for call in calls
        if call[:4] == [*LAB_EXTENSION_TOOL, "disable", "--level=sys_prefix"]
    ]
    assert sorted(disabled_plugins) == sorted(HIDDEN_LAB_PLUGINS)
    locks = [
        call[4:]
        for call in calls
        if call[:4] == [*LAB_EXTENSION_TOOL, "lock", "--level=sys_prefix"]
    ]
    assert [sorted(lock) for lock in locks] == [sorted(HIDDEN_LAB_PLUGINS)]
    assert not any("validate" in argument for call in calls for argument in call)

    config = prefix / "etc" / "jupyter" / "nbgrader_config.py"
    compile(config.read_text(encoding="utf-8"), str(config), "exec")
    settings = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    notification = json.loads(settings.read_text(encoding="utf-8"))
    assert notification == {
        "@jupyterlab/apputils-extension:notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        }
    }
