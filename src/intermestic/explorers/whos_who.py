"""Who's who explorer: the people the article names, by country and portfolio, then and later.

In a notebook::

    from intermestic.explorers import whos_who_explorer, whos_who_summary
    whos_who_explorer(country="Mexico")
    print(whos_who_summary(country="Mexico", portfolio="trade and economy"))

A person's portfolio is read from their role in July 2018 (see `portfolio_of`).
"""

from __future__ import annotations

import re

import ipywidgets as widgets
import pandas as pd

from intermestic.explorers._base import (
    Explorer,
    ExplorerInputError,
    choice,
    initial,
    label_style,
    message,
    table,
)

__all__ = [
    "COUNTRIES",
    "PORTFOLIOS",
    "portfolio_of",
    "whos_who",
    "whos_who_explorer",
    "whos_who_summary",
]

ALL = "all"
COUNTRIES = (ALL, "Mexico", "United States")
# Portfolio → words in a July 2018 role that place it there, tried in this order.
_PORTFOLIO_WORDS = {
    "presidency": ("president",),
    "trade and economy": ("treasury", "economy", "nafta", "trade"),
    "security, interior and migration": ("security", "homeland", "interior"),
    "foreign affairs": ("state", "foreign", "ambassador", "adviser"),
}
OTHER = "other"  # a role none of the words match (no actor in the table today)
PORTFOLIOS = (ALL, *_PORTFOLIO_WORDS)


def portfolio_of(role: str) -> str:
    """The portfolio of a July 2018 role, e.g. "Secretary of the Treasury" → trade and economy."""
    words = set(re.findall(r"[a-z]+", role.casefold()))
    for portfolio, keys in _PORTFOLIO_WORDS.items():
        if words.intersection(keys):
            return portfolio
    return OTHER


def _filters(country: object, portfolio: object) -> tuple[str, str]:
    return choice(country, "country", COUNTRIES), choice(portfolio, "portfolio", PORTFOLIOS)


def whos_who(country: str = ALL, portfolio: str = ALL) -> pd.DataFrame:
    """The actors of July 2018 in `country` and `portfolio`, with their roles then and later."""
    country, portfolio = _filters(country, portfolio)
    actors = table("actors")
    actors = actors.assign(portfolio=actors["role_july_2018"].map(portfolio_of))
    if country != ALL:
        actors = actors[actors["country"] == country]
    if portfolio != ALL:
        actors = actors[actors["portfolio"] == portfolio]
    return actors


def whos_who_summary(country: str = ALL, portfolio: str = ALL) -> str:
    """The matching people with their role in July 2018 and later, as plain text."""
    try:
        country, portfolio = _filters(country, portfolio)
    except ExplorerInputError as error:
        return message(error)
    actors = whos_who(country, portfolio)
    where = "both countries" if country == ALL else country
    what = "all portfolios" if portfolio == ALL else portfolio
    heading = f"{len(actors)} {'person' if len(actors) == 1 else 'people'} ({where}; {what}):"
    if actors.empty:
        return f"{heading}\n  Nobody the article names: choose another country or portfolio."
    lines = [heading]
    for _, actor in actors.iterrows():
        lines += [
            "",
            f"{actor['name']} ({actor['country']}; {actor['portfolio']})",
            f"  July 2018: {actor['role_july_2018']}",
            f"  Later: {actor['later_role']}",
            f"  Source: {actor['source_url']}",
        ]
    return "\n".join(lines)


def whos_who_explorer(country: str = ALL, portfolio: str = ALL) -> Explorer:
    """The who's who explorer: country and portfolio menus over the people and their roles."""
    start, notice = initial(lambda: _filters(country, portfolio), (ALL, ALL), "everyone")
    controls = {
        "country": widgets.Dropdown(
            options=[("Both countries" if c == ALL else c, c) for c in COUNTRIES],
            value=start[0],
            description="Country:",
            tooltip="The country each person served in July 2018",
            style=label_style(),
        ),
        "portfolio": widgets.Dropdown(
            options=[(p.capitalize(), p) for p in PORTFOLIOS],
            value=start[1],
            description="Portfolio:",
            tooltip="The area each person dealt with in July 2018",
            style=label_style(),
        ),
    }
    return Explorer("whos_who", "Who's who in July 2018", controls, whos_who_summary, notice=notice)
