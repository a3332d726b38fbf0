"""The course at a glance: every lesson's title and learning objectives, read from the lessons.

The objectives are read from the released notebooks themselves (the numbered list under
"## Learning objectives", or "## Objetivos de aprendizaje" in the Spanish edition, in each title
cell), so a summary built from them never drifts from what the lessons promise, in the
learner's language::

    from intermestic.course_map import objectives
    objectives()          # one row per objective: lesson, title, number, objective
    print(summary())      # the same, as text grouped by lesson
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from intermestic import i18n
from intermestic.errors import CourseError
from intermestic.paths import lessons_dir

__all__ = ["objectives", "summary"]

_TITLE = re.compile(r"^#\s+(\d{2})\s+·\s+(.+?)\s*$")
_OBJECTIVE = re.compile(r"^(\d+)\.\s+(.+?)\s*$")
COLUMNS = ["lesson", "title", "number", "objective"]
_OBJECTIVES_HEADINGS = {"## learning objectives", "## objetivos de aprendizaje"}


def _title_cell(path: Path) -> str:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        source = notebook["cells"][0]["source"]
    except (OSError, ValueError, KeyError, IndexError):
        raise CourseError(f"{path}: not a readable lesson notebook") from None
    return "".join(source) if isinstance(source, list) else str(source)


def _rows(path: Path) -> list[dict[str, object]]:
    lines = _title_cell(path).splitlines()
    title = _TITLE.match(lines[0]) if lines else None
    if title is None:
        raise CourseError(f"{path}: the first cell does not start with '# NN · Title'")
    rows, listing = [], False
    for line in lines[1:]:
        if line.startswith("## "):
            listing = line.strip().casefold() in _OBJECTIVES_HEADINGS
            continue
        found = _OBJECTIVE.match(line) if listing else None
        if found:
            rows.append(
                {
                    "lesson": title.group(1),
                    "title": title.group(2),
                    "number": int(found.group(1)),
                    "objective": found.group(2).replace("**", ""),
                }
            )
    return rows


def objectives(folder: Path | None = None) -> pd.DataFrame:
    """Every lesson's learning objectives, in course order (one row per objective), from the
    lessons of the learner's edition unless `folder` is given."""
    folder = lessons_dir(i18n.language()) if folder is None else folder
    paths = sorted(folder.glob("[0-9][0-9]-*.ipynb"))
    if not paths:
        raise CourseError(f"{folder}: no lessons found (expected NN-topic.ipynb files)")
    rows = [row for path in paths for row in _rows(path)]
    return pd.DataFrame(rows, columns=COLUMNS).astype({"number": "int64"})


def summary(folder: Path | None = None) -> str:
    """The objectives as text: each lesson's number and title, then its numbered objectives."""
    lines: list[str] = []
    for (lesson, title), rows in objectives(folder).groupby(["lesson", "title"], sort=False):
        lines.append(f"{lesson} · {title}")
        lines += [f"   {row.number}. {row.objective}" for row in rows.itertuples()]
    return "\n".join(lines)
