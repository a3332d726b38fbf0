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


def pytest_collection_modifyitems(items: list) -> None:
    """Notebook cells that nbval executes count as slow: the fast loop leaves them out."""
    import pytest

    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.slow)
