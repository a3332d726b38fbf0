"""intermestic: a Jupyter course on U.S.-Mexico relations.

The course is built around E. A. Wayne, "Resetting U.S.-Mexico Relations",
Wilson Center (Mexico Institute), July 2018.
"""

__version__ = "0.1.0"
