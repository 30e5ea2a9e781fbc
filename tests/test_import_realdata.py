"""The shipped mappings import the real public files as they are (read from ../shared/realdata)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.importing import ImportRefused, import_file
from data_access.models import Contact, ContactDaily, SurveyDaily, SurveyResponse

MAPPINGS = Path(__file__).resolve().parents[1] / "fixtures" / "mappings"
CALLS = "callcenter/01_Call-Center-Dataset.csv"
SURVEY = "survey/v6framework_230831.csv"


def import_calls(engine: Engine, realdata: Path):  # an ImportReport
    return import_file(
        engine=engine,
        kind="contacts",
        path=realdata / CALLS,
        mapping=MAPPINGS / "callcenter_pwc.toml",
    )


def import_survey(engine: Engine, path: Path):  # an ImportReport
    return import_file(
        engine=engine, kind="surveys", path=path, mapping=MAPPINGS / "nhs_fft_survey.toml"
    )


def one(engine: Engine, *columns, where=None) -> tuple:
    query = select(*columns)
    if where is not None:
        query = query.where(where)
    with engine.connect() as connection:
        return tuple(connection.execute(query).one())


def test_call_centre_log_imports_every_call(engine: Engine, realdata: Path) -> None:
    report = import_calls(engine, realdata)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (5000, 5000, 0)


def test_call_centre_answered_and_abandoned_calls(engine: Engine, realdata: Path) -> None:
    import_calls(engine, realdata)
    # README of the source: 4,054 Y / 946 N in "Answered (Y/N)", 3,646 Y in "Resolved"
    answered, abandoned, queued, resolved = one(
        engine,
        func.count().filter(Contact.answered),
        func.count().filter(Contact.abandoned),
        func.count().filter(Contact.queued),
        func.count().filter(Contact.resolved_first_contact),
    )
    assert (answered, abandoned, queued, resolved) == (4054, 946, 5000, 3646)


def test_call_centre_first_call_is_read_exactly(engine: Engine, realdata: Path) -> None:
    import_calls(engine, realdata)
    # ID0001,Diane,01/01/2021,9:12:58,Contract related,Y,Y,109,0:02:23,3,1,,
    call = one(
        engine,
        Contact.occurred_at,
        Contact.area_code,
        Contact.channel_code,
        Contact.topic_code,
        Contact.wait_seconds,
        Contact.handling_seconds,
        where=Contact.source_id == "ID0001",
    )
    assert call == (
        datetime(2021, 1, 1, 9, 12, 58),
        "BO",
        "phone",
        "contracts",
        109.0,
        143.0,
    )


def test_call_centre_zero_rating_means_no_survey(engine: Engine, realdata: Path) -> None:
    import_calls(engine, realdata)
    # 4,054 rows have a rating other than 0 (awk -F, '$10!="0"'): the answered calls
    assert one(engine, func.count(SurveyResponse.id)) == (4054,)


def test_call_centre_day_lands_in_the_aggregate(engine: Engine, realdata: Path) -> None:
    import_calls(engine, realdata)
    # 31/03/2021: 27 calls, 20 answered (awk on the Date and Answered columns)
    assert one(
        engine,
        func.sum(ContactDaily.contacts),
        func.sum(ContactDaily.answered),
        where=ContactDaily.day == date(2021, 3, 31),
    ) == (27, 20)


def test_call_centre_reimport_adds_nothing(engine: Engine, realdata: Path) -> None:
    import_calls(engine, realdata)
    again = import_calls(engine, realdata)
    assert (again.rows_accepted, again.rows_duplicate) == (0, 5000)
    assert one(engine, func.count(Contact.id)) == (5000,)


def test_survey_imports_every_record(engine: Engine, realdata: Path) -> None:
    report = import_survey(engine, realdata / SURVEY)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (7908, 7908, 0)


def test_survey_scores_and_comments(engine: Engine, realdata: Path) -> None:
    import_survey(engine, realdata / SURVEY)
    # answers 1:5074 2:1294 3:366 4:299 5:435, 6 and 7 = no score (440);
    # reversed to 5..1, CSI 100/75/50/25/0: 630225 / 7468 = 84.3901; top box 5074 + 1294;
    # comments: 7908 less 1697 blank or "Did not answer"
    n, csi, positive, comments = one(
        engine,
        func.count(SurveyResponse.csi),
        func.avg(SurveyResponse.csi),
        func.count().filter(SurveyResponse.csat_positive),
        func.count(SurveyResponse.comment),
    )
    assert (n, round(csi, 4), positive, comments) == (7468, 84.3901, 6368, 6211)


def test_survey_aggregate_matches_the_rows(engine: Engine, realdata: Path) -> None:
    import_survey(engine, realdata / SURVEY)
    assert one(engine, func.sum(SurveyDaily.responses), func.sum(SurveyDaily.csi_n)) == (7908, 7468)


def day_count(engine: Engine, day: date) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).where(SurveyResponse.day == day)
        ).scalar_one()


def test_survey_day_first_dates_are_read_day_first(engine: Engine, realdata: Path) -> None:
    import_survey(engine, realdata / SURVEY)
    assert one(
        engine, SurveyResponse.day, where=SurveyResponse.source_id == "NEAS PTS 528 - Q1"
    ) == (date(2021, 9, 30),)


def test_survey_month_first_dates_fall_back(engine: Engine, realdata: Path) -> None:
    import_survey(engine, realdata / SURVEY)
    # 17 October 2021: 33 records say 17/10/2021 and 8 say 10/17/2021 (Counter over the column)
    assert day_count(engine, date(2021, 10, 17)) == 41


def test_survey_dates_valid_both_ways_are_read_day_first(engine: Engine, realdata: Path) -> None:
    import_survey(engine, realdata / SURVEY)
    # 03/04/2022 (1 record) is 3 April; 04/03/2022 (16 records) is 4 March
    assert (day_count(engine, date(2022, 4, 3)), day_count(engine, date(2022, 3, 4))) == (1, 16)


def test_survey_reimport_adds_nothing(engine: Engine, realdata: Path) -> None:
    import_survey(engine, realdata / SURVEY)
    again = import_survey(engine, realdata / SURVEY)
    assert (again.rows_accepted, again.rows_duplicate) == (0, 7908)


def test_error_after_a_multiline_record_names_its_physical_line(
    engine: Engine, realdata: Path, tmp_path: Path
) -> None:
    # record 996 (NHFT 80 - Q1) follows the first comment with an embedded newline: it starts
    # on physical line 998 (grep -n); break its date in a copy outside the repository
    text = (realdata / SURVEY).read_bytes().decode("utf-8")
    broken = text.replace(
        "NHFT 80 - Q1,NHFT,NHFT 80,25/06/2021,", "NHFT 80 - Q1,NHFT,NHFT 80,31/31/2021,"
    )
    path = tmp_path / "v6framework_broken.csv"
    path.write_bytes(broken.encode("utf-8"))
    with pytest.raises(ImportRefused) as refused:
        import_survey(engine, path)
    assert [str(e) for e in refused.value.report.errors] == [
        'v6framework_broken.csv:998: column "Date" value "31/31/2021": '
        "not a date in the form dd/mm/yyyy or mm/dd/yyyy"
    ]


def test_error_in_the_last_record_names_its_physical_line(
    engine: Engine, realdata: Path, tmp_path: Path
) -> None:
    # the last record (NHFT 1131 - Q1) starts on line 8681 of 8681 (grep -c '' counts them)
    text = (realdata / SURVEY).read_bytes().decode("utf-8")
    broken = text.replace(
        "NHFT 1131 - Q1,NHFT,NHFT 1131,30/12/2021,Forensic,Arnold lodge,2,",
        "NHFT 1131 - Q1,NHFT,NHFT 1131,30/12/2021,Forensic,Arnold lodge,9,",
    )
    path = tmp_path / "v6framework_broken.csv"
    path.write_bytes(broken.encode("utf-8"))
    with pytest.raises(ImportRefused) as refused:
        import_survey(engine, path)
    assert [str(e) for e in refused.value.report.errors] == [
        'v6framework_broken.csv:8681: column "FFT categorical answer" value "9": '
        "outside the scale 1 to 5"
    ]
