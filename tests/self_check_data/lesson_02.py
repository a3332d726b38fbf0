"""Lesson 02's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load


def _trade_total_2023_bn() -> float:
    totals = load("us_mexico_trade_annual").set_index("year")["total"]
    return round(totals[2023] / 1_000)


def _deeper_dip() -> str:
    change = load("us_mexico_trade_annual").set_index("year")["total"].pct_change()
    return "a" if change[2009] < change[2020] else "b"


def _real_line_above_nominal() -> str:
    """Option a holds while every year from 1985 to 2022 has a lower price index than 2023."""
    cpi = load("us_cpi_annual").set_index("year")["cpi_u"]
    return "a" if (cpi.loc[1985:2022] < cpi[2023]).all() else "b"


ANSWERS: dict[str, Callable[[], object]] = {
    "02.1": _trade_total_2023_bn,
    "02.2": _deeper_dip,
    "02.4": _real_line_above_nominal,
}
