"""The raw public files behind data/: their manifest, their checksums, and the extracts cut
from originals too large to keep in the repository.

A raw folder (the repository's data-raw/ by default) holds the files and a `manifest.json`
that lists each one with its provenance and SHA-256. A file described with an `extract`
entry is a documented cut of a larger original: `extract()` recreates it from the original.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from intermestic.paths import repository_root

MANIFEST = "manifest.json"
RAW_FOLDER = "data-raw"


class RawDataError(ValueError):
    """A raw file exists but does not hold what the rebuild expects."""


class RawFileMissingError(FileNotFoundError):
    """A raw file (or the raw folder itself) is missing."""


def default_raw_dir() -> Path | None:
    """The repository's data-raw/ folder, or None when installed from a wheel."""
    root = repository_root()
    return root / RAW_FOLDER if root else None


def sha256_hex(path: Path) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Manifest:
    """The manifest of a raw folder: every file it holds, with provenance and SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise RawFileMissingError(f"raw data folder not found: {self.root}")
        self.path = self.root / MANIFEST
        if not self.path.is_file():
            raise RawFileMissingError(
                f"{self.path} not found: a raw data folder must list its files and their "
                "SHA-256 in a manifest (see data-raw/README.md)"
            )
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            files = document["files"]
            self.entries: dict[str, dict[str, Any]] = {e["path"]: e for e in files}
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise RawDataError(
                f"{self.path} is not a raw-data manifest (a JSON object whose 'files' list "
                f"gives each file's 'path' and 'sha256'): {exc}"
            ) from None
        self._verified: set[str] = set()

    def entry(self, relative: str) -> dict[str, Any]:
        """The manifest entry of the file at `relative`, or an error when it is not listed."""
        if relative not in self.entries:
            raise RawDataError(f"{relative} is not listed in {self.path}")
        return self.entries[relative]

    def verified(self, relative: str) -> Path:
        """The raw file at `relative`, after checking it exists and matches its SHA-256."""
        entry = self.entry(relative)
        path = self.root / relative
        if relative in self._verified:
            return path
        if not path.is_file():
            raise RawFileMissingError(
                f"raw file {path} is missing; restore it (git checkout -- {RAW_FOLDER}) "
                f"or fetch it as {self.path.name} describes"
            )
        if sha256_hex(path) != entry["sha256"]:
            raise RawDataError(
                f"raw file {path} has changed since its SHA-256 was recorded in {self.path}; "
                "restore it, or record the new file's provenance and hash there"
            )
        self._verified.add(relative)
        return path

    def verify_all(self) -> list[Path]:
        """Check every listed file; return their paths."""
        return [self.verified(relative) for relative in self.entries]


# --- extracts ----------------------------------------------------------------------------


def _rows_where(original: Path, target: Path, cut: dict[str, Any]) -> None:
    """Keep the header line (if any) and every line whose field `column` equals `equals`.

    The original must be a plain comma-separated file without quoting; kept lines are
    copied byte for byte.
    """
    lines = original.read_bytes().splitlines(keepends=True)
    if any(b'"' in line for line in lines):
        raise RawDataError(f"{original} uses quoted fields; the row cut expects none")
    column, wanted = int(cut["column"]), str(cut["equals"]).encode("utf-8")
    start = 1 if cut["header"] else 0
    kept = lines[:start]
    kept += [line for line in lines[start:] if line.rstrip(b"\r\n").split(b",")[column] == wanted]
    target.write_bytes(b"".join(kept))


def _sheet_to_csv(original: Path, target: Path, cut: dict[str, Any]) -> None:
    """Write one sheet of a workbook as a UTF-8 CSV file (pandas, LF line ends, no index)."""
    frame = pd.read_excel(original, sheet_name=cut["sheet"])
    frame.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")


_CUTS = {"rows_where": _rows_where, "sheet_to_csv": _sheet_to_csv}


def extract(originals_dir: Path, raw_dir: Path | None = None) -> list[Path]:
    """Recreate every extract listed in the raw folder's manifest from the originals.

    `originals_dir` holds the original files at the paths the manifest names (e.g. a copy of
    the course's shared datasets folder). Each original is checked against its recorded
    SHA-256 first, and each extract written is checked against its own. Returns the paths
    written.
    """
    raw_dir = raw_dir if raw_dir is not None else default_raw_dir()
    if raw_dir is None:
        raise RawFileMissingError("no data-raw/ folder here: run in a repository checkout")
    manifest = Manifest(raw_dir)
    originals_dir = Path(originals_dir)
    written: list[Path] = []
    for relative, entry in manifest.entries.items():
        spec = entry.get("extract")
        if spec is None:
            continue
        original = originals_dir / spec["original"]
        if not original.is_file():
            raise RawFileMissingError(f"original file {original} not found")
        if sha256_hex(original) != spec["original_sha256"]:
            raise RawDataError(
                f"{original} is not the file {relative} was cut from (its SHA-256 differs "
                f"from the one in {manifest.path})"
            )
        target = manifest.root / relative
        if spec.get("cut") not in _CUTS:
            raise RawDataError(f"{relative}: unknown cut {spec.get('cut')!r} in {manifest.path}")
        _CUTS[spec["cut"]](original, target, spec)
        if sha256_hex(target) != entry["sha256"]:
            raise RawDataError(
                f"the extract written to {target} differs from the one recorded in "
                f"{manifest.path}; record its new SHA-256 there if the cut changed on purpose"
            )
        written.append(target)
    return written
