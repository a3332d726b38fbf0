"""Lesson 03's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load
from intermestic.explorers import RULES

# The lesson's invented example car: cost per part group (US$) and whether it is North American.
EXAMPLE_CAR = {
    "engine": (4_200, True),
    "transmission": (2_600, False),
    "body and chassis": (6_800, True),
    "electronics": (3_900, False),
    "interior": (2_500, True),
    "assembly": (5_000, True),
}


def _dollars_to_reach_usmca_rvc() -> float:
    net_cost = sum(cost for cost, _ in EXAMPLE_CAR.values())
    originating = sum(cost for cost, north_american in EXAMPLE_CAR.values() if north_american)
    shortfall_points = RULES.usmca_rvc_pct - originating / net_cost * 100
    return round(shortfall_points / 100 * net_cost)


def _renewed_term_end() -> int:
    in_force = load("timeline").set_index("title").loc["USMCA enters into force", "date"]
    return in_force.year + 6 + 16


ANSWERS: dict[str, Callable[[], object]] = {
    "03.2": _dollars_to_reach_usmca_rvc,
    "03.3": _renewed_term_end,
}
