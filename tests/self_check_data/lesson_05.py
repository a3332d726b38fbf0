"""Lesson 05's data-derived self-check answers."""

from collections.abc import Callable

import pandas as pd

from intermestic.data import load


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


ANSWERS: dict[str, Callable[[], object]] = {
    "05.2": _pedestrians_per_day_april_2020,
    "05.3": _busiest_truck_port,
}
