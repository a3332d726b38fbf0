"""An instructor's grading course folder: its layout, its nbgrader API and ``grade init``."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intermestic import paths
from intermestic.build import CONFIG_FILE, assignments
from intermestic.errors import CourseError
from intermestic.nbgrader_env import ensure_tools_on_path, fast_gradebook_creation

if TYPE_CHECKING:
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

# The toolkit's own records (preflight reports, autograde state, logs) live here.
STATE_DIR = ".intermestic"


@dataclass(frozen=True)
class Course:
    """An nbgrader course root prepared by ``intermestic grade init``."""

    root: Path

    @classmethod
    def open(cls, root: Path) -> Course:
        """The course at ``root``, or a CourseError saying how to create one."""
        root = root.resolve()
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(
                f"{root} is not a grading course (no {CONFIG_FILE}); "
                f"create one with 'intermestic grade init DIR' or pass --course DIR"
            )
        repo = paths.repository_root()
        if repo is not None and root == (repo / "autograder").resolve():
            raise CourseError(
                f"{root} is the course's source repository; grade in a course folder made "
                f"with 'intermestic grade init DIR'"
            )
        return cls(root)

    @property
    def gradebook_path(self) -> Path:
        """The sqlite gradebook."""
        return self.root / "gradebook.db"

    @property
    def state(self) -> Path:
        """The toolkit's records folder."""
        return self.root / STATE_DIR

    def assignments(self) -> list[str]:
        """The assignments in ``source/``."""
        return assignments(self.root)

    def check_assignment(self, name: str) -> str:
        """``name`` if it is an assignment of the course, else a CourseError listing them."""
        names = self.assignments()
        if name not in names:
            raise CourseError(
                f"no assignment {name!r} in {self.root / 'source'} ({', '.join(names)})"
            )
        if not (self.root / "release" / name).is_dir():
            raise CourseError(
                f"assignment {name!r} has no release/ folder; run 'intermestic grade init' again "
                f"or 'nbgrader generate_assignment {name}' in {self.root}"
            )
        return name

    def source_notebooks(self, assignment: str) -> list[Path]:
        """The instructor notebooks of ``assignment``."""
        return sorted((self.root / "source" / assignment).glob("*.ipynb"))

    def release_notebooks(self, assignment: str) -> list[Path]:
        """The released (student) notebooks of ``assignment``."""
        return sorted((self.root / "release" / assignment).glob("*.ipynb"))

    def submitted(self, assignment: str) -> dict[str, Path]:
        """Each student's submission folder for ``assignment``, by student id."""
        base = self.root / "submitted"
        if not base.is_dir():
            return {}
        return {
            p.name: p / assignment
            for p in sorted(base.iterdir())
            if (p / assignment).is_dir() and not p.name.startswith(".")
        }

    def config(self, **overrides: Any) -> Config:
        """The course's nbgrader configuration, rooted here, with ``Section__trait`` overrides."""
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        for key, value in overrides.items():
            section, trait = key.split("__")
            setattr(config[section], trait, value)
        return config

    def api(self, config: Config | None = None) -> NbGraderAPI:
        """nbgrader's Python API for this course."""
        ensure_tools_on_path()
        from nbgrader.apps import NbGraderAPI

        return NbGraderAPI(config=config or self.config())

    @contextmanager
    def gradebook(self) -> Iterator[Gradebook]:
        """The course gradebook, opened without creating it; a database error while it is open
        becomes a CourseError of one sentence."""
        from nbgrader.api import Gradebook
        from sqlalchemy.exc import SQLAlchemyError

        check_gradebook(self.gradebook_path)
        try:
            with Gradebook(f"sqlite:///{self.gradebook_path}") as gradebook:
                yield gradebook
        except SQLAlchemyError as exc:
            raise CourseError(
                f"could not use the gradebook {self.gradebook_path} ({_first_line(exc)})"
            ) from None


def _first_line(exc: BaseException) -> str:
    """``Type: first line of the message`` of an exception."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def check_gradebook(path: Path) -> None:
    """CourseError unless ``path`` is an sqlite database with every table of nbgrader's
    gradebook: nbgrader would silently create missing ones, empty (an empty file becomes an
    empty gradebook, a lost grade table a class of zeros)."""
    from nbgrader.api import Base

    if not path.is_file():
        raise CourseError(f"{path}: no gradebook; run 'intermestic grade init'")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as exc:
        raise CourseError(f"could not read the gradebook {path} ({_first_line(exc)})") from None
    missing = sorted(set(Base.metadata.tables) - tables)
    if len(missing) == len(Base.metadata.tables):
        raise CourseError(f"{path} is not an nbgrader gradebook (it has none of its tables)")
    if missing:
        raise CourseError(
            f"{path} is damaged: the gradebook tables {', '.join(missing)} are missing"
        )


def _template_course() -> Path | None:
    """The course sources of this checkout (``autograder/``), or None when installed."""
    repo = paths.repository_root()
    return repo / "autograder" if repo else None


def init_course(target: Path, template: Path | None = None) -> list[str]:
    """Create a grading course at ``target`` from ``template`` (default: this checkout's
    ``autograder/``); release every assignment into a new gradebook; return their names.
    """
    template = template or _template_course()
    if template is None:
        raise CourseError(
            "init needs the course sources (autograder/ of the repository or its source "
            "distribution): run it in a checkout or pass --from DIR"
        )
    names = assignments(template)
    if not (template / CONFIG_FILE).is_file():
        raise CourseError(f"{template / CONFIG_FILE}: no such file")
    target = target.resolve()
    if target.exists() and any(target.iterdir()):
        raise CourseError(f"{target} already exists and is not empty")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template / CONFIG_FILE, target / CONFIG_FILE)
    shutil.copytree(template / "source", target / "source")
    course = Course(target)
    api = course.api()
    with fast_gradebook_creation():
        for name in names:
            result = api.generate_assignment(name, force=True)
            if not result["success"]:
                detail = (result.get("error") or result.get("log") or "no detail").strip()
                raise CourseError(f"nbgrader could not release {name}: {detail.splitlines()[-1]}")
    return names
