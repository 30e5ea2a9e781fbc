"""A small hand-made store for the censored reply-time KPIs (complaints, association cases).

The latest data day is 2025-03-31 (a phone call that day). A complaint's 30 days have passed
by then when it was received on or before 2025-03-01; an association case's 30-day default
target likewise. The figures the tests expect are worked out by hand from the rows below.

Written complaints (BO: area BO; RA: area RA; channel written, household, bill_dispute):

  received    prov  replied in 10 d  in 40 d  in 5 d  no reply  window on 31/03
  2025-01-10  BO          30            10               5      closed (5 late)
  2025-01-15  RA           5                                    closed
  2025-02-20  BO          20                             20     closed (20 late)
  2025-03-01  BO                                          1     closed: day 30 is 31/03 (late)
  2025-03-15  BO                                 30      12     open (12 pending)

  January:  50 complaints, 35 within 30 d, 15 late, 0 pending -> 70%; mean (300+400+50)/45
            replied = 16.67 days, 5 unanswered. BO 45 (30 on time), RA 5 (under 30: suppressed).
  February: 40, 20 within, 20 late -> 50%; mean 10 days on 20 replied, 20 unanswered.
  March:    43, 30 within, 1 late, 12 pending; only the 01/03 complaint has had its 30 days
            (the 42 of 15/03 are in the open window, left out of the share) -> 0 / 1,
            suppressed, provisional; mean 5 days on 30 replied, 13 unanswered.
  Jan-Mar:  133, 85 within, 12 pending; open window out: 55 / 91 = 60.44%, provisional,
            38 unanswered;
            mean (300+400+50+200+150) / 95 replied = 11.58 days.

Association cases (adiconsum, bill_dispute; default target 30 days):

  opened      area  answered in 20 d  in 40 d  in 5 d  in 10 d  no answer
  2025-01-05  BO          24             6                          2 (late)
  2025-02-10  RA                                          5
  2025-03-20  BO                                 30                 4 (pending)

  January:  32 cases, 24 within, 8 late -> 75%; mean (480+240)/30 = 24 days, 2 unanswered.
  February: 5 cases (under 30: suppressed), 5 within.
  March:    34 cases, 30 within, 4 pending, all in the open window (opened after 02/03):
            no share yet (n 0), provisional; mean 5 days.
  Jan-Mar:  71 cases, 59 within, 4 pending; open window out: 29 / 37 = 78.38%, provisional,
            6 unanswered;
            mean (480+240+50+150) / 65 answered = 14.15 days.
"""

from __future__ import annotations

from datetime import date, timedelta

import kpi_store
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from data_access import aggregates
from data_access.models import AssociationCase, Contact, table_of

LATEST_DAY = date(2025, 3, 31)


def _complaints(prov: str, received: date, replies: list[int | None], start: int) -> list[dict]:
    return [
        kpi_store._contact(
            f"{prov}-{received.isoformat()}-{start + index}",
            received,
            prov,
            "written",
            "household",
            "bill_dispute",
            is_complaint=True,
            replied_on=None if days is None else received + timedelta(days=days),
        )
        for index, days in enumerate(replies)
    ]


def _many(*groups: tuple[int, int | None]) -> list[int | None]:
    return [days for count, days in groups for _ in range(count)]


CONTACTS = (
    _complaints("BO", date(2025, 1, 10), _many((30, 10), (10, 40), (5, None)), 0)
    + _complaints("RA", date(2025, 1, 15), _many((5, 10)), 0)
    + _complaints("BO", date(2025, 2, 20), _many((20, 10), (20, None)), 0)
    + _complaints("BO", date(2025, 3, 1), _many((1, None)), 0)
    + _complaints("BO", date(2025, 3, 15), _many((30, 5), (12, None)), 0)
    + [
        kpi_store._contact(
            "call",
            LATEST_DAY,
            "BO",
            "phone",
            "household",
            "bill_info",
            **kpi_store._call(10, 100, True),
        )
    ]
)


def _cases(area: str, opened: date, replies: list[int | None]) -> list[dict]:
    return [
        kpi_store._case(
            f"{area}-{opened.isoformat()}-{index}",
            area,
            opened,
            None if days is None else opened + timedelta(days=days),
            "open" if days is None else "answered",
        )
        for index, days in enumerate(replies)
    ]


CASES = (
    _cases("BO", date(2025, 1, 5), _many((24, 20), (6, 40), (2, None)))
    + _cases("RA", date(2025, 2, 10), _many((5, 10)))
    + _cases("BO", date(2025, 3, 20), _many((30, 5), (4, None)))
)


def build(engine: Engine) -> Engine:
    """Fill a migrated, empty store with the rows above and refresh its aggregates."""
    with engine.begin() as connection:
        connection.execute(insert(table_of(Contact)), CONTACTS)
        connection.execute(insert(table_of(AssociationCase)), CASES)
        aggregates.refresh_contacts(connection, date(2025, 1, 1), LATEST_DAY)
    return engine
