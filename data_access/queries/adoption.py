"""Channel adoption KPIs: adopters of a channel over the customer base of the same month."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import func, select

from data_access.kpis import Kpi
from data_access.models import ChannelAdoption, table_of
from data_access.periods import bucket_start
from data_access.queries.contacts import monthly_customers
from data_access.queries.rollup import (
    Ask,
    Columns,
    Family,
    distinct_groups,
    looked_up,
    object_array,
    ratio_result,
    summed_by,
    take_rows,
    with_province,
)

ADOPTION_CHANNEL = {"online_adoption": "web", "branch_usage": "branch"}


@dataclass(frozen=True)
class _Adoption:
    """Adopters per channel and month (and province), and customers per month (and province)."""

    adopters: Columns
    customers: Columns


def _read_adoption(ask: Ask, kpis: Sequence[Kpi]) -> _Adoption:
    """The adopters of the KPIs' channels and the customer base (read_channels)."""
    return read_channels(ask, sorted({ADOPTION_CHANNEL[kpi.code] for kpi in kpis}))


def read_channels(ask: Ask, channels: Sequence[str] | None) -> _Adoption:
    """The adopters of channels (None: every channel) and the customer base, per month (and
    the question's dimensions).

    channel_adoption.users counts customers who used the channel in the 12 months to that month;
    registered counts accounts registered at month end. Adopters take registered where it is
    known and users otherwise, summed over the filters' provinces, areas and segments; the
    filters' channels and topics do not apply: each KPI names its own channel.
    """
    adoption = table_of(ChannelAdoption)
    rows = with_province(
        adoption,
        "month",
        "area_code",
        "segment_code",
        "channel_code",
        "users",
        "registered",
    )
    group = [rows.c.channel_code, rows.c.month, *(rows.c[d.column] for d in ask.dimensions)]
    adopters = func.sum(func.coalesce(rows.c.registered, rows.c.users)).label("adopters")
    conditions = ask.conditions(rows, "month", ("channels", "topics"))
    if channels is not None:
        conditions.append(rows.c.channel_code.in_(channels))
    query = select(*group, adopters).where(*conditions).group_by(*group)
    return _Adoption(
        ask.fetch(query, [c.name for c in group] + ["adopters"]), monthly_customers(ask)
    )


def _adoption_kpis(ask: Ask, kpis: Sequence[Kpi], sums: _Adoption) -> dict[str, Columns]:
    """Each KPI's channel adoption (share_of)."""
    return {kpi.code: share_of(ask, sums, ADOPTION_CHANNEL[kpi.code]) for kpi in kpis}


def share_of(ask: Ask, sums: _Adoption, channel: str) -> Columns:
    """A channel's adoption (shares_of, without the channel column)."""
    result = shares_of(ask, sums, [channel])
    del result["channel"]
    return result


def shares_of(ask: Ask, sums: _Adoption, channels: Sequence[str] | None = None) -> Columns:
    """Each channel's adoption (None: every channel read) at each bucket's last month with
    data: adopters over the customer base of the same month, areas and segments (n: the
    customers), with a `channel` column, sorted by channel and then the question's keys. On a
    week grain a month's figure sits in the week holding its first day (or the period's first
    day).
    """
    names = ["month", *(d.param for d in ask.dimensions)]
    customers = summed_by(sums.customers, names, ["customers"])
    mine = sums.adopters
    if channels is not None:
        wanted = set(channels)  # a set: np.isin compares object arrays slowly
        mine = take_rows(mine, np.array([c in wanted for c in mine["channel"]], dtype=bool))
    # sorted by channel and month: within a group the last row is the last month
    monthly = summed_by(mine, ["channel", *names], ["adopters"])
    monthly["customers"] = looked_up(customers, names, monthly, "customers")
    if "bucket" in ask.keys:
        start, grain = ask.period.start, ask.filters.grain
        bucket_of = {m: bucket_start(max(m, start), grain) for m in set(monthly["month"])}
        monthly["bucket"] = object_array([bucket_of[m] for m in monthly["month"]])
    keys = ("channel", *ask.keys)
    groups, inverse = distinct_groups(monthly, keys)
    count = len(next(iter(groups.values())))
    last = np.full(count, -1, dtype=np.intp)
    np.maximum.at(last, inverse, np.arange(len(inverse)))
    latest = take_rows(monthly, last)
    return ratio_result(replace(ask, keys=keys), latest, "adopters", "customers", 100.0)


FAMILY = Family(read=_read_adoption, kpis=_adoption_kpis)
