"""'What changed': the largest significant movements of KPIs by province against the comparison.

A movement counts only when it is significant:
- survey KPIs (estimates) and means with an interval (association reply days): the 95%
  interval of the difference excludes 0;
- census shares (service level, abandonment, ...): a two-proportion z-test at 95%;
- other census figures (counts, seconds, days): a change of at least MATERIAL_CHANGE relative to
  the comparison value (they have no sampling error; small wobbles are not news).
Movements are ranked by their z-score (or, for the last kind, relative change × 10).
A provisional value (a time-to-reply KPI with cases still within their deadline) is never
used: it can still change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from data_access import queries, stats
from data_access.filters import Filters
from data_access.i18n import shown
from data_access.kpis import KPIS, Kpi
from data_access.periods import Period
from data_access.scope import Scope

MATERIAL_CHANGE = 0.10


@dataclass(frozen=True)
class Movement:
    """One KPI in one province: before, now, the change and how strongly it stands out.

    province holds the sigla, or the code of the dimension movements_between was keyed on
    (a channel's code for key="channel").
    """

    kpi: str
    province: str
    before: float
    now: float
    change: float
    strength: float
    better: bool  # the change goes the KPI's good way


Side = dict[str, float]  # value, n and se of one KPI in one province and period
SIDE_COLUMNS = ("value", "n", "se")


def _strength(kpi: Kpi, now: Side, before: Side) -> float:
    """z-score of the change, or a materiality score for census figures; NaN: not significant."""
    change = now["value"] - before["value"]
    if kpi.is_estimate or (kpi.has_interval and kpi.unit != "percent"):
        se = (now["se"], before["se"])  # each side's, as the query built its interval from
    elif kpi.unit == "percent" and now["n"] > 0 and before["n"] > 0:
        p = (
            (now["value"] * now["n"] + before["value"] * before["n"])
            / 100
            / (now["n"] + before["n"])
        )
        # pooled: the two sides' se combine to √(p(1 − p)(1/n_now + 1/n_before)) × 100
        se = (math.sqrt(p * (1 - p) / now["n"]) * 100, math.sqrt(p * (1 - p) / before["n"]) * 100)
    else:
        relative = change / abs(before["value"]) if before["value"] else math.nan
        return abs(relative) * 10 if abs(relative) >= MATERIAL_CHANGE else math.nan
    if not all(s > 0 for s in se):
        return math.nan
    if not stats.significant_change(_estimate(now, se[0]), _estimate(before, se[1])):
        return math.nan
    return abs(change) / math.hypot(*se)


def _estimate(side: Side, se: float) -> stats.Estimate:
    """A side's value and standard error as an Estimate (its interval is not needed here)."""
    nan = np.float64(math.nan)
    return stats.Estimate(np.float64(side["value"]), nan, nan, np.float64(se))


def largest_movements(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpis: Sequence[str],
    period: Period | None,
    limit: int = 5,
) -> list[Movement]:
    """The limit largest significant movements by province and KPI, strongest first."""
    compared = filters.comparison(period)
    if period is None or compared is None:
        return []
    now, before = (
        queries.kpi_series_many(
            engine=engine, filters=filters, scope=scope, kpis=kpis, by=("province",), period=p
        )
        for p in (period, compared)
    )
    return movements_between(kpis=kpis, now=now, before=before, limit=limit)


def _sides(
    frame: pd.DataFrame | Mapping[str, np.ndarray], key: str = "province"
) -> dict[str, Side]:
    """Each province's (or key's) row of a per-province KPI frame (or of its columns as arrays),
    leaving provisional rows out."""
    keep: slice | np.ndarray = slice(None)
    if "provisional" in frame:
        provisional = np.asarray(frame["provisional"], dtype=bool)
        if provisional.any():
            keep = ~provisional
    keys = np.asarray(frame[key], dtype=object)[keep]
    columns = [
        np.asarray(frame[name], dtype="float64")[keep]
        if name in frame
        else np.full(len(keys), math.nan)
        for name in SIDE_COLUMNS
    ]  # a KPI without an interval needs no se
    return {
        str(province): dict(zip(SIDE_COLUMNS, map(float, values), strict=True))
        for province, *values in zip(keys, *columns, strict=True)
    }


def _frame_of(frames: Mapping[str, pd.DataFrame], code: str) -> Any:
    """frames[code], as its column arrays where the mapping keeps them (a KpiBoard's frames): a
    DataFrame per KPI and side cost the overview more than the comparison itself."""
    columns = getattr(frames, "columns", None)
    return columns(code) if callable(columns) else frames[code]


def movements_between(
    *,
    kpis: Sequence[str],
    now: Mapping[str, pd.DataFrame],
    before: Mapping[str, pd.DataFrame],
    limit: int = 5,
    key: str = "province",
) -> list[Movement]:
    """The limit largest significant movements between two sets of per-province KPI frames
    (key: the column they are keyed on, e.g. "channel" for frames by channel)."""
    found: list[Movement] = []
    for code in kpis:
        kpi = KPIS[code]
        earlier = _sides(_frame_of(before, code), key)
        for province, row_now in _sides(_frame_of(now, code), key).items():
            row_before = earlier.get(province)
            if (
                row_before is None
                or math.isnan(row_now["value"])
                or math.isnan(row_before["value"])
            ):
                continue
            strength = _strength(kpi, row_now, row_before)
            if math.isnan(strength):
                continue
            change = row_now["value"] - row_before["value"]
            if shown(change, kpi.decimals) == 0:  # '0,0 p.p., in miglioramento' says nothing
                continue
            found.append(
                Movement(
                    kpi=code,
                    province=province,
                    before=row_before["value"],
                    now=row_now["value"],
                    change=change,
                    strength=float(strength),
                    better=(change > 0) == (kpi.better == "higher"),
                )
            )
    return sorted(found, key=lambda m: m.strength, reverse=True)[:limit]
