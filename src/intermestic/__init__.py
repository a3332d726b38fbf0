"""intermestic: a Jupyter course on U.S.-Mexico relations.

The course is built around E. A. Wayne, "Resetting U.S.-Mexico Relations",
Wilson Center (Mexico Institute), July 2018.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["check_my_work", "save_my_work"]


def __getattr__(name: str) -> Any:
    # `intermestic.save_my_work()` in lessons, without importing widgets for the command line.
    if name == "save_my_work":
        from intermestic.save import save_my_work

        return save_my_work
    if name == "check_my_work":
        from intermestic.checkwidget import check_my_work

        return check_my_work
    raise AttributeError(f"module 'intermestic' has no attribute {name!r}")
