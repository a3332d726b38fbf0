"""Interactive explorers of the course data, each with a plain-text fallback.

Every explorer has two public entry points::

    from intermestic.explorers import trade_explorer, trade_summary
    trade_explorer(year=2018)           # the widget (ipywidgets 8)
    print(trade_summary(year=2018))     # the same numbers as text

``<name>_explorer(**state)`` returns an `Explorer` widget (an ``ipywidgets.VBox`` with CSS
classes ``intermestic-explorer`` and ``intermestic-explorer-<name>``); its ``state()`` gives the
current control values, and its ``intermestic-summary`` element always shows
``<name>_summary(**state())``. Bad input gives a message, never a traceback.
"""

from intermestic.explorers._base import Explorer, ExplorerInputError
from intermestic.explorers.crossings import crossings_explorer, crossings_summary
from intermestic.explorers.migration import migration_explorer, migration_summary
from intermestic.explorers.rules_of_origin import (
    RULES,
    rules_of_origin_explorer,
    rules_of_origin_summary,
)
from intermestic.explorers.timeline import timeline_explorer, timeline_summary
from intermestic.explorers.trade import trade_explorer, trade_summary
from intermestic.explorers.whos_who import whos_who_explorer, whos_who_summary

__all__ = [
    "EXPLORERS",
    "RULES",
    "Explorer",
    "ExplorerInputError",
    "crossings_explorer",
    "crossings_summary",
    "migration_explorer",
    "migration_summary",
    "rules_of_origin_explorer",
    "rules_of_origin_summary",
    "timeline_explorer",
    "timeline_summary",
    "trade_explorer",
    "trade_summary",
    "whos_who_explorer",
    "whos_who_summary",
]

# Each explorer's name (as in its CSS class) → (widget factory, summary function).
EXPLORERS = {
    "trade": (trade_explorer, trade_summary),
    "rules_of_origin": (rules_of_origin_explorer, rules_of_origin_summary),
    "crossings": (crossings_explorer, crossings_summary),
    "migration": (migration_explorer, migration_summary),
    "timeline": (timeline_explorer, timeline_summary),
    "whos_who": (whos_who_explorer, whos_who_summary),
}
