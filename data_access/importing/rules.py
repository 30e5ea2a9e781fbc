"""Per-KIND checks across fields, defaults and derived columns (day, week, month, CSI...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.importing.convert import absent
from data_access.importing.errors import ErrorLog
from data_access.importing.validate import Parsed

Columns = dict[str, np.ndarray]


@dataclass
class Prepared:
    """Rows ready to write: table columns as arrays, plus what the loader needs to know."""

    table: str
    columns: Columns
    keys: tuple[str, ...] = ("source_id",)  # what identifies a row already in the store
    values: tuple[str, ...] = ()  # for upserts: the columns a re-import may replace
    extra: Columns = field(default_factory=dict)  # not stored in table (e.g. contact_source_id)

    def __len__(self) -> int:
        """Number of rows."""
        return len(next(iter(self.columns.values())))


class _Values:
    """A file's parsed values: v[name] for a required field, v.optional(name) for the others.

    A file without a required column never reaches the rules: its header is refused first.
    """

    def __init__(self, parsed: Parsed) -> None:
        self._values = parsed.values

    def __getitem__(self, name: str) -> np.ndarray:
        values = self._values[name]
        if values is None:
            raise ValueError(f"the required field {name} has no values")
        return values

    def optional(self, name: str) -> np.ndarray | None:
        """The values of a field the file may leave out (None when it does)."""
        return self._values[name]


def _label(parsed: Parsed, name: str) -> str:
    return parsed.labels.get(name, name)


def _text(parsed: Parsed, name: str) -> pd.Series | None:
    return parsed.text.get(name)


def _flag(parsed: Parsed, name: str, default: bool | None) -> np.ndarray:
    """A true/false field as an object array of bools, blanks filled with default."""
    values = parsed.values.get(name)
    if values is None:
        return np.full(parsed.size, default, dtype=object)
    values = values.copy()
    values[absent(values)] = default
    return values


def _truth(values: np.ndarray) -> np.ndarray:
    return np.asarray(values == True, dtype=bool)  # noqa: E712 - object array of True/False/None


def day_week_month(moment: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The day, the Monday of its ISO week and the first of its month, as datetime64[D]."""
    day = moment.astype("datetime64[D]")
    # 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays
    weekday = (day.astype(np.int64) + 3) % 7
    week = day - weekday.astype("timedelta64[D]")
    month = day.astype("datetime64[M]").astype("datetime64[D]")
    return day, week, month


def _repeated(parsed: Parsed, log: ErrorLog, lines: np.ndarray, keys: list[str], what: str) -> None:
    """Log records whose keys repeat an earlier record of the same file."""
    frame = pd.DataFrame({k: parsed.values[k] for k in keys})
    repeated = frame.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return
    first = frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    first_line = pd.Series(lines).groupby(first).transform("first").to_numpy()
    reasons = np.array([f"{what} already on line {n}" for n in first_line], dtype=object)
    name = keys[0]
    log.add(repeated, _label(parsed, name), _text(parsed, name), reasons)


def contacts(parsed: Parsed, log: ErrorLog, lines: np.ndarray) -> Prepared:
    """Contacts: defaults, answered/abandoned consistency, complaint replies, rating survey."""
    v = _Values(parsed)
    _repeated(parsed, log, lines, ["source_id"], "the same source id is")
    answered = _flag(parsed, "answered", False)
    abandoned = _flag(parsed, "abandoned", False)
    both = _truth(answered) & _truth(abandoned)
    log.add(
        both,
        _label(parsed, "abandoned"),
        _text(parsed, "abandoned"),
        "a contact cannot be both answered and abandoned",
    )
    queued = _flag(parsed, "queued", None)
    unknown_queue = absent(queued)
    queued[unknown_queue] = (_truth(answered) | _truth(abandoned))[unknown_queue]
    is_complaint = _flag(parsed, "is_complaint", False)
    day, week, month = day_week_month(v["occurred_at"])
    replied = v.optional("replied_on")
    reply_days = np.full(parsed.size, np.nan)
    if replied is not None:
        has_reply = ~np.isnat(replied)
        not_complaint = has_reply & ~_truth(is_complaint)
        log.add(
            not_complaint,
            _label(parsed, "replied_on"),
            _text(parsed, "replied_on"),
            "a reply date is only for complaints (is_complaint is not true)",
        )
        reply_days = (replied.astype("datetime64[D]") - day).astype(np.float64)
        reply_days[~has_reply] = np.nan
        early = has_reply & ~np.isnat(day) & (reply_days < 0)
        log.add(
            early,
            _label(parsed, "replied_on"),
            _text(parsed, "replied_on"),
            "the reply is dated before the contact",
        )
    satisfaction = v.optional("satisfaction")
    if satisfaction is not None:
        rated = ~np.isnan(satisfaction)
        long_id = rated & (pd.Series(v["source_id"]).str.len().to_numpy() > 59)
        log.add(
            long_id,
            _label(parsed, "source_id"),
            _text(parsed, "source_id"),
            "longer than 59 characters (a rated contact's survey id adds #csat)",
        )
    columns: Columns = {
        "source_id": v["source_id"],
        "occurred_at": v["occurred_at"],
        "day": day,
        "week": week,
        "month": month,
        "area_code": v["area"],
        "channel_code": v["channel"],
        "segment_code": v["segment"],
        "topic_code": v["topic"],
        "customer_ref": _or_none(v.optional("customer_ref"), parsed.size),
        "association_code": _or_none(v.optional("association"), parsed.size),
        "queued": queued,
        "answered": answered,
        "abandoned": abandoned,
        "wait_seconds": _or_nan(v.optional("wait_seconds"), parsed.size),
        "handling_seconds": _or_nan(v.optional("handling_seconds"), parsed.size),
        "resolved_first_contact": _flag(parsed, "resolved_first_contact", None),
        "is_complaint": is_complaint,
        "replied_on": replied if replied is not None else _nat(parsed.size),
        "reply_days": reply_days,
    }
    extra = {"satisfaction": _or_nan(satisfaction, parsed.size)}
    return Prepared("contact", columns, extra=extra)


def _nat(size: int) -> np.ndarray:
    return np.full(size, np.datetime64("NaT"), dtype="datetime64[us]")


def _or_none(values: np.ndarray | None, size: int) -> np.ndarray:
    return values if values is not None else np.full(size, None, dtype=object)


def _or_nan(values: np.ndarray | None, size: int) -> np.ndarray:
    return values if values is not None else np.full(size, np.nan)


def contact_aggregates(parsed: Parsed, log: ErrorLog, lines: np.ndarray) -> Prepared:
    """Daily contact-centre reports: counts that add up; a source id from the keys if absent."""
    v = _Values(parsed)
    day, week, month = day_week_month(v["day"])
    source_id = v.optional("source_id")
    if source_id is None or absent(source_id).any():
        keys = pd.DataFrame(
            {
                "day": np.datetime_as_string(day),
                **{k: v[k] for k in ("area", "channel", "segment", "topic")},
            }
        ).astype(str)
        made = keys.agg("/".join, axis=1).to_numpy(dtype=object)
        if source_id is None:
            parsed.values["source_id"] = made
        else:
            blank = absent(source_id)
            parsed.values["source_id"] = np.where(blank, made, source_id)
    _repeated(parsed, log, lines, ["source_id"], "the same source id (or day and keys) is")
    offered, answered, abandoned = v["offered"], v["answered"], v["abandoned"]
    over = answered + abandoned > offered
    log.add(
        over,
        _label(parsed, "offered"),
        _text(parsed, "offered"),
        np.array([f"fewer than answered + abandoned ({s:g})" for s in answered + abandoned]),
    )
    log.add(
        v["answered_20s"] > answered,
        _label(parsed, "answered_20s"),
        _text(parsed, "answered_20s"),
        "more than the answered calls",
    )
    bands = _wait_bands(parsed, log, answered)
    line_free, operator = v.optional("line_free_seconds"), v.optional("operator_seconds")
    if line_free is not None and operator is not None:
        log.add(
            line_free > operator,
            _label(parsed, "line_free_seconds"),
            _text(parsed, "line_free_seconds"),
            "more than the seconds with operators logged in",
        )
    columns: Columns = {
        "source_id": v["source_id"],
        "day": day,
        "week": week,
        "month": month,
        "area_code": v["area"],
        "channel_code": v["channel"],
        "segment_code": v["segment"],
        "topic_code": v["topic"],
        "offered": offered,
        "answered": answered,
        "abandoned": abandoned,
        "answered_20s": v["answered_20s"],
        **bands,
        "wait_seconds": v["wait_seconds"],
        "handling_seconds": v["handling_seconds"],
        "line_free_seconds": _or_nan(line_free, parsed.size),
        "operator_seconds": _or_nan(operator, parsed.size),
    }
    return Prepared("contact_report", columns)


WAIT_BANDS = ("answered_60s", "answered_120s", "answered_180s", "answered_240s")


def _wait_bands(parsed: Parsed, log: ErrorLog, answered: np.ndarray) -> Columns:
    """The optional wait bands (NaN where unknown): all four or none per row, each within the
    answered calls and at least the band before it (answered_20s first).
    """
    v = _Values(parsed)
    bands = {name: _or_nan(v.optional(name), parsed.size) for name in WAIT_BANDS}
    known = np.column_stack([~np.isnan(values) for values in bands.values()])
    some = known.any(axis=1) & ~known.all(axis=1)
    for name, values in bands.items():
        log.add(
            some & np.isnan(values),
            _label(parsed, name),
            _text(parsed, name),
            "missing: give all four wait bands (answered_60s to answered_240s) or none",
        )
    before, before_name = v["answered_20s"], "answered_20s"
    for name, values in bands.items():
        with np.errstate(invalid="ignore"):
            log.add(
                values > answered,
                _label(parsed, name),
                _text(parsed, name),
                "more than the answered calls",
            )
            log.add(
                values < before,
                _label(parsed, name),
                _text(parsed, name),
                f"fewer than {before_name}",
            )
        before, before_name = values, name
    return bands


def satisfaction_scores(
    raw: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """CSI 0-100 and top-box flags (4-5 of 5, 8-10 of 10; None for other scales)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        csi = (raw - low) / (high - low) * 100
    rated = ~np.isnan(raw)
    positive = np.full(len(raw), None, dtype=object)
    five, ten = rated & (high == 5), rated & (high == 10)
    positive[five] = (raw[five] >= 4).tolist()
    positive[ten] = (raw[ten] >= 8).tolist()
    return csi, positive


def surveys(parsed: Parsed, log: ErrorLog, lines: np.ndarray, scale: tuple[int, int]) -> Prepared:
    """Survey responses: the stated scale, CSI and CSAT from the overall satisfaction."""
    v = _Values(parsed)
    _repeated(parsed, log, lines, ["source_id"], "the same source id is")
    size = parsed.size
    low = _or_nan(v.optional("scale_min"), size).copy()
    high = _or_nan(v.optional("scale_max"), size).copy()
    low[np.isnan(low)], high[np.isnan(high)] = scale
    log.add(
        ~np.isin(low, (0, 1)),
        _label(parsed, "scale_min"),
        _text(parsed, "scale_min"),
        "a scale starts at 0 or 1",
    )
    log.add(
        high <= low,
        _label(parsed, "scale_max"),
        _text(parsed, "scale_max"),
        "not above the scale's lowest point",
    )
    raw = _or_nan(v.optional("satisfaction"), size)
    outside = ~np.isnan(raw) & ((raw < low) | (raw > high))
    reasons = (
        np.array(
            [f"outside the stated scale {a:g} to {b:g}" for a, b in zip(low, high, strict=True)],
            dtype=object,
        )
        if outside.any()
        else ""
    )
    log.add(outside, _label(parsed, "satisfaction"), _text(parsed, "satisfaction"), reasons)
    rated = ~np.isnan(raw)
    csi, positive = satisfaction_scores(raw, low, high)
    day, week, month = day_week_month(v["responded_at"])
    columns: Columns = {
        "source_id": v["source_id"],
        "responded_at": v["responded_at"],
        "day": day,
        "week": week,
        "month": month,
        "area_code": v["area"],
        "channel_code": v["channel"],
        "segment_code": v["segment"],
        "satisfaction_raw": raw,
        "scale_min": np.where(rated, low, np.nan),
        "scale_max": np.where(rated, high, np.nan),
        "csi": csi,
        "csat_positive": positive,
        "recommendation": _or_nan(v.optional("recommendation"), size),
        "effort": _or_nan(v.optional("effort"), size),
        "comment": _or_none(v.optional("comment"), size),
    }
    extra = {"contact_source_id": _or_none(v.optional("contact_source_id"), size)}
    return Prepared("survey_response", columns, extra=extra)


def customers(parsed: Parsed, log: ErrorLog, lines: np.ndarray) -> Prepared:
    """Customer base per month, area and segment (a re-import replaces the number)."""
    v = _Values(parsed)
    _repeated(
        parsed, log, lines, ["month", "area", "segment"], "the same month, area and segment are"
    )
    columns: Columns = {
        "month": v["month"].astype("datetime64[D]"),
        "area_code": v["area"],
        "segment_code": v["segment"],
        "customers": v["customers"],
    }
    return Prepared(
        "customer_base",
        columns,
        keys=("month", "area_code", "segment_code"),
        values=("customers",),
    )


def adoption(parsed: Parsed, log: ErrorLog, lines: np.ndarray) -> Prepared:
    """Channel users per month, area, segment and channel (a re-import replaces the numbers)."""
    v = _Values(parsed)
    _repeated(
        parsed,
        log,
        lines,
        ["month", "area", "segment", "channel"],
        "the same month, area, segment and channel are",
    )
    columns: Columns = {
        "month": v["month"].astype("datetime64[D]"),
        "area_code": v["area"],
        "segment_code": v["segment"],
        "channel_code": v["channel"],
        "users": v["users"],
        "registered": _or_nan(v.optional("registered"), parsed.size),
    }
    return Prepared(
        "channel_adoption",
        columns,
        keys=("month", "area_code", "segment_code", "channel_code"),
        values=("users", "registered"),
    )


def _days_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Calendar days from start to end as floats, NaN where either is missing."""
    days = (end.astype("datetime64[D]") - start.astype("datetime64[D]")).astype(np.float64)
    days[np.isnat(start) | np.isnat(end)] = np.nan
    return days


def association_cases(parsed: Parsed, log: ErrorLog, lines: np.ndarray) -> Prepared:
    """Association cases: answer and closure not before the opening; status from the dates."""
    v = _Values(parsed)
    _repeated(parsed, log, lines, ["source_id"], "the same source id is")
    opened = v["opened_on"]
    size = parsed.size
    nat = _nat(size)
    answered = v.optional("answered_on")
    answered = answered if answered is not None else nat
    closed = v.optional("closed_on")
    closed = closed if closed is not None else nat
    for name, when in (("answered_on", answered), ("closed_on", closed)):
        log.add(
            when < opened,
            _label(parsed, name),
            _text(parsed, name),
            "before the day the case was opened",
        )
    status = _or_none(v.optional("status"), size).copy()
    unknown = absent(status)
    derived = np.where(
        ~np.isnat(closed), "closed", np.where(~np.isnat(answered), "answered", "open")
    )
    status[unknown] = derived[unknown]
    columns: Columns = {
        "source_id": v["source_id"],
        "opened_on": opened.astype("datetime64[D]"),
        "month": opened.astype("datetime64[M]").astype("datetime64[D]"),
        "answered_on": answered.astype("datetime64[D]"),
        "reply_days": _days_between(opened, answered),
        "closed_on": closed.astype("datetime64[D]"),
        "association_code": v["association"],
        "area_code": v["area"],
        "topic_code": v["topic"],
        "status": status,
    }
    return Prepared("association_case", columns)


Rule = Callable[[Parsed, ErrorLog, np.ndarray], Prepared]
