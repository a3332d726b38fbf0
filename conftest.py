"""Test-session set-up shared by the unit tests and the notebooks nbval collects.

Jupyter, IPython and matplotlib write to the user's home folder by default; every test
run (and every kernel it starts) gets its own temporary folders instead.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_HERMETIC_ROOT = Path(tempfile.mkdtemp(prefix="intermestic-tests-"))
atexit.register(shutil.rmtree, _HERMETIC_ROOT, ignore_errors=True)

for _variable, _folder in {
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}.items():
    (_HERMETIC_ROOT / _folder).mkdir()
    os.environ[_variable] = str(_HERMETIC_ROOT / _folder)
os.environ.pop("JUPYTER_PATH", None)


# The test files that take longest (minutes each on 2 cores), longest first. They are collected
# first, so that `-n auto --dist loadfile` starts them first and no worker is left running one of
# them alone at the end; the other files keep their usual order after them.
LONGEST_FIRST = (
    "tests/grading/test_autograde.py",
    "tests/test_nbgrader.py",
    "tests/browser/test_notebooks.py",
    "tests/test_i18n_build.py",
    "tests/test_offline.py",
    "tests/test_check.py",
    "tests/test_grading_contract.py",
    "tests/test_build.py",
)


def pytest_collection_modifyitems(items: list) -> None:
    """Notebook cells that nbval executes count as slow: the fast loop leaves them out. The
    longest test files come first."""
    import pytest

    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.slow)

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order
