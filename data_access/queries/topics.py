"""Why customers call: contacts by topic over time, each topic's first-contact resolution and
complaint share, and its change against the comparison period, from the contact aggregates
(grouped by topic_code), with the view's filters and the scope applied."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from data_access.aggregates import CONTACTS
from data_access.filters import Filters
from data_access.periods import Period
from data_access.queries.engine import ask_for
from data_access.queries.rollup import Ask, Columns, Keys, rolled_up, summed_measures
from data_access.scope import Scope

MEASURES = ("contacts", "fcr_resolved", "fcr_known", "complaints")
SUMMARY_COLUMNS = ("topic", "contacts", "share", "fcr", "fcr_n", "complaints",
                   "complaint_share", "contacts_before", "change")  # fmt: skip


def _sums(ask: Ask, to: Keys | None = None) -> Columns:
    """MEASURES summed per the question's keys (e.g. bucket and topic) over its period, rolled
    up to the keys `to` when given, as integers; rows without contacts left out."""
    read = summed_measures(ask, CONTACTS, dict.fromkeys(MEASURES))
    sums = rolled_up(ask if to is None else replace(ask, keys=to), read, MEASURES)
    # rounded and filtered as arrays: a frame's column edits cost ~0.6 ms here
    columns = dict(sums) | {name: np.rint(sums[name]).astype(np.int64) for name in MEASURES}
    kept = columns["contacts"] > 0
    return {name: column[kept] for name, column in columns.items()}


def topic_series(*, engine: Engine, filters: Filters, scope: Scope, period: Period) -> pd.DataFrame:
    """Contacts per bucket (at filters.grain) and topic code: bucket, topic, contacts."""
    with engine.connect() as connection:
        sums = _sums(ask_for(connection, filters, scope, ("bucket", "topic"), period))
    return pd.DataFrame({name: sums[name] for name in ("bucket", "topic", "contacts")})


def _per_topic(connection: Connection, filters: Filters, scope: Scope, period: Period) -> Columns:
    """_sums per topic over period, read per month and topic and rolled up: contact_monthly's
    topic index gives those in its order, where SQLite sorts the rows to group them by topic."""
    ask = ask_for(connection, filters.narrowed(grain="month"), scope, ("bucket", "topic"), period)
    return _sums(ask, ("topic",))


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
        now = _per_topic(connection, filters, scope, period)
        before = _per_topic(connection, filters, scope, compared) if compared is not None else None
    if not len(now["topic"]):
        return pd.DataFrame({column: [] for column in SUMMARY_COLUMNS})
    # computed as arrays and made one frame, sorted by np.lexsort: pandas' column arithmetic,
    # edits and multi-key sort cost ~2 ms for a dozen topics
    contacts = now["contacts"].astype("float64")
    known = now["fcr_known"].astype("float64")
    then = np.full(len(contacts), np.nan)
    if before is not None:
        earlier = dict(zip(before["topic"].tolist(), before["contacts"].tolist(), strict=True))
        then = np.array([float(earlier.get(t, 0)) for t in now["topic"].tolist()])
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(then > 0, (contacts - then) / then * 100.0, np.nan)
        columns = {
            "topic": now["topic"],
            "contacts": now["contacts"],
            "share": contacts / contacts.sum() * 100.0,
            "fcr": np.where(known > 0, now["fcr_resolved"] / known * 100.0, np.nan),
            "fcr_n": now["fcr_known"],
            "complaints": now["complaints"],
            "complaint_share": now["complaints"] / contacts * 100.0,
            "contacts_before": then,
            "change": change,
        }
    # largest change first, then most contacts, topics without a change last; ties keep order
    order = np.lexsort((-now["contacts"], np.where(np.isnan(change), np.inf, -change)))
    return pd.DataFrame({name: columns[name][order] for name in SUMMARY_COLUMNS})
