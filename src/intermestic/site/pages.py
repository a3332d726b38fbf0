"""The website's pages: each lesson as a page, the course map and the data page.

Everything here is read from the student lessons (their title cells) and from
``data/datapackage.json``; nothing comes from the instructor notebooks.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
from nbformat import NotebookNode

from intermestic.errors import CourseError
from intermestic.site.execute import ExecutedLesson

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DASH = "\u2013"  # shown for a missing value
BINDER = "https://mybinder.org/v2/gh/{repository}/HEAD?urlpath=lab/tree/lessons/{notebook}"


@dataclass
class LessonInfo:
    """What the course map and a lesson page say about a lesson, from its title cell."""

    name: str
    title: str
    time: str
    article: str
    points: str
    objectives: list[str] = field(default_factory=list)


def _plain(markdown: str) -> str:
    return " ".join(re.sub(r"[*`]", "", markdown).split())


def lesson_info(name: str, notebook: NotebookNode) -> LessonInfo:
    """The title, time, article paragraphs, points and objectives of a lesson."""
    first = next((c.source for c in notebook.cells if c.cell_type == "markdown"), "")
    title = re.search(r"^#\s+(.+)$", first, re.MULTILINE)
    if title is None:
        raise CourseError(f"{name}: the first cell has no '# NN · Title' heading")
    text = _plain(first)
    time = re.search(r"Estimated time:?\s*([^·\n]*?minutes)", text)
    article = re.search(r"Article\s+(¶[^·\n]*?)\s*(?:·|$)", text)
    points = re.search(r"Graded[^:]*:\s*(\d+(?:\.\d+)?)\s+points", text)
    section = re.split(r"^##\s+Learning objectives\s*$", first, flags=re.MULTILINE | re.IGNORECASE)
    objectives = (
        [_plain(m) for m in re.findall(r"^\s*\d+\.\s+(.+)$", section[1], re.MULTILINE)]
        if len(section) > 1
        else []
    )
    return LessonInfo(
        name=name,
        title=title.group(1).strip(),
        time=time.group(1).strip() if time else "",
        article=article.group(1).strip() if article else "",
        points=points.group(1) if points else "",
        objectives=objectives,
    )


def _table_label(table: str) -> str:
    return f"table-{table}"


def info_cell(
    info: LessonInfo, tables: Sequence[str], titles: Mapping[str, str], repository: str
) -> NotebookNode:
    """The "About this lesson" box at the top of a lesson page."""
    notebook = f"{info.name}.ipynb"
    binder = BINDER.format(repository=repository, notebook=quote(notebook))
    facts = [f"**Time:** about {info.time}" if info.time else ""]
    facts += [f"**Article:** {info.article}" if info.article else ""]
    facts += [f"**Graded:** {info.points} points" if info.points else ""]
    data = ", ".join(
        f"{{ref}}`{titles.get(t, t)} <{_table_label(t)}>`" for t in tables if t in titles
    )
    lines = [
        "````{admonition} About this lesson",
        ":class: lesson-info",
        " · ".join(f for f in facts if f),
        "",
        f"[Launch this lesson on Binder]({binder}) (a temporary online copy: download your work "
        f"before you leave) · {{download}}`Download the notebook </notebooks/{notebook}>`",
        "",
        f"**Data used:** {data}." if data else "**Data used:** none.",
        "",
        "This page shows the lesson with its outputs. Exercise cells are empty here: answer "
        "them when you run the lesson. Explorers do not respond on this page; the text beside "
        "each one summarises what it shows.",
        "````",
    ]
    return nbformat.v4.new_markdown_cell("\n".join(lines))


def _prompt_cell(kind: str, code: str = "") -> NotebookNode:
    if kind == "written":
        body = (
            "In the lesson, write your answer in this cell. Your instructor marks it using the "
            "lesson's mark scheme."
        )
        title = "Your written answer"
    else:
        body = (
            "In the lesson, this cell is where you write your code: replace "
            "`raise NotImplementedError()` with it, then run the test cell below."
        )
        title = "Your answer"
    block = f"\n```python\n{code}\n```" if code else ""
    lines = ["````{admonition} " + title, ":class: exercise-prompt", body, block, "````"]
    return nbformat.v4.new_markdown_cell("\n".join(lines))


def _summary_output(text: str) -> NotebookNode:
    """An output showing a widget's plain-text summary beside it."""
    body = (
        '<div class="widget-summary"><p><strong>Text summary</strong> (this explorer does not '
        "respond on the website; run the lesson to use it):</p>"
        f"<pre>{html.escape(text)}</pre></div>"
    )
    return nbformat.v4.new_output("display_data", data={"text/html": body})


def site_notebook(
    executed: ExecutedLesson,
    info: LessonInfo,
    titles: Mapping[str, str],
    repository: str,
) -> NotebookNode:
    """The executed lesson made into a page: prompts for answers, summaries beside widgets."""
    from intermestic.gradebanks import grading

    notebook = executed.notebook
    cells: list[NotebookNode] = []
    for index, cell in enumerate(notebook.cells):
        meta = grading(cell)
        if cell.cell_type == "markdown" and meta.get("grade") and meta.get("solution"):
            cells.append(_prompt_cell("written"))
            continue
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            cells.append(_prompt_cell("code", cell.source.strip()))
            continue
        if cell.cell_type == "code":
            outputs = []
            for output in cell.outputs:
                outputs.append(output)
                data = output.get("data", {})
                if WIDGET_VIEW in data and data.get("text/plain", "").strip():
                    outputs.append(_summary_output(data["text/plain"]))
            cell.outputs = outputs
            cell.metadata.pop("tags", None)
        cells.append(cell)
        if index == 0:
            cells.append(info_cell(info, executed.tables, titles, repository))
    notebook.cells = cells
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    return notebook


def index_page(lessons: Sequence[LessonInfo], repository: str) -> str:
    """The home page: what the course is, how to run it, and the course map."""
    rows = []
    for info in lessons:
        objectives = "<br>".join(html.escape(o) for o in info.objectives)
        rows.append(
            f"| {{doc}}`{info.title} <lessons/{info.name}>` | {info.time or DASH} | "
            f"{info.article or 'all'} | {info.points or DASH} | {objectives} |"
        )
    binder = BINDER.format(repository=repository, notebook=f"{quote(lessons[0].name)}.ipynb")
    toctree = "\n".join(f"lessons/{info.name}" for info in lessons)
    return f"""# intermestic: U.S.\u2013Mexico relations through one policy article

A course of Jupyter notebooks that reads one policy article, E. A. Wayne's "Resetting U.S.-Mexico
Relations" (Wilson Center, Mexico Institute, July 2018), next to the public statistics it talks
about: trade, the border, migration, remittances and security. Each lesson retells part of the
article in its own words, lets you explore real data with pandas and interactive explorers, gives
instant feedback on self-checks, and ends with a quiz.

These pages show every lesson with its outputs, so you can read the course before you run it.
To do the exercises, [launch the course on Binder]({binder}) (nothing to install), or install it
on your computer with `pip install intermestic` and run `intermestic start`. The
[data page](data.md) describes every table the lessons use.

## Course map

| Lesson | Time | Article | Graded points | By the end you can… |
|---|---|---|---|---|
{chr(10).join(rows)}

```{{toctree}}
:hidden:
:maxdepth: 1

{toctree}
data
```
"""


def _licence(entry: Mapping[str, Any]) -> str:
    name = entry.get("title") or entry.get("name", "")
    return f"[{name}]({entry['path']})" if entry.get("path") else str(name)


def _source(entry: Mapping[str, Any]) -> str:
    title = entry.get("title", "")
    return f"[{title}]({entry['path']})" if entry.get("path") else str(title)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def data_page(descriptor: Mapping[str, Any]) -> str:
    """The data page: every table of the data package, its columns, source and licence."""
    parts = [
        f"# The data\n\n{_cell(descriptor.get('title', 'The data package'))}.\n\n"
        f"{_cell(descriptor.get('description', ''))}\n\nLoad a table in a lesson with "
        '`intermestic.data.load("name")`; `intermestic.data.describe("name")` prints its '
        "columns and sources.\n"
    ]
    for resource in descriptor["resources"]:
        fields = resource.get("schema", {}).get("fields", [])
        has_units = any("unit" in f or "units" in f for f in fields)
        header = "| Column | Type |" + (" Unit |" if has_units else "") + " Description |"
        rule = "|---|---|" + ("---|" if has_units else "") + "---|"
        rows = []
        for f in fields:
            unit = f" {_cell(f.get('unit', f.get('units', '')))} |" if has_units else ""
            rows.append(
                f"| `{f['name']}` | {f.get('type', '')} |{unit} {_cell(f.get('description', ''))} |"
            )
        sources = "; ".join(_source(s) for s in resource.get("sources", [])) or DASH
        licences = "; ".join(_licence(x) for x in resource.get("licenses", [])) or DASH
        parts.append(
            f"({_table_label(resource['name'])})=\n"
            f"## {_cell(resource.get('title', resource['name']))}\n\n"
            f"`{resource['name']}` · file `{resource.get('path', '')}`\n\n"
            f"{_cell(resource.get('description', ''))}\n\n"
            f"**Source:** {sources}\n\n**Licence:** {licences}\n\n"
            f"{header}\n{rule}\n" + "\n".join(rows) + "\n"
        )
    return "\n".join(parts)


def table_titles(descriptor: Mapping[str, Any]) -> dict[str, str]:
    """Each table's title by name."""
    return {r["name"]: r.get("title", r["name"]) for r in descriptor["resources"]}


def read_descriptor(path: Path) -> dict[str, Any]:
    """The data package descriptor at `path`."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CourseError(f"{path}: cannot read the data package ({error})") from None
