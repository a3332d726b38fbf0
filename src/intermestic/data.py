"""The course's data package: load its tables offline, list them, and cite them.

Every table is described in data/datapackage.json (a Frictionless Data Package). `load`
checks the file against the checksum recorded there and returns a DataFrame with the
declared types: `str` for text, `int64` (or nullable `Int64` where values may be missing)
for integers, `float64` for numbers, `bool` for flags and `datetime64` for dates.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from pathlib import Path

import pandas as pd

from intermestic.i18n import _
from intermestic.paths import data_dir

__all__ = [
    "ChecksumMismatchError",
    "DataFileMissingError",
    "UnknownTableError",
    "describe",
    "load",
    "source",
    "tables",
]

DESCRIPTOR = "datapackage.json"


class UnknownTableError(LookupError):
    """No table of that name is in the data package."""


class DataFileMissingError(FileNotFoundError):
    """A file of the data package is missing."""


class ChecksumMismatchError(ValueError):
    """A table's file does not match the checksum recorded in the data package."""


def _descriptor() -> dict:
    """The parsed datapackage.json."""
    path = data_dir() / DESCRIPTOR
    if not path.is_file():
        raise DataFileMissingError(f"data package descriptor not found: {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def _resource(name: str) -> dict:
    """The descriptor entry of table `name`, or an error listing close matches."""
    resources = {r["name"]: r for r in _descriptor()["resources"]}
    if name in resources:
        return resources[name]
    close = difflib.get_close_matches(name, list(resources), n=3, cutoff=0.4)
    hint = _("did you mean {names}?").format(names=", ".join(repr(c) for c in close))
    available = _("call intermestic.data.tables() for the list")
    raise UnknownTableError(
        _("no table named {name}; {hint}").format(
            name=repr(name), hint=hint if close else available
        )
    )


def _verified_path(resource: dict) -> Path:
    """The table's file, after checking that it exists and matches its recorded hash."""
    path = data_dir() / resource["path"]
    if not path.is_file():
        raise DataFileMissingError(f"data file missing: {path}")
    algorithm, _, expected = resource["hash"].partition(":")
    actual = hashlib.new(algorithm, path.read_bytes()).hexdigest()
    if actual != expected:
        raise ChecksumMismatchError(
            f"data file {path} does not match its {algorithm} checksum in {DESCRIPTOR} "
            "(edited or corrupted; restore it or run `intermestic data rebuild`)"
        )
    return path


def _pandas_dtype(field: dict) -> str:
    """The pandas dtype for a non-date Frictionless field."""
    required = field.get("constraints", {}).get("required", False)
    kind = field["type"]
    if kind == "integer":
        return "int64" if required else "Int64"
    if kind == "number":
        return "float64"
    if kind == "boolean":
        return "bool" if required else "boolean"
    return "str"


def load(name: str) -> pd.DataFrame:
    """Table `name` of the course data package as a DataFrame with its declared dtypes."""
    resource = _resource(name)
    path = _verified_path(resource)
    fields = resource["schema"]["fields"]
    dates = [f["name"] for f in fields if f["type"] == "date"]
    dtypes = {f["name"]: _pandas_dtype(f) for f in fields}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    for column in dates:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame


def tables() -> dict[str, str]:
    """The names of all tables in the data package, each with its title."""
    return {r["name"]: r["title"] for r in _descriptor()["resources"]}


def source(name: str) -> str:
    """Citation text for table `name`: its sources, licence and the course package."""
    resource = _resource(name)
    lines = [
        f"{s['title']}. {s['path']}" if s.get("path") else s["title"] for s in resource["sources"]
    ]
    licences = "; ".join(lic["title"] for lic in resource.get("licenses", []))
    if licences:
        lines.append(f"Licence: {licences}.")
    lines.append(f"Tidied as table `{name}` of the intermestic course data package.")
    return "\n".join(lines)


def describe(name: str) -> str:
    """A readable description of table `name`: title, content, columns with units, sources."""
    resource = _resource(name)
    lines = [resource["title"], "", resource["description"], "", "Columns:"]
    for field in resource["schema"]["fields"]:
        lines.append(f"  {field['name']} ({field['type']}): {field.get('description', '')}")
    keys = resource["schema"].get("primaryKey")
    if keys:
        lines.append(f"One row per: {', '.join(keys)}")
    lines += ["", "Source:", source(name)]
    return "\n".join(lines)
