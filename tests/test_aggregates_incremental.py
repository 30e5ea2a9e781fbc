"""Imports add their new rows' sums to the aggregates: the same as recomputing them whole."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Table, select
from sqlalchemy.engine import Connection, Engine

from data_access import aggregates
from data_access.importing import ImportRefused, import_file
from data_access.models import (
    CONTACT_MEASURES,
    SURVEY_MEASURES,
    ContactDaily,
    ContactHourly,
    ContactMonthly,
    ContactProvinceMonthly,
    ContactWeekly,
    SurveyDaily,
    SurveyMonthly,
    SurveyWeekly,
    table_of,
)

TABLES = (
    table_of(ContactDaily),
    table_of(ContactWeekly),
    table_of(ContactMonthly),
    table_of(ContactProvinceMonthly),
    table_of(ContactHourly),
    table_of(SurveyDaily),
    table_of(SurveyMonthly),
    table_of(SurveyWeekly),
)
# late January to early March: weeks straddle both month ends; BO and IMOLA share a province
FIRST, LAST = date(2025, 1, 27), date(2025, 3, 4)
DAYS = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
AREAS = ("BO", "IMOLA", "FE")
CHANNELS = ("phone", "web", "app")
SEGMENTS = ("household", "business")
TOPICS = ("bill_info", "payments")
CONTACT_HEADER = (
    "source_id,occurred_at,area,channel,segment,topic,association,queued,answered,abandoned,"
    "wait_seconds,handling_seconds,resolved_first_contact,is_complaint,replied_on,satisfaction"
)


def _pick(rng: np.random.Generator, options: tuple):  # one of options
    return options[int(rng.integers(len(options)))]


def _keys(rng: np.random.Generator) -> str:
    return f"{_pick(rng, AREAS)},{_pick(rng, CHANNELS)},{_pick(rng, SEGMENTS)}"


def contacts_file(path: Path, rng: np.random.Generator, first: int, count: int) -> Path:
    """Valid contacts of every shape: flags true, false or blank, fractional waits, replies."""
    lines = [CONTACT_HEADER]
    for n in range(first, first + count):
        day = DAYS[rng.integers(len(DAYS))]
        moment = f"{day} {rng.integers(0, 24):02d}:{rng.integers(60):02d}:00"
        answered, abandoned = _pick(rng, (("true", "false"), ("false", "true"), ("", "")))
        complaint = _pick(rng, ("true", "false", ""))
        replied = ""
        if complaint == "true" and rng.random() < 0.7:
            replied = str(day + timedelta(days=_pick(rng, (0, 12, 30, 31, 45))))
        wait = _pick(rng, ("", "0", "20", "20.5", "21", "87.25"))
        lines.append(
            ",".join(
                (
                    f"T{n:05d}",
                    moment,
                    *_keys(rng).split(","),
                    _pick(rng, TOPICS),
                    _pick(rng, ("", "", "adoc")),
                    _pick(rng, ("", "true", "false")),
                    answered,
                    abandoned,
                    wait,
                    _pick(rng, ("", "45", "312.5")),
                    _pick(rng, ("", "true", "false")),
                    complaint,
                    replied,
                    _pick(rng, ("", "", "1", "3", "4", "5")),
                )
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def reports_file(path: Path, rng: np.random.Generator, count: int) -> Path:
    """Contact-centre days, often on the same day and keys as imported contacts."""
    lines = [
        "source_id,day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,"
        "answered_60s,answered_120s,answered_180s,answered_240s,"
        "wait_seconds,handling_seconds,line_free_seconds,operator_seconds"
    ]
    for n in range(count):
        day = DAYS[rng.integers(len(DAYS))]
        answered, abandoned = int(rng.integers(0, 50)), int(rng.integers(0, 9))
        offered = answered + abandoned + int(rng.integers(0, 3))
        free = _pick(rng, ("", "1800.5", "3600"))
        within = np.sort(rng.integers(0, answered + 1, 5))  # 20 s first; half without bands
        bands = ",".join(map(str, within[1:])) if rng.random() < 0.5 else ",,,"
        lines.append(
            f"R{n},{day},{_keys(rng)},{_pick(rng, TOPICS)},{offered},{answered},{abandoned},"
            f"{within[0]},{bands},{answered * 31.5},{answered * 280},"
            f"{free},{'' if not free else 7200}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def surveys_file(path: Path, rng: np.random.Generator, count: int) -> Path:
    """Responses on several scales (CSI with many decimals), answers often left blank."""
    lines = [
        "source_id,responded_at,area,channel,segment,satisfaction,scale_min,scale_max,"
        "recommendation,effort"
    ]
    for n in range(count):
        day = DAYS[rng.integers(len(DAYS))]
        low, high = _pick(rng, ((1, 5), (0, 10), (1, 10), (1, 7)))
        score = "" if rng.random() < 0.2 else str(rng.integers(low, high + 1))
        lines.append(
            f"S{n},{day} 10:00:00,{_keys(rng)},{score},{low},{high},"
            f"{_pick(rng, ('', '0', '6', '7', '8', '9', '10'))},{_pick(rng, ('', '1', '4', '7'))}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def every_row(connection: Connection) -> dict[str, list[tuple]]:
    return {
        table.name: sorted(tuple(row) for row in connection.execute(select(table)))
        for table in TABLES
    }


def assert_same_rows(table: Table, found: list[tuple], expected: list[tuple]) -> None:
    """Same keys and counts; sums of fractional values equal up to the order of addition."""
    names = set(CONTACT_MEASURES) | set(SURVEY_MEASURES)
    measures = [i for i, c in enumerate(table.columns) if c.name in names]
    others = [i for i in range(len(table.columns)) if i not in measures]
    assert [[r[i] for i in others] for r in found] == [[r[i] for i in others] for r in expected], (
        table.name
    )
    assert [[r[i] for i in measures] for r in found] == [
        pytest.approx([r[i] for i in measures], rel=1e-12) for r in expected
    ], table.name


def recompute(engine: Engine) -> None:
    with engine.begin() as connection:
        aggregates.refresh_contacts(connection, FIRST, LAST)
        aggregates.refresh_surveys(connection, FIRST, LAST)


def test_imports_on_the_same_days_equal_a_full_recomputation(
    engine: Engine, tmp_path: Path
) -> None:
    rng = np.random.default_rng(11)
    first = contacts_file(tmp_path / "c1.csv", rng, 0, 400)
    import_file(engine=engine, kind="contacts", path=first)
    import_file(
        engine=engine, kind="contact-aggregates", path=reports_file(tmp_path / "r.csv", rng, 120)
    )
    import_file(engine=engine, kind="surveys", path=surveys_file(tmp_path / "s.csv", rng, 300))
    import_file(
        engine=engine, kind="contacts", path=contacts_file(tmp_path / "c2.csv", rng, 400, 400)
    )
    import_file(engine=engine, kind="contacts", path=first)  # a re-import adds nothing
    with engine.connect() as connection:
        kept = every_row(connection)
    assert all(kept.values())
    recompute(engine)
    with engine.connect() as connection:
        rebuilt = every_row(connection)
    for table in TABLES:
        assert_same_rows(table, kept[table.name], rebuilt[table.name])


def test_an_import_adds_to_aggregates_a_recomputation_made(engine: Engine, tmp_path: Path) -> None:
    rng = np.random.default_rng(12)
    import_file(engine=engine, kind="contacts", path=contacts_file(tmp_path / "a.csv", rng, 0, 200))
    recompute(engine)
    import_file(
        engine=engine, kind="contacts", path=contacts_file(tmp_path / "b.csv", rng, 200, 200)
    )
    with engine.connect() as connection:
        kept = every_row(connection)
    recompute(engine)
    with engine.connect() as connection:
        rebuilt = every_row(connection)
    for table in TABLES:
        assert_same_rows(table, kept[table.name], rebuilt[table.name])


def test_a_refused_or_dry_run_import_leaves_the_aggregates_alone(
    engine: Engine, tmp_path: Path
) -> None:
    rng = np.random.default_rng(13)
    import_file(engine=engine, kind="contacts", path=contacts_file(tmp_path / "a.csv", rng, 0, 50))
    with engine.connect() as connection:
        before = every_row(connection)
    more = contacts_file(tmp_path / "b.csv", rng, 50, 50)
    import_file(engine=engine, kind="contacts", path=more, dry_run=True)
    bad = tmp_path / "bad.csv"
    bad.write_text(more.read_text() + "T99999,2025-02-01 10:00:00,XX,web,household,other\n")
    with pytest.raises(ImportRefused):
        import_file(engine=engine, kind="contacts", path=bad)
    with engine.connect() as connection:
        assert every_row(connection) == before
