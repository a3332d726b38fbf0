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
from intermestic.i18n import N_, _

__all__ = [
    "COUNTRIES",
    "PORTFOLIOS",
    "portfolio_of",
    "whos_who",
    "whos_who_explorer",
    "whos_who_summary",
]

ALL = N_("all")
COUNTRIES = (ALL, N_("Mexico"), N_("United States"))
# Portfolio → words in a July 2018 role that place it there, tried in this order.
_PORTFOLIO_WORDS = {
    N_("presidency"): ("president",),
    N_("trade and economy"): ("treasury", "economy", "nafta", "trade"),
    N_("security, interior and migration"): ("security", "homeland", "interior"),
    N_("foreign affairs"): ("state", "foreign", "ambassador", "adviser"),
}
OTHER = N_("other")  # a role none of the words match (no actor in the table today)
PORTFOLIOS = (ALL, *_PORTFOLIO_WORDS)


def portfolio_of(role: str) -> str:
    """The portfolio of a July 2018 role, e.g. "Secretary of the Treasury" → trade and economy."""
    words = set(re.findall(r"[a-z]+", role.casefold()))
    for portfolio, keys in _PORTFOLIO_WORDS.items():
        if words.intersection(keys):
            return portfolio
    return OTHER


def _filters(country: object, portfolio: object) -> tuple[str, str]:
    return choice(country, _("country"), COUNTRIES), choice(portfolio, _("portfolio"), PORTFOLIOS)


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
    where = _("both countries") if country == ALL else _(country)
    what = _("all portfolios") if portfolio == ALL else _(portfolio)
    heading = (
        _("{count} person ({where}; {what}):")
        if len(actors) == 1
        else _("{count} people ({where}; {what}):")
    ).format(count=len(actors), where=where, what=what)
    if actors.empty:
        return (
            heading + "\n" + _("  Nobody the article names: choose another country or portfolio.")
        )
    lines = [heading]
    for _row, actor in actors.iterrows():
        lines += [
            "",
            f"{actor['name']} ({_(actor['country'])}; {_(actor['portfolio'])})",
            _("  July 2018: {role}").format(role=actor["role_july_2018"]),
            _("  Later: {role}").format(role=actor["later_role"]),
            _("  Source: {url}").format(url=actor["source_url"]),
        ]
    return "\n".join(lines)


def whos_who_explorer(country: str = ALL, portfolio: str = ALL) -> Explorer:
    """The who's who explorer: country and portfolio menus over the people and their roles."""
    start, notice = initial(lambda: _filters(country, portfolio), (ALL, ALL), _("everyone"))
    controls = {
        "country": widgets.Dropdown(
            options=[(_("Both countries") if c == ALL else _(c), c) for c in COUNTRIES],
            value=start[0],
            description=_("Country:"),
            tooltip=_("The country each person served in July 2018"),
            style=label_style(),
        ),
        "portfolio": widgets.Dropdown(
            options=[(_(p).capitalize(), p) for p in PORTFOLIOS],
            value=start[1],
            description=_("Portfolio:"),
            tooltip=_("The area each person dealt with in July 2018"),
            style=label_style(),
        ),
    }
    return Explorer(
        "whos_who", _("Who's who in July 2018"), controls, whos_who_summary, notice=notice
    )
