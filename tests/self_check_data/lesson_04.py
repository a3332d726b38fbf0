"""Lesson 04's data-derived self-check answers."""

from collections.abc import Callable

import pandas as pd

from intermestic.data import load

CENTRAL_AMERICA = ("Guatemala", "Honduras", "El Salvador")


def _encounters() -> pd.DataFrame:
    table = load("usbp_encounters_by_citizenship")
    return table.loc[table["series"] == "ohss_encounters"]


def _central_americans_per_month_fy2018() -> float:
    rows = _encounters()
    chosen = rows.loc[(rows["fiscal_year"] == 2018) & rows["citizenship"].isin(CENTRAL_AMERICA)]
    return chosen["count"].sum() / 12


def _first_year_central_americans_outnumber_mexicans() -> str:
    rows = _encounters()
    central = rows.loc[rows["citizenship"].isin(CENTRAL_AMERICA)].groupby("fiscal_year")["count"]
    mexico = rows.loc[rows["citizenship"] == "Mexico"].set_index("fiscal_year")["count"]
    ahead = central.sum() > mexico
    options = {2012: "a", 2014: "b", 2017: "c", 2019: "d"}
    return options[int(ahead[ahead].index.min())]


def _pew_fall_2007_2014() -> float:
    table = load("unauthorized_population")
    pew = table.loc[(table["source"] == "Pew") & (table["origin"] == "Mexico")]
    values = pew.set_index("year")["unauthorized_millions"]
    return values[2007] - values[2014]


def _remittances_per_minute_2023() -> float:
    inflows = load("remittances_annual").set_index("year")["inflows"]
    return inflows[2023] * 1_000_000 / (365 * 24 * 60)


ANSWERS: dict[str, Callable[[], object]] = {
    "04.2": _central_americans_per_month_fy2018,
    "04.3": _first_year_central_americans_outnumber_mexicans,
    "04.4": _pew_fall_2007_2014,
    "04.6": _remittances_per_minute_2023,
}
