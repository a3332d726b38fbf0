"""Migration explorer: both series shown separately, the FY2019 break, partial FY2025."""

from __future__ import annotations

import pytest

from intermestic.data import load
from intermestic.explorers import migration_explorer, migration_summary
from intermestic.explorers.migration import (
    APPREHENSIONS,
    ENCOUNTERS,
    NORTHERN_TRIANGLE,
    migration_composition,
    migration_figure,
)


def _counts(series: str, year: int) -> dict[str, int]:
    frame = load("usbp_encounters_by_citizenship")
    rows = frame[(frame["series"] == series) & (frame["fiscal_year"] == year)]
    return dict(zip(rows["citizenship"], rows["count"], strict=True))


def test_fy2000_apprehensions_total_is_the_published_peak():
    # Published: southwest-border apprehensions peaked at 1,643,679 in FY2000 (content facts §1.1).
    apprehensions = migration_composition(2000)[0]
    assert (apprehensions.series, apprehensions.total) == (APPREHENSIONS, 1_643_679)


@pytest.mark.parametrize("year", [2000, 2018, 2019])
def test_both_series_are_shown_separately_while_both_exist(year):
    compositions = migration_composition(year)
    assert [c.series for c in compositions] == [APPREHENSIONS, ENCOUNTERS]
    for composition in compositions:
        assert composition.counts == _counts(composition.series, year)
    text = migration_summary(year)
    assert "Series break" in text and "never join them" in text


def test_the_northern_triangle_subtotal_and_mexicos_share():
    encounters = migration_composition(2019)[1]
    counts = _counts(ENCOUNTERS, 2019)
    subtotal = sum(counts[country] for country in NORTHERN_TRIANGLE)
    share = 100 * subtotal / sum(counts.values())
    assert encounters.share(*NORTHERN_TRIANGLE) == pytest.approx(share)
    text = migration_summary(2019)
    assert f"Guatemala + Honduras + El Salvador: {subtotal:,}\n" in text
    mexico = 100 * counts["Mexico"] / sum(counts.values())
    assert f"Mexico's share of the total: {mexico:.1f} %" in text


@pytest.mark.parametrize("year", [2012, 2018, 2024])
def test_the_text_shows_no_central_american_share(year):
    # Lesson 04 grades the Central American share of encounters by year: the explorer shows
    # the counts it is computed from, never the share itself.
    encounters = migration_composition(year)[-1]
    share = encounters.share(*NORTHERN_TRIANGLE)
    text = migration_summary(year)
    for shown in (f"{share:.1f}", f"{share:.0f} %", f"{share / 100:.1%}"):
        assert shown not in text, shown


def test_after_fy2019_only_encounters_and_the_break_is_explained():
    assert [c.series for c in migration_composition(2020)] == [ENCOUNTERS]
    assert "apprehensions series ends in FY2019" in migration_summary(2020)


def test_fy2025_is_flagged_partial():
    assert migration_composition(2025)[0].partial
    assert "partial" in migration_summary(2025)


@pytest.mark.parametrize("bad", [1999, 2026, "FY2018", None, 2018.5])
def test_bad_fiscal_years_give_a_message(bad):
    assert migration_summary(bad).startswith("Cannot show this: the fiscal year")


def test_figure_marks_the_year():
    png, alt = migration_figure(2014)
    assert png.startswith(b"\x89PNG") and "FY2014 is marked" in alt


def test_widget_follows_the_year_menu():
    widget = migration_explorer(fiscal_year=2018)
    widget.controls["fiscal_year"].value = 2021
    assert widget.summary() == migration_summary(fiscal_year=2021)
    assert f"{_counts(ENCOUNTERS, 2021)['Mexico']:,}" in widget.summary_view.value
