"""Where the course's files live, in a repository checkout or in an installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# In a wheel, lessons/ and data/ are shipped as intermestic/course/ (see pyproject.toml).
_BUNDLED_COURSE = PACKAGE_DIR / "course"
# In a checkout (editable install), src/intermestic/ sits two levels below the repository root.
_CHECKOUT_ROOT = PACKAGE_DIR.parent.parent


def _course_dir(name: str) -> Path:
    """The course folder `name`: the bundled copy when installed, else the checkout's."""
    bundled = _BUNDLED_COURSE / name
    if bundled.is_dir():
        return bundled
    return _CHECKOUT_ROOT / name


def lessons_dir(language: str = "en") -> Path:
    """The folder of released student notebooks of one edition: ``lessons/`` for English,
    ``lessons/<language>/`` for a translation (see `intermestic.i18n`)."""
    folder = _course_dir("lessons")
    return folder if language == "en" else folder / language


def data_dir() -> Path:
    """The folder holding the data package (datapackage.json and its tables)."""
    return _course_dir("data")


def repository_root() -> Path | None:
    """The repository checkout this package runs from, or None when installed from a wheel."""
    if (_CHECKOUT_ROOT / "pyproject.toml").is_file() and (_CHECKOUT_ROOT / "autograder").is_dir():
        return _CHECKOUT_ROOT
    return None
