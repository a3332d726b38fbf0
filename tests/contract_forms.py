"""Other correct forms, and wrong values, of a graded answer, from its answer specification.

Each answer cell of a lesson declares what it stores in its metadata (``intermestic.answer``):
``{"variable": {"kind": ..., ...}}`` with kinds

- ``number`` (``decimals``: the precision the prompt states; negative for tens, thousands…),
- ``integer``, ``truth``, ``text``, ``letter`` (``options``, default "abcd"),
- ``series`` (``decimals``), ``frame``, ``chart``,
- ``dict`` (``values``: the specification of every value).

The grading-contract tests run this module inside the lesson's kernel (it needs only NumPy,
pandas and matplotlib) and set each answer variable to every `equivalent_forms` value (each must
score full marks) and every `wrong_forms` value (each must score nothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def _unit(spec: dict[str, Any]) -> float:
    return 10.0 ** -int(spec.get("decimals", 0))


def _number_forms(value: float, spec: dict[str, Any]) -> list[Any]:
    decimals = int(spec["decimals"])
    rounded = round(float(value), decimals)
    forms: list[Any] = [rounded, np.float64(value), pd.Series([rounded]), np.array([rounded])]
    if decimals <= 0:
        forms.append(int(rounded))
        forms.append(np.int64(int(rounded)))
    # Anything within half a unit of the stated precision is accepted.
    forms += [float(value) + 0.45 * _unit(spec), float(value) - 0.45 * _unit(spec)]
    return forms


def _number_wrongs(value: float, spec: dict[str, Any]) -> list[Any]:
    unit = _unit(spec)
    wrongs: list[Any] = [float(value) + 0.6 * unit, float(value) - 0.6 * unit, str(value), None]
    if value:
        wrongs += [float(value) * 1000, -float(value)]
    return wrongs


def _letter_forms(value: str, spec: dict[str, Any]) -> list[Any]:
    letter = value.strip().lower()
    return [f"  {letter.upper()} ", f"({letter})", f"{letter}.", np.str_(letter)]


def _letter_wrongs(value: str, spec: dict[str, Any]) -> list[Any]:
    letter = value.strip().lower()
    return [option for option in spec.get("options", "abcd") if option != letter]


def _series_forms(value: pd.Series, spec: dict[str, Any]) -> list[Any]:
    decimals = int(spec.get("decimals", 6))
    return [value.round(decimals), value.to_frame(), value.astype(float), value.iloc[::-1]]


def _series_wrongs(value: pd.Series, spec: dict[str, Any]) -> list[Any]:
    shifted = value.astype(float).copy()
    shifted.iloc[0] += 0.6 * _unit({"decimals": spec.get("decimals", 6)})
    wrongs: list[Any] = [shifted, value.to_list()]
    if len(value) > 1:
        wrongs.append(value.iloc[:-1])
    return wrongs


def _frame_forms(value: pd.DataFrame, spec: dict[str, Any]) -> list[Any]:
    return [value.iloc[::-1], value.reset_index(drop=True), value.copy()]


def _frame_wrongs(value: pd.DataFrame, spec: dict[str, Any]) -> list[Any]:
    return [value.iloc[:-1]] if len(value) > 1 else [value.iloc[0:0]]


def _chart_wrongs(value: Any, spec: dict[str, Any]) -> list[Any]:
    """A chart with the same title and labels whose data are half as large again."""
    from matplotlib.figure import Figure

    from intermestic import marking

    drawn = marking.chart(value, "chart")
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title(drawn.title)
    ax.set_xlabel(drawn.xlabel)
    ax.set_ylabel(drawn.ylabel)
    for trace in drawn.traces:
        scaled = [y * 1.5 + 1 for y in trace.y]
        if all(isinstance(x, str) for x in trace.x):
            ax.bar(list(trace.x), scaled, label=trace.label)
        else:
            ax.plot(list(trace.x), scaled, label=trace.label)
    return [fig, "a chart"]


def equivalent_forms(value: Any, spec: dict[str, Any]) -> list[Any]:
    """Other forms of the correct `value` that the answer's test must accept."""
    kind = spec["kind"]
    if kind == "number":
        return _number_forms(value, spec)
    if kind == "integer":
        return [float(value), np.int64(value), np.float64(value), pd.Series([value])]
    if kind == "letter":
        return _letter_forms(value, spec)
    if kind == "text":
        return [f"  {value.upper()}  ", value.lower(), f" {value} "]
    if kind == "truth":
        return [np.bool_(value)]
    if kind == "series":
        return _series_forms(value, spec)
    if kind == "frame":
        return _frame_forms(value, spec)
    if kind == "dict":
        inner = spec["values"]
        per_key = {key: equivalent_forms(item, inner) for key, item in value.items()}
        count = min(len(forms) for forms in per_key.values())
        return [{key: forms[i] for key, forms in per_key.items()} for i in range(count)]
    if kind == "chart":
        return []
    raise ValueError(f"unknown answer kind {kind!r}")


def wrong_forms(value: Any, spec: dict[str, Any]) -> list[Any]:
    """Wrong values near the correct `value` that the answer's test must reject."""
    kind = spec["kind"]
    if kind == "number":
        return _number_wrongs(value, spec)
    if kind == "integer":
        return [int(value) + 1, int(value) - 1, str(value)]
    if kind == "letter":
        return _letter_wrongs(value, spec)
    if kind == "text":
        return [value + " and more", "zzz"]
    if kind == "truth":
        return [not value, int(value)]
    if kind == "series":
        return _series_wrongs(value, spec)
    if kind == "frame":
        return _frame_wrongs(value, spec)
    if kind == "dict":
        inner = spec["values"]
        wrongs = []
        for key, item in value.items():
            for wrong in wrong_forms(item, inner)[:2]:
                wrongs.append({**value, key: wrong})
        return wrongs
    if kind == "chart":
        return _chart_wrongs(value, spec)
    raise ValueError(f"unknown answer kind {kind!r}")


def changed(before: Any, after: Any, spec: dict[str, Any]) -> bool:
    """Whether an answer computed from altered data differs from the true one at its precision."""
    kind = spec["kind"]
    if kind == "number":
        unit = _unit(spec)
        return abs(float(np.asarray(after).item()) - float(before)) > unit
    if kind in ("integer", "text", "truth", "letter"):
        return after != before
    if kind == "series":
        if not isinstance(after, pd.Series) or len(after) != len(before):
            return True
        return bool((after.astype(float) - before.astype(float)).abs().max() > _unit(spec))
    if kind == "frame":
        return not (isinstance(after, pd.DataFrame) and after.equals(before))
    if kind == "dict":
        return any(changed(before[k], after.get(k), spec["values"]) for k in before)
    return False


# --- altered data --------------------------------------------------------------------------

# Columns that identify a row rather than measure something: altering them would only make
# the lessons' row selections fail, so they keep their values.
_IDENTIFIER_WORDS = ("year", "month", "code", "latitude", "longitude", "precision")


def _factors(length: int, offset: int) -> np.ndarray:
    """Uneven factors (1.1 to 1.5) by row and column, so that ratios, shares and ranks change."""
    return 1.1 + 0.1 * ((np.arange(length) * 3 + offset) % 5)


def _altered_column(column: pd.Series, offset: int = 0) -> pd.Series:
    if column.dtype.kind == "M":
        days = (np.arange(len(column)) * 7 + offset) % 50 + 30
        return column + pd.to_timedelta(days, unit="D")
    if column.dtype.kind == "b" or column.dtype.kind not in "iuf":
        return column
    if any(word in str(column.name).lower() for word in _IDENTIFIER_WORDS):
        return column
    scaled = column.astype(float) * _factors(len(column), offset)
    if column.dtype.kind in "iu":
        return scaled.round().astype(column.dtype)
    return scaled


def altered(value: Any) -> Any:
    """`value` with its measured numbers and dates changed; identifiers, text and flags kept."""
    import dataclasses
    import numbers

    if isinstance(value, pd.DataFrame):
        columns = {
            name: _altered_column(value[name], 2 * position)
            for position, name in enumerate(value.columns)
        }
        return value.assign(**columns) if columns else value
    if isinstance(value, pd.Series):
        return _altered_column(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return round(int(value) * 1.37) + 1
    if isinstance(value, numbers.Real):
        return float(value) * 1.37
    if isinstance(value, dict):
        return {key: altered(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: altered(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if isinstance(getattr(value, f.name), numbers.Real | dict)
        }
        return dataclasses.replace(value, **changes)
    return value


def _altered_loader(loader: Any) -> Any:
    def load_altered(*args: Any, **kwargs: Any) -> Any:
        return altered(loader(*args, **kwargs))

    return load_altered


def alter_namespace(namespace: dict[str, Any]) -> list[str]:
    """Alter every data value a student's notebook can rebind; return the names changed.

    Tables, numbers, dictionaries and dataclass instances are altered; the notebook's ``load``
    becomes a loader of altered tables.
    """
    import types

    names = []
    for name, value in list(namespace.items()):
        if name.startswith("_") or isinstance(value, types.ModuleType | type):
            continue
        if name == "load" and callable(value):
            namespace[name] = _altered_loader(value)
            names.append(name)
            continue
        if callable(value):
            continue
        new = altered(value)
        if new is not value:
            namespace[name] = new
            names.append(name)
    return names
