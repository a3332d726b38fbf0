"""Question banks that hold only salted hashes of the answers, and the checks run against them.

Hashing scheme
--------------
Each bank has a random public ``salt``. Every stored value is
``sha256(salt, scope, purpose, text)`` (the parts joined by U+001F, hex digest), where ``scope``
is the question id (``"<id>/<column>"`` for a table total) and ``purpose`` keeps one use's
digest from ever equalling another's for the same text:

- ``answer``: a correct answer, listed in the question's ``answers``;
- ``feedback``: the key of a feedback entry for one particular answer;
- ``key``: the key stream that encrypts that entry's text (see `seal`);
- ``magnitude``: a coarse bin of a number, used only to diagnose near misses.

``text`` is the normalised answer: option keys for choices (a set of keys is written
``{a,c}``); for short text, `normalise_text`; for numbers, the integer
``round(value * 10**decimals)`` (half away from zero) so equal answers at the stated precision
hash alike.

Feedback texts are XOR-ed with a SHA-256 key stream derived from the answer they belong to, so
the text of an option's feedback (which may say "Right") is readable only by choosing that option,
and the bank does not show which option is correct. Every option must have feedback.

Tolerances are checked by hashing each value on the precision grid inside the tolerance band
around the response (at most `MAX_SCAN` candidates; `make_bank` refuses wider bands).
"Close", "wrong units" and "wrong sign" are told from one ``magnitude`` digest: the bin
``floor(log10(|value|) * MAGNITUDE_BINS)`` with the sign; a response whose bin (or the bin of
the response divided by 1,000, 100 …) is within one of the answer's is diagnosed accordingly.

This deters reading the answer from the notebook or the bank; it does not stop someone who
computes hashes of every option or every number, which is no easier than trying answers.
"""

from __future__ import annotations

import base64
import hashlib
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import pandas as pd

BANK_FORMAT = 1
MAX_SCAN = 20_000
MAGNITUDE_BINS = 40
QUESTION_TYPES = ("multiple-choice", "multiple-select", "numeric", "short-text", "code")
CODE_KINDS = ("number", "text", "series", "dataframe")
SCALE_WORDS = ("", "thousand", "million", "billion", "trillion")
# Factors by which a response may differ from the answer because of its units, most likely first.
UNIT_FACTORS = (1e3, 1e-3, 1e6, 1e-6, 100.0, 0.01, 1e9, 1e-9)

Status = Literal["correct", "close", "incorrect", "invalid"]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one response and a message for the learner."""

    status: Status
    message: str

    @property
    def correct(self) -> bool:
        """Whether the response is accepted."""
        return self.status == "correct"

    def __str__(self) -> str:
        return self.message

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.message)


class AnswerError(ValueError):
    """A response that cannot be checked; its message is meant for the learner."""


# --- hashing and sealing -------------------------------------------------------------------


def digest(salt: str, scope: str, purpose: str, text: str) -> str:
    """The salted SHA-256 hex digest of `text` for one question `scope` and `purpose`."""
    return hashlib.sha256("\x1f".join((salt, scope, purpose, text)).encode()).hexdigest()


def _key_stream(salt: str, scope: str, text: str, length: int) -> bytes:
    blocks = (
        hashlib.sha256("\x1f".join((salt, scope, "key", text, str(i))).encode()).digest()
        for i in range(length // 32 + 1)
    )
    return b"".join(blocks)[:length]


def seal(salt: str, scope: str, text: str, message: str) -> str:
    """`message` encrypted so that only the answer `text` opens it."""
    data = message.encode()
    stream = _key_stream(salt, scope, text, len(data))
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, stream, strict=True))).decode()


def unseal(salt: str, scope: str, text: str, token: str) -> str:
    """The message that `seal` encrypted for the answer `text`."""
    data = base64.b64decode(token)
    stream = _key_stream(salt, scope, text, len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True)).decode()


def _sealed_feedback(q: Mapping[str, Any], scope: str, text: str) -> str | None:
    token = q.get("feedback", {}).get(digest(q["salt"], scope, "feedback", text))
    return None if token is None else unseal(q["salt"], scope, text, token)


# --- normalisation ---------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """`text` compared loosely: case, accents, punctuation and extra spaces ignored."""
    kept = []
    for char in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(char)
        if category == "Mn":
            continue
        kept.append(" " if category[0] in "PSZ" or char.isspace() else char)
    return " ".join("".join(kept).casefold().split())


def rounded_units(value: float, decimals: int) -> int:
    """`value` as a whole number of steps of 10**-decimals, rounded half away from zero."""
    scaled = Decimal(repr(float(value))).scaleb(decimals)
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def magnitude_bin(value: float) -> int | None:
    """The log-scale bin of |value| (None for zero); neighbouring bins differ by about 6 %."""
    return None if value == 0 else math.floor(math.log10(abs(value)) * MAGNITUDE_BINS)


def _magnitude_text(value: float) -> str:
    bin_ = magnitude_bin(value)
    return "0" if bin_ is None else f"{'-' if value < 0 else '+'}{bin_}"


def _near_magnitude(q: Mapping[str, Any], scope: str, value: float) -> bool:
    bin_ = magnitude_bin(value)
    sign = "-" if value < 0 else "+"
    texts = ["0"] if bin_ is None else [f"{sign}{bin_ + step}" for step in (-1, 0, 1)]
    return any(digest(q["salt"], scope, "magnitude", text) == q["magnitude"] for text in texts)


def parse_number(text: str, units: str = "") -> float:
    """The number typed in `text`, ignoring thousands separators and the question's units."""
    cleaned = text.strip().replace("\u2212", "-").replace("\u00a0", " ")
    if not cleaned:
        raise AnswerError("Type a number first.")
    if units:
        cleaned = re.sub(re.escape(units), " ", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"(?<=\d),(?=\d{3}(\D|$))", "", cleaned)
    cleaned = re.sub(r"[\s_$%]", "", cleaned)
    if re.fullmatch(r"[+-]?\d+,\d+", cleaned):
        raise AnswerError(f"{text!r}: use a point as the decimal separator, for example 12.5.")
    try:
        value = float(cleaned)
    except ValueError:
        unit_note = f" (in {units})" if units else ""
        raise AnswerError(
            f"{text!r} is not a number. Type digits only{unit_note}, for example 12.5."
        ) from None
    if not math.isfinite(value):
        raise AnswerError(f"{text!r} is not a finite number.")
    return value


def _keys_from(response: object, options: Iterable[str]) -> list[str]:
    """The option keys named by `response`: a key, an option's text, or several of them."""
    keys = list(options)
    if response is None:
        raise AnswerError(f"Choose an option first ({', '.join(keys)}).")
    if isinstance(response, str):
        parts = [p for p in re.split(r"[,;\s]+", response.strip()) if p]
        if len(parts) == 1 and parts[0].lower() not in keys and all(c in keys for c in parts[0]):
            parts = list(parts[0])
    elif isinstance(response, Iterable):
        parts = list(response)
    else:
        raise AnswerError(f"Give an option letter ({', '.join(keys)}), not {_describe(response)}.")
    chosen = []
    for part in parts:
        key = normalise_text(str(part))
        if key not in keys:
            raise AnswerError(f"{part!r} is not one of the options ({', '.join(keys)}).")
        if key not in chosen:
            chosen.append(key)
    return chosen


def _describe(value: object) -> str:
    """A short, learner-facing description of what `value` is."""
    if value is None:
        return "None (nothing)"
    if isinstance(value, bool):
        return f"the truth value {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text {shown!r}"
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame ({len(value)} rows x {value.shape[1]} columns)"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values"
    if isinstance(value, numbers.Number):
        return f"the number {value!r}"
    return f"a {type(value).__name__}"


# --- evaluation ------------------------------------------------------------------------------


def evaluate(question: Mapping[str, Any], response: object) -> Feedback:
    """Feedback on `response` to `question` (a bank question carrying its bank's ``salt``)."""
    try:
        return _EVALUATORS[question["type"]](question, response)
    except AnswerError as err:
        return Feedback("invalid", str(err))
    except Exception as err:  # a learner's odd value must never end in a traceback
        return Feedback(
            "invalid",
            f"This value could not be checked ({type(err).__name__}: {err}). "
            "Check that it is the kind of value the question asks for.",
        )


def _with_note(head: str, note: str | None) -> str:
    return head if not note else f"{head} {note}"


def _evaluate_choice(q: Mapping[str, Any], response: object) -> Feedback:
    keys = [option["key"] for option in q["options"]]
    chosen = _keys_from(response, keys)
    if len(chosen) != 1:
        raise AnswerError(f"Choose exactly one option ({', '.join(keys)}).")
    key = chosen[0]
    note = _sealed_feedback(q, q["id"], key)
    if digest(q["salt"], q["id"], "answer", key) in q["answers"]:
        return Feedback("correct", _with_note(f"Correct: ({key}).", note))
    return Feedback("incorrect", _with_note(f"Not quite: ({key}).", note))


def _evaluate_multi(q: Mapping[str, Any], response: object) -> Feedback:
    keys = [option["key"] for option in q["options"]]
    chosen = sorted(_keys_from(response, keys), key=keys.index)
    if not chosen:
        raise AnswerError("Select at least one option.")
    combined = "{" + ",".join(chosen) + "}"
    notes = [f"({key}) {_sealed_feedback(q, q['id'], key)}" for key in chosen]
    if digest(q["salt"], q["id"], "answer", combined) in q["answers"]:
        head = _with_note("Correct: that is the full set.", _sealed_feedback(q, q["id"], combined))
        return Feedback("correct", "\n".join([head, *notes]))
    head = "Not quite: that is not exactly the right set. Notes on your choices:"
    return Feedback("incorrect", "\n".join([head, *notes]))


def _evaluate_text(q: Mapping[str, Any], response: object) -> Feedback:
    if not isinstance(response, str):
        raise AnswerError(f"Type a word or phrase, not {_describe(response)}.")
    text = normalise_text(response)
    if not text:
        raise AnswerError("Type a word or phrase first.")
    note = _sealed_feedback(q, q["id"], text)
    if digest(q["salt"], q["id"], "answer", text) in q["answers"]:
        return Feedback("correct", _with_note("Correct.", note))
    return Feedback("incorrect", _with_note("Not quite.", note or q.get("hint")))


def _evaluate_numeric(q: Mapping[str, Any], response: object) -> Feedback:
    if isinstance(response, str):
        value = parse_number(response, q.get("units", ""))
    else:
        value = _as_number(response)
    return _judge_number(q, q["id"], value)


def _as_number(value: object) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number):
            raise AnswerError("The value is missing (NaN): check for empty cells in your data.")
        if not math.isfinite(number):
            raise AnswerError("The value is infinite: check for a division by zero.")
        return number
    hint = ""
    if isinstance(value, pd.Series | pd.DataFrame) and value.size == 1:
        hint = " It holds one value: take it out with .item()."
    elif isinstance(value, str):
        hint = " Convert text with float(...)."
    elif value is None:
        hint = " Did a function forget to `return` its result?"
    raise AnswerError(f"A number is expected, but this is {_describe(value)}.{hint}")


def _matching_units(q: Mapping[str, Any], scope: str, value: float) -> int | None:
    """The answer (in precision steps) that `value` matches within the tolerance, if any."""
    step = 10.0 ** -q["decimals"]
    own = rounded_units(value, q["decimals"])
    tolerance = q.get("tolerance") or {}
    rel = tolerance.get("rel", 0.0)
    half_width = tolerance.get("abs", rel * abs(value) / (1 - rel))
    low = math.floor((value - half_width) / step)
    high = math.ceil((value + half_width) / step)
    # make_bank keeps the band at the answer below MAX_SCAN, so a wider band cannot hold it.
    candidates = [own] if not tolerance or high - low > MAX_SCAN else range(low, high + 1)
    for k in candidates:
        allowed = tolerance.get("abs", rel * abs(k * step)) * (1 + 1e-9)
        if k != own and abs(value - k * step) > allowed:
            continue
        if digest(q["salt"], scope, "answer", str(k)) in q["answers"]:
            return k
    return None


def _judge_number(q: Mapping[str, Any], scope: str, value: float) -> Feedback:
    units = q.get("units", "")
    match = _matching_units(q, scope, value)
    if match is not None:
        return Feedback("correct", _with_note("Correct.", _sealed_feedback(q, scope, str(match))))
    note = _sealed_feedback(q, scope, str(rounded_units(value, q["decimals"])))
    if note:
        return Feedback("incorrect", f"Not quite. {note}")
    if _near_magnitude(q, scope, value):
        places = q["decimals"]
        precision = f"{places} decimal place(s)" if places > 0 else f"the nearest {10**-places:,}"
        return Feedback(
            "close",
            f"Close, but not equal at the stated precision ({precision}). "
            "Check your rounding and each step of the calculation.",
        )
    for factor in UNIT_FACTORS:
        if _near_magnitude(q, scope, value / factor):
            return Feedback("incorrect", _units_message(factor, units))
    if value != 0 and _near_magnitude(q, scope, -value):
        return Feedback("incorrect", "The size looks right but the sign is wrong: check it.")
    return Feedback("incorrect", _with_note("Not quite.", q.get("hint")))


def _units_message(factor: float, units: str) -> str:
    """Why a response `factor` times the answer may be in the wrong units."""
    size = f"about {max(factor, 1 / factor):,.0f} times too {'large' if factor > 1 else 'small'}"
    words = units.split()
    bases = [w.casefold().removesuffix("s") for w in words]
    scale = next((i for i, w in enumerate(bases) if w and w in SCALE_WORDS), None)
    power = round(math.log10(factor))
    if scale is not None and power % 3 == 0:
        expected = SCALE_WORDS.index(bases[scale])
        given = expected - power // 3
        if 0 <= given < len(SCALE_WORDS):
            rest = " ".join(words[:scale] + words[scale + 1 :]) or "units"
            given_name = f"{SCALE_WORDS[given]}s" if given else rest
            return (
                f"Your value is {size}: it looks like {given_name}, "
                f"but {SCALE_WORDS[expected]}s are expected ({units})."
            )
    percent = "%" in units or "percent" in units.casefold()
    if percent and factor == 0.01:
        return f"Your value is {size}: is it a fraction (0 to 1) where a percentage is expected?"
    if not percent and factor == 100:
        return f"Your value is {size}: is it a percentage where a fraction (0 to 1) is expected?"
    unit_note = f" ({units})" if units else ""
    return f"Your value is {size}: check the units{unit_note}."


def _evaluate_code(q: Mapping[str, Any], response: object) -> Feedback:
    kind = q["expect"]
    if kind == "number":
        return _judge_number(q, q["id"], _as_number(response))
    if kind == "text":
        return _evaluate_text(q, response)
    if kind == "series":
        return _judge_series(q, response)
    return _judge_frame(q, response)


def _judge_series(q: Mapping[str, Any], value: object) -> Feedback:
    if not isinstance(value, pd.Series):
        hint = ""
        if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
            hint = f" Select its column, e.g. df[{value.columns[0]!r}]."
        raise AnswerError(f"A pandas Series is expected, but this is {_describe(value)}.{hint}")
    problems = _length_problems(q, len(value), "values")
    if "name" in q and value.name != q["name"]:
        problems.append(f"The Series should be named {q['name']!r} (it is {value.name!r}).")
    if problems:
        return Feedback("incorrect", " ".join(problems))
    if "total" not in q:
        return Feedback("correct", "Correct: the Series has the expected shape.")
    return _judge_total({**q, **q["total"]}, f"{q['id']}/total", value, "The total of your values")


def _judge_frame(q: Mapping[str, Any], value: object) -> Feedback:
    if not isinstance(value, pd.DataFrame):
        hint = " Turn it into a table with .to_frame()." if isinstance(value, pd.Series) else ""
        raise AnswerError(f"A pandas DataFrame is expected, but this is {_describe(value)}.{hint}")
    expected = list(q["columns"])
    present = [str(c) for c in value.columns]
    if len(set(present)) != len(present):
        return Feedback("invalid", f"The table has repeated column names: {present}.")
    value = value.set_axis(present, axis=1)
    missing = [c for c in expected if c not in present]
    extra = [c for c in present if c not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"unexpected column(s) {', '.join(map(repr, extra))}")
        return Feedback("invalid", f"The table has {'; '.join(parts)}. Expected: {expected}.")
    problems = _length_problems(q, len(value), "rows")
    if problems:
        return Feedback("incorrect", " ".join(problems))
    verdicts = [
        _judge_total({**q, **spec}, f"{q['id']}/{column}", value[column], f"Column {column!r}")
        for column, spec in q.get("totals", {}).items()
    ]
    wrong = [v for v in verdicts if not v.correct]
    if wrong:
        return Feedback(wrong[0].status, "\n".join(v.message for v in wrong))
    return Feedback("correct", "Correct: the table has the expected columns, rows and totals.")


def _length_problems(q: Mapping[str, Any], length: int, noun: str) -> list[str]:
    if "length" in q and length != q["length"]:
        return [f"It has {length} {noun}; {q['length']} are expected."]
    return []


def _judge_total(q: Mapping[str, Any], scope: str, column: pd.Series, label: str) -> Feedback:
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return Feedback(
            "invalid",
            f"{label} is not numeric (dtype {column.dtype}): convert it with pd.to_numeric(...).",
        )
    verdict = _judge_number(q, scope, _as_number(column.sum()))
    missing = int(column.isna().sum())
    gaps = f" It has {missing} missing value(s)." if missing and not verdict.correct else ""
    return Feedback(verdict.status, f"{label}: {verdict.message}{gaps}")


_EVALUATORS: dict[str, Callable[[Mapping[str, Any], object], Feedback]] = {
    "multiple-choice": _evaluate_choice,
    "multiple-select": _evaluate_multi,
    "short-text": _evaluate_text,
    "numeric": _evaluate_numeric,
    "code": _evaluate_code,
}


# --- authoring -------------------------------------------------------------------------------


def make_bank(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The shippable bank for a plaintext authoring `spec`: answers hashed, feedback sealed.

    The spec has ``lesson``, ``salt`` (a random hex string, fixed so the bank is reproducible)
    and ``questions``; each question has ``id``, ``type``, ``prompt`` and an ``answer``.
    Raises ValueError naming the first problem in the spec.
    """
    for field in ("lesson", "salt", "questions"):
        if field not in spec:
            raise ValueError(f"the authoring spec needs a {field!r} field")
    salt = spec["salt"]
    seen: set[str] = set()
    questions = []
    for raw in spec["questions"]:
        qid = raw.get("id")
        if not qid or qid in seen:
            raise ValueError(f"question ids must be present and unique (got {qid!r})")
        seen.add(qid)
        if raw.get("type") not in QUESTION_TYPES:
            raise ValueError(f"{qid}: type must be one of {QUESTION_TYPES}")
        if not raw.get("prompt"):
            raise ValueError(f"{qid}: a prompt is needed")
        questions.append(_COMPILERS[raw["type"]](salt, raw))
    return {"format": BANK_FORMAT, "lesson": spec["lesson"], "salt": salt, "questions": questions}


def bank_questions(bank: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The questions of `bank` by id, each carrying the bank's salt so `evaluate` can use it."""
    return {q["id"]: {**q, "salt": bank["salt"]} for q in bank["questions"]}


def _public(raw: Mapping[str, Any], *fields: str) -> dict[str, Any]:
    return {f: raw[f] for f in ("id", "type", "prompt", *fields) if f in raw}


def _compile_options(salt: str, raw: Mapping[str, Any], answers: list[str]) -> dict[str, Any]:
    qid = raw["id"]
    options = raw.get("options") or []
    keys = [option.get("key") for option in options]
    if len(keys) < 2 or len(set(keys)) != len(keys) or not all(keys):
        raise ValueError(f"{qid}: needs two or more options with distinct keys")
    if any(not option.get("feedback") for option in options):
        raise ValueError(f"{qid}: every option needs feedback, or the bank would reveal the answer")
    if not answers or any(a not in keys for a in answers):
        raise ValueError(f"{qid}: the answer must name option keys {keys}")
    if any(normalise_text(k) != k for k in keys):
        raise ValueError(f"{qid}: option keys must be lower-case letters or digits")
    feedback = {
        digest(salt, qid, "feedback", o["key"]): seal(salt, qid, o["key"], o["feedback"])
        for o in options
    }
    compiled = _public(raw, "hint")
    compiled["options"] = [{"key": o["key"], "text": o["text"]} for o in options]
    compiled["feedback"] = feedback
    return compiled


def _compile_choice(salt: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    answer = raw.get("answer")
    answers = [answer] if isinstance(answer, str) else []
    compiled = _compile_options(salt, raw, answers)
    compiled["answers"] = [digest(salt, raw["id"], "answer", answers[0])]
    return compiled


def _compile_multi(salt: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    answer = raw.get("answer")
    chosen = list(answer) if isinstance(answer, list) else []
    compiled = _compile_options(salt, raw, chosen)
    keys = [o["key"] for o in raw["options"]]
    combined = "{" + ",".join(sorted(chosen, key=keys.index)) + "}"
    compiled["answers"] = [digest(salt, raw["id"], "answer", combined)]
    if raw.get("explanation"):
        key = digest(salt, raw["id"], "feedback", combined)
        compiled["feedback"][key] = seal(salt, raw["id"], combined, raw["explanation"])
    return compiled


def _compile_text(salt: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    qid = raw["id"]
    answer = raw.get("answer")
    accepted = [answer] if isinstance(answer, str) else list(answer or [])
    texts = [normalise_text(a) for a in accepted]
    if not texts or not all(texts):
        raise ValueError(f"{qid}: a short-text answer needs one or more non-empty answers")
    notes = {normalise_text(k): v for k, v in raw.get("feedback", {}).items()}
    if raw.get("explanation"):
        notes.update(dict.fromkeys(texts, raw["explanation"]))
    compiled = _public(raw, "hint", "expect")
    compiled["answers"] = [digest(salt, qid, "answer", t) for t in texts]
    compiled["feedback"] = {
        digest(salt, qid, "feedback", t): seal(salt, qid, t, note) for t, note in notes.items()
    }
    return compiled


def _compile_number(salt: str, scope: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed form of one numeric answer: answer, precision, tolerance, units and notes."""
    answer, decimals = raw.get("answer"), raw.get("decimals")
    if not isinstance(answer, int | float) or isinstance(answer, bool):
        raise ValueError(f"{scope}: a numeric answer must be a number")
    if not isinstance(decimals, int) or isinstance(decimals, bool):
        raise ValueError(f"{scope}: 'decimals' (the stated precision) must be a whole number")
    tolerance = raw.get("tolerance") or {}
    step = 10.0**-decimals
    if set(tolerance) - {"abs", "rel"} or len(tolerance) > 1:
        raise ValueError(f"{scope}: tolerance is {{'abs': x}} or {{'rel': x}}")
    rel = tolerance.get("rel", 0.0)
    if not 0 <= rel < 0.5 or tolerance.get("abs", 0.0) < 0:
        raise ValueError(f"{scope}: tolerance must be non-negative and 'rel' below 0.5")
    width = 2 * tolerance.get("abs", rel * (1 + rel) * abs(answer) / (1 - rel)) / step + 2
    if width > MAX_SCAN:
        raise ValueError(f"{scope}: tolerance spans {width:,.0f} steps; use fewer decimals")
    k = rounded_units(answer, decimals)
    notes = {str(rounded_units(float(v), decimals)): n for v, n in raw.get("feedback", {}).items()}
    if raw.get("explanation"):
        notes[str(k)] = raw["explanation"]
    compiled: dict[str, Any] = {"decimals": decimals}
    compiled.update({f: raw[f] for f in ("units", "tolerance", "hint") if raw.get(f)})
    compiled["answers"] = [digest(salt, scope, "answer", str(k))]
    compiled["magnitude"] = digest(salt, scope, "magnitude", _magnitude_text(k * step))
    compiled["feedback"] = {
        digest(salt, scope, "feedback", t): seal(salt, scope, t, note) for t, note in notes.items()
    }
    return compiled


def _compile_numeric(salt: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    return {**_public(raw, "expect"), **_compile_number(salt, raw["id"], raw)}


def _compile_code(salt: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    qid, kind = raw["id"], raw.get("expect")
    if kind not in CODE_KINDS:
        raise ValueError(f"{qid}: 'expect' must be one of {CODE_KINDS}")
    if kind == "number":
        return _compile_numeric(salt, raw)
    if kind == "text":
        return _compile_text(salt, raw)
    compiled = _public(raw, "expect", "length", "name", "hint")
    if kind == "series":
        if "total" in raw:
            compiled["total"] = _compile_number(salt, f"{qid}/total", raw["total"])
        return compiled
    columns = raw.get("columns")
    if not columns or not all(isinstance(c, str) for c in columns):
        raise ValueError(f"{qid}: a dataframe answer needs a list of column names")
    compiled["columns"] = list(columns)
    totals = raw.get("totals", {})
    if set(totals) - set(columns):
        raise ValueError(f"{qid}: totals name columns that are not in 'columns'")
    compiled["totals"] = {
        column: _compile_number(salt, f"{qid}/{column}", spec) for column, spec in totals.items()
    }
    return compiled


_COMPILERS: dict[str, Callable[[str, Mapping[str, Any]], dict[str, Any]]] = {
    "multiple-choice": _compile_choice,
    "multiple-select": _compile_multi,
    "short-text": _compile_text,
    "numeric": _compile_numeric,
    "code": _compile_code,
}
