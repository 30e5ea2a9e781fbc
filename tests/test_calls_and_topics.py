"""Calls (data_access.queries.calls) and why customers call (data_access.queries.topics) against
values worked out by hand from the tiny store in tests/kpi_store.py.

Calls that asked for an operator (Q), answered (A), abandoned (Ab):
  BO January c1 Q A, c2 Q A, c3 Q Ab → 3 offered, 2 answered, 1 abandoned
  BO February c5 Q A                 → 1, 1, 0
  RA January c7 Q A                  → 1, 1, 0
  RA February c9 Q A + the report (10 offered, 8 answered, 2 abandoned) → 11, 9, 2

Contacts by topic (FCR known / resolved; complaints):
  bill_info    Jan c1 c2 c7, Feb the report's 10 → 13; FCR c1 yes, c2 no, c7 yes → 2 of 3
  payments     Jan c3, Feb c5 c10                 → 3;  FCR c5 yes, c10 yes       → 2 of 2
  bill_dispute Jan c4, Feb c6 c11 (all complaints) → 3; FCR c6 no                 → 0 of 1
  contracts    Jan c8                              → 1;  FCR yes                   → 1 of 1
  outages      Feb c9                              → 1;  FCR unknown
"""

from __future__ import annotations

import math
from datetime import date

import kpi_store
import pytest
from sqlalchemy.engine import Engine

from data_access.filters import Filters
from data_access.periods import Period
from data_access.queries.calls import call_counts
from data_access.queries.topics import topic_series, topic_summary
from data_access.scope import Scope

EVERYONE = Scope.all_provinces("direzione")
JAN_FEB = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28), compare="none")
JANUARY = Period(date(2025, 1, 1), date(2025, 1, 31))
FEBRUARY = Period(date(2025, 2, 1), date(2025, 2, 28))


@pytest.fixture
def store(engine: Engine) -> Engine:
    return kpi_store.build(engine)


def table(frame, *columns: str) -> list[list]:
    return frame[list(columns)].values.tolist()


def test_calls_per_month(store: Engine) -> None:
    found = call_counts(engine=store, filters=JAN_FEB, scope=EVERYONE)
    assert table(found, "bucket", "offered", "answered", "abandoned", "other") == [
        [date(2025, 1, 1), 4, 3, 1, 0],
        [date(2025, 2, 1), 12, 10, 2, 0],
    ]


def test_calls_per_month_and_province(store: Engine) -> None:
    found = call_counts(engine=store, filters=JAN_FEB, scope=EVERYONE, by=("bucket", "province"))
    assert table(found, "bucket", "province", "offered", "answered", "abandoned") == [
        [date(2025, 1, 1), "BO", 3, 2, 1],
        [date(2025, 1, 1), "RA", 1, 1, 0],
        [date(2025, 2, 1), "BO", 1, 1, 0],
        [date(2025, 2, 1), "RA", 11, 9, 2],
    ]


def test_calls_in_one_bucket_for_a_whole_period(store: Engine) -> None:
    found = call_counts(engine=store, filters=JAN_FEB.narrowed(grain="year"), scope=EVERYONE)
    assert table(found, "bucket", "offered", "answered", "abandoned") == [
        [date(2025, 1, 1), 16, 13, 3]
    ]


def test_calls_keep_to_the_scope(store: Engine) -> None:
    ravenna = Scope.of("romagna@example.it", ["RA"])
    found = call_counts(engine=store, filters=JAN_FEB, scope=ravenna)
    assert table(found, "offered", "answered", "abandoned") == [[1, 1, 0], [11, 9, 2]]
    assert call_counts(engine=store, filters=JAN_FEB, scope=Scope()).empty


def test_calls_follow_the_view_filters(store: Engine) -> None:
    payments = JAN_FEB.narrowed(topics=("payments",))
    found = call_counts(engine=store, filters=payments, scope=EVERYONE)
    assert table(found, "offered", "answered", "abandoned") == [[1, 0, 1], [1, 1, 0]]  # c3; c5


def test_other_unanswered_calls_are_offered_minus_answered_and_abandoned(
    engine: Engine, tmp_path
) -> None:
    import centre_store

    centre_store.build(engine, tmp_path)
    filters = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 1, 31))
    found = call_counts(engine=engine, filters=filters, scope=EVERYONE, by=("province",))
    assert table(found, "province", "offered", "answered", "abandoned", "other") == [
        ["FE", 200, 150, 0, 50],
        ["RA", 100, 85, 10, 5],
    ]


def test_contacts_per_topic_and_month(store: Engine) -> None:
    found = topic_series(
        engine=store, filters=JAN_FEB, scope=EVERYONE, period=JAN_FEB.resolve(None)
    )
    assert table(found, "bucket", "topic", "contacts") == [
        [date(2025, 1, 1), "bill_dispute", 1],
        [date(2025, 1, 1), "bill_info", 3],
        [date(2025, 1, 1), "contracts", 1],
        [date(2025, 1, 1), "payments", 1],
        [date(2025, 2, 1), "bill_dispute", 2],
        [date(2025, 2, 1), "bill_info", 10],
        [date(2025, 2, 1), "outages", 1],
        [date(2025, 2, 1), "payments", 2],
    ]


def test_each_topics_share_fcr_and_complaints(store: Engine) -> None:
    period = JAN_FEB.resolve(None)
    found = topic_summary(engine=store, filters=JAN_FEB, scope=EVERYONE, period=period,
                          compared=None).set_index("topic")  # fmt: skip
    assert found.loc["bill_info", "contacts"] == 13
    assert found.loc["bill_info", "share"] == pytest.approx(13 / 21 * 100)
    assert found.loc["bill_info", "fcr"] == pytest.approx(2 / 3 * 100)
    assert found.loc["bill_info", "fcr_n"] == 3
    assert found.loc["bill_dispute", "fcr"] == 0.0
    assert found.loc["bill_dispute", "complaints"] == 3
    assert found.loc["bill_dispute", "complaint_share"] == 100.0
    assert found.loc["payments", "complaint_share"] == 0.0
    assert math.isnan(found.loc["outages", "fcr"])  # no contact with a known outcome
    assert found["change"].isna().all()  # no comparison


def test_topics_that_grew_most_come_first(store: Engine) -> None:
    found = topic_summary(engine=store, filters=JAN_FEB, scope=EVERYONE, period=FEBRUARY,
                          compared=JANUARY)  # fmt: skip
    # Feb against Jan: bill_info 10 vs 3 (+233,3%), bill_dispute 2 vs 1 and payments 2 vs 1
    # (+100%, tied: alphabetical), outages 1 vs 0 (no change computable, last)
    assert found["topic"].tolist() == ["bill_info", "bill_dispute", "payments", "outages"]
    assert found["contacts_before"].tolist() == [3.0, 1.0, 1.0, 0.0]
    assert found["change"].tolist()[:3] == pytest.approx([700 / 3, 100.0, 100.0])
    assert math.isnan(found["change"].iloc[3])


def test_topics_keep_to_the_scope(store: Engine) -> None:
    ravenna = Scope.of("romagna@example.it", ["RA"])
    found = topic_summary(engine=store, filters=JAN_FEB, scope=ravenna, period=FEBRUARY,
                          compared=None)  # fmt: skip
    assert dict(zip(found["topic"], found["contacts"], strict=True)) == {
        "bill_info": 10, "payments": 1, "bill_dispute": 1, "outages": 1,
    }  # fmt: skip
    assert topic_summary(engine=store, filters=JAN_FEB, scope=Scope(), period=FEBRUARY,
                         compared=None).empty  # fmt: skip


def test_topics_over_weeks_and_ragged_days_add_up(store: Engine) -> None:
    # 8 January to 18 February by week: every contact of those days, read from the weekly
    # aggregate and the daily one for the ragged ends (c1 c2 on 10/01 … c10 on 18/02)
    filters = JAN_FEB.narrowed(start=date(2025, 1, 8), end=date(2025, 2, 18), grain="week")
    found = topic_series(
        engine=store, filters=filters, scope=EVERYONE, period=filters.resolve(None)
    )
    # in: c1 c2 c3 c4 c5 c6 c7 c8 c10 c11 and the report (03/02); out: c9 (20/02)
    assert found["contacts"].sum() == 20
    assert found["bucket"].min() == date(2025, 1, 6)  # the Monday of 08/01's week


def test_topics_per_quarter_add_up_the_months_of_each_quarter(store: Engine) -> None:
    filters = JAN_FEB.narrowed(grain="quarter")
    found = topic_series(
        engine=store, filters=filters, scope=EVERYONE, period=filters.resolve(None)
    )
    # January and February in one bucket: the sums of the header's per-topic lines
    assert table(found, "bucket", "topic", "contacts") == [
        [date(2025, 1, 1), "bill_dispute", 3],
        [date(2025, 1, 1), "bill_info", 13],
        [date(2025, 1, 1), "contracts", 1],
        [date(2025, 1, 1), "outages", 1],
        [date(2025, 1, 1), "payments", 3],
    ]
