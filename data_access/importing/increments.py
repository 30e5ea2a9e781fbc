"""What newly imported rows add to the aggregates: numpy twins of data_access.aggregates' sums.

Each function gives, per raw row, the measures the SQL in aggregates.py would sum for it
(_contact_rows, _report_rows, _survey_rows); tests compare the two on the same rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sqlalchemy import Connection

from data_access.aggregates import CONTACTS, SURVEYS, Aggregates, add

Columns = dict[str, np.ndarray]


def _true(values: np.ndarray) -> np.ndarray:
    """True where a flag is true (False for false and for unknown)."""
    if values.dtype == bool:
        return values
    return np.asarray(values == True, dtype=bool)  # noqa: E712 - object array of True/False/None


def _known(values: np.ndarray) -> np.ndarray:
    """True where a value is given (not NaN, NaT or None)."""
    if values.dtype.kind == "f":
        return ~np.isnan(values)
    return np.asarray(values != None, dtype=bool)  # noqa: E711 - elementwise


def _or_zero(values: np.ndarray, where: np.ndarray | bool = True) -> np.ndarray:
    """values where given and where is true, else 0 (SQL's sum skipping NULLs, then coalesce)."""
    return np.where(where & _known(values), np.nan_to_num(values.astype(np.float64)), 0.0)


def _with_keys(columns: Columns, keys: tuple[str, ...], measures: Columns) -> Columns:
    """measures with the day, week, month and keys of the rows they are of."""
    return {**{k: columns[k] for k in ("day", "week", "month", *keys)}, **measures}


def contact_measures(c: Columns) -> Columns:
    """Per contact, as _contact_rows sums it."""
    answered, complaint = _true(c["answered"]), _true(c["is_complaint"])
    wait, reply = c["wait_seconds"].astype(np.float64), c["reply_days"].astype(np.float64)
    replied = complaint & ~np.isnan(reply)
    zero = np.zeros(len(answered))
    with np.errstate(invalid="ignore"):
        measures = {
            "contacts": np.ones(len(answered), dtype=np.int64),
            "queued": _true(c["queued"]),
            "answered": answered,
            "abandoned": _true(c["abandoned"]),
            "answered_20s": answered & (wait <= 20),
            "wait_seconds": _or_zero(wait, answered),
            "handled": _known(c["handling_seconds"]),
            "handling_seconds": _or_zero(c["handling_seconds"]),
            "fcr_known": _known(c["resolved_first_contact"]),
            "fcr_resolved": _true(c["resolved_first_contact"]),
            "complaints": complaint,
            "complaints_replied": replied,
            "complaint_reply_days": _or_zero(reply, complaint),
            "complaints_replied_30d": replied & (reply <= 30),
            "line_free_seconds": zero,
            "operator_seconds": zero,
        }
    return _with_keys(c, CONTACTS.keys, measures)


def report_measures(r: Columns) -> Columns:
    """Per contact-centre report row, as _report_rows maps it."""
    zero = np.zeros(len(r["offered"]))
    measures = {
        "contacts": r["offered"],
        "queued": r["offered"],
        "answered": r["answered"],
        "abandoned": r["abandoned"],
        "answered_20s": r["answered_20s"],
        "wait_seconds": r["wait_seconds"],
        "handled": r["answered"],
        "handling_seconds": r["handling_seconds"],
        "fcr_known": zero,
        "fcr_resolved": zero,
        "complaints": zero,
        "complaints_replied": zero,
        "complaint_reply_days": zero,
        "complaints_replied_30d": zero,
        "line_free_seconds": _or_zero(r["line_free_seconds"]),
        "operator_seconds": _or_zero(r["operator_seconds"]),
    }
    return _with_keys(r, CONTACTS.keys, measures)


def survey_measures(s: Columns) -> Columns:
    """Per survey response, as _survey_rows sums it."""
    csi = s["csi"].astype(np.float64)
    recommendation = s["recommendation"].astype(np.float64)
    effort = s["effort"].astype(np.float64)
    with np.errstate(invalid="ignore"):
        measures = {
            "responses": np.ones(len(csi), dtype=np.int64),
            "csi_n": ~np.isnan(csi),
            "csi_sum": _or_zero(csi),
            "csi_sumsq": _or_zero(csi * csi),
            "csat_n": _known(s["csat_positive"]),
            "csat_positive": _true(s["csat_positive"]),
            "nps_n": ~np.isnan(recommendation),
            "promoters": recommendation >= 9,
            "detractors": recommendation <= 6,
            "ces_n": ~np.isnan(effort),
            "ces_sum": _or_zero(effort),
            "ces_sumsq": _or_zero(effort * effort),
        }
    return _with_keys(s, SURVEYS.keys, measures)


FAMILIES: dict[str, tuple[Aggregates, Callable[[Columns], Columns]]] = {
    "contact": (CONTACTS, contact_measures),
    "contact_report": (CONTACTS, report_measures),
    "survey_response": (SURVEYS, survey_measures),
}


def add_written(connection: Connection, table: str, columns: Columns) -> None:
    """Add rows just written to table (its columns as arrays) to their aggregates, if any."""
    family = FAMILIES.get(table)
    if family is None or not len(columns["day"]):
        return
    aggregates, measures = family
    add(connection, aggregates, measures(columns))
