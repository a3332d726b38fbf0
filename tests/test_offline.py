"""nbval on every notebook of the course, with the network cut off (a new, empty network
namespace): the released lessons of each edition (English and Spanish) and the instructor
notebooks with solutions.

The notebooks run here once, offline, in a pytest of their own, rather than once with the network
and once more without it. Where no network namespace can be made (not Linux, no `unshare`), they
still run, with the network on and a warning; under CI=true that is a failure instead.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.course import AUTOGRADER, LESSONS, REPO_ROOT, run

pytestmark = pytest.mark.slow

# Inside a fresh network namespace only the loopback interface exists, and it starts down;
# Jupyter kernels talk to their client over loopback TCP, so it is brought up first.
NO_NETWORK = [
    "unshare",
    "--map-root-user",
    "--net",
    "sh",
    "-c",
    'ip link set lo up && exec "$@"',
    "sh",
]

NOTEBOOK_SETS = {
    "lessons": lambda: sorted(LESSONS.glob("*.ipynb")),
    "lessons-es": lambda: sorted((LESSONS / "es").glob("*.ipynb")),
    "instructor-source": lambda: sorted(AUTOGRADER.glob("source/*/*.ipynb")),
}


def _offline_unavailable() -> str | None:
    """Why notebooks cannot be run offline here, or None when they can."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        return "unshare (util-linux) or ip (iproute2) is not installed"
    probe = run([*NO_NETWORK, "true"])
    if probe.returncode != 0:
        return f"cannot create a network namespace: {probe.stderr.strip()}"
    return None


@pytest.fixture(scope="module")
def offline() -> list[str]:
    """The command prefix that cuts the network off, or [] (with a warning) where there is none."""
    reason = _offline_unavailable()
    if reason is None:
        return NO_NETWORK
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the notebooks offline: {reason}")
    warnings.warn(f"the notebooks run with the network on: {reason}", stacklevel=1)
    return []


def test_the_offline_namespace_has_only_loopback(offline):
    if not offline:
        pytest.skip("no network namespace here (see the warning)")
    names = "import socket; print([n for _, n in socket.if_nameindex()])"
    interfaces = run([*offline, sys.executable, "-c", names])
    assert interfaces.stdout.strip() == "['lo']", interfaces.stdout + interfaces.stderr


@pytest.mark.parametrize("notebooks", NOTEBOOK_SETS)
def test_every_notebook_runs_under_nbval_offline(offline, notebooks, tmp_path):
    paths = NOTEBOOK_SETS[notebooks]()
    assert paths, f"no notebooks in {notebooks}"
    relative = [str(Path(p).relative_to(REPO_ROOT)) for p in paths]
    report = tmp_path / "report.xml"
    result = run(
        [*offline, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"--junitxml={report}", *relative],
        cwd=REPO_ROOT,
        timeout=1200,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # nbval names each cell's test case after its notebook: "lessons.00-start-here.ipynb".
    ran = Counter(case.get("classname") for case in ElementTree.parse(report).iter("testcase"))
    missed = [path for path in relative if ran[path.replace("/", ".")] == 0]
    assert not missed, f"nbval ran no cell of {missed}"
