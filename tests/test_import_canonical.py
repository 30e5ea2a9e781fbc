"""Canonical files import whole, record a batch, refresh aggregates, and re-import as no-ops."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.importing import KINDS, ImportRefused, import_file
from data_access.models import (
    AssociationCase,
    ChannelAdoption,
    Contact,
    ContactDaily,
    ContactReport,
    CustomerBase,
    ImportBatch,
    SurveyDaily,
    SurveyResponse,
)

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
SAMPLE_ROWS = {
    "contacts": 20,
    "contact-aggregates": 15,
    "surveys": 18,
    "customers": 18,
    "adoption": 15,
    "association-cases": 10,
}
CONTACT_HEADER = "source_id,occurred_at,area,channel,segment,topic"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def rows(engine: Engine, *columns) -> list[tuple]:  # model attributes
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(*columns).order_by(*columns))]


@pytest.mark.parametrize("kind", KINDS)
def test_each_sample_file_imports_every_row(engine: Engine, kind: str) -> None:
    report = import_file(engine=engine, kind=kind, path=SAMPLES / f"{kind}.csv")
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (
        SAMPLE_ROWS[kind],
        SAMPLE_ROWS[kind],
        0,
    )


@pytest.mark.parametrize("kind", KINDS)
def test_reimporting_a_sample_adds_nothing_and_counts_duplicates(engine: Engine, kind: str) -> None:
    import_file(engine=engine, kind=kind, path=SAMPLES / f"{kind}.csv")
    again = import_file(engine=engine, kind=kind, path=SAMPLES / f"{kind}.csv")
    assert (again.rows_accepted, again.rows_duplicate) == (0, SAMPLE_ROWS[kind])


def test_reimport_leaves_the_contact_count_unchanged(engine: Engine) -> None:
    import_file(engine=engine, kind="contacts", path=SAMPLES / "contacts.csv")
    import_file(engine=engine, kind="contacts", path=SAMPLES / "contacts.csv")
    assert count(engine, Contact) == 20


def test_an_import_records_its_batch(engine: Engine) -> None:
    path = SAMPLES / "association-cases.csv"
    report = import_file(engine=engine, kind="association-cases", path=path, user="anna")
    batch = rows(
        engine,
        ImportBatch.kind,
        ImportBatch.file_name,
        ImportBatch.rows_read,
        ImportBatch.rows_accepted,
        ImportBatch.rows_rejected,
        ImportBatch.rows_duplicate,
        ImportBatch.imported_by,
    )
    assert batch == [("association-cases", "association-cases.csv", 10, 10, 0, 0, "anna")]
    assert report.batch_id == 1


def test_the_batch_checksum_is_the_sha256_of_the_file(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "base.csv", "month,area,segment,customers\n2025-01,BO,household,7\n")
    report = import_file(engine=engine, kind="customers", path=path)
    # computed with: printf 'month,area,segment,customers\n2025-01,BO,household,7\n' | sha256sum
    expected = "3cf653d8255b8c71fcf2219ba468e4a7e894e441602f44e042b1394147d8fb9f"
    assert report.checksum == expected
    assert rows(engine, ImportBatch.checksum) == [(expected,)]


def test_rows_of_every_batch_carry_its_id(engine: Engine) -> None:
    report = import_file(engine=engine, kind="contacts", path=SAMPLES / "contacts.csv")
    assert set(rows(engine, Contact.batch_id)) == {(report.batch_id,)}


def test_day_week_and_month_are_computed_from_the_time(engine: Engine, tmp_path: Path) -> None:
    # Sunday 9 March 2025: its ISO week starts on Monday 3 March
    path = write(
        tmp_path,
        "c.csv",
        f"{CONTACT_HEADER}\nX1,2025-03-09 23:59:00,BO,phone,household,bill_info\n",
    )
    import_file(engine=engine, kind="contacts", path=path)
    assert rows(engine, Contact.occurred_at, Contact.day, Contact.week, Contact.month) == [
        (datetime(2025, 3, 9, 23, 59), date(2025, 3, 9), date(2025, 3, 3), date(2025, 3, 1))
    ]


def test_contact_defaults_queue_from_answered_or_abandoned(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.csv",
        f"{CONTACT_HEADER},answered,abandoned\n"
        "X1,2025-03-03 09:00:00,BO,phone,household,bill_info,true,false\n"
        "X2,2025-03-03 09:01:00,BO,phone,household,bill_info,false,true\n"
        "X3,2025-03-03 09:02:00,BO,web,household,bill_info,,\n",
    )
    import_file(engine=engine, kind="contacts", path=path)
    assert rows(engine, Contact.source_id, Contact.queued, Contact.answered, Contact.abandoned) == [
        ("X1", True, True, False),
        ("X2", True, False, True),
        ("X3", False, False, False),
    ]


def test_complaint_reply_days_are_calendar_days(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.csv",
        f"{CONTACT_HEADER},is_complaint,replied_on\n"
        "X1,2025-03-04 08:05:33,BO,written,household,bill_dispute,true,2025-03-21\n",
    )
    import_file(engine=engine, kind="contacts", path=path)
    assert rows(engine, Contact.replied_on, Contact.reply_days) == [(date(2025, 3, 21), 17)]


def test_a_contact_rating_becomes_a_linked_survey_response(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.csv",
        f"{CONTACT_HEADER},satisfaction\n"
        "X1,2025-03-03 09:00:00,FE,phone,business,payments,4\n"
        "X2,2025-03-03 09:05:00,FE,phone,business,payments,\n",
    )
    import_file(engine=engine, kind="contacts", path=path)
    contact_id = rows(engine, Contact.id, Contact.source_id)[0][0]
    assert rows(
        engine,
        SurveyResponse.source_id,
        SurveyResponse.contact_id,
        SurveyResponse.area_code,
        SurveyResponse.satisfaction_raw,
        SurveyResponse.scale_min,
        SurveyResponse.scale_max,
        SurveyResponse.csi,
        SurveyResponse.csat_positive,
    ) == [("X1#csat", contact_id, "FE", 4.0, 1, 5, 75.0, True)]


def test_contact_import_refreshes_the_daily_aggregate(engine: Engine) -> None:
    import_file(engine=engine, kind="contacts", path=SAMPLES / "contacts.csv")
    # the sample: 20 contacts, answered 101 102 104 107 108 111 115 116 117 120, abandoned 103 113
    day = rows(
        engine,
        func.sum(ContactDaily.contacts),
        func.sum(ContactDaily.answered),
        func.sum(ContactDaily.abandoned),
    )
    assert day == [(20, 10, 2)]


def test_contact_aggregates_land_in_the_daily_aggregate(engine: Engine) -> None:
    import_file(engine=engine, kind="contact-aggregates", path=SAMPLES / "contact-aggregates.csv")
    with engine.connect() as connection:
        totals = connection.execute(
            select(func.sum(ContactDaily.queued), func.sum(ContactDaily.answered)).where(
                ContactDaily.day == date(2025, 3, 4), ContactDaily.area_code == "BO"
            )
        ).one()
    assert tuple(totals) == (1895, 1843)


def test_contact_report_without_source_id_gets_one_from_its_keys(
    engine: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "acd.csv",
        "day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,"
        "wait_seconds,handling_seconds\n"
        "2025-03-03,IMOLA,phone,household,bill_info,180,171,9,130,6156,49590\n",
    )
    import_file(engine=engine, kind="contact-aggregates", path=path)
    assert rows(engine, ContactReport.source_id) == [
        ("2025-03-03/IMOLA/phone/household/bill_info",)
    ]


def test_survey_scores_are_normalised(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "source_id,responded_at,area,channel,segment,satisfaction,scale_min,scale_max,"
        "recommendation,effort\n"
        "S1,2025-03-06 10:12,BO,app,household,8,1,10,9,2\n"
        "S2,2025-03-06,BO,app,household,3,1,5,6,\n"
        "S3,2025-03-06,BO,app,household,,,,10,7\n",
    )
    import_file(engine=engine, kind="surveys", path=path)
    # S1: (8 - 1) / 9 * 100 = 77.78, top box on 1-10; S2: (3 - 1) / 4 * 100 = 50
    found = rows(
        engine,
        SurveyResponse.source_id,
        SurveyResponse.responded_at,
        SurveyResponse.csi,
        SurveyResponse.csat_positive,
        SurveyResponse.recommendation,
        SurveyResponse.effort,
    )
    assert [(r[0], r[1], None if r[2] is None else round(r[2], 2), *r[3:]) for r in found] == [
        ("S1", datetime(2025, 3, 6, 10, 12), 77.78, True, 9, 2),
        ("S2", datetime(2025, 3, 6), 50.0, False, 6, None),
        ("S3", datetime(2025, 3, 6), None, None, 10, 7),
    ]


def test_survey_comments_are_masked(engine: Engine) -> None:
    import_file(engine=engine, kind="surveys", path=SAMPLES / "surveys.csv")
    with engine.connect() as connection:
        comment = connection.execute(
            select(SurveyResponse.comment).where(SurveyResponse.source_id == "SV-2025-0004")
        ).scalar_one()
    assert comment == "Non riesco ad accedere all'area clienti, scrivetemi a [email]"


def test_survey_import_refreshes_the_survey_aggregate(engine: Engine) -> None:
    import_file(engine=engine, kind="surveys", path=SAMPLES / "surveys.csv")
    # 18 responses; NPS answers 18: promoters (9-10) 8, detractors (0-6) 7
    totals = rows(
        engine,
        func.sum(SurveyDaily.responses),
        func.sum(SurveyDaily.promoters),
        func.sum(SurveyDaily.detractors),
    )
    assert totals == [(18, 8, 7)]


def test_survey_names_its_contact_by_source_id(engine: Engine, tmp_path: Path) -> None:
    import_file(engine=engine, kind="contacts", path=SAMPLES / "contacts.csv")
    path = write(
        tmp_path,
        "s.csv",
        "source_id,responded_at,area,channel,segment,contact_source_id,satisfaction\n"
        "S1,2025-03-06 10:00:00,BO,phone,household,CC-2025-000109,2\n",
    )
    import_file(engine=engine, kind="surveys", path=path)
    with engine.connect() as connection:
        linked = connection.execute(
            select(Contact.source_id)
            .join(SurveyResponse, SurveyResponse.contact_id == Contact.id)
            .where(SurveyResponse.source_id == "S1")
        ).scalar_one()
    assert linked == "CC-2025-000109"


def test_customer_reimport_replaces_the_number_of_a_key(engine: Engine, tmp_path: Path) -> None:
    header = "month,area,segment,customers\n"
    first = write(tmp_path, "a.csv", header + "2025-01,BO,household,100\n2025-01,FE,business,7\n")
    second = write(tmp_path, "b.csv", header + "2025-01,BO,household,120\n2025-01,FE,business,7\n")
    import_file(engine=engine, kind="customers", path=first)
    report = import_file(engine=engine, kind="customers", path=second)
    assert (report.rows_accepted, report.rows_duplicate) == (1, 1)
    assert rows(engine, CustomerBase.area_code, CustomerBase.month, CustomerBase.customers) == [
        ("BO", date(2025, 1, 1), 120),
        ("FE", date(2025, 1, 1), 7),
    ]


def test_adoption_reimport_replaces_users_and_registered(engine: Engine, tmp_path: Path) -> None:
    header = "month,area,segment,channel,users,registered\n"
    import_file(
        engine=engine,
        kind="adoption",
        path=write(tmp_path, "a.csv", header + "2025-01,BO,household,web,10,20\n"),
    )
    import_file(
        engine=engine,
        kind="adoption",
        path=write(tmp_path, "b.csv", header + "2025-01,BO,household,web,11,\n"),
    )
    assert rows(engine, ChannelAdoption.users, ChannelAdoption.registered) == [(11, None)]


def test_association_case_status_follows_its_dates(engine: Engine) -> None:
    import_file(engine=engine, kind="association-cases", path=SAMPLES / "association-cases.csv")
    with engine.connect() as connection:
        status = dict(
            connection.execute(
                select(AssociationCase.source_id, AssociationCase.status).where(
                    AssociationCase.source_id.in_(["AS-2025-008", "AS-2025-009", "AS-2025-010"])
                )
            ).all()
        )
    assert status == {"AS-2025-008": "open", "AS-2025-009": "answered", "AS-2025-010": "closed"}


def test_dry_run_reports_counts_and_writes_nothing(engine: Engine) -> None:
    report = import_file(
        engine=engine, kind="contacts", path=SAMPLES / "contacts.csv", dry_run=True
    )
    assert (report.dry_run, report.rows_accepted, report.batch_id) == (True, 20, None)
    assert (count(engine, Contact), count(engine, ImportBatch)) == (0, 0)


def test_dry_run_of_a_reimport_counts_duplicates(engine: Engine) -> None:
    import_file(engine=engine, kind="contacts", path=SAMPLES / "contacts.csv")
    report = import_file(
        engine=engine, kind="contacts", path=SAMPLES / "contacts.csv", dry_run=True
    )
    assert (report.rows_accepted, report.rows_duplicate) == (0, 20)


def test_progress_reports_the_stages(engine: Engine) -> None:
    seen: list[tuple[str, int, int]] = []
    import_file(
        engine=engine,
        kind="contacts",
        path=SAMPLES / "contacts.csv",
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    assert [s for s in seen if s[1] == s[2]] == [
        ("lettura", 1, 1),
        ("validazione", 20, 20),
        ("scrittura", 20, 20),
        ("scrittura voti", 10, 10),  # the survey responses of the 10 rated contacts
    ]


def test_unknown_kind_is_a_value_error(engine: Engine) -> None:
    with pytest.raises(ValueError, match="unknown kind 'calls'"):
        import_file(engine=engine, kind="calls", path=SAMPLES / "contacts.csv")


def test_refusal_is_an_exception_carrying_the_report(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", f"{CONTACT_HEADER}\nX1,2025-03-03,ZZ,phone,household,other\n")
    with pytest.raises(ImportRefused) as refused:
        import_file(engine=engine, kind="contacts", path=path)
    assert str(refused.value) == "c.csv: refused, 1 error(s) in 1 of 1 rows; nothing was written"


def test_association_case_reply_days_count_calendar_days(engine: Engine) -> None:
    import_file(engine=engine, kind="association-cases", path=SAMPLES / "association-cases.csv")
    with engine.connect() as connection:
        days = dict(
            connection.execute(
                select(AssociationCase.source_id, AssociationCase.reply_days).where(
                    AssociationCase.source_id.in_(["AS-2025-001", "AS-2025-003", "AS-2025-008"])
                )
            ).all()
        )
    # 08/01 -> 20/01 is 12 days; 14/01 -> 03/02 is 20 days; AS-2025-008 is still open
    assert days == {"AS-2025-001": 12, "AS-2025-003": 20, "AS-2025-008": None}
