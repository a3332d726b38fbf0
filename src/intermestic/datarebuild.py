"""Regenerate the course's derived tables in data/ from the raw public files in data-raw/.

The raw folder holds the files listed in its manifest.json (us_trade/, mexico_exports/,
border_crossings/, ...), each checked against its recorded SHA-256 before anything is
built. Table metadata (titles, schemas, sources) lives in data/datapackage.json; a rebuild
rewrites the derived CSV files and refreshes the `bytes` and `hash` of every resource, so
the package always describes what it holds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from intermestic.paths import data_dir
from intermestic.rawdata import Manifest, RawDataError, RawFileMissingError, default_raw_dir

__all__ = ["BUILDERS", "RawDataError", "RawFileMissingError", "rebuild", "sha256_of"]

DESCRIPTOR = "datapackage.json"


class _Raw:
    """The raw folder, each file checked against the manifest and read at most once."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest

    def path(self, relative: str) -> Path:
        """The verified raw file at `relative` (listed in the manifest, unchanged)."""
        return self.manifest.verified(relative)

    def csv(self, relative: str, **kwargs: Any) -> pd.DataFrame:
        """A raw CSV file read with pandas."""
        return pd.read_csv(self.path(relative), **kwargs)

    @cached_property
    def census_country(self) -> pd.DataFrame:
        """Census `country.xlsx`: US goods trade by partner, 1985 to mid-2024."""
        frame = pd.read_excel(
            self.path("us_trade/census_country_trade_1985_2024jun.xlsx"), sheet_name="country"
        )
        _require_columns(frame, ["year", "CTY_CODE", "CTYNAME", "IYR", "EYR"], "country.xlsx")
        return frame

    @cached_property
    def census_months_reported(self) -> pd.Series:
        """Months with published (non-zero) World exports, by year; 12 when no World row."""
        frame = self.census_country
        months = [f"E{m}" for m in _MONTHS]
        world = frame[frame["CTY_CODE"] == _CENSUS_WORLD_NSA].set_index("year")[months]
        counts = (world != 0).sum(axis=1)
        years = sorted(frame["year"].unique())
        return counts.reindex(years, fill_value=12).astype("int64")


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_CENSUS_MEXICO = 2010
_CENSUS_WORLD_NSA = 15
_CENSUS_FIRST_COUNTRY_CODE = 1000


def _require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Raise RawDataError when `frame` lacks any of `columns`."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise RawDataError(f"{what}: missing columns {missing}")


def _musd(values: pd.Series) -> pd.Series:
    """Millions of USD rounded to 0.1, the precision Census publishes."""
    return values.astype("float64").round(1)


# --- trade -----------------------------------------------------------------------------


def build_us_mexico_trade_annual(raw: _Raw) -> pd.DataFrame:
    """US goods exports to and imports from Mexico per calendar year (Census basis)."""
    census = raw.census_country
    mexico = census[census["CTY_CODE"] == _CENSUS_MEXICO].sort_values("year")
    if mexico.empty:
        raise RawDataError("country.xlsx: no rows for Mexico (CTY_CODE 2010)")
    exports = _musd(mexico["EYR"]).to_numpy()
    imports = _musd(mexico["IYR"]).to_numpy()
    years = mexico["year"].astype("int64").to_numpy()
    months = raw.census_months_reported.reindex(years).to_numpy()
    return pd.DataFrame(
        {
            "year": years,
            "exports": exports,
            "imports": imports,
            "balance": (exports - imports).round(1),
            "total": (exports + imports).round(1),
            "partial": months < 12,
        }
    )


def build_us_export_markets_annual(raw: _Raw) -> pd.DataFrame:
    """US goods exports to and imports from every partner country (no aggregates), per year."""
    census = raw.census_country
    countries = census[census["CTY_CODE"] >= _CENSUS_FIRST_COUNTRY_CODE]
    countries = countries.sort_values(["year", "CTY_CODE"])
    years = countries["year"].astype("int64")
    return pd.DataFrame(
        {
            "year": years.to_numpy(),
            "census_code": countries["CTY_CODE"].astype("int64").to_numpy(),
            "partner": countries["CTYNAME"].str.strip().astype("str").to_numpy(),
            "exports": _musd(countries["EYR"]).to_numpy(),
            "imports": _musd(countries["IYR"]).to_numpy(),
            "partial": (raw.census_months_reported.reindex(years).to_numpy() < 12),
        }
    )


_INEGI_COMPARABLE_FROM = 1991


def build_mexico_exports_us_share(raw: _Raw) -> pd.DataFrame:
    """Mexico's total exports (INEGI) and the mirror share bought by the US (Census imports)."""
    inegi = raw.csv("mexico_exports/inegi_balanza_comercial_monthly_1980_2022.csv")
    inegi = inegi.iloc[:, :2].set_axis(["date", "exports"], axis=1)
    inegi["year"] = inegi["date"].str[:4].astype("int64")
    annual = inegi.groupby("year").agg(exports=("exports", "sum"), months=("exports", "size"))
    annual = annual[annual["months"] == 12]
    trade = build_us_mexico_trade_annual(raw).set_index("year")
    trade = trade[~trade["partial"]]
    years = sorted(set(annual.index) & set(trade.index))
    mexico_exports = annual.loc[years, "exports"].round(1).to_numpy()
    us_imports = trade.loc[years, "imports"].to_numpy()
    return pd.DataFrame(
        {
            "year": years,
            "mexico_total_exports": mexico_exports,
            "us_imports_from_mexico": us_imports,
            "mirror_share_pct": (100 * us_imports / mexico_exports).round(1),
            "comparable": [year >= _INEGI_COMPARABLE_FROM for year in years],
        }
    )


# --- border crossings ------------------------------------------------------------------

_BTS_COLUMNS = ["port_name", "state", "port_code", "border", "date", "measure", "value"]
_US_MEXICO = "US-Mexico Border"
_CROSSING_KEY = ["port_code", "measure", "month"]


def _tidy_crossings(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """US-Mexico rows of a BTS extract as port_code, port_name, state, measure, month, value."""
    frame = frame[frame["border"] == _US_MEXICO].drop_duplicates()
    tidy = pd.DataFrame(
        {
            "port_code": frame["port_code"].astype("int64"),
            "port_name": frame["port_name"].astype("str"),
            "state": frame["state"].astype("str"),
            "measure": frame["measure"].astype("str"),
            "month": frame["month"].dt.strftime("%Y-%m-%d"),
            "value": frame["value"].astype("int64"),
        }
    )
    duplicated = tidy.duplicated(_CROSSING_KEY, keep=False)
    if duplicated.any():
        tidy = _drop_zero_duplicates(tidy, duplicated, what)
    return tidy.sort_values(_CROSSING_KEY).reset_index(drop=True)


def _drop_zero_duplicates(tidy: pd.DataFrame, duplicated: pd.Series, what: str) -> pd.DataFrame:
    """Resolve repeated (port, measure, month) rows where one copy is a spurious zero."""
    keep = ~(duplicated & (tidy["value"] == 0))
    tidy = tidy[keep]
    if tidy.duplicated(_CROSSING_KEY).any():
        raise RawDataError(f"{what}: conflicting values for the same port, measure and month")
    return tidy


def build_border_crossings_2018(raw: _Raw) -> pd.DataFrame:
    """BTS inbound crossings at US-Mexico ports, monthly, 2018."""
    frame = raw.csv("border_crossings/bts_border_crossing_entry_2018_us_mexico.csv")
    frame = frame.set_axis(_BTS_COLUMNS, axis=1)
    frame["month"] = pd.to_datetime(frame["date"], format="%m/%d/%Y %I:%M:%S %p")
    return _tidy_crossings(frame, "BTS 2018 file")


def _bts_2020_2021(raw: _Raw) -> pd.DataFrame:
    """The header-less BTS 2020-2021 extract (US-Mexico rows) with port coordinates."""
    columns = [*_BTS_COLUMNS, "latitude", "longitude", "point"]
    frame = raw.csv(
        "border_crossings/bts_border_crossing_entry_2020_2021_with_coords_us_mexico_noheader.csv",
        header=None,
        names=columns,
    )
    frame["month"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame


def build_border_crossings_2020_2021(raw: _Raw) -> pd.DataFrame:
    """BTS inbound crossings at US-Mexico ports, monthly, 2020-2021 (stray other years dropped)."""
    frame = _bts_2020_2021(raw)
    frame = frame[frame["month"].dt.year.isin([2020, 2021])]
    return _tidy_crossings(frame, "BTS 2020-2021 file")


def build_border_ports(raw: _Raw) -> pd.DataFrame:
    """US land ports on the Mexican border with BTS code, name, state and coordinates."""
    frame = _bts_2020_2021(raw)
    frame = frame[frame["border"] == _US_MEXICO].sort_values(["port_code", "month"])
    ports = frame.drop_duplicates("port_code")
    return pd.DataFrame(
        {
            "port_code": ports["port_code"].astype("int64").to_numpy(),
            "port_name": ports["port_name"].astype("str").to_numpy(),
            "state": ports["state"].astype("str").to_numpy(),
            "latitude": ports["latitude"].astype("float64").to_numpy(),
            "longitude": ports["longitude"].astype("float64").to_numpy(),
        }
    )


_SAN_YSIDRO_MISSING_YEAR = 1996


def build_border_crossings_san_ysidro(raw: _Raw) -> pd.DataFrame:
    """Monthly inbound crossings at San Ysidro, 1996-2021; 1996 (all zeros in the file) missing."""
    frame = raw.csv("border_crossings/bts_border_crossing_entry_san_ysidro_1996_2021.csv")
    frame = frame.set_axis(_BTS_COLUMNS, axis=1)
    month = pd.to_datetime(frame["date"], format="%b %Y")
    value = frame["value"].astype("Int64").mask(month.dt.year == _SAN_YSIDRO_MISSING_YEAR)
    tidy = pd.DataFrame(
        {"measure": frame["measure"].astype("str"), "month": month, "value": value}
    ).sort_values(["month", "measure"])
    tidy["month"] = tidy["month"].dt.strftime("%Y-%m-%d")
    if tidy.duplicated(["measure", "month"]).any():
        raise RawDataError("San Ysidro file: repeated measure and month")
    return tidy.reset_index(drop=True)


# --- Border Patrol -----------------------------------------------------------------------

_SWB_TOTAL = "southwest border"
SWB_TOTAL_LABEL = "Southwest border (all sectors)"


def build_usbp_southwest_apprehensions(raw: _Raw) -> pd.DataFrame:
    """USBP apprehensions per southwest-border sector and in total, FY1960-FY2019."""
    frame = raw.csv("border_apprehensions/usbp_southwest_border_apprehensions_1960_2019.csv")
    _require_columns(frame, ["sector", "fiscal_year", "total_apprehensions"], "USBP SW file")
    is_total = frame["sector"] == _SWB_TOTAL
    totals = frame[is_total].set_index("fiscal_year")["total_apprehensions"]
    sums = frame[~is_total].groupby("fiscal_year")["total_apprehensions"].sum()
    if not sums.sort_index().equals(totals.sort_index()):
        raise RawDataError("USBP SW file: sector apprehensions do not add up to the total")
    sector = frame["sector"].str.title().where(~is_total, SWB_TOTAL_LABEL)
    tidy = pd.DataFrame(
        {
            "fiscal_year": frame["fiscal_year"].astype("int64"),
            "sector": sector.astype("str"),
            "apprehensions": frame["total_apprehensions"].astype("int64"),
            "is_total": is_total,
        }
    )
    return tidy.sort_values(["fiscal_year", "is_total", "sector"]).reset_index(drop=True)


_OHSS_CITIZENSHIPS = ("Mexico", "Guatemala", "Honduras", "El Salvador")
_OHSS_OTHER = "All other countries"
_USBP_OTHER = "Other than Mexico"
_OHSS_PARTIAL_FY = 2025


def build_usbp_encounters_by_citizenship(raw: _Raw) -> pd.DataFrame:
    """Southwest-border USBP counts by citizenship: two series that must not be spliced."""
    usbp = raw.csv("border_apprehensions/usbp_other_than_mexico_apprehensions_2000_2019.csv")
    usbp = usbp[usbp["sector"] == _SWB_TOTAL]
    old = pd.concat(
        [
            pd.DataFrame(
                {"fiscal_year": usbp["fiscal_year"], "citizenship": label, "count": usbp[column]}
            )
            for label, column in [
                ("Mexico", "mexican_apprehensions"),
                (_USBP_OTHER, "other_than_mexican_apprehensions"),
            ]
        ]
    )
    old["series"] = "usbp_apprehensions"
    ohss = raw.csv(
        "border_apprehensions/ohss_khsm_usbp_encounters_fy2000_fy2025m11_annual_rgn_and_citp.csv"
    )
    ohss = ohss.set_axis(["fiscal_year", "region", "citizenship", "count"], axis=1)
    ohss = ohss[ohss["region"] == "Southwest Land Border"]
    grouped = ohss["citizenship"].where(ohss["citizenship"].isin(_OHSS_CITIZENSHIPS), _OHSS_OTHER)
    new = ohss.groupby(["fiscal_year", grouped])["count"].sum().reset_index()
    new["series"] = "ohss_encounters"
    tidy = pd.concat([old, new], ignore_index=True)
    order = [*_OHSS_CITIZENSHIPS, _USBP_OTHER, _OHSS_OTHER]
    tidy["citizenship"] = pd.Categorical(tidy["citizenship"], categories=order)
    tidy = tidy.sort_values(["series", "fiscal_year", "citizenship"])
    return pd.DataFrame(
        {
            "fiscal_year": tidy["fiscal_year"].astype("int64").to_numpy(),
            "series": tidy["series"].astype("str").to_numpy(),
            "citizenship": tidy["citizenship"].astype("str").to_numpy(),
            "count": tidy["count"].astype("int64").to_numpy(),
            "partial": (tidy["fiscal_year"] == _OHSS_PARTIAL_FY).to_numpy(),
        }
    )


# --- population, remittances, security ---------------------------------------------------


def build_unauthorized_population(raw: _Raw) -> pd.DataFrame:
    """DHS national estimates and Pew Mexico/other estimates of the unauthorized population."""
    dhs = raw.csv("immigrant_population/dhs_unauthorized_population_estimates_1990_2022.csv")
    pew = raw.csv("immigrant_population/pew_unauthorized_mexico_vs_other_1990_2014_TRANSCRIBED.csv")
    parts = [
        pd.DataFrame(
            {
                "year": dhs["year"],
                "source": "DHS",
                "origin": "All countries",
                "millions": dhs["unauthorized_millions"],
                "reference": dhs["source_report"],
            }
        )
    ]
    pew_reference = "Pew Research Center (2015), U.S. foreign-born population trends, chapter 5"
    for origin, column in [
        ("Mexico", "unauthorized_from_mexico_millions"),
        ("Other countries", "unauthorized_from_other_countries_millions"),
    ]:
        parts.append(
            pd.DataFrame(
                {
                    "year": pew["year"],
                    "source": "Pew",
                    "origin": origin,
                    "millions": pew[column],
                    "reference": pew_reference,
                }
            )
        )
    tidy = pd.concat(parts, ignore_index=True).sort_values(["source", "year", "origin"])
    return pd.DataFrame(
        {
            "year": tidy["year"].astype("int64").to_numpy(),
            "source": tidy["source"].astype("str").to_numpy(),
            "origin": tidy["origin"].astype("str").to_numpy(),
            "unauthorized_millions": tidy["millions"].astype("float64").to_numpy(),
            "transcribed": True,
            "reference": tidy["reference"].astype("str").to_numpy(),
        }
    )


_INFLOWS = "Ingresos"


def build_remittances_annual(raw: _Raw) -> pd.DataFrame:
    """Remittance inflows to Mexico per calendar year (Banxico), millions of USD."""
    monthly = raw.csv("remittances/banxico_remesas_mensuales.csv")
    monthly = monthly[monthly["FLUJO"] == _INFLOWS]
    year = monthly["PERIODO"].str[:4].astype("int64").rename("year")
    annual = monthly.groupby(year).agg(
        value=("VALOR_USD", "sum"), operations=("OPERACIONES", "sum"), months=("VALOR_USD", "size")
    )
    return pd.DataFrame(
        {
            "year": annual.index.to_numpy(),
            "inflows": (annual["value"] / 1e6).round(1).to_numpy(),
            "operations": annual["operations"].astype("int64").to_numpy(),
            "months": annual["months"].astype("int64").to_numpy(),
            "partial": (annual["months"] < 12).to_numpy(),
        }
    )


def build_remittances_by_us_state(raw: _Raw) -> pd.DataFrame:
    """Remittances to Mexico by US state of origin for the latest year with four quarters."""
    quarterly = raw.csv("remittances/banxico_remesas_usa.csv")
    quarterly["year"] = quarterly["PERIODO"].str[:4].astype("int64")
    quarters = quarterly.groupby("year")["PERIODO"].nunique()
    year = int(quarters[quarters == 4].index.max())
    latest = quarterly[quarterly["year"] == year]
    by_state = latest.groupby(["ID_ESTADO", "ESTADO"])["VALOR_USD"].sum().reset_index()
    return pd.DataFrame(
        {
            "year": year,
            "state_code": by_state["ID_ESTADO"].astype("str"),
            "state": by_state["ESTADO"].astype("str"),
            "inflows": (by_state["VALOR_USD"] / 1e6).round(1),
        }
    )


_HOMICIDES_LAST_YEAR = 2017
_SESNSP_NEW = "sesnsp_nm_victims_homicidio_doloso_plus_feminicidio"
_SESNSP_OLD = "sesnsp_vm_victims_homicidio_doloso"


def build_mexico_homicides(raw: _Raw) -> pd.DataFrame:
    """Homicides in Mexico: INEGI death records and SESNSP victim counts, 1990-2017."""
    frame = raw.csv("homicides_drugs/inegi_sesnsp_homicides_mexico_1990_2017.csv")
    frame = frame[frame["year"] <= _HOMICIDES_LAST_YEAR]
    return pd.DataFrame(
        {
            "year": frame["year"].astype("int64"),
            "population": frame["population"].astype("int64"),
            "homicides_inegi": frame["homicides_inegi"].astype("Int64"),
            "victims_sesnsp": frame[_SESNSP_NEW].astype("Int64"),
            "victims_sesnsp_old_method": frame[_SESNSP_OLD].astype("Int64"),
        }
    ).reset_index(drop=True)


_CDC_FILES = {
    "T40.1": ("Heroin", "cdc_wonder_mcd_T40.1_nationwide_by_sex_2013_2020.txt"),
    "T40.2": (
        "Natural and semi-synthetic opioids",
        "cdc_wonder_mcd_T40.2_nationwide_by_sex_2013_2020.txt",
    ),
    "T40.4": (
        "Synthetic opioids other than methadone (mainly fentanyl)",
        "cdc_wonder_mcd_T40.4_nationwide_by_sex_2013_2020.txt",
    ),
    "T43.6": (
        "Psychostimulants with abuse potential (mainly methamphetamine)",
        "cdc_wonder_mcd_T43.6_nationwide_by_sex_2013_2020.txt",
    ),
}


def _cdc_year_totals(path: Path) -> pd.DataFrame:
    """The per-year Total rows (both sexes) of a CDC WONDER export."""
    frame = pd.read_csv(path, sep="\t", dtype="str", keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    _require_columns(frame, ["Notes", "Year", "Gender", "Deaths", "Population"], path.name)
    totals = frame[(frame["Notes"].str.strip() == "Total") & (frame["Year"].str.strip() != "")]
    totals = totals[totals["Gender"].str.strip() == ""]
    return pd.DataFrame(
        {
            "year": totals["Year"].str.strip().astype("int64"),
            "deaths": totals["Deaths"].str.strip().astype("int64"),
            "population": totals["Population"].str.strip().astype("int64"),
        }
    )


def build_us_overdose_deaths(raw: _Raw) -> pd.DataFrame:
    """US drug-induced deaths by drug category (multiple cause), 2013-2020, CDC WONDER."""
    parts = []
    for code, (label, filename) in _CDC_FILES.items():
        totals = _cdc_year_totals(raw.path(f"homicides_drugs/{filename}"))
        totals.insert(1, "icd10_code", code)
        totals.insert(2, "drug", label)
        parts.append(totals)
    tidy = pd.concat(parts, ignore_index=True).sort_values(["year", "icd10_code"])
    return tidy.reset_index(drop=True)


# --- prices ------------------------------------------------------------------------------

_CPI_MONTHLY = "cpi/bls_cpi_u_cuur0000sa0_monthly_1913_2026may.csv"
_CPI_PUBLISHED = "cpi/bls_cpiai_1913_2013_annual_averages_2014-02-20.txt"
# The first year of the course's dollar tables (us_mexico_trade_annual starts in 1985).
_CPI_FIRST_YEAR = 1985
# BLS prints CPI-U indexes and annual averages to one decimal before 2007, three from 2007
# (visible in the cpiai.txt table).
_CPI_THREE_DECIMALS_FROM = 2007


def _round_half_up(value: Decimal, decimals: int) -> float:
    """`value` rounded half away from zero to `decimals` places, as BLS rounds."""
    return float(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _bls_cpiai_table(path: Path) -> dict[int, tuple[list[Decimal], Decimal]]:
    """Year -> (the 12 monthly indexes, the published annual average) of BLS's cpiai.txt."""
    table = {}
    for line in path.read_text(encoding="ascii").splitlines():
        fields = line.split()
        if len(fields) >= 14 and len(fields[0]) == 4 and fields[0].isdigit():
            table[int(fields[0])] = ([Decimal(v) for v in fields[1:13]], Decimal(fields[13]))
    if not table:
        raise RawDataError(f"{path.name}: no year rows found")
    return table


def build_us_cpi_annual(raw: _Raw) -> pd.DataFrame:
    """CPI-U annual averages (BLS series CUUR0000SA0), each the mean of the year's 12 months.

    Covers every year from 1985 to the last year with all 12 monthly values, rounded as BLS
    publishes; each year is checked against the annual average BLS printed, where it did.
    """
    monthly = raw.csv(_CPI_MONTHLY, usecols=["Date", "Index"], dtype="str")
    monthly["year"] = monthly["Date"].str[:4].astype("int64")
    monthly = monthly[monthly["year"] >= _CPI_FIRST_YEAR]
    by_year = monthly.groupby("year")["Index"].apply(lambda v: [Decimal(x) for x in v])
    complete = by_year[by_year.map(len) == 12]
    years = list(range(_CPI_FIRST_YEAR, int(complete.index.max()) + 1))
    gaps = [year for year in years if year not in complete.index]
    if gaps:
        raise RawDataError(f"{_CPI_MONTHLY}: years {gaps} lack some of their 12 monthly values")
    averages = {
        year: _round_half_up(
            sum(complete[year], Decimal(0)) / 12, 3 if year >= _CPI_THREE_DECIMALS_FROM else 1
        )
        for year in years
    }
    published = _bls_cpiai_table(raw.path(_CPI_PUBLISHED))
    for year in sorted(set(years) & set(published)):
        months, average = published[year]
        if months != complete[year] or averages[year] != float(average):
            raise RawDataError(
                f"CPI-U {year}: the monthly file gives an annual average of {averages[year]}, "
                f"BLS's cpiai.txt prints {average} (or their monthly values differ)"
            )
    return pd.DataFrame({"year": years, "cpi_u": [averages[year] for year in years]})


BUILDERS: dict[str, Callable[[_Raw], pd.DataFrame]] = {
    "us_mexico_trade_annual": build_us_mexico_trade_annual,
    "us_export_markets_annual": build_us_export_markets_annual,
    "mexico_exports_us_share": build_mexico_exports_us_share,
    "border_crossings_2018": build_border_crossings_2018,
    "border_crossings_2020_2021": build_border_crossings_2020_2021,
    "border_ports": build_border_ports,
    "border_crossings_san_ysidro": build_border_crossings_san_ysidro,
    "usbp_southwest_apprehensions": build_usbp_southwest_apprehensions,
    "usbp_encounters_by_citizenship": build_usbp_encounters_by_citizenship,
    "unauthorized_population": build_unauthorized_population,
    "remittances_annual": build_remittances_annual,
    "remittances_by_us_state": build_remittances_by_us_state,
    "mexico_homicides": build_mexico_homicides,
    "us_overdose_deaths": build_us_overdose_deaths,
    "us_cpi_annual": build_us_cpi_annual,
}


# --- writing ---------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    """The Frictionless `hash` value of a file: "sha256:" and the hex digest."""
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as UTF-8 CSV with LF line ends, no index and booleans as true/false."""
    frame = frame.copy()
    for column in frame.columns[frame.dtypes == "bool"]:
        frame[column] = frame[column].map({True: "true", False: "false"})
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _check_schema(name: str, frame: pd.DataFrame, resource: dict[str, Any]) -> None:
    """Raise RawDataError when the built columns differ from the declared fields."""
    declared = [field["name"] for field in resource["schema"]["fields"]]
    if list(frame.columns) != declared:
        raise RawDataError(f"{name}: built columns {list(frame.columns)} != schema {declared}")


def rebuild(raw_dir: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """Regenerate every derived table from `raw_dir` (default: the repository's data-raw/)
    into `out_dir` (default: the package's data/).

    Every file listed in the raw folder's manifest is checked against its SHA-256 first.
    Hand-curated tables (those with no builder) are copied from the package's data/ when
    `out_dir` is elsewhere. datapackage.json is rewritten with fresh `bytes` and `hash`.
    Returns the paths written.
    """
    if raw_dir is None:
        raw_dir = default_raw_dir()
        if raw_dir is None:
            raise RawFileMissingError(
                "no data-raw/ folder: run the rebuild in a repository checkout or pass --raw DIR"
            )
    manifest = Manifest(Path(raw_dir))
    manifest.verify_all()
    source_dir = data_dir()
    out_dir = source_dir if out_dir is None else Path(out_dir)
    descriptor_path = source_dir / DESCRIPTOR
    if not descriptor_path.is_file():
        raise RawFileMissingError(f"package descriptor not found: {descriptor_path}")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    unknown = sorted(set(BUILDERS) - {r["name"] for r in descriptor["resources"]})
    if unknown:
        raise RawDataError(f"{DESCRIPTOR} has no resource for built tables {unknown}")
    raw = _Raw(manifest)
    built = {name: builder(raw) for name, builder in BUILDERS.items()}
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        target = out_dir / resource["path"]
        if name in built:
            _check_schema(name, built[name], resource)
            _write_csv(built[name], target)
        elif target.resolve() != (source_dir / resource["path"]).resolve():
            shutil.copyfile(source_dir / resource["path"], target)
        resource["bytes"] = target.stat().st_size
        resource["hash"] = sha256_of(target)
        written.append(target)
    target = out_dir / DESCRIPTOR
    target.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(target)
    return written
