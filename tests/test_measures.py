"""Each declared measure, hand-computed on a few rows, through both ways of summing them:
an import's increments (numpy over the batch) and a recomputation from the raw rows (SQL).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Table, select
from sqlalchemy.engine import Engine

from data_access import aggregates
from data_access.aggregates import CONTACTS, SURVEYS, Aggregates
from data_access.importing import import_file
from data_access.measures import Rows, answered, count, flag, measure, wait
from data_access.models import Contact, table_of

DAY = date(2025, 1, 31)  # a Friday; replies on 2 and 3 March come 30 and 31 days later
KEYS = "BO,phone,household"

CONTACTS_CSV = f"""\
source_id,occurred_at,area,channel,segment,topic,queued,answered,abandoned,wait_seconds,\
handling_seconds,resolved_first_contact,is_complaint,replied_on,satisfaction
a,{DAY} 09:00:00,{KEYS},bill_info,true,true,false,20,100,true,false,,
b,{DAY} 09:10:00,{KEYS},bill_info,true,true,false,20.5,,,true,2025-03-02,
c,{DAY} 09:20:00,{KEYS},bill_info,true,false,true,40,,false,true,2025-03-03,
d,{DAY} 09:30:00,{KEYS},bill_info,false,false,false,,45,,true,,
e,{DAY} 09:40:00,{KEYS},bill_info,true,true,false,0,200.5,true,false,,
"""
# a: answered within 20 s; b: answered in 20.5 s, a complaint replied in 30 days;
# c: abandoned (its 40 s wait is no answered wait), a complaint replied in 31 days;
# d: not queued, handled, a complaint not replied; e: answered at once, handled
CONTACTS_ALONE = {
    "contacts": 5,
    "queued": 4,
    "answered": 3,
    "abandoned": 1,
    "answered_20s": 2,
    "banded": 3,
    "banded_20s": 2,
    "answered_60s": 3,
    "answered_120s": 3,
    "answered_180s": 3,
    "answered_240s": 3,
    "wait_seconds": 40.5,
    "handled": 3,
    "handling_seconds": 345.5,
    "fcr_known": 3,
    "fcr_resolved": 2,
    "complaints": 3,
    "complaints_replied": 2,
    "complaint_reply_days": 61.0,
    "complaints_replied_30d": 1,
    "line_free_seconds": 0.0,
    "operator_seconds": 0.0,
}

REPORTS_CSV = f"""\
source_id,day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,wait_seconds,\
handling_seconds,line_free_seconds,operator_seconds
r1,{DAY},{KEYS},bill_info,10,8,2,6,240,1600,3600,7200
r2,{DAY},{KEYS},bill_info,4,4,0,4,30,400,,
"""
# the two reports add offered 14 (contacts and queued), answered 12 (also handled), abandoned 2,
# answered_20s 10, waits 270 s, handling 2000 s, line time only from r1; no wait bands, so the
# band measures stay the contacts' (a report's calls are in no band and not banded)
WITH_REPORTS = {
    **CONTACTS_ALONE,
    "contacts": 19,
    "queued": 18,
    "answered": 15,
    "abandoned": 3,
    "answered_20s": 12,
    "wait_seconds": 310.5,
    "handled": 15,
    "handling_seconds": 2345.5,
    "line_free_seconds": 3600.0,
    "operator_seconds": 7200.0,
}

BANDED_REPORT_CSV = f"""\
day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,answered_60s,\
answered_120s,answered_180s,answered_240s,wait_seconds,handling_seconds
{DAY},{KEYS},bill_info,10,8,2,6,7,7,8,8,240,1600
"""
# 8 answered calls with known bands: 6 within 20 s, 7 within 60 and 120 s, all 8 within 180 s

SURVEYS_CSV = f"""\
source_id,responded_at,area,channel,segment,satisfaction,scale_min,scale_max,recommendation,effort
s1,{DAY} 10:00:00,{KEYS},5,1,5,10,2
s2,{DAY} 10:00:00,{KEYS},4,1,5,9,
s3,{DAY} 10:00:00,{KEYS},2,1,5,6,7
s4,{DAY} 10:00:00,{KEYS},,1,5,7,1
s5,{DAY} 10:00:00,{KEYS},7,0,10,,4
"""
# CSI 100, 75, 25, unknown, 70; top box: 5 and 4 of 5 yes, 2 of 5 and 7 of 10 no;
# recommendations 10 and 9 promote, 6 detracts, 7 neither; efforts 2, 7, 1, 4
SURVEY_SUMS = {
    "responses": 5,
    "csi_n": 4,
    "csi_sum": 270.0,
    "csi_sumsq": 21150.0,
    "csat_n": 4,
    "csat_positive": 2,
    "nps_n": 4,
    "promoters": 2,
    "detractors": 1,
    "ces_n": 4,
    "ces_sum": 14.0,
    "ces_sumsq": 70.0,
}


@pytest.fixture(params=["imported", "recomputed"])
def way(request: pytest.FixtureRequest) -> str:
    """How the aggregates get their sums: the import's increments, or a recomputation after."""
    return request.param


def load(engine: Engine, tmp_path: Path, way: str, files: dict[str, str]) -> None:
    """Import the files (kind: text) in order; recompute the month afterwards if asked."""
    for kind, text in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(engine=engine, kind=kind, path=path)
    if way == "recomputed":
        with engine.begin() as connection:
            aggregates.refresh_contacts(connection, DAY, DAY)
            aggregates.refresh_surveys(connection, DAY, DAY)


def daily_measures(engine: Engine, family: Aggregates) -> list[dict[str, float]]:
    table = family.daily
    with engine.connect() as connection:
        rows = connection.execute(select(*(table.c[m] for m in family.measures))).all()
    return [dict(row._mapping) for row in rows]


def test_each_contact_measure_sums_the_contacts_as_declared(
    engine: Engine, tmp_path: Path, way: str
) -> None:
    load(engine, tmp_path, way, {"contacts": CONTACTS_CSV})
    assert daily_measures(engine, CONTACTS) == [CONTACTS_ALONE]


def test_reports_on_the_same_day_and_keys_add_to_the_contacts_row(
    engine: Engine, tmp_path: Path, way: str
) -> None:
    load(engine, tmp_path, way, {"contacts": CONTACTS_CSV, "contact-aggregates": REPORTS_CSV})
    assert daily_measures(engine, CONTACTS) == [WITH_REPORTS]


def test_a_report_with_wait_bands_adds_its_answered_calls_to_banded_and_to_each_band(
    engine: Engine, tmp_path: Path, way: str
) -> None:
    load(engine, tmp_path, way, {"contacts": CONTACTS_CSV, "contact-aggregates": BANDED_REPORT_CSV})
    [row] = daily_measures(engine, CONTACTS)
    bands = ("banded", "banded_20s", "answered_60s", "answered_120s", "answered_180s")
    assert {m: row[m] for m in (*bands, "answered_240s")} == {
        "banded": 11,
        "banded_20s": 8,
        "answered_60s": 10,
        "answered_120s": 10,
        "answered_180s": 11,
        "answered_240s": 11,
    }


def test_each_survey_measure_sums_the_responses_as_declared(
    engine: Engine, tmp_path: Path, way: str
) -> None:
    load(engine, tmp_path, way, {"surveys": SURVEYS_CSV})
    assert daily_measures(engine, SURVEYS) == [SURVEY_SUMS]


def test_a_rated_contact_adds_its_rating_to_the_survey_measures(
    engine: Engine, tmp_path: Path, way: str
) -> None:
    rated = "source_id,occurred_at,area,channel,segment,topic,satisfaction\n"
    rated += f"x,{DAY} 09:00:00,{KEYS},bill_info,4\ny,{DAY} 09:05:00,{KEYS},bill_info,\n"
    load(engine, tmp_path, way, {"contacts": rated})
    # 4 of 5: CSI 75, top box; y gave no rating, so no response
    expected = {**dict.fromkeys(SURVEY_SUMS, 0), "responses": 1, "csi_n": 1, "csi_sum": 75.0}
    expected |= {"csi_sumsq": 5625.0, "csat_n": 1, "csat_positive": 1}
    assert daily_measures(engine, SURVEYS) == [expected]


def test_a_wait_band_declared_in_one_line_is_summed_both_ways(
    engine: Engine, tmp_path: Path
) -> None:
    band = measure("answered_20_60s", contact=count(answered & (wait > 20) & (wait <= 60)))
    load(engine, tmp_path, "imported", {"contacts": CONTACTS_CSV})
    contact = table_of(Contact)
    with engine.connect() as connection:
        in_sql = connection.execute(select(band.sql(contact))).scalar_one()
        stored = pd.read_sql(select(contact), connection)
    per_row = band.array("contact", Rows({n: stored[n].to_numpy() for n in stored.columns}))
    # only b, answered in 20.5 s (a in 20 s and e at once are within 20 s; c was abandoned)
    assert (in_sql, int(per_row.sum())) == (1, 1)


def test_a_measure_column_without_a_declaration_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"columns \['operator_seconds'\] have no declaration"):
        Aggregates(
            CONTACTS.keys,
            CONTACTS.declared[:-1],
            CONTACTS.sources,
            CONTACTS.daily,
            CONTACTS.weekly,
            CONTACTS.monthly,
        )


def test_a_declaration_without_a_column_is_an_error() -> None:
    band = measure("answered_20_60s", contact=count(flag("answered")))
    with pytest.raises(ValueError, match=r"declarations \['answered_20_60s'\] have no column"):
        Aggregates(
            CONTACTS.keys,
            (*CONTACTS.declared, band),
            CONTACTS.sources,
            CONTACTS.daily,
            CONTACTS.weekly,
            CONTACTS.monthly,
        )


def test_a_form_for_a_table_the_family_does_not_sum_is_an_error() -> None:
    surveys: tuple[Table, ...] = SURVEYS.sources
    with pytest.raises(ValueError, match=r"contacts: \['contact', 'contact_report'\] is not"):
        Aggregates(
            CONTACTS.keys,
            CONTACTS.declared,
            surveys,
            CONTACTS.daily,
            CONTACTS.weekly,
            CONTACTS.monthly,
        )
