"""A tiny hand-made store for the KPI tests, written through the real tables and aggregates.

Everything happens in January and February 2025 in Bologna (BO, with the Imola area) and
Ravenna (RA). The latest data day is 2025-02-20. The figures the tests expect are worked out
by hand from the rows below; keep the two in step.

Contacts (Q queued, A answered, Ab abandoned; wait/handling in seconds; FCR resolved at first
contact, '-' unknown; complaints with days to the reasoned reply):

  id  day    prov channel  segment   topic        Q A Ab wait handle FCR complaint
  c1  01-10  BO   phone    household bill_info    Q A  .  10   300   yes
  c2  01-10  BO   phone    household bill_info    Q A  .  30   200   no
  c3  01-15  BO   phone    household payments     Q .  Ab  -     -    -
  c4  01-20  BO   web      household bill_dispute . .  .   -     -    -   replied in 20 d
  c5  02-05  BO   phone    business  payments     Q A  .  50   400   yes
  c6  02-06  BO   web      household bill_dispute . .  .   -     -    no  replied in 40 d
  c7  01-12  RA   phone    household bill_info    Q A  .  20   100   yes
  c8  01-13  RA   app      household contracts    . .  .   -     -    yes
  c9  02-20  RA   phone    household outages      Q A  .  15   250   -
  c10 02-18  RA   branch   household payments     . .  .   -    600   yes
  c11 02-11  RA   written  household bill_dispute . .  .   -     -    -   not replied

Contact-centre report, RA phone household bill_info, 2025-02-03: offered 10, answered 8,
abandoned 2, answered within 20 s 6, wait 160 s, handling 1,600 s, line free 3,000 s,
operators logged in 4,000 s.

Survey responses (all phone, household):
  cell A  BO 2025-01-20, 40 responses: CSI 60 ×20 and 80 ×20; CSAT positive ×30, not ×10;
          recommendation 10 ×20, 5 ×8, 8 ×12; effort 5 ×20 and 7 ×20.
  cell B  RA 2025-01-21, 5 responses: CSI 50, CSAT positive, recommendation 9, effort 4.
  cell C  BO 2025-02-10, 32 responses: CSI 80 ×16 and 90 ×16; recommendation 10 ×16,
          3 ×8, 7 ×8; no CSAT, no effort.

Customer base:        Jan  BO household 1,000, BO business 200, RA household 800  (2,000)
                      Feb  BO household 1,050, BO business 200, RA household 750  (2,000)
Channel adoption:     web    Jan BO household users 150 registered 240; RA users 100 reg. 120
                             Feb BO household users 160 registered -;   RA users 110 reg. 130
                      branch Feb BO household users 300; RA household users 250
Association cases:    a1 BO    opened 2025-01-05 answered 2025-01-25 (20 days)
                      a2 IMOLA opened 2025-01-10 answered 2025-02-19 (40 days)
                      a3 RA    opened 2025-02-01 not answered
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from data_access import aggregates
from data_access.models import (
    AssociationCase,
    ChannelAdoption,
    Contact,
    ContactReport,
    CustomerBase,
    ImportBatch,
    SurveyResponse,
    table_of,
)


def _d(month: int, day: int) -> date:
    return date(2025, month, day)


LATEST_DAY = _d(2, 20)
IMPORTED_AT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def _calendar(day: date) -> dict[str, date]:
    return {"day": day, "week": day - timedelta(days=day.weekday()), "month": day.replace(day=1)}


def _contact(
    ident: str,
    day: date,
    area: str,
    channel: str,
    segment: str,
    topic: str,
    **measures: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "source_id": ident,
        "occurred_at": datetime.combine(day, datetime.min.time()).replace(hour=10),
        "area_code": area,
        "channel_code": channel,
        "segment_code": segment,
        "topic_code": topic,
        "queued": False,
        "answered": False,
        "abandoned": False,
        "wait_seconds": None,
        "handling_seconds": None,
        "resolved_first_contact": None,
        "is_complaint": False,
        "replied_on": None,
        "reply_days": None,
        **_calendar(day),
    }
    row.update(measures)
    if row["replied_on"] is not None:
        row["reply_days"] = (row["replied_on"] - day).days
    return row


def _call(wait: float, handling: float, resolved: bool | None) -> dict[str, Any]:
    return {
        "queued": True,
        "answered": True,
        "wait_seconds": wait,
        "handling_seconds": handling,
        "resolved_first_contact": resolved,
    }


CONTACTS = [
    _contact("c1", _d(1, 10), "BO", "phone", "household", "bill_info", **_call(10, 300, True)),
    _contact("c2", _d(1, 10), "BO", "phone", "household", "bill_info", **_call(30, 200, False)),
    _contact("c3", _d(1, 15), "BO", "phone", "household", "payments", queued=True, abandoned=True),
    _contact(
        "c4",
        _d(1, 20),
        "BO",
        "web",
        "household",
        "bill_dispute",
        is_complaint=True,
        replied_on=_d(2, 9),
    ),
    _contact("c5", _d(2, 5), "BO", "phone", "business", "payments", **_call(50, 400, True)),
    _contact(
        "c6",
        _d(2, 6),
        "BO",
        "web",
        "household",
        "bill_dispute",
        is_complaint=True,
        replied_on=_d(3, 18),
        resolved_first_contact=False,
    ),
    _contact("c7", _d(1, 12), "RA", "phone", "household", "bill_info", **_call(20, 100, True)),
    _contact("c8", _d(1, 13), "RA", "app", "household", "contracts", resolved_first_contact=True),
    _contact("c9", _d(2, 20), "RA", "phone", "household", "outages", **_call(15, 250, None)),
    _contact(
        "c10",
        _d(2, 18),
        "RA",
        "branch",
        "household",
        "payments",
        handling_seconds=600,
        resolved_first_contact=True,
    ),
    _contact("c11", _d(2, 11), "RA", "written", "household", "bill_dispute", is_complaint=True),
]

REPORT = {
    "source_id": "r1",
    **_calendar(_d(2, 3)),
    "area_code": "RA",
    "channel_code": "phone",
    "segment_code": "household",
    "topic_code": "bill_info",
    "offered": 10,
    "answered": 8,
    "abandoned": 2,
    "answered_20s": 6,
    "wait_seconds": 160.0,
    "handling_seconds": 1600.0,
    "line_free_seconds": 3000.0,
    "operator_seconds": 4000.0,
}


def _responses(cell: str, day: date, area: str, answers: list[dict[str, Any]]) -> list[dict]:
    return [
        {
            "source_id": f"{cell}{index}",
            "responded_at": datetime.combine(day, datetime.min.time()).replace(hour=12),
            "area_code": area,
            "channel_code": "phone",
            "segment_code": "household",
            "csi": None,
            "csat_positive": None,
            "recommendation": None,
            "effort": None,
            **_calendar(day),
            **answer,
        }
        for index, answer in enumerate(answers)
    ]


def _cell_a() -> list[dict[str, Any]]:
    recommendations = [10] * 20 + [5] * 8 + [8] * 12
    return [
        {
            "csi": 60.0 if i < 20 else 80.0,
            "csat_positive": i < 30,
            "recommendation": recommendations[i],
            "effort": 5 if i < 20 else 7,
        }
        for i in range(40)
    ]


def _cell_c() -> list[dict[str, Any]]:
    recommendations = [10] * 16 + [3] * 8 + [7] * 8
    return [
        {"csi": 80.0 if i < 16 else 90.0, "recommendation": recommendations[i]} for i in range(32)
    ]


SURVEYS = (
    _responses("a", _d(1, 20), "BO", _cell_a())
    + _responses(
        "b",
        _d(1, 21),
        "RA",
        [{"csi": 50.0, "csat_positive": True, "recommendation": 9, "effort": 4}] * 5,
    )
    + _responses("c", _d(2, 10), "BO", _cell_c())
)

JAN, FEB = _d(1, 1), _d(2, 1)
CUSTOMERS = [
    {"month": JAN, "area_code": "BO", "segment_code": "household", "customers": 1000},
    {"month": JAN, "area_code": "BO", "segment_code": "business", "customers": 200},
    {"month": JAN, "area_code": "RA", "segment_code": "household", "customers": 800},
    {"month": FEB, "area_code": "BO", "segment_code": "household", "customers": 1050},
    {"month": FEB, "area_code": "BO", "segment_code": "business", "customers": 200},
    {"month": FEB, "area_code": "RA", "segment_code": "household", "customers": 750},
]


def _adoption(month: date, area: str, channel: str, users: int, registered: int | None) -> dict:
    return {
        "month": month,
        "area_code": area,
        "segment_code": "household",
        "channel_code": channel,
        "users": users,
        "registered": registered,
    }


ADOPTION = [
    _adoption(JAN, "BO", "web", 150, 240),
    _adoption(JAN, "RA", "web", 100, 120),
    _adoption(FEB, "BO", "web", 160, None),
    _adoption(FEB, "RA", "web", 110, 130),
    _adoption(FEB, "BO", "branch", 300, None),
    _adoption(FEB, "RA", "branch", 250, None),
]


def _case(ident: str, area: str, opened: date, answered: date | None, status: str) -> dict:
    return {
        "source_id": ident,
        "opened_on": opened,
        "month": opened.replace(day=1),
        "answered_on": answered,
        "reply_days": (answered - opened).days if answered else None,
        "closed_on": None,
        "association_code": "adiconsum",
        "area_code": area,
        "topic_code": "bill_dispute",
        "status": status,
    }


CASES = [
    _case("a1", "BO", _d(1, 5), _d(1, 25), "answered"),
    _case("a2", "IMOLA", _d(1, 10), _d(2, 19), "answered"),
    _case("a3", "RA", _d(2, 1), None, "open"),
]


def build(engine: Engine, areas: Collection[str] | None = None) -> Engine:
    """Fill a migrated, empty store with the rows above and refresh its aggregates; areas: only
    the rows of these areas (None: all; the import batch is written either way)."""

    def kept(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [row for row in rows if areas is None or row["area_code"] in areas]

    with engine.begin() as connection:
        connection.execute(
            insert(table_of(ImportBatch)),
            [
                {
                    "kind": "contacts",
                    "file_name": "mano.csv",
                    "checksum": "0" * 64,
                    "imported_at": IMPORTED_AT,
                }
            ],
        )
        for model, rows in (
            (Contact, CONTACTS),
            (ContactReport, [REPORT]),
            (SurveyResponse, SURVEYS),
            (CustomerBase, CUSTOMERS),
            (ChannelAdoption, ADOPTION),
            (AssociationCase, CASES),
        ):
            if kept(rows):
                connection.execute(insert(table_of(model)), kept(rows))
        aggregates.refresh_contacts(connection, JAN, _d(2, 28))
        aggregates.refresh_surveys(connection, JAN, _d(2, 28))
    return engine


def add_responses(engine: Engine, cell: str, day: date, area: str, csi: list[float]) -> None:
    """Survey responses (phone, household) with these CSI scores on one day, then the
    survey aggregates of that month; for tests that need their own cells beside or without
    the store above.
    """
    rows = _responses(cell, day, area, [{"csi": score} for score in csi])
    with engine.begin() as connection:
        connection.execute(insert(table_of(SurveyResponse)), rows)
        aggregates.refresh_surveys(connection, day, day)
