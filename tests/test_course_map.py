"""The course map reads every lesson's objectives from the released notebooks."""

from __future__ import annotations

import json

import pytest

from intermestic.course_map import objectives, summary
from intermestic.errors import CourseError
from tests.course import LESSONS, read


def test_one_row_per_objective_of_every_released_lesson():
    table = objectives()
    lessons = sorted(LESSONS.glob("[0-9][0-9]-*.ipynb"))
    assert sorted(table["lesson"].unique()) == [path.name[:2] for path in lessons]
    for path in lessons:
        title = read(path).cells[0].source
        listed = title.split("## Learning objectives")[1].split("\n## ")[0]
        count = sum(1 for line in listed.splitlines() if line[:1].isdigit())
        assert (table["lesson"] == path.name[:2]).sum() == count, path.name
    assert "**" not in "".join(table["objective"])


def _lesson(folder, name: str, title_cell: str) -> None:
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": title_cell}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    (folder / name).write_text(json.dumps(notebook), encoding="utf-8")


def test_summary_groups_objectives_under_their_lesson(tmp_path):
    title = (
        "# 01 · One\n\nIntro\n\n## Learning objectives\n1. **Compute** a rate.\n"
        "2. Explain it.\n\n## Next\n3. Not an objective."
    )
    _lesson(tmp_path, "01-one.ipynb", title)
    _lesson(tmp_path, "02-two.ipynb", "# 02 · Two\n## Learning objectives\n1. Write a memo.")
    assert summary(tmp_path) == (
        "01 · One\n   1. Compute a rate.\n   2. Explain it.\n02 · Two\n   1. Write a memo."
    )


def test_folders_without_lessons_or_with_bad_titles_give_one_line(tmp_path):
    with pytest.raises(CourseError, match="no lessons found"):
        objectives(tmp_path)
    _lesson(tmp_path, "01-bad.ipynb", "Not a title")
    with pytest.raises(CourseError, match="does not start with '# NN · Title'"):
        objectives(tmp_path)
    (tmp_path / "01-bad.ipynb").write_text("{", encoding="utf-8")
    with pytest.raises(CourseError, match="not a readable lesson notebook"):
        objectives(tmp_path)


def test_the_spanish_edition_lists_the_spanish_lessons_objectives():
    from intermestic import i18n

    english = objectives()
    with i18n.use("es"):
        spanish = objectives()
        text = summary()
    assert list(spanish["lesson"]) == list(english["lesson"])
    assert not set(spanish["title"]) & set(english["title"])
    assert "Objetivos" not in text and "## " not in text
    for path in sorted((LESSONS / "es").glob("[0-9][0-9]-*-es.ipynb")):
        assert "## Objetivos de aprendizaje" in read(path).cells[0].source, path.name
