"""Association case KPIs: reply days and the share answered within target, censored at the
latest data."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

import numpy as np
from sqlalchemy import case, func, select

from data_access import stats
from data_access.kpis import Kpi
from data_access.models import AssociationCase, table_of
from data_access.periods import bucket_start
from data_access.queries.rollup import (
    KEY_OF_COLUMN,
    Ask,
    Columns,
    Family,
    censored_result,
    looked_up,
    object_array,
    rolled_up,
    row_count,
    with_province,
    zero_nan,
)
from data_access.targets import target_for

DEFAULT_ASSOCIATION_TARGET_DAYS = 30.0
ASSOCIATION_MEASURES = ("cases", "answered", "days", "days_squared", "within", "pending",
                        "open", "open_within")  # fmt: skip


def _read_associations(ask: Ask, _kpis: Sequence[Kpi]) -> Columns:
    """Association cases per bucket (and province): cases, answered, days (and their squares),
    answered within target, pending and open (opened in the window whose target has not passed).

    Cases count in the bucket of their opening day. The target is the general kpi_target for
    'association_reply_days' in force at the period's end (30 days when there is none). A case
    without an answer is pending while its target had not passed by the latest data (opened
    on + target > latest day), late afterwards. Channels and segments do not apply: cases
    carry neither (Kpi.ignored_by).
    """
    target = target_for(engine=ask.connection, kpi="association_reply_days", on=ask.period.end)
    limit = target.threshold if target is not None else DEFAULT_ASSOCIATION_TARGET_DAYS
    cases = with_province(
        table_of(AssociationCase), "opened_on", "month", "reply_days", "area_code", "topic_code"
    )
    days = cases.c.reply_days
    group = []
    if "bucket" in ask.keys:  # weeks from opening days, other buckets from months
        group.append(cases.c.opened_on if ask.filters.grain == "week" else cases.c.month)
    group += [cases.c[dimension.column] for dimension in ask.dimensions]
    names = [column.name for column in group]
    settled = ("cases", "answered", "days", "days_squared", "within")
    query = (
        select(
            *group,
            func.count().label("cases"),
            func.count(days).label("answered"),
            func.sum(days).label("days"),
            func.sum(days * days).label("days_squared"),
            func.sum(case((days <= limit, 1), else_=0)).label("within"),
        )
        .where(*ask.conditions(cases, "opened_on"))
        .group_by(*group)
    )
    columns = ask.fetch(query, names + list(settled))
    window = ("pending", "open", "open_within")
    for name in window:
        columns[name] = np.zeros(row_count(columns))
    first_open = None if ask.censor is None else ask.censor - timedelta(days=math.ceil(limit) - 1)
    if first_open is not None and first_open <= ask.period.end and row_count(columns):
        # the open window is a few weeks at the end: read on its own, so the scan of the whole
        # period carries no CASE per row for it (a period ending before it has none)
        recent = (
            select(
                *group,
                func.sum(case((days.is_(None), 1), else_=0)).label("pending"),
                func.count().label("open"),
                func.sum(case((days <= limit, 1), else_=0)).label("open_within"),
            )
            .where(cases.c.opened_on >= first_open, *ask.conditions(cases, "opened_on"))
            .group_by(*group)
        )
        found = ask.fetch(recent, names + list(window))
        keys = [KEY_OF_COLUMN.get(name, name) for name in names]
        for name in window:
            columns[name] = (
                looked_up(found, keys, columns, name) if keys else np.full(1, found[name].sum())
            )
    for name in ASSOCIATION_MEASURES:
        columns[name] = zero_nan(columns[name])
    if "bucket" in ask.keys:
        starts = columns.pop("opened_on" if ask.filters.grain == "week" else "month")
        columns["bucket"] = object_array([bucket_start(day, ask.filters.grain) for day in starts])
    return columns


def _association_kpis(ask: Ask, kpis: Sequence[Kpi], sums: Columns) -> dict[str, Columns]:
    """Association cases by opening day, censored at the latest data.

    association_reply_days: mean days to answer over the answered cases (n), with a normal 95%
    interval; cases without an answer are counted in `unanswered`. association_within_target:
    cases answered within target ÷ cases whose target has passed by the latest data × 100 (a
    case past its target without an answer is late; the open window is left out whole), with a
    Wilson interval. Fewer than Kpi.min_n cases in a cell suppress its value (n kept).
    """
    rolled = rolled_up(ask, sums, list(ASSOCIATION_MEASURES))
    found = {}
    unanswered = rolled["cases"] - rolled["answered"]
    for kpi in kpis:
        opened: np.ndarray | float = 0.0
        if kpi.code == "association_reply_days":
            n = rolled["answered"]
            estimate = stats.mean_estimate(n, rolled["days"], rolled["days_squared"])
        else:  # the open window is left out whole
            n = rolled["cases"] - rolled["open"]
            within = rolled["within"] - rolled["open_within"]
            opened = rolled["open"]
            estimate = stats.proportion_estimate(within, n)
        found[kpi.code] = censored_result(
            ask, kpi, rolled, estimate, n, rolled["pending"], unanswered, opened
        )
    return found


FAMILY = Family(read=_read_associations, kpis=_association_kpis)
