"""Contact KPIs: ratios of summed contact measures, digital share, contacts per 1,000
customers (the customer base lookup) and written complaints censored at the latest data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Table, case, func, select

from data_access import stats
from data_access.aggregates import CONTACTS
from data_access.dimensions import Dimension
from data_access.kpis import CUSTOMER_BASE_IGNORES, Kpi
from data_access.models import Channel, CustomerBase, table_of
from data_access.periods import Period, bucket_end, bucket_start
from data_access.queries.rollup import (
    Ask,
    Columns,
    Family,
    Measures,
    censored_result,
    distinct_groups,
    looked_up,
    measure_names,
    object_array,
    ratio_result,
    result_columns,
    rolled_up,
    row_count,
    summed_measures,
    with_province,
)

# numerator measure, denominator measure, scale: value = numerator / denominator × scale
CONTACT_RATIOS: dict[str, tuple[str, str, float]] = {
    "service_level": ("answered", "queued", 100.0),
    "average_wait": ("wait_seconds", "answered", 1.0),
    "line_accessibility": ("line_free_seconds", "operator_seconds", 100.0),
    "abandonment_rate": ("abandoned", "queued", 100.0),
    "service_level_80_20": ("answered_20s", "queued", 100.0),
    "fcr": ("fcr_resolved", "fcr_known", 100.0),
    "aht": ("handling_seconds", "handled", 1.0),
    "complaint_reply_days": ("complaint_reply_days", "complaints_replied", 1.0),
    "complaint_reply_30d": ("complaints_replied_30d", "complaints_replied", 100.0),
    "digital_share": ("digital_contacts", "contacts", 100.0),
    "contacts_per_1000": ("contacts", "customers", 1000.0),
}
COMPLAINT_MEASURES = ("complaints", "complaints_replied", "complaint_reply_days",
                      "complaints_replied_30d")  # fmt: skip
COMPLAINT_DEADLINE_DAYS = 30


def _needs(ask: Ask, kpis: Sequence[Kpi]) -> Measures:
    """The measures a set of contact KPIs read, each summed once."""
    measures: Measures = {}
    for kpi in kpis:
        if kpi.is_censored:
            measures |= dict.fromkeys(COMPLAINT_MEASURES)
        elif kpi.code == "digital_share":
            channel = table_of(Channel).c
            query = select(channel.code).where(channel.kind == "digital")
            digital = sorted(ask.connection.execute(query).scalars())
            measures["digital_contacts"] = _contacts_on(digital)
            measures["contacts"] = None
        elif kpi.code in CONTACT_RATIOS:
            numerator, denominator, _ = CONTACT_RATIOS[kpi.code]
            measures |= dict.fromkeys(
                m for m in (numerator, denominator) if m not in ("customers", "digital_contacts")
            )
        else:
            measures["contacts"] = None
    return measures


def _contacts_on(channels: list[str]) -> Callable[[Table], ColumnElement[Any]]:
    """A measure builder: contacts summed over the given channels only."""

    def build(table: Table) -> ColumnElement[Any]:
        return func.sum(case((table.c.channel_code.in_(channels), table.c.contacts), else_=0))

    return build


def _read_contacts(ask: Ask, kpis: Sequence[Kpi]) -> Columns:
    sums = summed_measures(ask, CONTACTS, _needs(ask, kpis))
    if any(kpi.is_censored for kpi in kpis):
        sums["pending"], sums["open"], sums["open_within"] = _open_complaints(ask, sums)
    return sums


def _open_complaints(ask: Ask, sums: Columns) -> tuple[np.ndarray, ...]:
    """Per row of sums: (pending, open, open_within) complaints received on a day whose 30-day
    deadline had not passed by the latest data (day + 30 > latest day): open counts them all,
    pending those without a reply, open_within those replied within 30 days. Every earlier
    complaint without a reply is late.

    Buckets starting on or after the first open day are open whole: their complaints (already in
    sums) are all open, those without a reply pending. Only the bucket holding the first open
    day is split, by one more read of its open days without a bucket key (whole weeks and at
    most six days, from the weekly and daily aggregates).
    """
    pending, opened_whole, within_whole = (np.zeros(row_count(sums)) for _ in range(3))
    if ask.censor is None or not row_count(sums):
        return pending, opened_whole, within_whole
    first = max(ask.period.start, ask.censor - timedelta(days=COMPLAINT_DEADLINE_DAYS - 1))
    if first > ask.period.end:
        return pending, opened_whole, within_whole
    unanswered = sums["complaints"] - sums["complaints_replied"]
    keys = tuple(key for key in ask.keys if key != "bucket")
    split = Period(first, ask.period.end)
    opened = np.ones(row_count(sums), dtype=bool)
    if "bucket" in ask.keys:
        start = bucket_start(first, ask.filters.grain)
        split = Period(first, min(ask.period.end, bucket_end(start, ask.filters.grain)))
        buckets = sums["bucket"]
        pending = np.where(buckets > start, unanswered, 0.0)
        opened_whole = np.where(buckets > start, sums["complaints"], 0.0)
        within_whole = np.where(buckets > start, sums["complaints_replied_30d"], 0.0)
        opened = buckets == start
    found = _window_sums(replace(ask, keys=keys, period=split))
    # a quarter's or year's months are rows of one bucket:
    _, group = distinct_groups(sums, ask.keys)
    once = np.zeros(row_count(sums), dtype=bool)  # its split count goes on the first one only
    once[np.unique(group, return_index=True)[1]] = True
    result = []
    wholes = (("pending", pending), ("open", opened_whole), ("open_within", within_whole))
    for name, whole in wholes:
        if keys:
            counts = np.nan_to_num(looked_up(found, keys, sums, name))
        else:
            counts = np.full(row_count(sums), found[name].sum())
        result.append(np.where(opened, np.where(once, counts, 0.0), whole))
    return tuple(result)


def _window_sums(ask: Ask) -> Columns:
    """Pending, open and open_within complaints per the question's keys over its period.

    A period starting early in a month is read as the month from its first day less the days
    before the period: the month from the province aggregate and a few days, where the period
    itself would be its days and weeks (the open window from the 2nd: ~1.8 → ~0.2 ms of SQL).
    The sums are counts, so the difference is exact.
    """
    window: Measures = {"pending": _unanswered, "open": _all_complaints,
                        "open_within": _replied_30d}  # fmt: skip
    start, end = ask.period.start, ask.period.end
    month = start.replace(day=1)
    last = bucket_end(month, "month")
    before = (start - month).days  # the month's days before the period
    reaches = end >= last or (ask.latest is not None and end >= ask.latest)  # a whole month
    if not before or not reaches or before > (last - start).days:
        return summed_measures(ask, CONTACTS, window)
    whole = summed_measures(replace(ask, period=Period(month, end)), CONTACTS, window)
    leading = Period(month, start - timedelta(days=1))
    lead = summed_measures(replace(ask, period=leading), CONTACTS, window)
    keys = list(ask.keys)
    for name in window:
        earlier = np.nan_to_num(looked_up(lead, keys, whole, name)) if keys else lead[name]
        whole[name] = whole[name] - earlier
    return whole


def _unanswered(table: Table) -> ColumnElement[Any]:
    return func.sum(table.c.complaints - table.c.complaints_replied)


def _all_complaints(table: Table) -> ColumnElement[Any]:
    return func.sum(table.c.complaints)


def _replied_30d(table: Table) -> ColumnElement[Any]:
    return func.sum(table.c.complaints_replied_30d)


def _contact_kpis(ask: Ask, kpis: Sequence[Kpi], sums: Columns) -> dict[str, Columns]:
    """Contact KPIs: ratios of summed contact measures (contacts itself is a plain sum)."""
    rolled = rolled_up(ask, sums, measure_names(sums))
    found = {}
    for kpi in kpis:
        if kpi.is_censored:
            found[kpi.code] = _complaint_kpi(ask, kpi, rolled)
            continue
        if kpi.code == "contacts":
            count = rolled["contacts"]
            found[kpi.code] = result_columns(ask, rolled, np.where(count > 0, count, np.nan), count)
            continue
        numerator, denominator, scale = CONTACT_RATIOS[kpi.code]
        source = _with_customers(ask, rolled) if kpi.code == "contacts_per_1000" else rolled
        found[kpi.code] = ratio_result(ask, source, numerator, denominator, scale)
    return found


def _complaint_kpi(ask: Ask, kpi: Kpi, rolled: Columns) -> Columns:
    """Written-complaint reply time, censored at the latest data.

    complaint_reply_30d: complaints replied within 30 days ÷ complaints whose 30 days have
    passed by the latest data × 100, with a Wilson interval (a complaint without a reply past
    its 30 days is late, like one replied late). The open window (30 days not passed) is left
    out whole: its replies so far are only the quick ones, so counting them without the pending
    would lift a month still open towards 100%. complaint_reply_days: mean days of the replied
    complaints (n); those without a reply are counted in `unanswered`.
    Fewer than Kpi.min_n complaints in a cell suppress its value (n kept).
    """
    complaints, replied = rolled["complaints"], rolled["complaints_replied"]
    pending = rolled.get("pending", np.zeros(row_count(rolled)))
    opened = rolled.get("open", np.zeros(row_count(rolled)))
    opened_within = rolled.get("open_within", np.zeros(row_count(rolled)))
    nan = np.full(row_count(rolled), np.nan)
    if kpi.code == "complaint_reply_days":
        n = replied
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(n > 0, rolled["complaint_reply_days"] / n, np.nan)
        estimate = stats.Estimate(mean, nan, nan, nan)
    else:
        n = complaints - opened
        within = rolled["complaints_replied_30d"] - opened_within
        estimate = stats.proportion_estimate(within, n)
    left_out = 0.0 if kpi.code == "complaint_reply_days" else opened
    return censored_result(ask, kpi, rolled, estimate, n, pending, complaints - replied, left_out)


def monthly_customers(ask: Ask) -> Columns:
    """Customers per month (and the question's dimensions the customer base carries) in the
    filters' provinces, areas and segments.
    """
    base = with_province(table_of(CustomerBase), "month", "area_code", "segment_code", "customers")
    group = [base.c.month, *(base.c[d.column] for d in _base_dimensions(ask))]
    query = (
        select(*group, func.sum(base.c.customers).label("customers"))
        .where(*ask.conditions(base, "month", CUSTOMER_BASE_IGNORES))
        .group_by(*group)
    )
    return ask.fetch(query, [c.name for c in group] + ["customers"])


def _with_customers(ask: Ask, rolled: Columns) -> Columns:
    """Add `customers`: the mean monthly customer base over each bucket.

    A week takes the base of the month it starts in (or of the period's first month).
    """
    customers = monthly_customers(ask)
    base = [d.param for d in _base_dimensions(ask)]
    if "bucket" in ask.keys and ask.filters.grain == "week":
        start = ask.period.start
        rows = rolled | {
            "month": object_array([max(b, start).replace(day=1) for b in rolled["bucket"]])
        }
        on = ["month", *base]
        return rolled | {"customers": looked_up(customers, on, rows, "customers")}
    if "bucket" in ask.keys:
        grain = ask.filters.grain
        customers["bucket"] = object_array([bucket_start(m, grain) for m in customers["month"]])
    on = [key for key in ask.keys if key == "bucket" or key in base]
    if not on:  # no keys, or only keys the base does not carry (channels): the whole base
        mean = customers["customers"].mean() if row_count(customers) else np.nan
        return rolled | {"customers": np.full(row_count(rolled), mean)}
    groups, inverse = distinct_groups(customers, on)
    counts = np.bincount(inverse)
    totals = np.bincount(inverse, weights=customers["customers"], minlength=len(counts))
    average = groups | {"customers": totals / np.maximum(counts, 1)}
    return rolled | {"customers": looked_up(average, on, rolled, "customers")}


def _base_dimensions(ask: Ask) -> list[Dimension]:
    """The question's dimensions the customer base carries (not channels or topics)."""
    return [d for d in ask.dimensions if d.attr not in CUSTOMER_BASE_IGNORES]


FAMILY = Family(read=_read_contacts, kpis=_contact_kpis)
