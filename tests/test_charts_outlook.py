"""Lesson 07's ready-made charts: events after the article, and the years each table covers."""

from __future__ import annotations

import pytest

from intermestic import marking
from intermestic.charts import outlook
from intermestic.data import load, tables
from tests.chart_layout import covered


@pytest.fixture
def shown(monkeypatch) -> list[tuple[object, str]]:
    """The (figure, alt text) pairs the chart functions show, instead of displaying them."""
    calls: list[tuple[object, str]] = []
    monkeypatch.setattr(outlook, "show_figure", lambda fig, alt: calls.append((fig, alt)))
    return calls


def test_every_event_after_the_article_is_one_dot_in_its_theme_row(shown):
    fig = outlook.events_after_the_article()
    after = load("timeline").query("after_article")
    drawn = marking.chart(fig, "fig")
    assert sum(len(trace.x) for trace in drawn.traces) == len(after)
    for trace in drawn.traces:
        assert len(trace.x) == (after["theme"] == trace.label).sum()
    ((_, alt),) = shown
    assert f"the {len(after)} timeline events after the article" in alt
    assert "13 July 2018 visit" in alt


def test_coverage_spans_every_table_with_a_time_column():
    spans = outlook.coverage().set_index("table")
    timeless = {"border_ports", "actors", "article_claims", "timeline"}
    assert set(spans.index) == set(tables()) - timeless
    homicides = load("mexico_homicides")
    assert spans.loc["mexico_homicides", ["first", "last"]].tolist() == [
        homicides["year"].min(),
        homicides["year"].max(),
    ]
    assert spans.loc["usbp_southwest_apprehensions", "years"] == "fiscal"
    assert spans.loc["remittances_annual", "last_partial"]
    assert not spans.loc["mexico_homicides", "last_partial"]
    assert list(outlook.coverage()["first"]) == sorted(spans["first"])


def test_table_coverage_draws_one_bar_per_table_and_lists_them(shown):
    fig = outlook.table_coverage()
    spans = outlook.coverage()
    drawn = marking.chart(fig, "fig")
    widths = [w for trace in drawn.traces if trace.label.endswith("years") for w in trace.y]
    assert sorted(widths) == sorted((spans["last"] - spans["first"] + 1).tolist())
    ((_, alt),) = shown
    assert "mexico_homicides 1990-2017;" in alt
    assert "usbp_encounters_by_citizenship 2000-2025 (fiscal years, last year partial)" in alt


@pytest.mark.parametrize("draw", [outlook.events_after_the_article, outlook.table_coverage])
def test_no_label_or_legend_covers_the_data(shown, draw):
    assert covered(draw()) == []
