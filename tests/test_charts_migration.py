"""Lesson 04's ready-made charts draw what the data package holds and describe it in alt text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from intermestic.charts import migration
from intermestic.data import load


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The alt texts of the figures shown, in order."""
    texts: list[str] = []
    monkeypatch.setattr(migration, "show_figure", lambda fig, alt: texts.append(alt))
    return texts


def _lines(fig) -> list[tuple[np.ndarray, np.ndarray]]:
    ax = fig.axes[0]
    return [(np.asarray(line.get_xdata()), np.asarray(line.get_ydata())) for line in ax.get_lines()]


def test_the_apprehension_series_is_the_published_total_of_the_sectors():
    table = load("usbp_southwest_apprehensions")
    sectors = table.loc[~table["is_total"]].groupby("fiscal_year")["apprehensions"].sum()
    series = migration.apprehensions_fy1960_2019()
    assert series.index.min() == 1960 and series.index.max() == 2019
    pd.testing.assert_series_equal(series, sectors.rename("apprehensions"), check_names=True)


def test_the_encounter_series_leaves_out_the_partial_year():
    encounters = migration.encounters_complete_years()
    table = load("usbp_encounters_by_citizenship")
    partial_years = set(table.loc[table["partial"], "fiscal_year"])
    assert partial_years and not partial_years & set(encounters.index)
    rows = table.loc[(table["series"] == "ohss_encounters") & (table["fiscal_year"] == 2019)]
    assert encounters[2019] == rows["count"].sum()


def test_border_patrol_chart_draws_two_separate_lines(shown):
    fig = migration.border_patrol_chart()
    (x1, y1), (x2, y2) = _lines(fig)
    apprehensions = migration.apprehensions_fy1960_2019()
    encounters = migration.encounters_complete_years()
    np.testing.assert_allclose(y1, apprehensions.to_numpy() / 1e6)
    np.testing.assert_allclose(y2, encounters.to_numpy() / 1e6)
    assert x1.max() == 2019 and x2.min() == 2000, "the two series stay separate lines"
    peak_year = int(apprehensions.idxmax())
    assert f"{apprehensions.max():,} in FY{peak_year}" in shown[0]
    assert f"{encounters.max():,} in FY{int(encounters.idxmax())}" in shown[0]
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel()


def test_real_remittances_use_the_cpi_and_meet_nominal_in_the_base_year():
    table = migration.remittances_real()
    cpi = load("us_cpi_annual").set_index("year")["cpi_u"]
    base = table.attrs["base_year"]
    assert base == int(cpi.index.max())
    assert table.loc[base, "real"] == pytest.approx(table.loc[base, "nominal"])
    assert table.loc[2000, "real"] == pytest.approx(
        table.loc[2000, "nominal"] * cpi[base] / cpi[2000]
    )
    remittances = load("remittances_annual")
    assert not set(remittances.loc[remittances["partial"], "year"]) & set(table.index)
    assert set(table.index) <= set(cpi.index)


def test_remittances_chart_shows_both_lines_and_the_price_rise(shown):
    fig = migration.remittances_chart()
    table = migration.remittances_real()
    (_, real), (_, nominal) = _lines(fig)
    np.testing.assert_allclose(real, table["real"].to_numpy() / 1_000)
    np.testing.assert_allclose(nominal, table["nominal"].to_numpy() / 1_000)
    first, last = int(table.index.min()), int(table.index.max())
    assert f"{table.loc[last, 'nominal'] / 1_000:.1f} in {last}" in shown[0]
    cpi = load("us_cpi_annual").set_index("year")["cpi_u"]
    assert f"rose {(cpi[last] / cpi[first] - 1) * 100:.0f}%" in shown[0]


def test_state_ranking_leaves_out_the_unidentified_row():
    ranking = migration.state_ranking(top=5)
    table = load("remittances_by_us_state")
    identified = table.loc[table["state_code"] != "XX"]
    assert ranking.to_list() == sorted(identified["inflows"], reverse=True)[:5]
    assert not any("(XX)" in label for label in ranking.index)
    largest = identified.loc[identified["inflows"].idxmax(), "state_code"]
    assert ranking.index[0].endswith(f"({largest})")


def test_remittances_by_state_chart_bars_and_alt_text(shown):
    fig = migration.remittances_by_state_chart(top=10)
    ranking = migration.state_ranking(top=10)
    widths = [patch.get_width() for patch in fig.axes[0].patches]
    np.testing.assert_allclose(widths, ranking.to_numpy() / 1_000)
    for name, value in ranking.items():
        assert f"{name} {value / 1_000:.1f}" in shown[0]
