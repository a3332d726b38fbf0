"""Lesson 01's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load

ANSWERS: dict[str, Callable[[], object]] = {
    "01.4": lambda: int((load("actors")["country"] == "United States").sum()),
}
