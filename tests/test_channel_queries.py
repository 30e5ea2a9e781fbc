"""The Canali page's figures against values worked out by hand from tests/kpi_store.py:
KPIs grouped by channel and segment, every channel's adoption, the channel mix as shares, the
month each province reached a mark, and what moved per channel.

Contacts by month and channel (the contact-centre report adds 10 RA phone calls on 3 Feb):
  Jan: phone 4 (c1 c2 c3 c7), web 1 (c4), app 1 (c8)                       = 6
  Feb: phone 12 (c5 c9 + 10), web 1 (c6), branch 1 (c10), written 1 (c11)   = 15
Customers: 2,000 in each month (BO household 1,000 / 1,050, BO business 200, RA 800 / 750).
"""

from __future__ import annotations

from datetime import date

import kpi_store
import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.filters import Filters
from data_access.movements import movements_between
from data_access.periods import Period
from data_access.queries import channels
from data_access.scope import Scope

EVERYONE = Scope.all_provinces("direzione")
RAVENNA_ONLY = Scope(user="ra", provinces=frozenset({"RA"}))
JAN_FEB = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28), compare="none")
JAN, FEB = date(2025, 1, 1), date(2025, 2, 1)


@pytest.fixture
def store(engine: Engine) -> Engine:
    return kpi_store.build(engine)


def series(store: Engine, kpi: str, by: tuple[str, ...], **kwargs: object) -> pd.DataFrame:
    options = {"filters": JAN_FEB, "scope": EVERYONE} | kwargs
    return queries.kpi_series(engine=store, kpi=kpi, by=by, **options)  # type: ignore[arg-type]


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False)]


def approx_rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(pytest.approx(v) if isinstance(v, float) else v for v in row)
            for row in rows(frame, *columns)]  # fmt: skip


# --- the rollup engine's dimension keys -------------------------------------------------------


def test_contacts_per_month_and_channel(store: Engine) -> None:
    frame = series(store, "contacts", ("bucket", "channel"))
    assert rows(frame, "bucket", "channel", "value") == [
        (JAN, "app", 1.0),
        (JAN, "phone", 4.0),
        (JAN, "web", 1.0),
        (FEB, "branch", 1.0),
        (FEB, "phone", 12.0),
        (FEB, "web", 1.0),
        (FEB, "written", 1.0),
    ]


def test_contacts_per_channel_over_the_period(store: Engine) -> None:
    frame = series(store, "contacts", ("channel",))
    assert rows(frame, "channel", "value") == [
        ("app", 1.0), ("branch", 1.0), ("phone", 16.0), ("web", 2.0), ("written", 1.0),
    ]  # fmt: skip


def test_a_channel_key_respects_the_scope(store: Engine) -> None:
    frame = series(store, "contacts", ("channel",), scope=RAVENNA_ONLY)
    # RA: c7 c9 + 10 reported calls on the phone, c8 app, c10 branch, c11 written
    assert rows(frame, "channel", "value") == [
        ("app", 1.0), ("branch", 1.0), ("phone", 12.0), ("written", 1.0),
    ]  # fmt: skip


def test_digital_share_per_province_and_segment(store: Engine) -> None:
    frame = series(store, "digital_share", ("province", "segment"))
    # BO household c1 c2 c3 c4 c6: web c4 c6 = 2 of 5; BO business c5 on the phone;
    # RA household c7 c8 c9 c10 c11 + 10 calls: app c8 = 1 of 15
    assert approx_rows(frame, "province", "segment", "value", "n") == [
        ("BO", "business", 0.0, 1.0),
        ("BO", "household", 40.0, 5.0),
        ("RA", "household", 100 / 15, 15.0),
    ]


def test_contacts_per_1000_per_channel_divide_by_the_whole_customer_base(store: Engine) -> None:
    frame = series(store, "contacts_per_1000", ("channel",))
    # mean monthly base (2,000 + 2,000) / 2: the base does not depend on the channel
    assert approx_rows(frame, "channel", "value") == [
        ("app", 0.5), ("branch", 0.5), ("phone", 8.0), ("web", 1.0), ("written", 0.5),
    ]  # fmt: skip


def test_contacts_per_1000_per_segment_divide_by_that_segments_customers(store: Engine) -> None:
    frame = series(store, "contacts_per_1000", ("segment",))
    # business: c5 over 200 customers; household: 20 contacts over (1,800 + 1,800) / 2
    assert approx_rows(frame, "segment", "value") == [
        ("business", 5.0), ("household", 20 / 1800 * 1000),
    ]  # fmt: skip


def test_csi_per_channel_carries_n_and_its_interval(store: Engine) -> None:
    frame = series(store, "csi", ("channel",))
    # every response is on the phone: (60×20 + 80×20 + 50×5 + 80×16 + 90×16) / 77
    assert rows(frame, "channel", "n") == [("phone", 77.0)]
    assert frame["value"].iloc[0] == pytest.approx(5770 / 77)
    assert frame["ci_low"].iloc[0] < 5770 / 77 < frame["ci_high"].iloc[0]


def test_adoption_per_province_and_segment(store: Engine) -> None:
    frame = series(store, "online_adoption", ("province", "segment"))
    # February, the period's last month: BO household 160 users of 1,050; RA 130 of 750
    assert approx_rows(frame, "province", "segment", "value") == [
        ("BO", "household", 160 / 1050 * 100), ("RA", "household", 130 / 750 * 100),
    ]  # fmt: skip


def test_several_groupings_from_one_read_give_each_groupings_figures(store: Engine) -> None:
    found = queries.kpi_series_shapes(
        engine=store, filters=JAN_FEB, scope=EVERYONE, kpis=("contacts",),
        shapes=(("bucket", "channel"), ("channel",)),
    )  # fmt: skip
    assert rows(found["contacts", ("bucket", "channel")], "bucket", "channel", "value") == [
        (JAN, "app", 1.0), (JAN, "phone", 4.0), (JAN, "web", 1.0), (FEB, "branch", 1.0),
        (FEB, "phone", 12.0), (FEB, "web", 1.0), (FEB, "written", 1.0),
    ]  # fmt: skip
    assert rows(found["contacts", ("channel",)], "channel", "value") == [
        ("app", 1.0), ("branch", 1.0), ("phone", 16.0), ("web", 2.0), ("written", 1.0),
    ]  # fmt: skip


def test_adoption_per_province_from_the_monthly_read_is_the_last_months(store: Engine) -> None:
    found = queries.kpi_series_shapes(
        engine=store, filters=JAN_FEB, scope=EVERYONE, kpis=("online_adoption",),
        shapes=(("bucket", "province"), ("province",)),
    )  # fmt: skip
    # BO Jan 240 / 1,200, Feb 160 / 1,250; RA Jan 120 / 800, Feb 130 / 750
    assert approx_rows(found["online_adoption", ("bucket", "province")],
                       "bucket", "province", "value") == [
        (JAN, "BO", 20.0), (JAN, "RA", 15.0), (FEB, "BO", 12.8), (FEB, "RA", 130 / 750 * 100),
    ]  # fmt: skip
    assert approx_rows(found["online_adoption", ("province",)], "province", "value") == [
        ("BO", 12.8), ("RA", 130 / 750 * 100),
    ]  # fmt: skip


def test_keys_out_of_order_are_refused(store: Engine) -> None:
    with pytest.raises(ValueError, match="in order"):
        series(store, "contacts", ("channel", "bucket"))


def test_a_kpi_is_not_grouped_by_a_dimension_it_does_not_depend_on(store: Engine) -> None:
    with pytest.raises(ValueError, match="does not depend on channel"):
        series(store, "association_reply_days", ("channel",))


# --- every channel's adoption -----------------------------------------------------------------


def test_adoption_of_every_channel_per_month(store: Engine) -> None:
    frame = channels.adoption_by_channel(engine=store, filters=JAN_FEB, scope=EVERYONE)
    # web: Jan registered 240 + 120 of 2,000; Feb BO users 160 (no registered) + RA 130;
    # branch: Feb users 300 + 250
    assert approx_rows(frame, "bucket", "channel", "value", "n") == [
        (JAN, "web", 18.0, 2000.0),
        (FEB, "branch", 27.5, 2000.0),
        (FEB, "web", 14.5, 2000.0),
    ]


def test_adoption_of_every_channel_per_province_at_the_last_month(store: Engine) -> None:
    frame = channels.adoption_by_channel(
        engine=store, filters=JAN_FEB, scope=EVERYONE, by=("province", "channel")
    )
    assert approx_rows(frame, "province", "channel", "value") == [
        ("BO", "branch", 300 / 1250 * 100),
        ("BO", "web", 160 / 1250 * 100),
        ("RA", "branch", 250 / 750 * 100),
        ("RA", "web", 130 / 750 * 100),
    ]


def test_adoption_of_every_channel_follows_the_channel_filter_and_the_scope(store: Engine) -> None:
    frame = channels.adoption_by_channel(
        engine=store,
        filters=JAN_FEB.narrowed(channels=("branch",)),
        scope=RAVENNA_ONLY,
        by=("channel",),
    )
    assert approx_rows(frame, "channel", "value") == [("branch", 250 / 750 * 100)]


def test_adoption_of_every_channel_needs_a_channel_key(store: Engine) -> None:
    with pytest.raises(ValueError, match="channel"):
        channels.adoption_by_channel(engine=store, filters=JAN_FEB, scope=EVERYONE, by=("bucket",))


# --- the channel mix --------------------------------------------------------------------------


def test_the_mix_gives_each_channel_its_share_of_the_bucket(store: Engine) -> None:
    mix = channels.with_shares(series(store, "contacts", ("bucket", "channel")))
    assert approx_rows(mix, "bucket", "channel", "share") == [
        (JAN, "app", 100 / 6),
        (JAN, "phone", 400 / 6),
        (JAN, "web", 100 / 6),
        (FEB, "branch", 100 / 15),
        (FEB, "phone", 80.0),
        (FEB, "web", 100 / 15),
        (FEB, "written", 100 / 15),
    ]


# --- the month a province reached a mark ------------------------------------------------------

# online adoption per month: BO Jan 240 / 1,200 = 20%, Feb 160 / 1,250 = 12,8%;
#                            RA Jan 120 / 800 = 15%, Feb 130 / 750 = 17,3%


def reached(store: Engine, threshold: float) -> list[tuple]:
    found = channels.first_reaching(
        engine=store,
        filters=JAN_FEB,
        scope=EVERYONE,
        kpi="online_adoption",
        threshold=threshold,
        window=Period(date(2025, 1, 1), date(2025, 2, 28)),
    )
    return approx_rows(found, "province", "first_month", "month", "value", "latest")


def test_a_province_reaches_a_mark_in_the_first_month_at_or_above_it(store: Engine) -> None:
    assert reached(store, 16.0) == [
        ("BO", JAN, JAN, 20.0, 160 / 1250 * 100),
        ("RA", JAN, FEB, 130 / 750 * 100, 130 / 750 * 100),
    ]


def test_a_value_equal_to_the_mark_reaches_it(store: Engine) -> None:
    assert reached(store, 15.0)[1][:4] == ("RA", JAN, JAN, 15.0)


def test_a_province_that_never_reached_the_mark_has_no_month(store: Engine) -> None:
    found = reached(store, 21.0)
    assert [(row[0], row[2]) for row in found] == [("BO", None), ("RA", None)]


# --- what moved per channel -------------------------------------------------------------------


def test_what_moved_per_channel_uses_the_overviews_rules(store: Engine) -> None:
    february = JAN_FEB.narrowed(start=date(2025, 2, 1), compare="previous")
    now, before = (
        {"contacts": series(store, "contacts", ("channel",), filters=february, period=p)}
        for p in (Period(FEB, date(2025, 2, 28)), Period(JAN, date(2025, 1, 31)))
    )
    found = movements_between(kpis=("contacts",), now=now, before=before, key="channel")
    # phone 4 -> 12 (+200%); web 1 -> 1 does not move; app, branch, written are on one side only
    assert [(m.province, m.before, m.now) for m in found] == [("phone", 4.0, 12.0)]


def test_channel_volumes_that_moved_are_ordered_by_the_contacts_they_moved() -> None:
    def frame(values: dict[str, float]) -> pd.DataFrame:
        return pd.DataFrame({"channel": list(values), "value": list(values.values())})

    now = {"contacts": frame({"branch": 534.0, "chatbot": 21.0, "phone": 2709.0})}
    before = {"contacts": frame({"branch": 870.0, "chatbot": 6.0, "phone": 2700.0})}
    found = channels.channel_movements(kpis=("contacts",), now=now, before=before)
    # chatbot +250% is the strongest relative change; branches moved 336 contacts, it 15;
    # the phone's +0,3% is under the 10% a volume must move
    assert [(m.province, m.change) for m in found] == [("branch", -336.0), ("chatbot", 15.0)]
