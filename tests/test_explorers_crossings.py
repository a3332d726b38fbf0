"""Border crossings explorer: totals and per-day from the BTS tables, the inbound check, ports."""

from __future__ import annotations

import pandas as pd
import pytest

from intermestic.data import load
from intermestic.explorers import crossings_explorer, crossings_summary
from intermestic.explorers.crossings import (
    MEASURES,
    PERSON_MEASURES,
    crossings,
    crossings_figure,
    months,
    people_check,
    port_names,
)


def _bts(month: str) -> pd.DataFrame:
    year = int(month[:4])
    frame = load("border_crossings_2018" if year == 2018 else "border_crossings_2020_2021")
    return frame[frame["month"] == pd.Timestamp(f"{month}-01")]


def test_months_and_measures_cover_the_tables():
    assert months()[0] == "2018-01" and months()[-1] == "2021-12" and len(months()) == 36
    measures = set(load("border_crossings_2020_2021")["measure"])
    assert set(MEASURES) == measures
    assert len(port_names()) == len(load("border_ports"))


def test_total_and_per_day_for_all_ports():
    rows = _bts("2018-07")
    expected = rows.loc[rows["measure"] == "Pedestrians", "value"].sum()
    result = crossings("Pedestrians", "2018-07")
    assert result.total == expected
    assert result.per_day == pytest.approx(expected / 31)


def test_selected_ports_by_name_or_code_and_february_days():
    rows = _bts("2020-02")
    trucks = rows[(rows["measure"] == "Trucks") & rows["port_name"].isin(["Laredo", "Otay Mesa"])]
    otay_mesa = int(load("border_ports").set_index("port_name").loc["Otay Mesa", "port_code"])
    result = crossings("Trucks", "2020-02", ["laredo", otay_mesa])
    assert result.total == trucks["value"].sum()
    assert result.days == 29
    assert list(result.by_port.index) == sorted(
        ["Laredo", "Otay Mesa"],
        key=lambda name: -trucks.loc[trucks["port_name"] == name, "value"].sum(),
    )


def test_2018_full_containers_are_the_2020_loaded_measure():
    rows = _bts("2018-03")
    expected = rows.loc[rows["measure"] == "Truck Containers Full", "value"].sum()
    assert crossings("Truck Containers Full", "2018-03").total == expected
    assert crossings("Truck Containers Loaded", "2018-03").total == expected


def test_the_million_a_day_check_counts_people_inbound_and_doubles_for_two_way():
    rows = _bts("2018-07")
    people = rows.loc[rows["measure"].isin(PERSON_MEASURES), "value"].sum()
    check = people_check("2018-07")
    assert check.inbound_people == people
    assert check.two_way_per_day == pytest.approx(2 * people / 31)
    text = crossings_summary(month="2018-07")
    assert f"{people:,}" in text and "inbound crossings only" in text


def test_a_port_without_that_traffic_shows_zero():
    text = crossings_summary("Trains", "2021-12", ["San Ysidro"])
    assert "Total: 0" in text and "None recorded" in text


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ({"ports": []}, "no port is selected"),
        ({"ports": ["San Ysidor"]}, "Did you mean 'San Ysidro'"),
        ({"month": "2019-05"}, "no crossing data for month"),
        ({"month": 201807}, "no crossing data for month"),
        ({"measure": "Cars"}, "unknown measure"),
    ],
)
def test_bad_input_gives_a_message(state, words):
    text = crossings_summary(**state)
    assert text.startswith("Cannot show this:") and words in text


def test_figure_alt_text_names_the_busiest_selected_port():
    png, alt = crossings_figure("Pedestrians", "2018-07", ["San Ysidro", "Laredo"])
    assert png.startswith(b"\x89PNG")
    assert "San Ysidro" in alt and "July 2018" in alt


def test_widget_drives_measure_month_and_ports():
    widget = crossings_explorer()
    assert widget.state()["ports"] == tuple(port_names())
    widget.controls["measure"].value = "Pedestrians"
    widget.controls["month"].value = "2020-04"
    widget.controls["ports"].value = ("Nogales",)
    assert widget.summary() == crossings_summary("Pedestrians", "2020-04", ("Nogales",))
    rows = _bts("2020-04")
    expected = rows[(rows["measure"] == "Pedestrians") & (rows["port_name"] == "Nogales")]
    assert f"Total: {expected['value'].sum():,}" in widget.summary_view.value
    widget.controls["ports"].value = ()
    assert "no port is selected" in widget.summary_view.value
    assert widget.figure_view.value == ""
