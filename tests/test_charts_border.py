"""Lesson 05's ready-made charts draw what the data package holds and describe it in alt text."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from intermestic.charts import border
from intermestic.data import load

PEOPLE = ["Pedestrians", "Personal Vehicle Passengers", "Bus Passengers", "Train Passengers"]


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The alt texts of the figures shown, in order."""
    texts: list[str] = []
    monkeypatch.setattr(border, "show_figure", lambda fig, alt: texts.append(alt))
    return texts


def test_people_by_port_adds_the_four_measures_and_finds_every_port():
    table = border.people_by_port()
    crossings = load("border_crossings_2018")
    assert table["people"].sum() == crossings.loc[crossings["measure"].isin(PEOPLE), "value"].sum()
    assert set(table["port_code"]) == set(crossings["port_code"])
    assert table[["latitude", "longitude"]].notna().all().all(), "every port has coordinates"
    assert table["people"].is_monotonic_decreasing


def test_ports_map_places_ports_by_coordinates_sized_by_people(shown):
    fig = border.ports_map(labelled=5)
    table = border.people_by_port()
    dots = fig.axes[0].collections[0]
    np.testing.assert_allclose(dots.get_offsets(), table[["longitude", "latitude"]].to_numpy())
    sizes = dots.get_sizes()
    assert sizes.argmax() == 0 and np.all(np.diff(sizes) <= 0), "area grows with people"
    labels = [text.get_text() for text in fig.axes[0].texts]
    for row in table.head(5).itertuples():
        assert f"{row.port_name}\n{row.people / 1e6:.1f} m" in labels
        assert f"{row.port_name} {row.people / 1e6:.1f} million" in shown[0]
    assert len(labels) == 5


def test_people_and_trucks_chart_panels(shown):
    fig = border.people_and_trucks_chart(top=6)
    left, right = fig.axes
    people = border.people_by_port().set_index("port_name")["people"]
    trucks = border.trucks_by_port()
    ports = [label.get_text() for label in left.get_yticklabels()]
    assert ports[:6] == list(people.index[:6])
    assert set(trucks.index[:6]) <= set(ports)
    people_widths = [patch.get_width() for patch in left.patches]
    truck_widths = [patch.get_width() for patch in right.patches]
    np.testing.assert_allclose(people_widths, people.reindex(ports, fill_value=0) / 1e6)
    np.testing.assert_allclose(truck_widths, trucks.reindex(ports, fill_value=0) / 1e3)
    busiest = trucks.index[0]
    assert f"{busiest} {people[busiest] / 1e6:.1f} million people and" in shown[0]


def test_san_ysidro_months_without_any_traffic_are_missing():
    monthly = border.san_ysidro_people()
    assert monthly.index.min() == pd.Timestamp("1996-01-01")
    assert monthly.index.max() == pd.Timestamp("2021-12-01")
    assert monthly.loc["1996"].isna().all()
    assert monthly.loc["1997-01-01":"1997-02-01"].isna().all()
    table = load("border_crossings_san_ysidro")
    march_1997 = table.loc[
        (table["month"] == pd.Timestamp("1997-03-01")) & table["measure"].isin(PEOPLE), "value"
    ].sum()
    assert monthly[pd.Timestamp("1997-03-01")] == march_1997
    assert monthly.loc["1998":].notna().all()


def test_san_ysidro_chart_shades_the_restrictions_and_names_the_low(shown):
    fig = border.san_ysidro_chart()
    ax = fig.axes[0]
    (line,) = ax.get_lines()
    monthly = border.san_ysidro_people()
    np.testing.assert_allclose(
        np.asarray(line.get_ydata(), dtype=float),
        monthly.astype("float64").to_numpy() / 1e6,
        equal_nan=True,
    )
    shade = ax.patches[0]
    start, end = shade.get_x(), shade.get_x() + shade.get_width()
    assert mdates.num2date(start).date() == border.RESTRICTIONS_START.date()
    assert mdates.num2date(end).date() == border.RESTRICTIONS_END.date()
    low = monthly.loc[border.RESTRICTIONS_START :].idxmin()
    assert f"to {monthly[low] / 1e6:.1f} million in {low:%B %Y}" in shown[0]
    assert "1996 is missing" in shown[0]
