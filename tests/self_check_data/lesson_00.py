"""Lesson 00's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load


def _imports_2016_bn() -> float:
    imports = load("us_mexico_trade_annual").set_index("year")["imports"]
    return round(float(imports[2016]) / 1_000, 1)


ANSWERS: dict[str, Callable[[], object]] = {
    "00.6": _imports_2016_bn,
}
