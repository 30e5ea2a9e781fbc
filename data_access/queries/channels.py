"""Channel figures for the Canali page: every channel's adoption, the channel mix as shares, and
the month each province first reached an adoption mark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from data_access.filters import Filters
from data_access.i18n import read_at_least
from data_access.kpis import KPIS
from data_access.movements import Movement, movements_between
from data_access.periods import Period
from data_access.queries import adoption
from data_access.queries.engine import asking, kpi_series
from data_access.queries.rollup import KEY_ORDER, distinct_groups
from data_access.queries.store import latest_day
from data_access.scope import Scope

ADOPTION_KEYS = frozenset({"bucket", "province", "area", "segment", "channel"})


def adoption_by_channel(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    by: Sequence[str] = ("bucket", "channel"),
    period: Period | None = None,
) -> pd.DataFrame:
    """Every channel's adoption as the adoption KPIs compute it (customers registered on, or
    else who used, the channel ÷ customers of the same month × 100, at each bucket's last
    month): the keys of by (which holds "channel"), value and n (the customers).

    The filters' channels narrow the channels shown; a topic filter gives no rows (adoption
    carries no topic). period defaults to filters.resolve(latest_day(engine)).
    """
    keys = tuple(by)
    if "channel" not in keys or not set(keys) <= ADOPTION_KEYS:
        raise ValueError(f"by must hold 'channel' and only keys of {sorted(ADOPTION_KEYS)}")
    if keys != tuple(key for key in KEY_ORDER if key in keys):
        raise ValueError(f"by must follow the order of {KEY_ORDER}: {keys}")
    period = period or filters.resolve(latest_day(engine))
    empty = pd.DataFrame({name: [] for name in (*keys, "value", "n")})
    if period is None or filters.topics:
        return empty
    others = tuple(key for key in keys if key != "channel")
    with asking(engine, filters, scope, others, period) as ask:
        sums = adoption.read_channels(ask, list(filters.channels) or None)
        result = adoption.shares_of(ask, sums)
    if not len(result["value"]):
        return empty
    order = np.lexsort([result[key] for key in reversed(keys)])  # by keys, the first first
    return pd.DataFrame({name: result[name][order] for name in (*keys, "value", "n")})


def with_shares(frame: pd.DataFrame, *, within: Sequence[str] = ("bucket",)) -> pd.DataFrame:
    """frame (e.g. contacts per bucket and channel) with `share`: each row's value as a
    percentage of the sum of values of its `within` group (NaN where that sum is 0 or unknown).
    """
    shared = frame.copy()
    values = np.nan_to_num(shared["value"].to_numpy(dtype="float64"))
    group = np.zeros(len(values), dtype=np.intp)  # without within: one group of every row
    if within:
        keys = {key: shared[key].to_numpy(dtype=object) for key in within}
        _, group = distinct_groups(keys, list(within))
    total = np.bincount(group, weights=values)[group] if len(values) else values
    with np.errstate(divide="ignore", invalid="ignore"):
        shared["share"] = np.where(total > 0, values / total * 100.0, np.nan)
    return shared


def channel_movements(
    *,
    kpis: Sequence[str],
    now: Mapping[str, pd.DataFrame],
    before: Mapping[str, pd.DataFrame],
    limit: int = 5,
) -> list[Movement]:
    """What moved per channel: the movements 'what changed' finds significant (movements.py's
    rules) in per-channel frames, volumes first by the contacts they moved (a shift of 336
    branch visits before +15 chatbot chats, however large the chatbot's relative change),
    then the others by strength; at most limit.
    """
    found = movements_between(kpis=kpis, now=now, before=before, limit=len(kpis) * 100,
                              key="channel")  # fmt: skip
    volumes = [m for m in found if KPIS[m.kpi].unit == "count"]
    volumes.sort(key=lambda m: abs(m.change), reverse=True)
    return (volumes + [m for m in found if KPIS[m.kpi].unit != "count"])[:limit]


def first_reaching(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpi: str,
    threshold: float,
    window: Period,
) -> pd.DataFrame:
    """Per visible province with data: the first month over window whose KPI value reads at
    or above threshold at the KPI's precision (as targets are judged).

    Columns: province, first_month (the window's first month with a value), month (the month
    it was reached, None if never), value (then), latest (the value of the last month).
    Read monthly over the whole window, whatever the filters' grain and period.
    """
    monthly = replace(filters, grain="month")
    series = kpi_series(
        engine=engine,
        filters=monthly,
        scope=scope,
        kpi=kpi,
        by=("bucket", "province"),
        period=window,
    )
    return reaching(series, threshold=threshold, decimals=KPIS[kpi].decimals)


def reaching(series: pd.DataFrame, *, threshold: float, decimals: int) -> pd.DataFrame:
    """first_reaching from a monthly kpi_series frame by bucket and province."""
    every = series["value"].to_numpy(dtype="float64")
    known = ~np.isnan(every)
    provinces = series["province"].to_numpy(dtype=object)[known]
    buckets = series["bucket"].to_numpy(dtype=object)[known]
    order = np.lexsort((buckets, provinces))  # by province, then month
    provinces, buckets, values = provinces[order], buckets[order], every[known][order]
    at_mark = read_at_least(values, threshold, decimals)
    columns = ["province", "first_month", "month", "value", "latest"]
    if not len(values):
        return pd.DataFrame([], columns=columns)
    # each province's rows are one run of the sorted arrays
    starts = np.flatnonzero(np.r_[True, provinces[1:] != provinces[:-1]]).tolist()
    ends = [*starts[1:], len(values)]
    rows: list[dict[str, object]] = []
    for start, end in zip(starts, ends, strict=True):
        hits = np.flatnonzero(at_mark[start:end])
        first = start + hits[0] if hits.size else None
        rows.append(
            {
                "province": provinces[start],
                "first_month": buckets[start],
                "month": None if first is None else buckets[first],
                "value": np.nan if first is None else float(values[first]),
                "latest": float(values[end - 1]),
            }
        )
    return pd.DataFrame(rows, columns=columns)
