"""Why customers call: contacts by topic over time, each topic's first-contact resolution and
complaint share, and its change against the comparison period, from the contact aggregates
(grouped by topic_code), with the view's filters and the scope applied."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from sqlalchemy import func, select, union_all
from sqlalchemy.engine import Engine

from data_access.aggregates import CONTACTS
from data_access.filters import Filters
from data_access.periods import Period, bucket_start
from data_access.queries.engine import ask_for
from data_access.queries.rollup import Ask, period_parts
from data_access.scope import Scope

MEASURES = ("contacts", "fcr_resolved", "fcr_known", "complaints")
SUMMARY_COLUMNS = ("topic", "contacts", "share", "fcr", "fcr_n", "complaints",
                   "complaint_share", "contacts_before", "change")  # fmt: skip


def _sums(ask: Ask, by_bucket: bool) -> pd.DataFrame:
    """MEASURES summed per topic (and bucket at the filters' grain) over ask's period."""
    tables = {"day": CONTACTS.daily, "week": CONTACTS.weekly, "month": CONTACTS.monthly}
    grain = ask.filters.grain
    bucket_column = "week" if grain == "week" else "month"
    selects = []
    for part_grain, part in period_parts(ask):
        table = tables[part_grain]
        conditions = replace(ask, period=part).conditions(table, part_grain)
        group = [table.c.topic_code.label("topic")]
        if by_bucket:
            group.insert(0, table.c[bucket_column].label("bucket"))
        sums = [func.sum(table.c[name]).label(name) for name in MEASURES]
        selects.append(select(*group, *sums).where(*conditions).group_by(*group))
    query = selects[0] if len(selects) == 1 else union_all(*selects)
    keys = ["bucket", "topic"] if by_bucket else ["topic"]
    rows = pd.DataFrame(ask.connection.execute(query).all(), columns=[*keys, *MEASURES])
    for name in MEASURES:
        rows[name] = pd.to_numeric(rows[name]).fillna(0).astype(np.int64)
    if by_bucket and not rows.empty:
        rows["bucket"] = [bucket_start(pd.Timestamp(b).date(), grain) for b in rows["bucket"]]
    summed = rows.groupby(keys, as_index=False, sort=True)[list(MEASURES)].sum()
    return summed[summed["contacts"] > 0].reset_index(drop=True)


def topic_series(*, engine: Engine, filters: Filters, scope: Scope, period: Period) -> pd.DataFrame:
    """Contacts per bucket (at filters.grain) and topic code: bucket, topic, contacts."""
    with engine.connect() as connection:
        sums = _sums(ask_for(connection, filters, scope, ("bucket",), period), by_bucket=True)
    return sums[["bucket", "topic", "contacts"]]


def topic_summary(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    period: Period,
    compared: Period | None,
) -> pd.DataFrame:
    """Per topic over the period: contacts, share of all contacts (%), FCR (% of the contacts
    with a known outcome) and its n, complaints and complaint share (% of contacts), contacts
    in the compared period and the change (% of those; NaN without a comparison or with no
    contacts then). Ordered by change, largest growth first (topics without one last).
    """
    with engine.connect() as connection:
        now = _sums(ask_for(connection, filters, scope, (), period), by_bucket=False)
        before = (
            _sums(ask_for(connection, filters, scope, (), compared), by_bucket=False)
            if compared is not None
            else None
        )
    if now.empty:
        return pd.DataFrame({column: [] for column in SUMMARY_COLUMNS})
    contacts = now["contacts"].astype("float64")
    known = now["fcr_known"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        summary = pd.DataFrame(
            {
                "topic": now["topic"],
                "contacts": now["contacts"],
                "share": contacts / contacts.sum() * 100.0,
                "fcr": np.where(known > 0, now["fcr_resolved"] / known * 100.0, np.nan),
                "fcr_n": now["fcr_known"],
                "complaints": now["complaints"],
                "complaint_share": now["complaints"] / contacts * 100.0,
            }
        )
    earlier = (
        dict(zip(before["topic"], before["contacts"], strict=True)) if before is not None else {}
    )
    summary["contacts_before"] = [float(earlier.get(t, 0)) for t in summary["topic"]]
    if before is None:
        summary["contacts_before"] = np.nan
    then = summary["contacts_before"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        summary["change"] = np.where(then > 0, (contacts - then) / then * 100.0, np.nan)
    ordered = summary.sort_values(["change", "contacts"], ascending=[False, False],
                                  na_position="last", kind="stable")  # fmt: skip
    return ordered.reset_index(drop=True)[list(SUMMARY_COLUMNS)]
