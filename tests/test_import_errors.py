"""Broken files are refused whole with exact messages (file, line, column, value, reason)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.importing import ImportRefused, import_file
from data_access.models import (
    Contact,
    ContactDaily,
    ImportBatch,
    SurveyResponse,
)

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
HEADER = "source_id,occurred_at,area,channel,segment,topic,wait_seconds\n"
GOOD = "A1,2025-03-03 08:31:12,BO,phone,household,bill_info,34\n"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def store_counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as connection:
        return tuple(
            connection.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Contact, SurveyResponse, ContactDaily, ImportBatch)
        )


def refusal(engine: Engine, path: Path, kind: str = "contacts", **options: object) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_file(engine=engine, kind=kind, path=path, **options)
    return [str(error) for error in refused.value.report.errors]


def test_bad_date_is_refused_with_its_line(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        HEADER + GOOD + "A2,2025-02-30 09:00:00,BO,phone,household,bill_info,12\n",
    )
    assert refusal(engine, path) == [
        'calls.csv:3: column "occurred_at" value "2025-02-30 09:00:00": '
        "not a date and time in the form yyyy-mm-dd hh:mm:ss"
    ]


def test_unknown_area_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path, "calls.csv", HEADER + "A1,2025-03-03 08:31:12,XX,phone,household,bill_info,34\n"
    )
    assert refusal(engine, path) == [
        'calls.csv:2: column "area" value "XX": unknown area code; '
        "expected a province sigla (e.g. BO, FE, FC, MO, RA, RN) or IMOLA"
    ]


def test_unknown_channel_names_the_allowed_codes(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path, "calls.csv", HEADER + "A1,2025-03-03 08:31:12,BO,fax,household,bill_info,34\n"
    )
    assert refusal(engine, path) == [
        'calls.csv:2: column "channel" value "fax": unknown channel; expected one of: '
        "app, association, branch, chat, chatbot, phone, web, whatsapp, written"
    ]


def test_non_number_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path, "calls.csv", HEADER + "A1,2025-03-03 08:31:12,BO,phone,household,bill_info,abc\n"
    )
    assert refusal(engine, path) == [
        'calls.csv:2: column "wait_seconds" value "abc": not a number of seconds'
    ]


def test_missing_required_column_is_one_error_naming_the_columns_found(
    engine: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path, "calls.csv", "source_id,occurred_at,area\nA1,2025-03-03 08:31:12,BO\n")
    assert refusal(engine, path) == [
        "calls.csv:1: missing required column(s) channel, segment, topic; "
        'columns found: "source_id", "occurred_at", "area"'
    ]


def test_unknown_column_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "calls.csv", HEADER.strip() + ",agent\n" + GOOD.strip() + ",Diane\n")
    assert refusal(engine, path) == [
        'calls.csv:1: column "agent": not a column of the contacts format; expected: '
        "source_id, occurred_at, area, channel, segment, topic, customer_ref, association, "
        "queued, answered, abandoned, wait_seconds, handling_seconds, resolved_first_contact, "
        "is_complaint, replied_on, satisfaction (a mapping can rename or ignore it)"
    ]


def test_blank_required_value_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "calls.csv", HEADER + "A1,2025-03-03 08:31:12,BO,phone,,bill_info,34\n")
    assert refusal(engine, path) == [
        'calls.csv:2: column "segment" value "": missing a required value'
    ]


def test_every_error_of_every_row_is_reported(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        HEADER
        + GOOD
        + "A2,2025-02-30 09:00:00,BO,phone,household,bill_info,12\n"
        + "A3,2025-03-03 10:00:00,XX,phone,household,bill_info,-5\n"
        + "A1,2025-03-03 11:00:00,BO,phone,household,bill_info,5\n",
    )
    assert refusal(engine, path) == [
        'calls.csv:3: column "occurred_at" value "2025-02-30 09:00:00": '
        "not a date and time in the form yyyy-mm-dd hh:mm:ss",
        'calls.csv:4: column "area" value "XX": unknown area code; '
        "expected a province sigla (e.g. BO, FE, FC, MO, RA, RN) or IMOLA",
        'calls.csv:4: column "wait_seconds" value "-5": below the minimum 0',
        'calls.csv:5: column "source_id" value "A1": the same source id is already on line 2',
    ]


def test_refused_report_counts_rows(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        HEADER + GOOD + "A2,2025-03-03 09:00:00,ZZ,phone,household,bill_info,x\n",
    )
    with pytest.raises(ImportRefused) as refused:
        import_file(engine=engine, kind="contacts", path=path)
    report = refused.value.report
    assert (report.rows_read, report.rows_rejected, report.error_count, report.batch_id) == (
        2,
        1,
        2,
        None,
    )


def test_a_refused_file_leaves_the_store_unchanged(engine: Engine, tmp_path: Path) -> None:
    import_file(engine=engine, kind="contacts", path=SAMPLES / "contacts.csv")
    before = store_counts(engine)
    broken = (
        (SAMPLES / "contacts.csv").read_text(encoding="utf-8").replace("CC-2025-000101", "NEW-1")
    )
    broken = broken.replace("2025-03-05 17:55:30,FE", "2025-03-05 17:55:30,XX")
    refusal(engine, write(tmp_path, "contacts.csv", broken))
    assert store_counts(engine) == before


def test_dry_run_reports_all_errors_and_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        HEADER
        + "A1,2025-03-03 08:31:12,XX,phone,household,bill_info,34\n"
        + GOOD.replace("A1", "A2"),
    )
    errors = refusal(engine, path, dry_run=True)
    assert len(errors) == 1
    assert store_counts(engine) == (0, 0, 0, 0)


def test_line_numbers_count_physical_lines_of_multiline_records(
    engine: Engine, tmp_path: Path
) -> None:
    header = "source_id,responded_at,area,channel,segment,comment\n"
    path = write(
        tmp_path,
        "survey.csv",
        header
        + 'S1,2025-03-06,BO,app,household,"first line\nsecond line\nthird line"\n'
        + "S2,2025-03-06,BO,app,household,short\n"
        + 'S3,2025-13-06,BO,app,household,"one\ntwo"\n',
    )
    assert refusal(engine, path, kind="surveys") == [
        'survey.csv:6: column "responded_at" value "2025-13-06": '
        "not a date and time in the form yyyy-mm-dd hh:mm:ss"
    ]


def test_line_numbers_count_blank_lines(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        HEADER + "\n\n" + "A1,2025-03-03 08:31:12,BO,phone,household,bill_info,x\n",
    )
    assert refusal(engine, path) == [
        'calls.csv:4: column "wait_seconds" value "x": not a number of seconds'
    ]


def test_record_with_wrong_field_count_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "calls.csv", HEADER + GOOD + "A2,2025-03-03 08:31:12,BO,phone\n")
    assert refusal(engine, path) == ["calls.csv:3: has 4 fields; the header has 7"]


def test_undecodable_file_names_the_encoding(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        HEADER + GOOD + "A2,2025-03-03 09:00:00,BO,phone,household,bill_info,è\n",
        encoding="cp1252",
    )
    assert refusal(engine, path) == [
        "calls.csv:3: not valid utf-8 text (byte 0xE8); give the file's encoding in a "
        "mapping ([file] encoding)"
    ]


def test_empty_file_is_refused(engine: Engine, tmp_path: Path) -> None:
    assert refusal(engine, write(tmp_path, "calls.csv", "")) == [
        "calls.csv:1: the file is empty (no header line)"
    ]


def test_error_list_is_capped_but_all_errors_are_counted(engine: Engine, tmp_path: Path) -> None:
    bad = "".join(f"A{i},2025-03-03 08:31:12,XX,phone,household,bill_info,1\n" for i in range(1200))
    with pytest.raises(ImportRefused) as refused:
        import_file(engine=engine, kind="contacts", path=write(tmp_path, "calls.csv", HEADER + bad))
    report = refused.value.report
    assert (len(report.errors), report.error_count, report.rows_rejected) == (1000, 1200, 1200)
    assert str(refused.value) == (
        "calls.csv: refused, 1200 error(s) (first 1000 shown) in 1200 of 1200 rows; "
        "nothing was written"
    )


def test_contact_cannot_be_answered_and_abandoned(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        "source_id,occurred_at,area,channel,segment,topic,answered,abandoned\n"
        "A1,2025-03-03 08:31:12,BO,phone,household,bill_info,true,true\n",
    )
    assert refusal(engine, path) == [
        'calls.csv:2: column "abandoned" value "true": a contact cannot be both answered '
        "and abandoned"
    ]


def test_reply_before_the_contact_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        "source_id,occurred_at,area,channel,segment,topic,is_complaint,replied_on\n"
        "A1,2025-03-03 08:31:12,BO,written,household,bill_dispute,true,2025-03-01\n",
    )
    assert refusal(engine, path) == [
        'calls.csv:2: column "replied_on" value "2025-03-01": the reply is dated before the contact'
    ]


def test_aggregate_counts_must_add_up(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "acd.csv",
        "day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,"
        "wait_seconds,handling_seconds\n"
        "2025-03-03,BO,phone,household,bill_info,100,95,10,96,300,900\n",
    )
    assert refusal(engine, path, kind="contact-aggregates") == [
        'acd.csv:2: column "offered" value "100": fewer than answered + abandoned (105)',
        'acd.csv:2: column "answered_20s" value "96": more than the answered calls',
    ]


def test_survey_score_outside_its_scale_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "source_id,responded_at,area,channel,segment,satisfaction,scale_max\n"
        "S1,2025-03-06,BO,app,household,7,5\n",
    )
    assert refusal(engine, path, kind="surveys") == [
        's.csv:2: column "satisfaction" value "7": outside the stated scale 1 to 5'
    ]


def test_survey_naming_an_unknown_contact_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "source_id,responded_at,area,channel,segment,contact_source_id\n"
        "S1,2025-03-06,BO,app,household,NOPE-1\n",
    )
    assert refusal(engine, path, kind="surveys") == [
        's.csv:2: column "contact_source_id" value "NOPE-1": no contact with this source id '
        "in the store"
    ]


def test_repeated_customer_key_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "base.csv",
        "month,area,segment,customers\n2025-01,BO,household,1\n2025-01,bo,household,2\n",
    )
    assert refusal(engine, path, kind="customers") == [
        'base.csv:3: column "month" value "2025-01": the same month, area and segment are '
        "already on line 2"
    ]


def test_association_answer_before_opening_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cases.csv",
        "source_id,opened_on,association,area,topic,answered_on\n"
        "AS-1,2025-01-10,adoc,BO,payments,2025-01-09\n",
    )
    assert refusal(engine, path, kind="association-cases") == [
        'cases.csv:2: column "answered_on" value "2025-01-09": before the day the case was opened'
    ]
