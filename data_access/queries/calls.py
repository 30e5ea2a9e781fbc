"""Calls to the contact centre as counts: offered (asked for an operator), answered, abandoned,
summed by the rollup engine from the contact aggregates, scope applied."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from data_access.aggregates import CONTACTS
from data_access.filters import Filters
from data_access.periods import Period
from data_access.queries.engine import BY_CHOICES, ask_for
from data_access.queries.rollup import rolled_up, summed_measures
from data_access.queries.store import latest_day
from data_access.scope import Scope

COUNTS = ("offered", "answered", "abandoned", "other")
MEASURE_OF = {"offered": "queued", "answered": "answered", "abandoned": "abandoned"}


def call_counts(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    by: Sequence[str] = ("bucket",),
    period: Period | None = None,
) -> pd.DataFrame:
    """Calls per bucket and/or province: offered, answered, abandoned and other (offered but
    neither answered nor abandoned, e.g. cut off by the line), as integers.

    Buckets at filters.grain, province as sigla; the view's filters and scope apply as in
    kpi_series. period defaults to filters.resolve(latest_day(engine)). Rows without any call
    offered are left out; no data gives an empty frame.
    """
    keys = tuple(by)
    if keys not in BY_CHOICES:
        raise ValueError(f"by must be one of {BY_CHOICES}, not {keys}")
    latest = latest_day(engine) if period is None else None
    period = period or filters.resolve(latest)
    empty = pd.DataFrame({column: [] for column in (*keys, *COUNTS)})
    if period is None:
        return empty
    with engine.connect() as connection:
        ask = ask_for(connection, filters, scope, keys, period, latest)
        sums = summed_measures(ask, CONTACTS, dict.fromkeys(MEASURE_OF.values()))
        rolled = rolled_up(ask, sums, list(MEASURE_OF.values()))
    offered = rolled["queued"]
    keep = offered > 0
    columns: dict[str, np.ndarray] = {key: rolled[key][keep] for key in keys}
    for name, measure in MEASURE_OF.items():
        columns[name] = rolled[measure][keep].round().astype(np.int64)
    columns["other"] = columns["offered"] - columns["answered"] - columns["abandoned"]
    if not keep.any():
        return empty
    return pd.DataFrame(columns)
