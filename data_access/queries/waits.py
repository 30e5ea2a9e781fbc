"""The contact centre's waits and hours: the share of answered calls answered within 20, 60, 120,
180 and 240 seconds (wait bands), and demand and answer rate by weekday × hour.

Both take `engine`, `filters` and `scope` like kpi_series; the scope is resolved the same way
and every statement is parameterised. Wait bands read the contact aggregates through the rollup
engine; the weekday × hour grid reads contact_hourly (months × province × channel).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, literal, select
from sqlalchemy.engine import Connection, Engine

from data_access.aggregates import CONTACTS
from data_access.dimensions import ATTRS
from data_access.filters import Filters
from data_access.hourly import HOURLY
from data_access.periods import Period
from data_access.queries.engine import ask_for, visible_province_codes
from data_access.queries.rollup import summed_measures
from data_access.queries.store import latest_day_on
from data_access.scope import Scope

BANDS = (20, 60, 120, 180, 240)  # seconds
# the measure counting the banded calls answered within each band (20 s: banded_20s, which
# leaves out the calls of reports without bands, unlike answered_20s)
BAND_MEASURES = {20: "banded_20s"} | {s: f"answered_{s}s" for s in BANDS[1:]}
WAIT_BY: tuple[tuple[str, ...], ...] = (("bucket",), ("province",))
WEEKDAYS = tuple(range(1, 8))  # ISO: 1 = Monday
HOURS = tuple(range(24))
# the view's dimensions the weekday × hour table carries (it has no area, segment or topic)
HOURLY_HONOURS = frozenset({"provinces", "channels"})


def band_column(seconds: int) -> str:
    """The share column of a band in wait_bands' frame, e.g. 'within_60s'."""
    return f"within_{seconds}s"


def wait_bands(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    by: Sequence[str] = ("bucket",),
    period: Period | None = None,
) -> pd.DataFrame:
    """Wait bands per bucket or per province: the key (bucket start at filters.grain, or
    province sigla), answered, banded (answered calls whose bands are known) and within_20s ...
    within_240s, each the percentage of the banded calls (NaN where banded is 0: no band data).

    period defaults to filters.resolve(latest day); no data gives an empty frame.
    """
    keys = tuple(by)
    if keys not in WAIT_BY:
        raise ValueError(f"by must be one of {WAIT_BY}, not {keys}")
    names = ["answered", "banded", *BAND_MEASURES.values()]
    with engine.connect() as connection:
        latest = latest_day_on(connection)
        period = period or filters.resolve(latest)
        ask = None if period is None else ask_for(connection, filters, scope, keys, period, latest)
        if ask is None or ask.codes == frozenset():
            return _bands_frame(keys, {k: np.empty(0, dtype=object) for k in keys} | {
                name: np.empty(0) for name in names
            })  # fmt: skip
        sums = summed_measures(ask, CONTACTS, dict.fromkeys(names))
    if keys == ("bucket",) and filters.grain in ("quarter", "year"):  # months rolled up
        frame = pd.DataFrame(sums).groupby("bucket", as_index=False).sum()
        sums = {name: frame[name].to_numpy() for name in frame.columns}
    return _bands_frame(keys, sums)


def _bands_frame(keys: tuple[str, ...], sums: dict[str, np.ndarray]) -> pd.DataFrame:
    """Keys, answered, banded and the share of banded calls within each band, sorted by keys."""
    banded = sums["banded"]
    columns = {k: sums[k] for k in keys}  # one frame of arrays: a frame's column edits cost more
    columns["answered"] = sums["answered"].astype(np.int64)
    columns["banded"] = banded.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        for seconds, measure in BAND_MEASURES.items():
            columns[band_column(seconds)] = np.where(
                banded > 0, sums[measure] / banded * 100, np.nan
            )
    # sorted as arrays (one key, each value once), then one frame: sort_values costs ~0.2 ms
    order = np.argsort(columns[keys[0]], kind="stable")
    return pd.DataFrame({name: column[order] for name, column in columns.items()})


@dataclass(frozen=True)
class HourGrid:
    """Demand and answer rate by weekday × hour over whole months.

    cells: 168 rows (weekday 1-7, Monday first; hour 0-23) with contacts, queued, answered and
    answer_rate (answered ÷ queued × 100, NaN where nothing was queued). months: the first days
    of the first and last month read (None: no period). ignored: the view's dimensions the table
    does not carry (areas, segments, topics): when any, the grid is not applicable (no cells).
    """

    cells: pd.DataFrame
    months: Period | None
    ignored: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        """True when any contact falls in the grid."""
        return bool(len(self.cells)) and int(self.cells["contacts"].sum()) > 0


def hour_grid(
    *, engine: Engine, filters: Filters, scope: Scope, period: Period | None = None
) -> HourGrid:
    """Contacts, queued and answered calls by weekday × hour of the whole months touching the
    period (default: filters.resolve(latest day)), in the scope's provinces and the view's
    channels; event-level contacts only (a contact-centre report has no time of day).
    """
    ignored = tuple(d for d in ATTRS if getattr(filters, d) and d not in HOURLY_HONOURS)
    with engine.connect() as connection:
        period = period or filters.resolve(latest_day_on(connection))
        if period is None:
            return HourGrid(_grid({}), None, ignored)
        months = Period(period.start.replace(day=1), period.end.replace(day=1))
        if ignored:
            return HourGrid(_grid({}).iloc[0:0], months, ignored)
        codes = visible_province_codes(connection, scope.visible(filters.provinces))
        conditions = filters.conditions(
            HOURLY, period=period, province_codes=codes, date_column="month"
        )
        if connection.dialect.name == "sqlite":
            found = _cells_from_index(connection, conditions)
        else:
            c = HOURLY.c
            cell = (c.weekday * len(HOURS) + c.hour).label("cell")
            query = (
                select(cell, func.sum(c.contacts), func.sum(c.queued), func.sum(c.answered))
                .where(*conditions)
                .group_by(cell)
            )
            found = {
                divmod(cell, len(HOURS)): (n, q, a)
                for cell, n, q, a in connection.execute(query).all()
            }
    return HourGrid(_grid(found), months)


def _cells_from_index(
    connection: Connection, conditions: list[Any]
) -> dict[tuple[int, int], tuple[int, int, int]]:
    """On SQLite, each weekday × hour cell summed on its own from ix_contact_hourly_cell (one
    index range per cell, its measures in the index): grouping the period's rows would sort
    them all (~70,000 for a year, ~17 ms against ~7). The three sums of a cell come back as one
    JSON array (SQLite's scalar subquery gives one value); a cell without rows gives nulls.
    """
    c = HOURLY.c
    size = len(HOURS)
    # the cells' keys weekday × 24 + hour, counted up by a recursive CTE (a VALUES list of the
    # 168 pairs costs ~2 ms more: its 336 values are bound and hashed into the cache key)
    counted = select(literal(WEEKDAYS[0] * size).label("cell")).cte("cells", recursive=True)
    last = WEEKDAYS[-1] * size + HOURS[-1]
    cells = counted.union_all(
        select((counted.c.cell + 1).label("cell")).where(counted.c.cell < last)
    )
    weekday, hour = cells.c.cell // size, cells.c.cell % size
    sums = (
        select(func.json_array(func.sum(c.contacts), func.sum(c.queued), func.sum(c.answered)))
        .where(c.weekday == weekday, c.hour == hour, *conditions)
        .scalar_subquery()
    )
    found = {}
    for cell, summed in connection.execute(select(cells.c.cell, sums)):
        n, q, a = json.loads(summed)
        if n is not None:
            found[divmod(cell, size)] = (n, q, a)
    return found


def _grid(found: dict[tuple[int, int], tuple[int, int, int]]) -> pd.DataFrame:
    """All 168 weekday × hour cells, zero where nothing was found."""
    cells = [(w, h, *found.get((w, h), (0, 0, 0))) for w in WEEKDAYS for h in HOURS]
    names = ("weekday", "hour", "contacts", "queued", "answered")
    columns = {
        name: np.array(c, dtype=np.int64)
        for name, c in zip(names, zip(*cells, strict=True), strict=True)
    }
    queued = columns["queued"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        columns["answer_rate"] = np.where(queued > 0, columns["answered"] / queued * 100, np.nan)
    return pd.DataFrame(columns)  # one frame of arrays: a frame's column edits cost more
