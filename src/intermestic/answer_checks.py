"""Check a graded answer against salted hashes of the right one, with the hidden tests' verdict.

The graded-answer banks (``intermestic/graded/NN-topic.json``, written by ``intermestic build``
from the instructor notebooks) hold, for every answer variable of every autograded item, a
*key* made by `make_key` from the solution's value; `judge` compares a learner's value with it.
Both run inside the kernel that holds the values (tables and charts never leave it).

Hashes use the scheme of the self-check banks (`intermestic.answers.digest`, salted SHA-256 with
a scope and a purpose). Each answer kind, per the grading contract (``autograder/README.md``,
"How answers are marked"):

- ``number`` (``decimals``): the digest of the value in steps of the stated precision
  (`intermestic.answers.rounded_units`), plus the exact value *sealed* with that step count
  (`intermestic.answers.seal`): only a response that rounds to the right step opens it, and the
  verdict is then `intermestic.marking.close` on the exact value, the hidden tests' own check
  (within half a unit of the stated precision, any numeric type). A coarse magnitude digest
  tells "close" and "wrong units" apart, as in the self-check banks.
- ``integer``, ``truth``, ``letter``, ``text``: the digest of the value as `intermestic.marking`
  normalises it (`integer`, `truth`, `letter`, `text`).
- ``series`` (``decimals``): the digest of the sorted index labels, and a ``number`` key per
  value in that order: the same index and every value within half a unit.
- ``frame`` (optional ``decimals``, default 6; optional ``columns``): for every column of the
  solution's table (or those the spec lists), the digest of its values, sorted, numbers at
  ``decimals``: the same content in any row order or index, extra columns ignored.
- ``chart`` (optional ``decimals``, default 1): every line, bar or point series of the
  solution's chart, read with `intermestic.marking.chart`, kept like a ``series`` (x labels and
  y values); a learner's chart is right when it has a title and both axis labels and shows every
  one of them (in any trace, of any kind).
- ``dict`` (``values``: the specification of each value): the digest of the sorted keys, and a
  key of the ``values`` kind for each entry.

An *open* answer has no single right value (a policy memo's own figures and charts): its
specification names a library function that judges any answer from the data, ``"verify":
"intermestic.memo:verify_figures"``, called as ``function(value, name)`` and raising
AssertionError with a message when the answer is wrong. The hidden tests call the same function,
so the key holds only that name (no hash), and the solution must pass it when the key is made.

This deters reading an answer from the package; like the self-check banks, it does not stop
someone who hashes every candidate value, which is no easier than trying answers. Instructors
who want no checking before a deadline leave the banks out of the release (see
``autograder/README.md``).
"""

from __future__ import annotations

import importlib
import json
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from intermestic import marking
from intermestic.answers import digest, magnitude_bin, rounded_units, seal, unseal
from intermestic.i18n import N_, _

__all__ = ["KINDS", "Judgement", "judge", "judge_json", "make_key", "make_key_json"]

KINDS = ("number", "integer", "truth", "letter", "text", "series", "frame", "chart", "dict")
FRAME_DECIMALS = 6
CHART_DECIMALS = 1
# Factors by which a number may be off because of its units, most likely first.
_UNIT_FACTORS = (1e3, 1e-3, 1e6, 1e-6, 100.0, 0.01)


@dataclass(frozen=True)
class Judgement:
    """Whether a value is right, and a learner-facing message when it is not."""

    correct: bool
    message: str = ""


_RIGHT = Judgement(True)


# --- canonical texts -------------------------------------------------------------------------


def _label(x: object) -> str:
    """An index label or x value as text that is the same for 2019, 2019.0, "2019" and " 2019"."""
    if isinstance(x, pd.Timestamp):
        return x.isoformat()
    if isinstance(x, str):
        stripped = x.strip()
        try:
            return _number_label(float(stripped))
        except ValueError:
            return marking.text(stripped, "label") if stripped else ""
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return _number_label(float(x))
    return str(x)


def _number_label(x: float) -> str:
    rounded = round(x, 6)
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def _cell_text(x: object, decimals: int) -> str:
    """A table cell as text: numbers in steps of `decimals`, text normalised, missing as ''."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT:
        return ""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, numbers.Real):
        return str(rounded_units(float(x), decimals))
    if isinstance(x, pd.Timestamp):
        return x.isoformat()
    if isinstance(x, str):
        return " ".join(x.casefold().split())
    return str(x)


def _column_text(column: pd.Series, decimals: int) -> str:
    values = [_cell_text(v.item() if isinstance(v, np.generic) else v, decimals) for v in column]
    return json.dumps(sorted(values), ensure_ascii=False)


# --- numbers ---------------------------------------------------------------------------------


def _number_key(salt: str, scope: str, value: float, decimals: int) -> dict[str, str]:
    steps = str(rounded_units(value, decimals))
    return {
        "answer": digest(salt, scope, "answer", steps),
        "exact": seal(salt, scope, steps, repr(float(value))),
        "magnitude": digest(salt, scope, "magnitude", _magnitude_text(value)),
    }


def _magnitude_text(value: float) -> str:
    bin_ = magnitude_bin(value)
    return "0" if bin_ is None else f"{'-' if value < 0 else '+'}{bin_}"


def _near(salt: str, scope: str, key: Mapping[str, str], value: float) -> bool:
    bin_ = magnitude_bin(value)
    sign = "-" if value < 0 else "+"
    texts = ["0"] if bin_ is None else [f"{sign}{bin_ + step}" for step in (-1, 0, 1)]
    return any(digest(salt, scope, "magnitude", t) == key["magnitude"] for t in texts)


def _judge_number(
    salt: str, scope: str, key: Mapping[str, str], value: float, decimals: int
) -> Judgement:
    half_unit = 0.5 * 10.0**-decimals
    low = rounded_units(value - half_unit, decimals) - 1
    high = rounded_units(value + half_unit, decimals) + 1
    for steps in range(low, high + 1):
        if digest(salt, scope, "answer", str(steps)) == key["answer"]:
            exact = float(unseal(salt, scope, str(steps), key["exact"]))
            if marking.close(value, exact, decimals):
                return _RIGHT
            break
    return Judgement(False, _number_hint(salt, scope, key, value, decimals))


def _precision(decimals: int) -> str:
    if decimals > 0:
        return (_("{places} decimal places") if decimals > 1 else _("1 decimal place")).format(
            places=decimals
        )
    if decimals < 0:
        return _("the nearest {unit}").format(unit=f"{10**-decimals:,}")
    return _("the nearest whole number")


def _number_hint(salt: str, scope: str, key: Mapping[str, str], value: float, decimals: int) -> str:
    if _near(salt, scope, key, value):
        return _(
            "Close, but not within the stated precision ({precision}): check your rounding, "
            "the rows you selected and each step of the calculation."
        ).format(precision=_precision(decimals))
    for factor in _UNIT_FACTORS:
        if _near(salt, scope, key, value / factor):
            size = f"{max(factor, 1 / factor):,.0f}"
            template = (
                _(
                    "Your value looks about {size} times too large: check the units the "
                    "question asks for (millions or billions, a fraction or a percentage)."
                )
                if factor > 1
                else _(
                    "Your value looks about {size} times too small: check the units the "
                    "question asks for (millions or billions, a fraction or a percentage)."
                )
            )
            return template.format(size=size)
    if value != 0 and _near(salt, scope, key, -value):
        return _("The size looks right but the sign is wrong.")
    return _("Not the expected value: re-read the question and check each step.")


# --- making keys -----------------------------------------------------------------------------


def _plain_key(salt: str, scope: str, text: str) -> dict[str, str]:
    return {"answer": digest(salt, scope, "answer", text)}


def _key_scalar(value: Any, spec: Mapping[str, Any], salt: str, scope: str) -> dict[str, Any]:
    kind = spec["kind"]
    if kind == "number":
        return _number_key(salt, scope, marking.number(value, scope), int(spec["decimals"]))
    if kind == "integer":
        return _plain_key(salt, scope, str(marking.integer(value, scope)))
    if kind == "truth":
        return _plain_key(salt, scope, str(marking.truth(value, scope)))
    if kind == "letter":
        return _plain_key(salt, scope, marking.letter(value, scope, spec.get("options", "abcd")))
    return _plain_key(salt, scope, marking.text(value, scope))


def _key_points(
    salt: str, scope: str, labels: list[object], values: list[float], decimals: int
) -> dict[str, Any]:
    pairs = sorted(zip(map(_label, labels), values, strict=True))
    return {
        "labels": digest(salt, scope, "labels", json.dumps([p[0] for p in pairs])),
        "values": [
            _number_key(salt, f"{scope}[{i}]", float(v), decimals) for i, (_, v) in enumerate(pairs)
        ],
    }


def _key_frame(value: Any, spec: Mapping[str, Any], salt: str, scope: str) -> dict[str, Any]:
    table = marking.frame(value, scope, spec.get("columns", ()))
    decimals = int(spec.get("decimals", FRAME_DECIMALS))
    columns = [str(c) for c in spec.get("columns", table.columns)]
    return {
        "columns": columns,
        "content": {
            c: digest(salt, f"{scope}/{c}", "answer", _column_text(table[c], decimals))
            for c in columns
        },
    }


def _key_chart(value: Any, spec: Mapping[str, Any], salt: str, scope: str) -> dict[str, Any]:
    drawn = marking.chart(value, scope)
    decimals = int(spec.get("decimals", CHART_DECIMALS))
    return {
        "traces": [
            _key_points(salt, f"{scope}#{i}", list(t.x), list(t.y), decimals)
            for i, t in enumerate(drawn.traces)
        ]
    }


def _verifier(spec: Mapping[str, Any]) -> Callable[[Any, str], object] | None:
    """The library function an open answer's specification names ("module:function"), if any."""
    target = spec.get("verify")
    if target is None:
        return None
    module, _, function = str(target).partition(":")
    if not module.startswith("intermestic.") or not function:
        raise ValueError(f"verify names no intermestic function ('module:function'): {target!r}")
    verifier: Callable[[Any, str], object] = getattr(importlib.import_module(module), function)
    return verifier


def make_key(value: Any, spec: Mapping[str, Any], salt: str, scope: str) -> dict[str, Any]:
    """The key that `judge` checks a response against, from the solution's `value`."""
    kind = spec["kind"]
    if kind not in KINDS:
        raise ValueError(f"{scope}: unknown answer kind {kind!r}; kinds are {', '.join(KINDS)}")
    verifier = _verifier(spec)
    if verifier is not None:
        verifier(value, scope)  # the solution itself must pass
        return {"verify": spec["verify"]}
    if kind == "series":
        values = marking.series(value, scope)
        return _key_points(salt, scope, list(values.index), list(values), int(spec["decimals"]))
    if kind == "frame":
        return _key_frame(value, spec, salt, scope)
    if kind == "chart":
        return _key_chart(value, spec, salt, scope)
    if kind == "dict":
        if not isinstance(value, Mapping):
            raise ValueError(f"{scope}: a dict answer must be a dict")
        labels = sorted(map(_label, value))
        return {
            "keys": digest(salt, scope, "keys", json.dumps(labels)),
            "entries": {
                digest(salt, scope, "entry", _label(k)): _key_scalar(
                    v, spec["values"], salt, f"{scope}[{_label(k)}]"
                )
                for k, v in value.items()
            },
        }
    return _key_scalar(value, spec, salt, scope)


# --- judging ---------------------------------------------------------------------------------


def _judge_scalar(
    value: Any, spec: Mapping[str, Any], key: Mapping[str, Any], salt: str, scope: str, name: str
) -> Judgement:
    kind = spec["kind"]
    if kind == "number":
        decimals = int(spec["decimals"])
        return _judge_number(salt, scope, key, marking.number(value, name), decimals)
    text = {
        "integer": lambda: str(marking.integer(value, name)),
        "truth": lambda: str(marking.truth(value, name)),
        "letter": lambda: marking.letter(value, name, spec.get("options", "abcd")),
        "text": lambda: marking.text(value, name),
    }[kind]()
    if digest(salt, scope, "answer", text) == key["answer"]:
        return _RIGHT
    hints = {
        "integer": N_("Not the expected whole number: check the rows you counted or the dates."),
        "truth": N_("Not the expected True or False: check the comparison you made."),
        "letter": N_("Not the expected option: re-read the section the question is about."),
        "text": N_("Not the expected answer: check the spelling and the rows you selected."),
    }
    return Judgement(False, _(hints[kind]))


def _judge_points(
    labels: list[object],
    values: list[float],
    key: Mapping[str, Any],
    salt: str,
    scope: str,
    decimals: int,
) -> Judgement | None:
    """The verdict on points with these labels, or None when the labels differ."""
    pairs = sorted(zip(map(_label, labels), values, strict=True))
    if digest(salt, scope, "labels", json.dumps([p[0] for p in pairs])) != key["labels"]:
        return None
    for i, ((label, value), entry) in enumerate(zip(pairs, key["values"], strict=True)):
        verdict = _judge_number(salt, f"{scope}[{i}]", entry, float(value), decimals)
        if not verdict.correct:
            return Judgement(
                False,
                _("The value for {label}: {message}").format(label=label, message=verdict.message),
            )
    return _RIGHT


def _judge_series(
    value: Any, spec: Mapping[str, Any], key: Mapping[str, Any], salt: str, scope: str, name: str
) -> Judgement:
    values = marking.series(value, name)
    decimals = int(spec["decimals"])
    verdict = _judge_points(list(values.index), list(values), key, salt, scope, decimals)
    if verdict is None:
        return Judgement(
            False, _("{name} does not have the expected index labels (rows).").format(name=name)
        )
    return verdict


def _judge_frame(
    value: Any, spec: Mapping[str, Any], key: Mapping[str, Any], salt: str, scope: str, name: str
) -> Judgement:
    table = marking.frame(value, name, key["columns"])
    decimals = int(spec.get("decimals", FRAME_DECIMALS))
    for column in key["columns"]:
        text = _column_text(table[column], decimals)
        if digest(salt, f"{scope}/{column}", "answer", text) != key["content"][column]:
            return Judgement(
                False,
                _("The column {column} does not hold the expected values: check the rows.").format(
                    column=repr(column)
                ),
            )
    return _RIGHT


def _judge_chart(
    value: Any, spec: Mapping[str, Any], key: Mapping[str, Any], salt: str, scope: str, name: str
) -> Judgement:
    drawn = marking.chart(value, name)
    missing = [
        part
        for part, text in (
            (_("a title"), drawn.title),
            (_("an x-axis label"), drawn.xlabel),
            (_("a y-axis label"), drawn.ylabel),
        )
        if not str(text).strip()
    ]
    if missing:
        return Judgement(False, _("Give the chart {parts}.").format(parts=_(" and ").join(missing)))
    decimals = int(spec.get("decimals", CHART_DECIMALS))
    for i, expected in enumerate(key["traces"]):
        shown = [
            _judge_points(list(t.x), list(t.y), expected, salt, f"{scope}#{i}", decimals)
            for t in drawn.traces
        ]
        if not any(v is not None and v.correct for v in shown):
            wrong = next((v for v in shown if v is not None), None)
            detail = wrong.message if wrong else _("no line, bar or point set has the expected x.")
            return Judgement(
                False,
                _("The chart does not show the expected data: {detail}").format(detail=detail),
            )
    return _RIGHT


def _judge_dict(
    value: Any, spec: Mapping[str, Any], key: Mapping[str, Any], salt: str, scope: str, name: str
) -> Judgement:
    if not isinstance(value, Mapping):
        return Judgement(
            False,
            _("{name} should be a dictionary, not {type}.").format(
                name=name, type=type(value).__name__
            ),
        )
    labels = sorted(map(_label, value))
    if digest(salt, scope, "keys", json.dumps(labels)) != key["keys"]:
        return Judgement(False, _("{name} does not have the expected keys.").format(name=name))
    for k, item in value.items():
        entry = key["entries"][digest(salt, scope, "entry", _label(k))]
        verdict = _judge_scalar(
            item, spec["values"], entry, salt, f"{scope}[{_label(k)}]", f"{name}[{k!r}]"
        )
        if not verdict.correct:
            return verdict
    return _RIGHT


_JUDGES: dict[str, Callable[..., Judgement]] = {
    "series": _judge_series,
    "frame": _judge_frame,
    "chart": _judge_chart,
    "dict": _judge_dict,
}


def judge(
    value: Any, spec: Mapping[str, Any], key: Mapping[str, Any], salt: str, scope: str, name: str
) -> Judgement:
    """Whether `value` (the learner's `name`) is the answer `key` was made from, per `spec`."""
    try:
        verifier = _verifier(spec)
        if verifier is not None:
            verifier(value, name)
            return _RIGHT
        return _JUDGES.get(spec["kind"], _judge_scalar)(value, spec, key, salt, scope, name)
    except AssertionError as error:
        return Judgement(False, str(error))
    except Exception as error:  # an odd value must give a verdict, never a traceback
        return Judgement(
            False,
            _("{name} could not be checked ({error}).").format(
                name=name, error=f"{type(error).__name__}: {error}"
            ),
        )


# --- JSON entry points for code run inside a kernel -------------------------------------------


def make_key_json(value: Any, spec: Mapping[str, Any], salt: str, scope: str) -> str:
    """`make_key` as JSON text."""
    return json.dumps(make_key(value, spec, salt, scope), sort_keys=True)


def judge_json(
    value: Any, spec: Mapping[str, Any], key: Mapping[str, Any], salt: str, scope: str, name: str
) -> str:
    """`judge` as JSON text: ``{"correct": ..., "message": ...}``."""
    verdict = judge(value, spec, key, salt, scope, name)
    return json.dumps({"correct": verdict.correct, "message": verdict.message})
