"""Lesson 02's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load


def _trade_total_2023_bn() -> float:
    totals = load("us_mexico_trade_annual").set_index("year")["total"]
    return round(totals[2023] / 1_000)


def _deeper_dip() -> str:
    change = load("us_mexico_trade_annual").set_index("year")["total"].pct_change()
    return "a" if change[2009] < change[2020] else "b"


ANSWERS: dict[str, Callable[[], object]] = {
    "02.1": _trade_total_2023_bn,
    "02.2": _deeper_dip,
}
