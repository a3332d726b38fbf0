"""What running nbgrader from Python needs: its tools on PATH and fast gradebook creation."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock


def ensure_tools_on_path() -> None:
    """Put this interpreter's scripts folder on PATH: nbgrader runs ``alembic`` through PATH."""
    scripts = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if scripts not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, path]) if path else scripts


def alembic_head() -> str:
    """The gradebook schema revision nbgrader stamps on a new gradebook, computed in-process."""
    import nbgrader
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError("nbgrader's gradebook migrations have no head revision")
    return head


@contextmanager
def fast_gradebook_creation() -> Iterator[None]:
    """Stamp new gradebooks with the schema revision computed in-process.

    nbgrader asks a separate ``alembic heads`` process for it on every new gradebook, which
    costs about 6 s; the answer is the same.
    """
    import nbgrader.api

    with mock.patch.object(nbgrader.api, "get_alembic_version", alembic_head):
        yield
