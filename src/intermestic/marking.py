"""Checks for the lessons' test cells: right answers pass in any reasonable form, wrong ones fail.

The grading contract (``autograder/README.md``, "How answers are marked") in code:

- a number may be any real type (Python, NumPy, a one-element pandas or NumPy result);
  `close` accepts any value within half a unit of the precision the prompt states, nothing
  further away;
- a letter or a short text is compared after trimming and case-folding;
- values are converted to plain Python types before they are compared, so an object that
  claims to equal anything gains nothing.

Visible tests use the converters (`number`, `integer`, `letter`, `text`, `truth`, `series`,
`frame`, `chart`), whose failures carry a message for the student. Hidden tests compare with
`close` and `same_text`, computing what they expect from `intermestic.data` or from constants
written inside the test, never from names the student's notebook can rebind.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Chart",
    "Trace",
    "chart",
    "close",
    "frame",
    "integer",
    "letter",
    "number",
    "same_text",
    "series",
    "text",
    "truth",
]

# Rounding noise allowed on top of half a unit: a value printed with the stated decimals and
# typed back in sits exactly half a unit away at worst.
_RELATIVE_SLACK = 1e-9


def _kind(value: object) -> str:
    """A short description of what `value` is, for messages."""
    if value is None:
        return "None (nothing: did you assign the variable?)"
    if isinstance(value, bool | np.bool_):
        return f"the truth value {bool(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text {shown!r}"
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame with {value.shape[0]} rows and {value.shape[1]} columns"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values"
    if isinstance(value, np.ndarray):
        return f"an array of {value.size} values"
    return f"a {type(value).__name__}"


def _only_element(value: object) -> object:
    """The single element of a one-element pandas or NumPy result; `value` itself otherwise."""
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.item()
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index) and value.size == 1:
        return value.to_numpy().reshape(-1)[0]
    return value


def number(value: object, name: str) -> float:
    """`value` as a float if it is one real number in any common form; AssertionError otherwise."""
    element = _only_element(value)
    if isinstance(element, bool | np.bool_) or not isinstance(element, numbers.Real):
        hint = ""
        if isinstance(value, pd.Series | pd.DataFrame | np.ndarray):
            hint = " Take out the one value you need (for example with .item())."
        elif isinstance(value, str):
            hint = " Store the number itself, not text (no quotation marks)."
        raise AssertionError(f"{name} should be a number, but it is {_kind(value)}.{hint}")
    result = float(element)
    if math.isnan(result):
        raise AssertionError(f"{name} is a missing value (NaN): check the rows you selected.")
    if math.isinf(result):
        raise AssertionError(f"{name} is infinite: check for a division by zero.")
    return result


def integer(value: object, name: str) -> int:
    """`value` as an int if it is a whole number in any common form (2030, 2030.0, NumPy)."""
    result = number(value, name)
    if result != round(result):
        raise AssertionError(f"{name} should be a whole number, not {result!r}.")
    return round(result)


def close(value: object, expected: float, decimals: int) -> bool:
    """Whether `value` is within half a unit of the `decimals`-th place of `expected`.

    ``decimals`` may be negative: -3 means "to the nearest thousand". Values that are not one
    real number are never close.
    """
    try:
        given = number(value, "value")
    except AssertionError:
        return False
    half_unit = 0.5 * 10.0**-decimals
    slack = _RELATIVE_SLACK * max(abs(float(expected)), half_unit)
    return abs(given - float(expected)) <= half_unit + slack


def _normalised(value: str) -> str:
    """`value` trimmed, case-folded, with accents dropped and runs of spaces made single."""
    decomposed = unicodedata.normalize("NFKD", value)
    without_accents = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(without_accents.casefold().split())


def text(value: object, name: str) -> str:
    """`value` as normalised text (trimmed, case-folded, single spaces, no accents)."""
    if not isinstance(value, str):
        raise AssertionError(f"{name} should be text in quotation marks, but it is {_kind(value)}.")
    result = _normalised(value)
    if not result:
        raise AssertionError(f"{name} is empty: write your answer between the quotation marks.")
    return result


def same_text(value: object, *accepted: str) -> bool:
    """Whether `value` is text equal to one of `accepted` after normalising both."""
    if not isinstance(value, str):
        return False
    return _normalised(value) in {_normalised(a) for a in accepted}


def letter(value: object, name: str, options: str = "abcd") -> str:
    """`value` as one lower-case option letter: "b", " B ", "(b)" and "b." all give "b"."""
    given = text(value, name)
    stripped = re.sub(r"^\(?\s*([a-z])\s*[).:]?$", r"\1", given)
    listed = ", ".join(f'"{o}"' for o in options)
    if len(stripped) != 1 or stripped not in options:
        raise AssertionError(f"{name} should be one of the letters {listed}, not {value!r}.")
    return stripped


def truth(value: object, name: str) -> bool:
    """`value` as a bool if it is True or False (Python or NumPy)."""
    element = _only_element(value)
    if not isinstance(element, bool | np.bool_):
        raise AssertionError(f"{name} should be True or False, but it is {_kind(value)}.")
    return bool(element)


def series(value: object, name: str) -> pd.Series:
    """`value` as a numeric Series (a Series, or a DataFrame with one column)."""
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if not isinstance(value, pd.Series):
        raise AssertionError(f"{name} should be a pandas Series, but it is {_kind(value)}.")
    if value.empty:
        raise AssertionError(f"{name} is empty: check the rows you selected.")
    try:
        return value.astype(float)
    except (TypeError, ValueError):
        message = f"{name} should hold numbers, but its values are not numeric."
        raise AssertionError(message) from None


def frame(value: object, name: str, columns: Iterable[str] = ()) -> pd.DataFrame:
    """`value` as a DataFrame that has at least `columns` (a column may also be the index)."""
    if not isinstance(value, pd.DataFrame):
        raise AssertionError(f"{name} should be a pandas DataFrame, but it is {_kind(value)}.")
    table = value.reset_index() if any(n is not None for n in value.index.names) else value
    missing = [c for c in columns if c not in table.columns]
    if missing:
        listed = ", ".join(repr(c) for c in missing)
        raise AssertionError(f"{name} should have the column(s) {listed}.")
    return table


# --- charts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trace:
    """One drawn series: its kind ("line", "bar" or "scatter"), legend label and points."""

    kind: str
    label: str
    x: tuple[Any, ...]
    y: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """What a student's chart shows: title, axis labels and traces, read from matplotlib."""

    title: str
    xlabel: str
    ylabel: str
    traces: tuple[Trace, ...] = field(default_factory=tuple)

    def has_series(self, expected: pd.Series, decimals: int, kind: str | None = None) -> bool:
        """Whether one trace shows `expected` (index as x, values as y) at `decimals` precision.

        Points are matched by x, in any order; a trace may not show extra or missing points.
        """
        wanted = {_x_key(x): float(y) for x, y in expected.items()}
        for trace in self.traces:
            if kind is not None and trace.kind != kind:
                continue
            shown = {_x_key(x): y for x, y in zip(trace.x, trace.y, strict=True)}
            if shown.keys() == wanted.keys() and all(
                close(shown[k], wanted[k], decimals) for k in wanted
            ):
                return True
        return False


def _x_key(x: object) -> object:
    """An x value in a form that compares equal whether it was drawn as 2019, 2019.0 or "2019"."""
    if isinstance(x, str):
        stripped = x.strip()
        try:
            as_float = float(stripped)
        except ValueError:
            return _normalised(stripped)
        return round(as_float, 6)
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return round(float(x), 6)
    return x


def _axes_of(value: object, name: str) -> list[Any]:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(value, Axes):
        return [value]
    if isinstance(value, Figure) and value.axes:
        return list(value.axes)
    if (
        isinstance(value, np.ndarray)
        and value.size
        and all(isinstance(a, Axes) for a in value.flat)
    ):
        return list(value.flat)
    raise AssertionError(
        f"{name} should be a matplotlib figure or axes (for example the `ax` you drew on), "
        f"but it is {_kind(value)}."
    )


def _tick_labels(axis: Any, positions: Sequence[float]) -> list[Any]:
    """The category names at `positions` when `axis` is categorical; the positions otherwise."""
    mapping = getattr(getattr(axis, "units", None), "_mapping", None)
    if isinstance(mapping, Mapping) and mapping:
        by_position = {float(v): k for k, v in mapping.items()}
        return [by_position.get(float(p), p) for p in positions]
    return list(positions)


def _traces(ax: Any) -> list[Trace]:
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer

    traces = []
    for line in ax.get_lines():
        if line.get_transform() != ax.transData or len(np.atleast_1d(line.get_xdata())) < 2:
            continue  # reference lines (axhline, axvline) are drawn in axes coordinates
        label = str(line.get_label())
        label = "" if label.startswith("_child") else label
        x = _tick_labels(ax.xaxis, np.asarray(line.get_xdata(), dtype=float).tolist())
        y = np.asarray(line.get_ydata(), dtype=float).tolist()
        traces.append(Trace("line", label, tuple(x), tuple(y)))
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        patches = container.patches
        horizontal = container.orientation == "horizontal"
        if horizontal:
            centres = [p.get_y() + p.get_height() / 2 for p in patches]
            x = _tick_labels(ax.yaxis, centres)
            y = [p.get_width() for p in patches]
        else:
            centres = [p.get_x() + p.get_width() / 2 for p in patches]
            x = _tick_labels(ax.xaxis, centres)
            y = [p.get_height() for p in patches]
        label = str(container.get_label() or "")
        traces.append(Trace("bar", label, tuple(x), tuple(float(v) for v in y)))
    for collection in ax.collections:
        if isinstance(collection, PathCollection):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            if offsets.size:
                traces.append(
                    Trace(
                        "scatter",
                        str(collection.get_label()),
                        tuple(offsets[:, 0].tolist()),
                        tuple(offsets[:, 1].tolist()),
                    )
                )
    return traces


def chart(value: object, name: str) -> Chart:
    """What the figure or axes in `value` shows; AssertionError if it is not a chart with data."""
    axes = _axes_of(value, name)
    traces = [trace for ax in axes for trace in _traces(ax)]
    if not traces:
        raise AssertionError(f"{name} has no lines, bars or points yet: draw the data on it.")
    first = axes[0]
    title = first.get_title() or first.get_title("left") or first.get_title("right")
    if not title and first.figure is not None:
        suptitle = getattr(first.figure, "_suptitle", None)
        title = suptitle.get_text() if suptitle is not None else ""
    return Chart(
        title=title,
        xlabel=first.get_xlabel(),
        ylabel=first.get_ylabel(),
        traces=tuple(traces),
    )
