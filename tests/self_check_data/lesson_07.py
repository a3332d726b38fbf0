"""Lesson 07's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load


def _days_visit_to_security_plan() -> int:
    dates = load("timeline").set_index("title")["date"]
    visit = dates[dates.index.str.startswith("Pompeo")].item()
    plan = dates[dates.index.str.contains("security plan with a new National Guard")].item()
    return (plan - visit).days


ANSWERS: dict[str, Callable[[], object]] = {
    "07.1": _days_visit_to_security_plan,
}
