"""Release student lessons from the instructor notebooks with nbgrader, reproducibly."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from intermestic.editions import release_config, write_marker, write_sources
from intermestic.errors import CourseError
from intermestic.i18n import MARKER_FILE, split_edition
from intermestic.nbgrader_env import ensure_tools_on_path, fast_gradebook_creation
from intermestic.notebooks import dumps, normalise, read_notebook
from intermestic.translations import languages

CONFIG_FILE = "nbgrader_config.py"


@dataclass(frozen=True)
class Staleness:
    """How the committed lessons differ from a fresh build."""

    changed: list[str]
    missing: list[str]
    unexpected: list[str]

    @property
    def is_fresh(self) -> bool:
        """True when the committed lessons equal a fresh build."""
        return not (self.changed or self.missing or self.unexpected)

    def describe(self) -> str:
        """One line naming every stale file."""
        parts = []
        for label, names in (
            ("changed", self.changed),
            ("missing", self.missing),
            ("not built from any source", self.unexpected),
        ):
            if names:
                parts.append(f"{label}: {', '.join(names)}")
        return "; ".join(parts)


def assignments(autograder_dir: Path) -> list[str]:
    """Names of the assignments in ``autograder_dir/source``, each ``NAME/NAME.ipynb``."""
    source = autograder_dir / "source"
    if not source.is_dir():
        raise CourseError(f"{source}: no such folder (expected an nbgrader course's source/)")
    names = sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not names:
        raise CourseError(f"{source}: no assignments found")
    for name in names:
        notebook = source / name / f"{name}.ipynb"
        if not notebook.is_file():
            raise CourseError(f"{notebook}: no such file (each assignment folder holds NAME.ipynb)")
    return names


def _release_with_nbgrader(course: Path, names: list[str]) -> None:
    """Run nbgrader's generate_assignment for every assignment of the course at ``course``
    (a translated edition's with its language's settings, `intermestic.editions`)."""
    ensure_tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_FILE, path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    apis: dict[str, NbGraderAPI] = {}

    def api(name: str) -> NbGraderAPI:
        lang = split_edition(name)[1]
        if lang not in apis:
            apis[lang] = NbGraderAPI(config=release_config(config, lang))
        return apis[lang]

    with fast_gradebook_creation():
        results = [api(name).generate_assignment(name, force=True) for name in names]
    for name, result in zip(names, results, strict=True):
        if not result["success"]:
            detail = (result.get("error") or result.get("log") or "no detail").strip()
            raise CourseError(f"nbgrader could not release {name}: {detail.splitlines()[-1]}")


def _edition_files(folder: Path) -> set[Path]:
    """The files of a lessons folder that a build writes: notebooks and the language marker."""
    return {*folder.glob("*.ipynb"), *folder.glob(MARKER_FILE)}


def build_lessons(autograder_dir: Path, lessons_dir: Path) -> list[Path]:
    """Release every assignment into ``lessons_dir/NAME.ipynb``, and every published lesson of
    each translated edition into ``lessons_dir/<lang>/NAME-<lang>.ipynb`` (with the language
    marker); return the files written.

    Lessons that no longer have a source are removed so the folders mirror the course; an
    edition whose language has no catalogues under ``autograder_dir/locale/`` is left alone.
    """
    names = assignments(autograder_dir)
    for name in names:
        read_notebook(autograder_dir / "source" / name / f"{name}.ipynb")
    config = autograder_dir / CONFIG_FILE
    if not config.is_file():
        raise CourseError(f"{config}: no such file")
    with tempfile.TemporaryDirectory(prefix="intermestic-build-") as tmp:
        course = Path(tmp)
        shutil.copytree(autograder_dir / "source", course / "source")
        shutil.copy2(config, course / CONFIG_FILE)
        editions = {
            lang: write_sources(autograder_dir, course / "source", lang)
            for lang in languages(autograder_dir)
        }
        _release_with_nbgrader(course, names + [n for e in editions.values() for n in e.names])
        lessons_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name in names:
            released = read_notebook(course / "release" / name / f"{name}.ipynb")
            target = lessons_dir / f"{name}.ipynb"
            target.write_text(dumps(normalise(released, release=True)), encoding="utf-8")
            written.append(target)
        for lang, edition in editions.items():
            folder = lessons_dir / lang
            folder.mkdir(exist_ok=True)
            made = [write_marker(folder, lang)]
            for name in edition.names:
                released = read_notebook(course / "release" / name / f"{name}.ipynb")
                target = folder / f"{name}.ipynb"
                target.write_text(dumps(normalise(released, release=True)), encoding="utf-8")
                made.append(target)
            for stale in _edition_files(folder) - set(made):
                stale.unlink()
            written += made
    for stale in set(lessons_dir.glob("*.ipynb")) - set(written):
        stale.unlink()
    return written


def check_lessons(autograder_dir: Path, lessons_dir: Path) -> Staleness:
    """Compare ``lessons_dir`` (and its translated editions) with a fresh build, byte for byte."""
    with tempfile.TemporaryDirectory(prefix="intermestic-check-") as tmp:
        fresh_dir = Path(tmp)
        fresh = {
            p.relative_to(fresh_dir).as_posix(): p.read_bytes()
            for p in build_lessons(autograder_dir, fresh_dir)
        }
    committed = {p.name: p.read_bytes() for p in lessons_dir.glob("*.ipynb")}
    for lang in languages(autograder_dir):
        committed.update(
            {
                p.relative_to(lessons_dir).as_posix(): p.read_bytes()
                for p in _edition_files(lessons_dir / lang)
            }
        )
    return Staleness(
        changed=sorted(n for n in fresh.keys() & committed.keys() if fresh[n] != committed[n]),
        missing=sorted(fresh.keys() - committed.keys()),
        unexpected=sorted(committed.keys() - fresh.keys()),
    )
