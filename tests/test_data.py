"""The data package: it validates, loads offline with declared dtypes, matches published figures."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from intermestic import data, datarebuild, rawdata
from intermestic.paths import data_dir

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_RAW = REPO_ROOT / "data-raw"
DESCRIPTOR = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}

PANDAS_DTYPES = {"number": "float64", "string": "str", "date": "datetime64[us]"}


def _expected_dtype(field: dict) -> str:
    required = field.get("constraints", {}).get("required", False)
    if field["type"] == "integer":
        return "int64" if required else "Int64"
    if field["type"] == "boolean":
        return "bool" if required else "boolean"
    return PANDAS_DTYPES[field["type"]]


def _value(frame: pd.DataFrame, column: str, **where: object) -> object:
    """The single value of `column` in the row matching all `where` conditions."""
    mask = pd.Series(True, index=frame.index)
    for key, wanted in where.items():
        mask &= frame[key] == wanted
    values = frame.loc[mask, column]
    assert len(values) == 1, f"{where} matches {len(values)} rows"
    return values.iloc[0]


def test_package_validates_with_frictionless() -> None:
    report = frictionless.validate(str(data_dir() / "datapackage.json"))
    problems = [f"{task.name}: {error.note}" for task in report.tasks for error in task.errors]
    assert report.valid, problems[:10]


def test_every_resource_has_sources_licences_key_and_hash() -> None:
    for resource in RESOURCES.values():
        assert resource["sources"] and resource["licenses"], resource["name"]
        assert resource["schema"]["primaryKey"], resource["name"]
        assert resource["hash"].startswith("sha256:"), resource["name"]
        assert resource["path"] == f"{resource['name']}.csv"


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_resource_loads_with_declared_dtypes(name: str) -> None:
    frame = data.load(name)
    fields = RESOURCES[name]["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        f["name"]: _expected_dtype(f) for f in fields
    }
    assert not frame.duplicated(RESOURCES[name]["schema"]["primaryKey"]).any()
    assert len(frame) > 0


def test_tables_lists_every_resource_with_its_title() -> None:
    listed = data.tables()
    assert listed == {name: r["title"] for name, r in RESOURCES.items()}
    assert "us_mexico_trade_annual" in listed


def test_trade_matches_census_published_figures() -> None:
    trade = data.load("us_mexico_trade_annual")
    assert list(trade.columns) == ["year", "exports", "imports", "balance", "total", "partial"]
    assert trade["year"].tolist() == list(range(1985, 2025))
    assert _value(trade, "exports", year=2018) == 265_968.0
    assert _value(trade, "imports", year=2018) == 343_680.5
    assert _value(trade, "balance", year=2018) == pytest.approx(-77_712.5)
    assert _value(trade, "total", year=2018) == pytest.approx(609_648.5)
    assert _value(trade, "exports", year=1993) == 41_580.8
    assert trade.loc[trade["partial"], "year"].tolist() == [2024]
    assert (trade["balance"] - (trade["exports"] - trade["imports"])).abs().max() < 0.051


def test_mexico_second_us_export_market_since_1997() -> None:
    markets = data.load("us_export_markets_annual")
    assert (markets["census_code"] >= 1000).all()
    assert not markets["partner"].str.contains("World|European Union|NAFTA").any()
    rank = markets.groupby("year")["exports"].rank(ascending=False, method="min")
    mexico_rank = rank[markets["partner"] == "Mexico"].set_axis(
        markets.loc[markets["partner"] == "Mexico", "year"]
    )
    assert (mexico_rank.loc[1997:] == 2).all()
    assert mexico_rank.loc[1985] == 3


def test_mexico_export_share_uses_inegi_totals() -> None:
    share = data.load("mexico_exports_us_share")
    assert _value(share, "mexico_total_exports", year=2018) == 450_712.7
    assert _value(share, "us_imports_from_mexico", year=2018) == 343_680.5
    assert _value(share, "mirror_share_pct", year=2018) == pytest.approx(76.3)
    assert share.loc[~share["comparable"], "year"].max() == 1990


def test_border_crossings_are_us_mexico_ports_only() -> None:
    ports = data.load("border_ports")
    crossings_2018 = data.load("border_crossings_2018")
    crossings_2020 = data.load("border_crossings_2020_2021")
    assert len(ports) == 28
    assert crossings_2018["port_code"].nunique() == 27
    assert set(crossings_2018["port_code"]) <= set(ports["port_code"])
    assert set(crossings_2020["port_code"]) == set(ports["port_code"])
    assert crossings_2018["month"].dt.year.unique().tolist() == [2018]
    assert sorted(crossings_2020["month"].dt.year.unique()) == [2020, 2021]
    assert ports["longitude"].between(-118, -97).all()


def test_san_ysidro_1996_is_missing_not_zero() -> None:
    san_ysidro = data.load("border_crossings_san_ysidro")
    years = san_ysidro["month"].dt.year
    assert years.min() == 1996 and years.max() == 2021
    assert san_ysidro.loc[years == 1996, "value"].isna().all()
    assert san_ysidro.loc[years > 1996, "value"].notna().all()


def test_usbp_southwest_totals_match_cbp() -> None:
    usbp = data.load("usbp_southwest_apprehensions")
    totals = usbp[usbp["is_total"]].set_index("fiscal_year")["apprehensions"]
    assert totals.loc[2000] == 1_643_679
    assert totals.loc[2017] == 303_916
    assert totals.loc[2018] == 396_579
    assert totals.loc[2019] == 851_508
    sectors = usbp[~usbp["is_total"]].groupby("fiscal_year")["apprehensions"].sum()
    assert sectors.equals(totals)
    assert usbp["fiscal_year"].min() == 1960


def test_encounter_series_are_kept_apart() -> None:
    encounters = data.load("usbp_encounters_by_citizenship")
    by_series = encounters.groupby(["series", "fiscal_year"])["count"].sum()
    assert by_series.loc[("usbp_apprehensions", 2000)] == 1_643_679
    assert by_series.loc[("usbp_apprehensions", 2019)] == 851_508
    assert by_series.loc[("ohss_encounters", 2000)] == 1_566_370
    old = encounters[encounters["series"] == "usbp_apprehensions"]
    assert old["fiscal_year"].max() == 2019
    assert set(old["citizenship"]) == {"Mexico", "Other than Mexico"}
    assert encounters.loc[encounters["partial"], "fiscal_year"].unique().tolist() == [2025]


def test_unauthorized_population_marks_transcriptions() -> None:
    population = data.load("unauthorized_population")
    assert population["transcribed"].all()
    pew = population[population["source"] == "Pew"]
    assert _value(pew, "unauthorized_millions", origin="Mexico", year=2007) == 6.9
    dhs = population[population["source"] == "DHS"]
    assert set(dhs["origin"]) == {"All countries"}
    assert _value(dhs, "unauthorized_millions", year=2022) == 11.0


def test_remittances_match_banxico() -> None:
    annual = data.load("remittances_annual")
    assert _value(annual, "inflows", year=2018) == pytest.approx(34_435.1)
    assert _value(annual, "inflows", year=2024) == pytest.approx(65_016.8)
    assert _value(annual, "inflows", year=2025) == pytest.approx(62_471.7)
    assert annual.loc[annual["partial"], "year"].tolist() == [2026]
    states = data.load("remittances_by_us_state")
    assert states["year"].unique().tolist() == [2025]
    assert len(states) == 53
    assert states["inflows"].sum() < _value(annual, "inflows", year=2025)


def test_homicides_and_overdoses_match_sources() -> None:
    homicides = data.load("mexico_homicides")
    assert _value(homicides, "homicides_inegi", year=1990) == 14_493
    assert _value(homicides, "homicides_inegi", year=2011) == 27_213
    assert _value(homicides, "homicides_inegi", year=2016) == 24_559
    assert pd.isna(_value(homicides, "homicides_inegi", year=2017))
    overdoses = data.load("us_overdose_deaths")
    assert _value(overdoses, "deaths", icd10_code="T40.4", year=2018) == 31_335
    assert _value(overdoses, "deaths", icd10_code="T40.4", year=2020) == 56_518


def test_cpi_is_the_bls_annual_average() -> None:
    cpi = data.load("us_cpi_annual")
    assert list(cpi.columns) == ["year", "cpi_u"]
    assert cpi["year"].tolist() == list(range(1985, 2025))
    # Printed by BLS in cpiai.txt (data-raw/cpi/), one decimal before 2007, three after.
    assert _value(cpi, "cpi_u", year=1985) == 107.6
    assert _value(cpi, "cpi_u", year=1996) == 156.9
    assert _value(cpi, "cpi_u", year=2008) == 215.303
    assert _value(cpi, "cpi_u", year=2013) == 232.957
    # Means of the 12 monthly values in the BLS monthly file.
    assert _value(cpi, "cpi_u", year=2018) == 251.107
    assert _value(cpi, "cpi_u", year=2024) == 313.689
    assert _value(cpi, "cpi_u", year=2009) < _value(cpi, "cpi_u", year=2008)


def test_curated_tables_are_consistent() -> None:
    timeline = data.load("timeline")
    late = timeline["date"] > pd.Timestamp("2018-07-31")
    assert (timeline["after_article"] == late).all()
    assert timeline["date"].dt.year.min() == 1848 and timeline["date"].dt.year.max() == 2026
    assert timeline["source_url"].str.startswith("http").all()
    actors = data.load("actors")
    assert "Marcelo Ebrard" in set(actors["name"])
    claims = data.load("article_claims")
    assert claims["claim_id"].tolist() == list(range(1, 8))
    assert (claims["quote"].str.split().str.len() <= 12).all()
    testable = claims[claims["testable"]]
    assert set(testable["table"]) <= set(RESOURCES)
    assert claims.loc[~claims["testable"], "table"].isna().all()


def test_describe_and_source_give_citation_text() -> None:
    text = data.describe("usbp_southwest_apprehensions")
    assert RESOURCES["usbp_southwest_apprehensions"]["title"] in text
    assert "apprehensions (integer)" in text
    citation = data.source("us_mexico_trade_annual")
    assert "U.S. Census Bureau" in citation
    assert "public domain" in citation


def test_unknown_table_names_close_matches() -> None:
    with pytest.raises(data.UnknownTableError, match="us_mexico_trade_annual"):
        data.load("us_mexico_trade")
    with pytest.raises(data.UnknownTableError, match=r"tables\(\)"):
        data.describe("zzzz")


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the data package that `intermestic.data` reads instead of data/."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    monkeypatch.setattr(data, "data_dir", lambda: copy)
    return copy


def test_corrupted_file_fails_checksum(data_copy: Path) -> None:
    path = data_copy / "us_mexico_trade_annual.csv"
    path.write_text(path.read_text().replace("265968.0", "265969.0"))
    with pytest.raises(data.ChecksumMismatchError, match=r"us_mexico_trade_annual\.csv"):
        data.load("us_mexico_trade_annual")


def test_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "border_ports.csv").unlink()
    with pytest.raises(data.DataFileMissingError, match=r"border_ports\.csv"):
        data.load("border_ports")


def test_rebuild_rejects_missing_raw_folder(tmp_path: Path) -> None:
    with pytest.raises(datarebuild.RawFileMissingError, match="not found"):
        datarebuild.rebuild(tmp_path / "absent", tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match=r"manifest\.json not found"):
        datarebuild.rebuild(tmp_path / "empty", tmp_path / "out")


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of data-raw/."""
    copy = tmp_path / "data-raw"
    shutil.copytree(DATA_RAW, copy)
    return copy


def test_rebuild_names_a_missing_raw_file(raw_copy: Path, tmp_path: Path) -> None:
    (raw_copy / "remittances" / "banxico_remesas_usa.csv").unlink()
    with pytest.raises(
        datarebuild.RawFileMissingError, match=r"banxico_remesas_usa\.csv is missing"
    ):
        datarebuild.rebuild(raw_copy, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_rebuild_rejects_a_changed_raw_file(raw_copy: Path, tmp_path: Path) -> None:
    path = raw_copy / "cpi" / "bls_cpi_u_cuur0000sa0_monthly_1913_2026may.csv"
    original = path.read_text()
    path.write_text(original.replace("2018-01-01,247.867", "2018-01-01,247.868"))
    assert path.read_text() != original
    with pytest.raises(datarebuild.RawDataError, match="has changed since its SHA-256"):
        datarebuild.rebuild(raw_copy, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_rebuild_reproduces_committed_tables(tmp_path: Path) -> None:
    written = datarebuild.rebuild(DATA_RAW, tmp_path)
    assert {p.name for p in written} == {p.name for p in data_dir().iterdir() if p.suffix != ".md"}
    for path in written:
        committed = data_dir() / path.name
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs from data/"


def _raw_folder(root: Path, files: dict[str, bytes], extracts: dict[str, dict]) -> Path:
    """A raw folder whose manifest lists `files` (with their hashes) and `extracts`."""
    root.mkdir(parents=True)
    entries = []
    for relative, content in files.items():
        (root / relative).write_bytes(content)
        entry = {"path": relative, "sha256": hashlib.sha256(content).hexdigest()}
        if relative in extracts:
            entry["extract"] = extracts[relative]
        entries.append(entry)
    (root / "manifest.json").write_text(json.dumps({"files": entries}), encoding="utf-8")
    return root


ORIGINAL_CROSSINGS = (
    b"Port Name,State,Port Code,Border,Date,Measure,Value\r\n"
    b"Roosville,Montana,3318,US-Canada Border,12/01/2018,Buses,1\r\n"
    b"Nogales,Arizona,2604,US-Mexico Border,12/01/2018,Trucks,5\r\n"
    b"Lukeville,Arizona,2602,US-Mexico Border,11/01/2018,Buses,0"
)
MEXICO_ROWS = (
    b"Port Name,State,Port Code,Border,Date,Measure,Value\r\n"
    b"Nogales,Arizona,2604,US-Mexico Border,12/01/2018,Trucks,5\r\n"
    b"Lukeville,Arizona,2602,US-Mexico Border,11/01/2018,Buses,0"
)


def _row_cut(original: bytes) -> dict:
    return {
        "original": "all_ports.csv",
        "original_sha256": hashlib.sha256(original).hexdigest(),
        "cut": "rows_where",
        "column": 3,
        "equals": "US-Mexico Border",
        "header": True,
    }


def test_extract_keeps_the_header_and_matching_lines_byte_for_byte(tmp_path: Path) -> None:
    originals = tmp_path / "originals"
    originals.mkdir()
    (originals / "all_ports.csv").write_bytes(ORIGINAL_CROSSINGS)
    raw = _raw_folder(
        tmp_path / "raw", {"mexico.csv": MEXICO_ROWS}, {"mexico.csv": _row_cut(ORIGINAL_CROSSINGS)}
    )
    (raw / "mexico.csv").unlink()
    assert rawdata.extract(originals, raw) == [raw / "mexico.csv"]
    assert (raw / "mexico.csv").read_bytes() == MEXICO_ROWS


def test_extract_refuses_a_different_original(tmp_path: Path) -> None:
    originals = tmp_path / "originals"
    originals.mkdir()
    (originals / "all_ports.csv").write_bytes(ORIGINAL_CROSSINGS.replace(b"Trucks,5", b"Trucks,6"))
    raw = _raw_folder(
        tmp_path / "raw", {"mexico.csv": MEXICO_ROWS}, {"mexico.csv": _row_cut(ORIGINAL_CROSSINGS)}
    )
    with pytest.raises(rawdata.RawDataError, match=r"is not the file mexico\.csv was cut from"):
        rawdata.extract(originals, raw)
    assert (raw / "mexico.csv").read_bytes() == MEXICO_ROWS


def test_extract_writes_one_sheet_of_a_workbook_as_csv(tmp_path: Path) -> None:
    originals = tmp_path / "originals"
    originals.mkdir()
    workbook = originals / "book.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="Other", index=False)
        pd.DataFrame({"Fiscal Year": [2000, 2001], "Count": [10, 20]}).to_excel(
            writer, sheet_name="Wanted", index=False
        )
    expected = b"Fiscal Year,Count\n2000,10\n2001,20\n"
    cut = {
        "original": "book.xlsx",
        "original_sha256": hashlib.sha256(workbook.read_bytes()).hexdigest(),
        "cut": "sheet_to_csv",
        "sheet": "Wanted",
    }
    raw = _raw_folder(tmp_path / "raw", {"wanted.csv": expected}, {"wanted.csv": cut})
    (raw / "wanted.csv").write_bytes(b"stale")
    rawdata.extract(originals, raw)
    assert (raw / "wanted.csv").read_bytes() == expected


def test_a_malformed_manifest_is_a_one_sentence_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"files": [{"sha256": "00"}]}', encoding="utf-8")
    with pytest.raises(rawdata.RawDataError, match="is not a raw-data manifest"):
        rawdata.Manifest(tmp_path)


def test_every_raw_file_is_listed_with_provenance_and_verifies() -> None:
    manifest = rawdata.Manifest(DATA_RAW)
    listed = set(manifest.entries)
    on_disk = {
        p.relative_to(DATA_RAW).as_posix()
        for p in DATA_RAW.rglob("*")
        if p.is_file() and p.name not in {"manifest.json", "README.md", ".gitattributes"}
    }
    assert listed == on_disk
    for entry in manifest.entries.values():
        for key in ("title", "publisher", "source_url", "retrieved", "licence", "bytes"):
            assert entry.get(key), (entry["path"], key)
        assert entry["bytes"] == (DATA_RAW / entry["path"]).stat().st_size
    assert len(manifest.verify_all()) == len(listed)
