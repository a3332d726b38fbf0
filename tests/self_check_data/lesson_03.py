"""Lesson 03's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load

ANSWERS: dict[str, Callable[[], object]] = {
    "03.2": lambda: (
        load("timeline").set_index("title").loc["USMCA enters into force", "date"].year + 6
    ),
}
