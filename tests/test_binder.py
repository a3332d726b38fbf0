"""Binder: repo2docker plans a Python 3.11 image with the pinned set and the course installed."""

from __future__ import annotations

import shutil
import tomllib

import pytest
from packaging.requirements import Requirement

from tests.course import REPO_ROOT, VENV_BIN, run

BINDER = REPO_ROOT / "binder"


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


def test_post_build_installs_the_course_and_leaves_students_only_validate():
    script = BINDER / "postBuild"
    assert script.stat().st_mode & 0o111, "postBuild must be executable"
    syntax = run(["bash", "-n", str(script)])
    assert syntax.returncode == 0, syntax.stderr
    text = script.read_text(encoding="utf-8")
    assert "pip install --no-cache-dir --no-deps ." in text
    for extension in ("formgrader", "course_list", "assignment_list"):
        assert extension in text
    for plugin in ("formgrader", "course-list", "create-assignment", "assignment-list"):
        assert plugin in text
    assert "labextensions lock" in text
