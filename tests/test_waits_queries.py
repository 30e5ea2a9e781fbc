"""Wait bands and the weekday × hour grid, hand-computed from a few imported rows.

All phone calls, household, bill_info, unless said otherwise (wait in seconds):

  id  when (2025)            area  outcome
  b1  Fri 10 Jan 09:15       BO    answered, wait 10
  b2  Fri 10 Jan 09:40       BO    answered, wait 45
  b3  Mon 13 Jan 14:05       BO    answered, wait 150
  b4  Mon 13 Jan 14:30       BO    abandoned
  b5  Mon 13 Jan 14:50       BO    web contact (not queued)
  s1  Sun  2 Feb 23:30       RA    chat (not queued)
  r1  Mon  3 Feb 09:05       RA    answered, wait 200
  r2  Mon  3 Feb 09:20       RA    answered, wait 300
  r3  Tue  4 Feb 11:00       RA    answered, wait unknown

A contact-centre report, FE phone, 10 Feb: offered 10, answered 8, abandoned 2, 6 within 20 s,
no wait bands.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from data_access import aggregates
from data_access.filters import Filters
from data_access.importing import import_file
from data_access.queries.waits import hour_grid, wait_bands
from data_access.scope import Scope

CONTACTS = """\
source_id,occurred_at,area,channel,segment,topic,queued,answered,abandoned,wait_seconds
b1,2025-01-10 09:15:00,BO,phone,household,bill_info,true,true,false,10
b2,2025-01-10 09:40:00,BO,phone,household,bill_info,true,true,false,45
b3,2025-01-13 14:05:00,BO,phone,household,bill_info,true,true,false,150
b4,2025-01-13 14:30:00,BO,phone,household,bill_info,true,false,true,
b5,2025-01-13 14:50:00,BO,web,household,bill_info,false,false,false,
s1,2025-02-02 23:30:00,RA,chat,household,bill_info,false,false,false,
r1,2025-02-03 09:05:00,RA,phone,household,bill_info,true,true,false,200
r2,2025-02-03 09:20:00,RA,phone,household,bill_info,true,true,false,300
r3,2025-02-04 11:00:00,RA,phone,household,bill_info,true,true,false,
"""
REPORT = """\
day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,wait_seconds,handling_seconds
2025-02-10,FE,phone,household,bill_info,10,8,2,6,160,1600
"""
VIEW = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28))
EVERYONE = Scope.all_provinces("analyst")
BANDS = ["within_20s", "within_60s", "within_120s", "within_180s", "within_240s"]


@pytest.fixture(params=["imported", "recomputed"])
def store(request: pytest.FixtureRequest, engine: Engine, tmp_path: Path) -> Engine:
    """The rows above, their aggregates from the import or recomputed afterwards."""
    for kind, text in (("contacts", CONTACTS), ("contact-aggregates", REPORT)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(engine=engine, kind=kind, path=path)
    if request.param == "recomputed":
        with engine.begin() as connection:
            aggregates.refresh_contacts(connection, date(2025, 1, 1), date(2025, 2, 28))
    return engine


def _shares(row) -> list[float]:  # noqa: ANN001 - a frame's row
    return [round(row[b], 2) if not math.isnan(row[b]) else math.nan for b in BANDS]


def test_wait_bands_per_month_are_shares_of_the_answered_calls_with_known_waits(
    store: Engine,
) -> None:
    frame = wait_bands(engine=store, filters=VIEW, scope=EVERYONE)
    assert [str(b) for b in frame["bucket"]] == ["2025-01-01", "2025-02-01"]
    # January: 10, 45 and 150 s; February: 200 and 300 s (r3's wait and the report's are unknown)
    assert frame["answered"].tolist() == [3, 11]
    assert frame["banded"].tolist() == [3, 2]
    assert _shares(frame.iloc[0]) == [33.33, 66.67, 66.67, 100.0, 100.0]
    assert _shares(frame.iloc[1]) == [0.0, 0.0, 0.0, 0.0, 50.0]


def test_a_province_with_only_reports_without_bands_has_no_band_data(store: Engine) -> None:
    frame = wait_bands(engine=store, filters=VIEW, scope=EVERYONE, by=("province",))
    assert frame["province"].tolist() == ["BO", "FE", "RA"]
    fe = frame.iloc[1]
    assert (fe["answered"], fe["banded"]) == (8, 0)
    assert all(math.isnan(fe[b]) for b in BANDS)
    assert _shares(frame.iloc[2]) == [0.0, 0.0, 0.0, 0.0, 50.0]


def test_wait_bands_keep_to_the_scope(store: Engine) -> None:
    frame = wait_bands(engine=store, filters=VIEW, scope=Scope.of("ra", ["RA"]), by=("province",))
    assert frame["province"].tolist() == ["RA"]


def test_wait_bands_over_a_year_bucket_add_up_the_months(store: Engine) -> None:
    year = Filters(period="2025", grain="year")
    frame = wait_bands(engine=store, filters=year, scope=EVERYONE)
    assert [str(b) for b in frame["bucket"]] == ["2025-01-01"]
    # 5 banded calls: 10, 45, 150, 200, 300 s
    assert frame["banded"].tolist() == [5]
    assert _shares(frame.iloc[0]) == [20.0, 40.0, 40.0, 60.0, 80.0]


def test_no_scope_sees_no_wait_bands(store: Engine) -> None:
    assert wait_bands(engine=store, filters=VIEW, scope=Scope()).empty


def _cell(grid, weekday: int, hour: int) -> tuple:  # noqa: ANN001 - an HourGrid
    cells = grid.cells
    row = cells[(cells["weekday"] == weekday) & (cells["hour"] == hour)].iloc[0]
    rate = None if math.isnan(row["answer_rate"]) else round(row["answer_rate"], 1)
    return int(row["contacts"]), int(row["queued"]), int(row["answered"]), rate


def test_the_hour_grid_counts_contacts_by_weekday_and_hour(store: Engine) -> None:
    grid = hour_grid(engine=store, filters=VIEW, scope=EVERYONE)
    assert len(grid.cells) == 7 * 24
    assert int(grid.cells["contacts"].sum()) == 9  # the report has no time of day
    assert _cell(grid, 5, 9) == (2, 2, 2, 100.0)  # Friday 9-10: b1, b2
    assert _cell(grid, 1, 14) == (3, 2, 1, 50.0)  # Monday 14-15: b3, b4 (abandoned), b5 (web)
    assert _cell(grid, 1, 9) == (2, 2, 2, 100.0)  # Monday 9-10: r1, r2
    assert _cell(grid, 2, 11) == (1, 1, 1, 100.0)  # Tuesday 11-12: r3
    assert _cell(grid, 7, 23) == (1, 0, 0, None)  # Sunday 23-24: s1 (chat)
    assert _cell(grid, 3, 9) == (0, 0, 0, None)


def test_the_hour_grid_keeps_to_the_scope_and_the_channels(store: Engine) -> None:
    bologna = hour_grid(engine=store, filters=VIEW, scope=Scope.of("bo", ["BO"]))
    assert int(bologna.cells["contacts"].sum()) == 5
    web = hour_grid(engine=store, filters=VIEW.narrowed(channels=("web",)), scope=EVERYONE)
    assert _cell(web, 1, 14) == (1, 0, 0, None)
    assert int(web.cells["contacts"].sum()) == 1


def test_the_hour_grid_reads_whole_months(store: Engine) -> None:
    mid_january = Filters(period="custom", start=date(2025, 1, 11), end=date(2025, 1, 12))
    grid = hour_grid(engine=store, filters=mid_january, scope=EVERYONE)
    assert (grid.months.start, grid.months.end) == (date(2025, 1, 1), date(2025, 1, 1))
    assert int(grid.cells["contacts"].sum()) == 5


def test_the_hour_grid_is_not_applicable_to_a_topic_view(store: Engine) -> None:
    grid = hour_grid(engine=store, filters=VIEW.narrowed(topics=("payments",)), scope=EVERYONE)
    assert grid.ignored == ("topics",)
    assert not grid.has_data
