"""``intermestic site build``: the student lessons as a website, and never the instructor notes.

The site is built once (about two minutes: every lesson is executed) and then checked:
no line of a solution, hidden test or mark scheme of any instructor notebook appears in it;
every script it loads is one of its own files; every lesson page has its Binder and download
links, its objectives and time and the tables it uses, linked to the data page; exercise cells
are prompts, not errors; charts carry alt text; explorers come with their text summary.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from intermestic.data import tables
from intermestic.gradebanks import grading
from intermestic.site.build import external_scripts
from intermestic.site.pages import lesson_info
from tests.course import LESSONS, assignment_names, read, source_notebook
from tests.site_build import build_figures, built_site

pytestmark = pytest.mark.slow
NAMES = assignment_names()
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory)


def _pages(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8")
        for p in site.rglob("*.html")
        if "_static" not in p.relative_to(site).parts
    }


def _text(markup: str) -> str:
    """What a page says: tags removed, entities decoded, quotes straight, spaces single."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        text = text.replace(curly, straight)
    text = " ".join(text.split())
    # Inline tags (`<code>groupby</code>`) leave spaces inside brackets and before punctuation.
    return re.sub(r"([(\[]) | (?=[)\].,;:!?])", r"\1", text)


def _said(markdown: str) -> str:
    """How a piece of Markdown from the data package reads once rendered."""
    return " ".join(markdown.replace("`", "").split())


def _secret_lines(name: str) -> list[str]:
    """Lines of solutions, hidden tests and mark schemes (and model answers) of a source."""
    lines = []
    for cell in read(source_notebook(name)).cells:
        meta = grading(cell)
        source = cell.source
        if "### BEGIN HIDDEN TESTS" in source:
            source = source.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS")[0]
        elif "### BEGIN SOLUTION" in source:
            source = source.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION")[0]
        elif not (cell.cell_type == "markdown" and meta.get("solution")):
            continue
        lines += [line.strip() for line in source.splitlines()]
    return lines


def test_no_solution_hidden_test_or_mark_scheme_line_appears_anywhere(site):
    released = "\n".join(c.source for p in LESSONS.glob("*.ipynb") for c in read(p).cells)
    secrets = {
        line
        for name in NAMES
        for line in _secret_lines(name)
        # Lines the student release itself shows (blank lines, a trailing `answer` line) are
        # public; everything else must never reach the site.
        if len(line) > 3 and line not in released
    }
    assert secrets, "the instructor notebooks have solutions"
    text = "\n".join(_pages(site).values())
    searchable = (site / "searchindex.js").read_text(encoding="utf-8")
    leaked = [
        line
        for line in sorted(secrets)
        if line in text or html.escape(line) in text or html.escape(line, quote=False) in text
        or line in searchable
    ]  # fmt: skip
    assert not leaked, "\n".join(leaked[:20])
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "MARK SCHEME"):
        assert marker not in text


def test_every_script_is_a_file_of_the_site(site):
    assert external_scripts(site) == {}
    for page, text in _pages(site).items():
        for src in re.findall(r"<script[^>]*\ssrc=[\"']([^\"']+)", text):
            assert not re.match(r"^(https?:)?//", src), f"{page} loads {src}"


def test_every_lesson_page_has_its_links_objectives_time_and_data(site):
    pages = _pages(site)
    data_page = pages["data.html"]
    for name in NAMES:
        page = pages[f"lessons/{name}.html"]
        info = lesson_info(name, read(LESSONS / f"{name}.ipynb"))
        assert info.time and info.objectives
        said = _text(page)
        assert f"about {info.time}" in said
        for objective in info.objectives:
            assert _said(objective) in said
        assert "mybinder.org/v2/gh/" in page and f"lessons/{name}.ipynb" in page
        download = re.search(r'href="([^"]*_downloads/[^"]*\.ipynb)"', page)
        assert download, f"{name}: no download link"
        downloaded = (site / "lessons" / download.group(1)).resolve()
        assert downloaded.read_bytes() == (LESSONS / f"{name}.ipynb").read_bytes()
        links = re.findall(r'href="\.\./data\.html#([^"]+)"', page)
        assert links, f"{name}: no data table linked"
        for anchor in links:
            assert f'id="{anchor}"' in data_page, anchor


def test_the_index_maps_the_course_and_the_data_page_lists_every_table(site):
    pages = _pages(site)
    for name in NAMES:
        assert f'href="lessons/{name}.html"' in pages["index.html"]
    data_page = _text(pages["data.html"])
    descriptor = json.loads((LESSONS.parent / "data" / "datapackage.json").read_text())
    assert {r["name"] for r in descriptor["resources"]} == set(tables())
    for resource in descriptor["resources"]:
        assert resource["name"] in data_page
        for field in resource["schema"]["fields"]:
            assert field["name"] in data_page
            assert _said(field.get("description", "")) in data_page
        for source in resource.get("sources", []):
            assert _said(source["title"]) in data_page
        for licence in resource.get("licenses", []):
            assert _said(licence.get("title") or licence["name"]) in data_page


def test_exercises_are_prompts_and_nothing_shows_an_error(site):
    for name in NAMES:
        page = _pages(site)[f"lessons/{name}.html"]
        assert "exercise-prompt" in page
        assert "traceback" not in page.lower(), f"{name} shows an error"
        assert "NameError" not in page and "YOUR ANSWER HERE" not in page


def test_charts_have_alt_text_and_explorers_their_summary(site):
    charts = 0
    for name in NAMES:
        page = _pages(site)[f"lessons/{name}.html"]
        # Images inside saved widget state are checked once rendered (tests/browser/test_site.py).
        shown = re.sub(r"<script\b.*?</script>", "", page, flags=re.DOTALL)
        for image in re.findall(r"<img\s[^>]*>", shown):
            if "data:image/png" in image:
                charts += 1
                alt = re.search(r'alt="([^"]*)"', image)
                assert alt and alt.group(1).strip(), f"{name}: a chart without alt text"
        if "widget-view+json" in page:
            assert WIDGET_STATE in page, f"{name}: widgets without their saved state"
            assert "widget-summary" in page, f"{name}: an explorer without its summary"
    assert charts, "no chart on any page"


def test_build_time_and_size_are_recorded(site):
    figures = build_figures(site)
    assert figures["pages"] == len(NAMES) + 2
    assert figures["total_bytes"] > 0 and figures["seconds"] > 0
    print(f"\nsite: {figures}")
