"""Fail closed, everywhere: every public function of data_access that takes a Scope, found by
introspection so that a new one cannot escape, gives a one-province person that province's rows
and nothing else, and an empty scope nothing; every public reader without a Scope is
allow-listed with the reason it may be; every cached read of the UI keys on the Scope.

The store is tests/kpi_store.py: Bologna (areas BO and IMOLA) and Ravenna (RA). Each scoped
function is called with arguments built by parameter name from SAMPLES, on three stores built
from it: both provinces, Ravenna's rows only, no rows. Whatever the request asks for, a Ravenna
scope must get on the two-province store exactly what it gets where Bologna has no rows, and
never a Bologna row; an empty scope must get exactly what it gets on a store with no rows.
"""

from __future__ import annotations

import importlib
import inspect
import io
import itertools
import math
import pkgutil
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import kpi_store
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

import data_access
import ui
from data_access import migrate
from data_access.compliance import ARERA_KPIS
from data_access.db import get_engine
from data_access.export.kinds import KINDS, NotAllowed, NotApplicable
from data_access.filters import Filters
from data_access.kpis import KPIS
from data_access.models import Province, table_of
from data_access.periods import Period
from data_access.scope import ADMIN, ANALYST, Scope

# --- what is walked ---------------------------------------------------------------------------


def _modules(package: Any, skip: Callable[[str], bool] = lambda name: False) -> Iterator[Any]:
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not skip(info.name):
            yield importlib.import_module(info.name)


def _not_an_api(module: str) -> bool:
    """Alembic's revisions are scripts, not an API; __main__ would run the command line."""
    return module.endswith("__main__") or ".migrations" in module


def _public_functions() -> dict[str, Callable[..., Any]]:
    """Every public function defined in data_access, by dotted name ('data_access.x.f')."""
    found = {}
    for module in _modules(data_access, _not_an_api):
        for name, value in vars(module).items():
            if (
                not name.startswith("_")
                and inspect.isfunction(value)
                and value.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = value
    return found


PUBLIC = _public_functions()
SCOPED = {name: f for name, f in PUBLIC.items() if "scope" in inspect.signature(f).parameters}


def _reads_the_store(function: Callable[..., Any]) -> bool:
    """True when function takes an engine or a connection (string annotations included)."""
    for parameter in inspect.signature(function).parameters.values():
        annotation = str(parameter.annotation)
        if parameter.name in {"engine", "connection"} or re.search(
            r"\b(Engine|Connection)\b", annotation
        ):
            return True
    return False


# Public functions that take the store but no Scope, each with why it may. Functions that read
# through an Ask (queries.adoption, queries.rollup) get their provinces from it, and only
# queries.engine.ask_for, walked below, builds one from a Scope.
UNSCOPED_READERS = {
    # store-wide facts: dates, names and which KPIs have any data; no row of a province
    "data_access.queries.store.latest_day": "the latest data day, store-wide (relative periods)",
    "data_access.queries.store.latest_day_on": "latest_day on an open connection",
    "data_access.queries.store.first_day": "the first data day, store-wide (the data window)",
    "data_access.queries.store.freshness": "when the last import ran (the cache key's version)",
    "data_access.queries.store.kpis_with_data": "whether any province has a KPI's source data",
    "data_access.queries.store.dimension_names": "names from the reference tables (ISTAT, codes)",
    "data_access.territory.data_years": "the years with data, store-wide (the period menu)",
    "data_access.export.kinds.view_period": "the view's period fitted to the store's data window",
    "data_access.export.provenance.store_version": "the last import batch's id, kind and time",
    "data_access.queries.engine.visible_province_codes": "takes sigle already Scope.visible",
    # reference data: standards and targets, no customer's row
    "data_access.targets.target_for": "a KPI's target or standard (reference data)",
    "data_access.targets.targets_for": "several KPIs' targets (reference data)",
    "data_access.compliance.standards_by_month": "standards in force for provinces given by a "
    "scoped grid (reference data)",
    "data_access.reference.load_reference": "writes the reference tables",
    # the command line, for operators with the store's URL: not a page
    "data_access.cli.row_counts": "the command line's row count per table (operators)",
    "data_access.cli.store_is_empty": "the command line's check before building the demo",
    # the audit: who opened and exported what; no customer's row
    "data_access.audit.read": "the audit's rows, for operators (python -m data_access audit)",
    "data_access.audit.record_sign_in": "writes the audit (writer)",
    "data_access.audit.record_page": "writes the audit (writer)",
    "data_access.audit.record_export": "writes the audit (writer)",
    # writers: aggregates, bulk inserts, imports, migrations read only what they write
    "data_access.aggregates.refresh": "recomputes aggregates (writer)",
    "data_access.aggregates.refresh_contacts": "recomputes aggregates (writer)",
    "data_access.aggregates.refresh_surveys": "recomputes aggregates (writer)",
    "data_access.aggregates.add": "adds an import's sums to the aggregates (writer)",
    "data_access.hourly.refresh_hourly": "recomputes the weekday × hour table (writer)",
    "data_access.hourly.add_hourly": "adds an import's contacts to it (writer)",
    "data_access.bulk.insert_rows": "bulk insert (writer)",
    "data_access.bulk.insert_columns": "bulk insert (writer)",
    "data_access.bulk.add_columns": "bulk upsert of sums (writer)",
    "data_access.importing.increments.add_written": "an import's aggregates (writer)",
    "data_access.importing.load.ids_by_source": "an import's upsert lookup of its own ids",
    "data_access.importing.load.plan_upserts": "an import's upsert plan for its own rows",
    "data_access.importing.load.start_batch": "writes an import batch",
    "data_access.importing.load.finish_batch": "writes an import batch's counts",
    "data_access.importing.load.write_rows": "writes an import's rows",
    "data_access.importing.load.write_upserts": "writes an import's upserts",
    "data_access.importing.load.csat_surveys": "an import's survey scales",
    "data_access.importing.pipeline.load_codes": "the reference codes an import checks against",
    "data_access.importing.pipeline.import_file": "the import itself (writer)",
    "data_access.migrate.alembic_config": "schema migrations",
    "data_access.migrate.upgrade": "schema migrations",
    "data_access.migrate.prepare": "schema migrations and reference data",
}

# Scoped functions that return no rows: a refusal, words or the question a query asks; the
# walk still calls them, and checks an Ask's province codes directly (_leaks).
NOT_ROW_READERS = {
    "data_access.export.kinds.check_allowed": "raises NotAllowed or returns None",
    "data_access.export.provenance.scope_sentence": "the scope in words, no store",
    "data_access.export.provenance.provenance_for": "the view, person and store version",
    "data_access.queries.engine.ask_for": "the question (its codes are checked)",
    "data_access.queries.engine.asking": "the question (its codes are checked)",
}

# --- how arguments are built ------------------------------------------------------------------

FEBRUARY = Period(date(2025, 2, 1), date(2025, 2, 28))
JANUARY = Period(date(2025, 1, 1), date(2025, 1, 31))
BOTH_MONTHS = Period(date(2025, 1, 1), date(2025, 2, 28))
NOW = datetime(2025, 3, 2, 8, 0, tzinfo=UTC)

# sample values by parameter name; a function is called with each combination
SAMPLES: dict[str, tuple[Any, ...]] = {
    "kpi": tuple(KPIS),
    "kpis": (tuple(KPIS),),
    "kind": KINDS,
    "period": (BOTH_MONTHS,),
    "window": (BOTH_MONTHS,),
    "compared": (JANUARY,),
    "threshold": (50.0,),
    "keys": (("bucket", "province"),),
    "shapes": ((("bucket", "province"), ("province",)),),
    "fmt": ("csv",),
    "now": (NOW,),
}
# where a function needs other values than the table's: compliance is of ARERA's KPIs, and
# movements show only with data in the comparison period (January)
NARROWER = {
    "data_access.compliance.compliance_grid": {"kpi": ARERA_KPIS},
    "data_access.movements.largest_movements": {"period": (FEBRUARY,)},
}
# built for each call: the store, an open connection on it, the file written, the view, the scope
PER_CALL = {"engine", "connection", "out", "filters", "scope"}

RAVENNA = (Scope.of("ra@x", ["RA"]), Scope.of("ra-analyst@x", ["RA"], role=ANALYST))
EMPTY = (
    Scope(user=""),
    Scope(user="", everywhere=True, role=ADMIN),
    Scope.of("nobody@x", [], role=ANALYST),
    Scope.of("lost@x", ["ZZ"], role=ANALYST),
)
EVERYONE = Scope.all_provinces("ceo@x", role=ANALYST)
PLAIN = Filters(compare="previous")
# what a Ravenna person's view may ask for: never more than Ravenna
REQUESTS = (
    PLAIN,
    Filters(compare="previous", provinces=("BO",)),
    Filters(compare="previous", provinces=("BO", "RA")),
    Filters(compare="previous", areas=("BO", "IMOLA")),
)
OUTSIDE = {"BO", "IMOLA"}  # Bologna's sigla and areas


def _samples(name: str) -> list[dict[str, Any]]:
    """Every combination of sample arguments of the function called name; pytest.fail naming
    it and the parameter when a required one cannot be built."""
    narrower = NARROWER.get(name, {})
    choices: dict[str, tuple[Any, ...]] = {}
    for parameter in inspect.signature(SCOPED[name]).parameters.values():
        if parameter.name in PER_CALL:
            continue
        if parameter.name in narrower or parameter.name in SAMPLES:
            choices[parameter.name] = narrower.get(parameter.name) or SAMPLES[parameter.name]
        elif parameter.default is inspect.Parameter.empty:
            pytest.fail(f"{name}: no sample value for its parameter {parameter.name!r}: add one")
    return [
        dict(zip(choices, values, strict=True)) for values in itertools.product(*choices.values())
    ]


# --- calling and comparing --------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """value as plain, comparable data: frames as columns and rows, dataclasses as dicts,
    NaN as 'nan', dates as ISO text; an open connection as a placeholder."""
    if isinstance(value, pd.DataFrame):
        rows = [[_plain(cell) for cell in row] for row in value.itertuples(index=False)]
        return {"__frame__": [str(c) for c in value.columns], "rows": rows}
    if isinstance(value, Connection):
        return "<connection>"
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_plain(item) for item in value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float):
        return "nan" if math.isnan(value) else round(value, 9)
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if value is pd.NaT:
        return "nat"
    return value


def _outcome(name: str, store: Engine, scope: Scope, filters: Filters, sample: dict) -> Any:
    """What the function called name gives: its result and the file it wrote, as plain data;
    a refusal (NotAllowed, NotApplicable) as its class name."""
    function = SCOPED[name]
    with store.connect() as connection:
        out = io.BytesIO()
        built = {"engine": store, "connection": connection, "out": out, "filters": filters}
        arguments = {"scope": scope, **sample}
        for parameter in inspect.signature(function).parameters:
            if parameter in built:
                arguments[parameter] = built[parameter]
        try:
            result = function(**arguments)
            if hasattr(result, "__enter__"):  # a context manager (asking): what it yields
                with result as entered:
                    return {"result": _plain(entered)}
        except (NotAllowed, NotApplicable) as refused:
            return {"refused": type(refused).__name__}
        return {"result": _plain(result), "file": out.getvalue().decode("utf-8")}


def _leaks(plain: Any, ravenna_code: str) -> list[str]:
    """What in a plain outcome belongs to Bologna: frame cells under a province, sigla or area
    column, a Movement's province, an Ask's codes beyond Ravenna's (or none: no limit), rows
    of a CSV file."""
    found: list[str] = []
    if isinstance(plain, dict) and "__frame__" in plain:
        for index, column in enumerate(plain["__frame__"]):
            if column in {"province", "sigla", "area"}:
                found += [
                    f"{column}={row[index]}" for row in plain["rows"] if row[index] in OUTSIDE
                ]
    elif isinstance(plain, dict):
        if "codes" in plain and (plain["codes"] is None or set(plain["codes"]) - {ravenna_code}):
            found.append(f"codes={plain['codes']}")
        if plain.get("province") in OUTSIDE:
            found.append(f"province={plain['province']}")
        if plain.get("file"):
            csv = pd.read_csv(io.StringIO(plain["file"]), comment="#", dtype=str)
            found += _leaks(_plain(csv), ravenna_code)
        for key, item in plain.items():
            if key != "file":
                found += _leaks(item, ravenna_code)
    elif isinstance(plain, list):
        for item in plain:
            found += _leaks(item, ravenna_code)
    return found


# --- stores -----------------------------------------------------------------------------------


def _store(folder: Path, areas: tuple[str, ...] | None) -> Engine:
    folder.mkdir()
    store = get_engine(f"sqlite:///{folder / 'ascolto.db'}")
    migrate.prepare(store)
    return kpi_store.build(store, areas=areas)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    """Both provinces, Ravenna's rows only, no rows: kpi_store three times."""
    root = tmp_path_factory.mktemp("scope")
    built = {
        "both": _store(root / "both", None),
        "ravenna": _store(root / "ravenna", ("RA",)),
        "none": _store(root / "none", ()),
    }
    yield built
    for store in built.values():
        store.dispose()


@pytest.fixture(scope="module")
def ravenna_code(stores: dict[str, Engine]) -> str:
    province = table_of(Province).c
    with stores["both"].connect() as connection:
        return connection.execute(select(province.code).where(province.sigla == "RA")).scalar_one()


# --- the walk ---------------------------------------------------------------------------------


def test_the_walk_finds_the_queries_and_exports() -> None:
    short = {name.rsplit(".", 1)[1] for name in SCOPED}
    assert short >= {
        "kpi_series", "kpi_series_many", "kpi_value", "kpi_values", "kpi_board", "call_counts",
        "adoption_by_channel", "first_reaching", "topic_series", "topic_summary", "wait_bands",
        "hour_grid", "compliance_grid", "largest_movements", "visible_territory", "count_rows",
        "preview", "export",
    }  # fmt: skip


def test_every_reader_without_a_scope_is_allow_listed_with_a_reason() -> None:
    readers = {name for name, f in PUBLIC.items() if name not in SCOPED and _reads_the_store(f)}
    assert sorted(readers - set(UNSCOPED_READERS)) == []
    assert sorted(set(UNSCOPED_READERS) - readers) == []  # no stale entries
    assert all(reason.strip() for reason in UNSCOPED_READERS.values())


@pytest.mark.parametrize("name", sorted(SCOPED))
def test_a_one_province_scope_sees_that_province_whatever_it_asks(
    name: str, stores: dict[str, Engine], ravenna_code: str
) -> None:
    for sample, scope, request in itertools.product(_samples(name), RAVENNA, REQUESTS):
        got = _outcome(name, stores["both"], scope, request, sample)
        call = f"{name}({sample}, scope={scope.user}, provinces={request.provinces}, "
        call += f"areas={request.areas})"
        assert _leaks(got, ravenna_code) == [], call
        assert got == _outcome(name, stores["ravenna"], scope, request, sample), call


@pytest.mark.parametrize("name", sorted(SCOPED))
def test_an_empty_scope_sees_nothing(name: str, stores: dict[str, Engine]) -> None:
    """Nothing: what a store without rows gives. A function that returns no rows (the export's
    provenance names the store's latest day) gives what it gives without Bologna's rows."""
    bare = stores["ravenna" if name in NOT_ROW_READERS else "none"]
    for sample, scope, request in itertools.product(_samples(name), EMPTY, REQUESTS[:2]):
        got = _outcome(name, stores["both"], scope, request, sample)
        call = f"{name}({sample}, scope={scope}, provinces={request.provinces})"
        assert got == _outcome(name, bare, scope, request, sample), call


@pytest.mark.parametrize("name", sorted(set(SCOPED) - set(NOT_ROW_READERS)))
def test_the_walk_reaches_rows_of_both_provinces(name: str, stores: dict[str, Engine]) -> None:
    """The two checks above mean something: somewhere, a person who sees everything gets
    Bologna's rows, and the Ravenna person gets rows."""
    samples = _samples(name)
    sees_bologna = any(
        _outcome(name, stores["both"], EVERYONE, PLAIN, sample)
        != _outcome(name, stores["ravenna"], EVERYONE, PLAIN, sample)
        for sample in samples
    )
    sees_ravenna = any(
        _outcome(name, stores["ravenna"], RAVENNA[1], PLAIN, sample)
        != _outcome(name, stores["none"], RAVENNA[1], PLAIN, sample)
        for sample in samples
    )
    assert (sees_bologna, sees_ravenna) == (True, True)


def test_not_row_readers_are_scoped_functions() -> None:
    assert sorted(set(NOT_ROW_READERS) - set(SCOPED)) == []


# --- the UI's caches --------------------------------------------------------------------------


def _cached_functions() -> dict[str, Callable[..., Any]]:
    """The functions under st.cache_data in ui's modules, by dotted name (the wrapped one)."""
    found = {}
    for module in _modules(ui):
        for name, value in vars(module).items():
            wrapped = getattr(value, "__wrapped__", None)
            if type(value).__name__ == "CachedFunc" and inspect.isfunction(wrapped):
                found[f"{module.__name__}.{name}"] = wrapped
    return found


CACHED = _cached_functions()
SCOPED_NAMES = {name.rsplit(".", 1)[1] for name in SCOPED}
UNSCOPED_NAMES = {name.rsplit(".", 1)[1] for name in UNSCOPED_READERS}


def test_the_ui_caches_are_found() -> None:
    assert {"ui.data._kpi_board", "ui.waiting._hours", "ui.export_data._count"} <= set(CACHED)


@pytest.mark.parametrize("name", sorted(CACHED))
def test_a_cached_read_of_scoped_data_keys_on_the_scope(name: str) -> None:
    """st.cache_data keys on every argument but those named _x: a read reaching a scoped
    function takes the Scope under a hashed name; any other calls only allow-listed readers."""
    function = CACHED[name]
    parameters = inspect.signature(function).parameters.values()
    called = set(function.__code__.co_names)
    assert [p.name for p in parameters if p.name.startswith("_")] == []
    if called & SCOPED_NAMES:
        assert [p.name for p in parameters if "Scope" in str(p.annotation)] == ["scope"]
    else:
        assert called & UNSCOPED_NAMES, f"{name} reads neither scoped nor allow-listed functions"
