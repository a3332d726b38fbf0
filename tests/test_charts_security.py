"""Lesson 06's ready-made charts draw the data package's numbers and describe them in alt text."""

from __future__ import annotations

import pandas as pd
import pytest

from intermestic import marking
from intermestic.charts import security
from intermestic.data import load
from tests.chart_layout import covered


@pytest.fixture
def shown(monkeypatch) -> list[tuple[object, str]]:
    """The (figure, alt text) pairs the chart functions show, instead of displaying them."""
    calls: list[tuple[object, str]] = []
    monkeypatch.setattr(security, "show_figure", lambda fig, alt: calls.append((fig, alt)))
    return calls


def test_homicide_counts_show_each_system_only_where_it_has_a_count(shown):
    fig = security.homicide_counts_by_system(2014, 2017)
    table = load("mexico_homicides").set_index("year").loc[2014:2017]
    drawn = marking.chart(fig, "fig")
    assert [trace.label for trace in drawn.traces] == list(security.HOMICIDE_SYSTEMS.values())
    for trace, column in zip(drawn.traces, security.HOMICIDE_SYSTEMS, strict=True):
        assert list(trace.y) == [float(v) for v in table[column].dropna()]
    ((_, alt),) = shown
    assert "INEGI death records: 2014 20,010, 2015 20,762, 2016 24,559." in alt
    assert "2017 29,430" in alt and drawn.ylabel == "Homicides (count)"


def test_overdose_chart_draws_every_drug_and_warns_against_adding_them(shown):
    fig = security.overdose_deaths_by_drug()
    deaths = load("us_overdose_deaths")
    drawn = marking.chart(fig, "fig")
    assert len(drawn.traces) == deaths["icd10_code"].nunique()
    fentanyl = deaths[deaths["icd10_code"] == "T40.4"].set_index("year")["deaths"]
    assert drawn.has_series(fentanyl, decimals=0)
    ((_, alt),) = shown
    assert "3,105 in 2013, 56,518 in 2020" in alt and "must not be added" in alt


def test_indexed_series_equal_100_in_the_base_year_and_start_with_the_us_data():
    lines = security.indexed_series(2015)
    assert all(series[2015] == pytest.approx(100) for series in lines.values())
    assert min(min(series.index) for series in lines.values()) == 2013
    inegi = lines["Mexico homicides per person, INEGI"]
    homicides = load("mexico_homicides").set_index("year")
    rate = homicides["homicides_inegi"] / homicides["population"]
    assert inegi[2016] == pytest.approx(rate[2016] / rate[2015] * 100)


def test_two_countries_chart_keeps_the_two_mexican_systems_apart(shown):
    fig = security.two_countries_indexed()
    drawn = marking.chart(fig, "fig")
    labels = [trace.label for trace in drawn.traces]
    assert labels == list(security.indexed_series())
    sesnsp = dict(zip(drawn.traces[2].x, drawn.traces[2].y, strict=True))
    assert sorted(sesnsp) == [2015, 2016, 2017]
    ((_, alt),) = shown
    assert "are not joined" in alt and drawn.ylabel == "Index (2015 = 100)"
    assert isinstance(
        security.indexed_series()["U.S. synthetic-opioid deaths per person"], pd.Series
    )


@pytest.mark.parametrize(
    "draw",
    [
        security.homicide_counts_by_system,
        security.overdose_deaths_by_drug,
        security.two_countries_indexed,
    ],
)
def test_no_label_or_legend_covers_the_data(shown, draw):
    assert covered(draw()) == []
