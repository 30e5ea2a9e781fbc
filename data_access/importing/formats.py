"""The canonical CSV format of each import KIND: its columns, their types and meaning."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

KINDS: tuple[str, ...] = (
    "contacts",
    "contact-aggregates",
    "surveys",
    "customers",
    "adoption",
    "association-cases",
)

CODE_TYPES = ("area", "channel", "segment", "topic", "association")
"""Field types whose values must be a code of a reference table."""

TYPES = (
    "id",  # source id: text, at most 64 characters, unique in the file
    "ref",  # short text, at most 64 characters
    "text",  # free text, personal data masked before storing
    "bool",  # true/false, 1/0
    "int",  # whole number
    "number",  # decimal number (point; a mapping may declare a decimal comma)
    "seconds",  # duration in seconds (a mapping may declare h:mm:ss)
    "date",  # YYYY-MM-DD
    "datetime",  # YYYY-MM-DD HH:MM[:SS] (or a date alone: midnight)
    "month",  # YYYY-MM (or YYYY-MM-DD, read as its month)
    "choice",  # one of Field.choices
    *CODE_TYPES,
)


@dataclass(frozen=True)
class Field:
    """One canonical column: name, type, whether required, bounds and meaning."""

    name: str
    type: str
    required: bool
    meaning: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None


@dataclass(frozen=True)
class KindSpec:
    """The canonical format of one KIND and the table it fills."""

    kind: str
    table: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical column names in documented order."""
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the columns every file must have."""
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        """The field called name."""
        return next(f for f in self.fields if f.name == name)


def _id(meaning: str, required: bool = True) -> Field:
    return Field("source_id", "id", required, meaning, max_length=64)


_AREA = Field("area", "area", True, "area code: a province sigla (BO, FE, MO, ...) or IMOLA")
_CHANNEL = Field(
    "channel",
    "channel",
    True,
    "channel code: phone, web, app, chat, whatsapp, chatbot, branch, written, association",
)
_SEGMENT = Field("segment", "segment", True, "segment code: household or business")
_TOPIC = Field(
    "topic",
    "topic",
    True,
    "topic code: bill_info, bill_dispute, payments, social_bonus, contracts, meter_readings, "
    "outages, other",
)


class _Bounds(TypedDict, total=False):
    """Field's bounds as keywords (so **_COUNT type-checks)."""

    minimum: float
    maximum: float


_COUNT: _Bounds = {"minimum": 0}

SPECS: dict[str, KindSpec] = {
    "contacts": KindSpec(
        "contacts",
        "contact",
        (
            _id("unique id of the contact in the source system"),
            Field("occurred_at", "datetime", True, "when the contact started (local time)"),
            _AREA,
            _CHANNEL,
            _SEGMENT,
            _TOPIC,
            Field("customer_ref", "ref", False, "pseudonymous customer reference", max_length=64),
            Field(
                "association",
                "association",
                False,
                "consumer association the contact came through (adiconsum, adoc, acu, "
                "codacons, federconsumatori, lega_consumatori, unc, arco)",
            ),
            Field(
                "queued",
                "bool",
                False,
                "asked for an operator (default: answered or abandoned)",
            ),
            Field("answered", "bool", False, "reached an operator (default false)"),
            Field("abandoned", "bool", False, "hung up while waiting (default false)"),
            Field(
                "wait_seconds",
                "seconds",
                False,
                "seconds from the request for an operator to the conversation",
                **_COUNT,
            ),
            Field(
                "handling_seconds",
                "seconds",
                False,
                "talk + hold + after-call work, in seconds",
                **_COUNT,
            ),
            Field("resolved_first_contact", "bool", False, "resolved at the first contact"),
            Field("is_complaint", "bool", False, "a complaint (default false)"),
            Field(
                "replied_on",
                "date",
                False,
                "day the reasoned reply to a complaint went out (complaints only)",
            ),
            Field(
                "satisfaction",
                "int",
                False,
                "post-call rating 1-5; also stored as a survey response",
                minimum=1,
                maximum=5,
            ),
        ),
    ),
    "contact-aggregates": KindSpec(
        "contact-aggregates",
        "contact_report",
        (
            _id("unique id of the row (default: day/area/channel/segment/topic)", False),
            Field("day", "date", True, "the day the figures cover"),
            _AREA,
            _CHANNEL,
            _SEGMENT,
            _TOPIC,
            Field("offered", "int", True, "calls that asked for an operator", **_COUNT),
            Field("answered", "int", True, "calls that reached an operator", **_COUNT),
            Field("abandoned", "int", True, "calls abandoned while waiting", **_COUNT),
            Field("answered_20s", "int", True, "calls answered within 20 seconds", **_COUNT),
            Field(
                "answered_60s",
                "int",
                False,
                "calls answered within 60 seconds (wait bands: give all four or none)",
                **_COUNT,
            ),
            Field(
                "answered_120s",
                "int",
                False,
                "calls answered within 120 seconds (wait bands: give all four or none)",
                **_COUNT,
            ),
            Field(
                "answered_180s",
                "int",
                False,
                "calls answered within 180 seconds (wait bands: give all four or none)",
                **_COUNT,
            ),
            Field(
                "answered_240s",
                "int",
                False,
                "calls answered within 240 seconds (wait bands: give all four or none)",
                **_COUNT,
            ),
            Field(
                "wait_seconds",
                "seconds",
                True,
                "total wait of the answered calls, in seconds",
                **_COUNT,
            ),
            Field(
                "handling_seconds",
                "seconds",
                True,
                "total handling time of the answered calls, in seconds",
                **_COUNT,
            ),
            Field(
                "line_free_seconds",
                "seconds",
                False,
                "seconds with the line free (for line accessibility)",
                **_COUNT,
            ),
            Field(
                "operator_seconds",
                "seconds",
                False,
                "seconds with at least one operator logged in",
                **_COUNT,
            ),
        ),
    ),
    "surveys": KindSpec(
        "surveys",
        "survey_response",
        (
            _id("unique id of the response"),
            Field("responded_at", "datetime", True, "when the customer answered (local time)"),
            _AREA,
            _CHANNEL,
            _SEGMENT,
            Field(
                "contact_source_id",
                "ref",
                False,
                "source id of the contact the survey follows (must be in the store)",
                max_length=64,
            ),
            Field("satisfaction", "number", False, "overall satisfaction on the stated scale"),
            Field("scale_min", "int", False, "lowest point of the scale: 0 or 1 (default 1)"),
            Field("scale_max", "int", False, "highest point of the scale (default 5)"),
            Field(
                "recommendation",
                "int",
                False,
                "likelihood to recommend, 0-10 (NPS)",
                minimum=0,
                maximum=10,
            ),
            Field("effort", "int", False, "customer effort, 1-7 (CES)", minimum=1, maximum=7),
            Field("comment", "text", False, "free comment (personal data masked on import)"),
        ),
    ),
    "customers": KindSpec(
        "customers",
        "customer_base",
        (
            Field("month", "month", True, "the month (YYYY-MM)"),
            _AREA,
            _SEGMENT,
            Field("customers", "int", True, "customers served in the month", **_COUNT),
        ),
    ),
    "adoption": KindSpec(
        "adoption",
        "channel_adoption",
        (
            Field("month", "month", True, "the month (YYYY-MM)"),
            _AREA,
            _SEGMENT,
            _CHANNEL,
            Field("users", "int", True, "customers who used the channel in the month", **_COUNT),
            Field(
                "registered",
                "int",
                False,
                "customers registered on the channel (online area, app)",
                **_COUNT,
            ),
        ),
    ),
    "association-cases": KindSpec(
        "association-cases",
        "association_case",
        (
            _id("unique id of the case"),
            Field("opened_on", "date", True, "day the association reported the case"),
            Field(
                "association",
                "association",
                True,
                "association code: adiconsum, adoc, acu, codacons, federconsumatori, "
                "lega_consumatori, unc, arco",
            ),
            _AREA,
            _TOPIC,
            Field("answered_on", "date", False, "day the company answered"),
            Field("closed_on", "date", False, "day the case was closed"),
            Field(
                "status",
                "choice",
                False,
                "open, answered or closed (default: from the dates)",
                choices=("open", "answered", "closed"),
            ),
        ),
    ),
}
