"""The demo world: deterministic, complete, and shaped like DESIGN.md's Hera-like utility."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from data_access.models import (
    AssociationCase,
    ChannelAdoption,
    Contact,
    ContactDaily,
    ContactHourly,
    ContactMonthly,
    ContactProvinceMonthly,
    ContactWeekly,
    CustomerBase,
    ImportBatch,
    SurveyDaily,
    SurveyMonthly,
    SurveyResponse,
    SurveyWeekly,
    table_of,
)
from fixtures.demo import DEFAULT_CONTACTS, StoreNotEmptyError, build_demo, generate, volumes, world
from fixtures.demo import surveys as demo_surveys

SMALL = 20_000

# Every table the demo fills, children before parents (the order to empty them in).
DEMO_TABLES = (
    SurveyResponse,
    Contact,
    AssociationCase,
    CustomerBase,
    ChannelAdoption,
    ContactDaily,
    ContactWeekly,
    ContactMonthly,
    ContactProvinceMonthly,
    ContactHourly,
    SurveyDaily,
    SurveyWeekly,
    SurveyMonthly,
    ImportBatch,
)


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        for model in DEMO_TABLES:
            connection.execute(delete(model.__table__))


def _rounded(value: object) -> object:
    # A server may add floats in any order, so sums can differ in the last bit.
    return round(value, 6) if isinstance(value, float) else value


def _aggregates(engine: Engine) -> tuple[list, list]:
    """Every monthly contact and survey aggregate row, in a stable order."""
    with engine.connect() as connection:
        tables = []
        for model in (ContactMonthly, SurveyMonthly):
            table = model.__table__
            keys = [c for c in table.c if c.primary_key]
            rows = connection.execute(select(table).order_by(*keys))
            tables.append([tuple(_rounded(v) for v in row) for row in rows])
    return tables[0], tables[1]


def _contact_sums(engine: Engine, first: date, last: date, **where: str) -> dict[str, float]:
    """Contact measures summed over the months first..last (optionally for one channel)."""
    c = table_of(ContactMonthly).c
    measures = ("contacts", "queued", "answered", "wait_seconds", "handled", "handling_seconds")
    measures += ("fcr_known", "fcr_resolved", "complaints", "complaints_replied")
    measures += ("complaint_reply_days",)
    query = select(*(func.sum(c[m]).label(m) for m in measures)).where(c.month.between(first, last))
    for column, value in where.items():
        query = query.where(c[column] == value)
    with engine.connect() as connection:
        return dict(connection.execute(query).one()._mapping)


def _registered_share(engine: Engine, month: date, channel: str) -> float:
    """Registered customers on channel ÷ customers, in percent, for one month."""
    a, b = table_of(ChannelAdoption).c, table_of(CustomerBase).c
    with engine.connect() as connection:
        registered = connection.execute(
            select(func.sum(a.registered)).where(a.month == month, a.channel_code == channel)
        ).scalar_one()
        customers = connection.execute(
            select(func.sum(b.customers)).where(b.month == month)
        ).scalar_one()
    return registered / customers * 100


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_builds_the_same_aggregates(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    first = _aggregates(engine)
    _empty(engine)
    build_demo(engine=engine, contacts=SMALL, seed=7)
    assert _aggregates(engine) == first


def test_different_seeds_build_different_aggregates(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    first = _aggregates(engine)
    _empty(engine)
    build_demo(engine=engine, contacts=SMALL, seed=8)
    second = _aggregates(engine)
    assert second[0] != first[0]
    assert second[1] != first[1]


# --- what the build writes --------------------------------------------------------------------


def test_build_fills_every_table_and_reports_the_counts(engine: Engine) -> None:
    summary = build_demo(engine=engine, contacts=SMALL, seed=7)
    with engine.connect() as connection:
        actual = {
            model.__tablename__: connection.execute(
                select(func.count()).select_from(model.__table__)
            ).scalar_one()
            for model in DEMO_TABLES
            if model is not ImportBatch
        }
    assert summary.counts == actual
    assert all(count > 0 for count in actual.values())
    assert actual["contact"] == 20_000
    assert actual["customer_base"] == 84 * 7 * 2  # months x areas x segments
    assert actual["channel_adoption"] == 84 * 7 * 2 * 9  # ... x channels
    assert summary.seconds > 0


def test_build_records_one_demo_import_batch(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    with engine.connect() as connection:
        batches = connection.execute(select(table_of(ImportBatch))).all()
        batch_ids = set(connection.execute(select(table_of(Contact).c.batch_id)).scalars())
    assert len(batches) == 1
    assert batches[0].kind == "demo"
    assert batches[0].file_name == "demo seed=7 contacts=20000"
    assert len(batches[0].checksum) == 64
    assert batch_ids == {batches[0].id}


def test_contacts_carry_pseudonymous_references_and_demo_source_ids(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    c = table_of(Contact).c
    with engine.connect() as connection:
        first = connection.execute(select(c.source_id, c.customer_ref).order_by(c.id)).first()
        last_id = connection.execute(select(func.max(c.id))).scalar_one()
    assert first.source_id == "demo:7:000000001"
    assert re.fullmatch(r"C[0-9a-f]{8}", first.customer_ref)
    assert last_id == 20_000


def test_contacts_cover_every_area_channel_and_association(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    c = table_of(Contact).c
    with engine.connect() as connection:
        areas = set(connection.execute(select(c.area_code).distinct()).scalars())
        channels = set(connection.execute(select(c.channel_code).distinct()).scalars())
        associations = set(
            connection.execute(
                select(c.association_code).where(c.channel_code == "association").distinct()
            ).scalars()
        )
        stray = connection.execute(
            select(func.count()).where(
                c.channel_code != "association", c.association_code.is_not(None)
            )
        ).scalar_one()
    assert areas == {"BO", "IMOLA", "FE", "FC", "MO", "RA", "RN"}
    assert len(channels) == 9
    assert len(associations) == 8
    assert stray == 0


def test_build_reports_progress_to_the_end(engine: Engine) -> None:
    calls: list[tuple[str, int, int]] = []
    build_demo(engine=engine, contacts=SMALL, seed=7, progress=lambda *a: calls.append(a))
    demo = [call for call in calls if call[0] == "demo"]
    assert demo[0] == ("demo", 0, 20_000)
    assert demo[-1] == ("demo", 20_000, 20_000)
    assert calls[-1] == ("aggregates", 2, 2)


def test_build_refuses_a_store_that_already_has_contacts(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    with pytest.raises(StoreNotEmptyError) as refused:
        build_demo(engine=engine, contacts=SMALL, seed=8)
    assert str(refused.value) == (
        "the store already holds 20,000 contacts; the demo world only fills an empty store"
    )
    with engine.connect() as connection:
        batches = connection.execute(select(func.count()).select_from(ImportBatch)).scalar_one()
    assert batches == 1


def test_sqlite_foreign_keys_are_checked_again_after_a_build(sqlite_engine: Engine) -> None:
    build_demo(engine=sqlite_engine, contacts=2_000, seed=7)
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


# --- the world's shape --------------------------------------------------------------------------


def test_branch_visits_drop_38_6_percent_in_2020(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    y2019 = _contact_sums(engine, date(2019, 1, 1), date(2019, 12, 1), channel_code="branch")
    y2020 = _contact_sums(engine, date(2020, 1, 1), date(2020, 12, 1), channel_code="branch")
    change = (y2020["contacts"] / y2019["contacts"] - 1) * 100
    assert change == pytest.approx(-38.6, abs=0.3)


def test_2020_has_more_calls_fewer_answered_and_longer_waits(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    y2019 = _contact_sums(engine, date(2019, 1, 1), date(2019, 12, 1), channel_code="phone")
    y2020 = _contact_sums(engine, date(2020, 1, 1), date(2020, 12, 1), channel_code="phone")
    assert y2020["contacts"] > y2019["contacts"]
    assert y2020["answered"] / y2020["queued"] == pytest.approx(0.57, abs=0.02)
    assert y2019["answered"] / y2019["queued"] == pytest.approx(0.90, abs=0.02)
    assert y2019["wait_seconds"] / y2019["answered"] == pytest.approx(60, abs=5)
    assert y2020["wait_seconds"] / y2020["answered"] == pytest.approx(99, abs=6)


def test_calls_are_handled_in_four_to_six_minutes(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    phone = _contact_sums(engine, date(2019, 1, 1), date(2025, 12, 1), channel_code="phone")
    assert 240 <= phone["handling_seconds"] / phone["handled"] <= 360


def test_first_contact_resolution_and_complaints_match_the_world(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    every = _contact_sums(engine, date(2019, 1, 1), date(2025, 12, 1))
    written = _contact_sums(engine, date(2019, 1, 1), date(2025, 12, 1), channel_code="written")
    assert 70 <= every["fcr_resolved"] / every["fcr_known"] * 100 <= 80
    assert 3 <= every["complaints"] / every["contacts"] * 100 <= 5
    assert written["complaints"] > every["complaints"] / 2
    assert 14 <= every["complaint_reply_days"] / every["complaints_replied"] <= 19


def test_online_registration_passes_8_percent_within_two_years_and_reaches_24(
    engine: Engine,
) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    assert _registered_share(engine, date(2019, 1, 1), "web") < 8
    assert _registered_share(engine, date(2020, 12, 1), "web") > 8
    assert _registered_share(engine, date(2025, 12, 1), "web") == pytest.approx(24, abs=0.3)


def test_about_30_percent_of_customers_used_a_branch_in_2019(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    a, b = table_of(ChannelAdoption).c, table_of(CustomerBase).c
    month = date(2019, 12, 1)
    with engine.connect() as connection:
        users = connection.execute(
            select(func.sum(a.users)).where(a.month == month, a.channel_code == "branch")
        ).scalar_one()
        customers = connection.execute(
            select(func.sum(b.customers)).where(b.month == month)
        ).scalar_one()
    assert users / customers * 100 == pytest.approx(32, abs=0.5)
    assert 1_750_000 <= customers <= 1_850_000


def test_at_default_size_the_app_has_the_highest_csi_and_digital_is_above_76() -> None:
    # Generated without a store: the sample of a default build, the arithmetic of the CSI.
    total, responses = np.zeros(len(world.CHANNELS)), np.zeros(len(world.CHANNELS))
    for month in generate.months(7, DEFAULT_CONTACTS):
        np.add.at(total, month.surveys.channel, (month.surveys.score - 1) / 9 * 100)
        np.add.at(responses, month.surveys.channel, 1)
    csi = dict(zip(world.CHANNELS, total / responses, strict=True))
    assert max(csi, key=csi.get) == "app"
    assert csi["app"] == pytest.approx(81.5, abs=1.5)
    assert min(csi[c] for c in ("web", "app", "chat", "whatsapp", "chatbot")) > 76


def test_overall_csi_stays_near_70_with_a_dip_in_2020(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    s = table_of(SurveyMonthly).c
    yearly = {}
    with engine.connect() as connection:
        for year in (2019, 2020, 2025):
            yearly[year] = connection.execute(
                select(func.sum(s.csi_sum) / func.sum(s.csi_n)).where(
                    s.month.between(date(year, 1, 1), date(year, 12, 1))
                )
            ).scalar_one()
    assert 64 <= yearly[2019] <= 72
    assert 64 <= yearly[2025] <= 74
    assert yearly[2020] < yearly[2019] - 3


def test_survey_scores_are_stored_on_the_1_to_10_scale(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    r = table_of(SurveyResponse).c
    with engine.connect() as connection:
        eight = connection.execute(
            select(r.scale_min, r.scale_max, r.csi, r.csat_positive).where(r.satisfaction_raw == 8)
        ).first()
        seven = connection.execute(select(r.csat_positive).where(r.satisfaction_raw == 7)).first()
        linked = connection.execute(
            select(func.count()).where(r.contact_id.is_not(None))
        ).scalar_one()
    assert (eight.scale_min, eight.scale_max, eight.csat_positive) == (1, 10, True)
    assert eight.csi == pytest.approx(77.7778, abs=0.0001)  # (8 - 1) / 9 x 100
    assert seven.csat_positive is False
    assert linked > 0


def test_survey_comments_are_stored_with_personal_data_masked(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    r = table_of(SurveyResponse).c
    with engine.connect() as connection:
        comments = set(
            connection.execute(select(r.comment).where(r.comment.is_not(None))).scalars()
        )
    assert "Ho scritto a [email] ma dopo un mese nessuna risposta." in comments
    assert not any("@" in comment or re.search(r"\d{6}", comment) for comment in comments)


def test_association_cases_are_answered_in_about_15_to_40_days(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    k = table_of(AssociationCase).c
    with engine.connect() as connection:
        cases = connection.execute(
            select(k.opened_on, k.answered_on, k.status).where(k.answered_on.is_not(None))
        ).all()
    waits = np.array([(case.answered_on - case.opened_on).days for case in cases])
    assert 20 <= waits.mean() <= 32
    assert 0.6 <= np.mean((waits >= 15) & (waits <= 40)) <= 0.9
    assert {case.status for case in cases} <= {"answered", "closed"}


def test_default_size_gives_every_area_month_at_least_30_survey_responses() -> None:
    per_area_month = volumes.cell_counts(DEFAULT_CONTACTS).sum(axis=(2, 3))
    wanted = demo_surveys.survey_targets(per_area_month, DEFAULT_CONTACTS)
    assert wanted.shape == (84, 7)
    assert wanted.min() >= 30


def test_cell_counts_add_up_to_the_contacts_asked_for() -> None:
    assert volumes.cell_counts(12_345).sum() == 12_345
    assert world.YEARLY_CONTACTS[1, world.PHONE] == pytest.approx(903.151)
