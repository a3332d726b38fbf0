"""Lesson 06's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load


def _inegi_rate_ratio() -> float:
    homicides = load("mexico_homicides").set_index("year")
    rate = homicides["homicides_inegi"] / homicides["population"]
    return round(float(rate[2011] / rate[2007]), 1)


def _synthetic_passes_heroin() -> int:
    wide = load("us_overdose_deaths").pivot(index="year", columns="icd10_code", values="deaths")
    return int(wide.index[wide["T40.4"] > wide["T40.1"]].min())


ANSWERS: dict[str, Callable[[], object]] = {
    "06.2": _inegi_rate_ratio,
    "06.3": _synthetic_passes_heroin,
}
