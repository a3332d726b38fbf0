"""Lesson 05's data-derived self-check answers."""

from collections.abc import Callable

import pandas as pd

from intermestic.data import load

PEOPLE = ("Pedestrians", "Personal Vehicle Passengers", "Bus Passengers", "Train Passengers")


def _pedestrians_per_day_april_2020() -> float:
    crossings = load("border_crossings_2020_2021")
    april = crossings.loc[
        (crossings["month"] == pd.Timestamp("2020-04-01")) & (crossings["measure"] == "Pedestrians")
    ]
    return april["value"].sum() / 30


def _busiest_truck_port() -> str:
    crossings = load("border_crossings_2018")
    trucks = crossings.loc[crossings["measure"] == "Trucks"].groupby("port_name")["value"].sum()
    options = {"San Ysidro": "a", "Laredo": "b", "El Paso": "c", "Otay Mesa": "d"}
    return options[trucks.idxmax()]


def _san_ysidro_2021_vs_2019_pct() -> float:
    table = load("border_crossings_san_ysidro")
    people = table.loc[table["measure"].isin(PEOPLE)]
    by_year = people.groupby(people["month"].dt.year)["value"].sum()
    return by_year[2021] / by_year[2019] * 100


ANSWERS: dict[str, Callable[[], object]] = {
    "05.2": _pedestrians_per_day_april_2020,
    "05.3": _busiest_truck_port,
    "05.5": _san_ysidro_2021_vs_2019_pct,
}
