"""`python -m data_access audit`: the audit oldest first as a table or as CSV (formulas
neutralised), narrowed by --since and --user; a bad --since is exit status 2 naming it; and the
command line's own exports are audited."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from data_access import audit, migrate
from data_access.cli import main
from data_access.db import get_engine

ROOT = Path(__file__).resolve().parents[1]
RAVENNA = "romagna@ascolto.example"

TABLE = """\
at                    user                     role              event    page      url                    kind     format  rows  viewed_as
2026-12-01T08:00:00Z  romagna@ascolto.example  regional_manager  sign_in            /overview
2026-12-01T08:00:01Z  romagna@ascolto.example  regional_manager  page     overview  /overview?province=RA
2026-12-02T09:15:00Z  =HYPERLINK("x")          admin             page     trends    /trends                                       romagna@ascolto.example
2026-12-03T10:30:00Z  romagna@ascolto.example  regional_manager  export   trends    /trends?province=RA    kpi:csi  xlsx    12
"""  # noqa: E501 - the table as printed

CSV = """\
at,user,role,event,page,url,kind,format,rows,viewed_as
2026-12-01T08:00:00Z,romagna@ascolto.example,regional_manager,sign_in,,/overview,,,,
2026-12-01T08:00:01Z,romagna@ascolto.example,regional_manager,page,overview,/overview?province=RA,,,,
2026-12-02T09:15:00Z,"'=HYPERLINK(""x"")",admin,page,trends,/trends,,,,romagna@ascolto.example
2026-12-03T10:30:00Z,romagna@ascolto.example,regional_manager,export,trends,/trends?province=RA,kpi:csi,xlsx,12,
"""


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store whose audit holds a sign-in, two pages (one by an admin with a formula-like id,
    previewing) and an export."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = get_engine(url)
    migrate.prepare(engine)
    times = [
        datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 8, 0, 1, tzinfo=UTC),
        datetime(2026, 12, 2, 9, 15, tzinfo=UTC),
        datetime(2026, 12, 3, 10, 30, tzinfo=UTC),
    ]
    monkeypatch.setattr(audit, "_now", lambda: times.pop(0))
    manager = {"user": RAVENNA, "role": "regional_manager"}
    audit.record_sign_in(engine, **manager, url="/overview")
    audit.record_page(engine, **manager, page="overview", url="/overview?province=RA")
    audit.record_page(  # an admin previewing as the manager, with a formula for a name
        engine,
        user='=HYPERLINK("x")',
        role="admin",
        page="trends",
        url="/trends",
        viewed_as=RAVENNA,
    )
    audit.record_export(
        engine,
        **manager,
        page="trends",
        url="/trends?province=RA",
        kind="kpi:csi",
        fmt="xlsx",
        rows=12,
    )
    monkeypatch.undo()  # the real clock again; DATABASE_URL set again below
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_the_audit_prints_as_a_table_oldest_first(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit"]) == 0
    assert capsys.readouterr().out == TABLE


def test_csv_neutralises_formulas(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--format", "csv"]) == 0
    assert capsys.readouterr().out == CSV


def test_since_and_user_narrow_the_rows(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--since", "2026-12-02", "--user", RAVENNA, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "at,user,role,event,page,url,kind,format,rows,viewed_as",
        "2026-12-03T10:30:00Z,romagna@ascolto.example,regional_manager,export,trends,"
        "/trends?province=RA,kpi:csi,xlsx,12,",
    ]


def test_a_bad_since_is_exit_status_2_naming_it(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--since", "2026-13-01"]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (
        "",
        "audit: --since 2026-13-01: not a date (expected YYYY-MM-DD)\n",
    )


def test_a_command_line_export_is_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'export.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(ROOT / "access.toml"))
    out = tmp_path / "csi.csv"
    argv = ["export", "kpi:csi", "--period", "2025", "--province", "RA", "--format", "csv"]
    assert main([*argv, "--as", RAVENNA, "-o", str(out)]) == 0
    (row,) = audit.read(get_engine(url))
    assert row[1:] == (
        RAVENNA,
        "regional_manager",
        "export",
        "cli",
        "?period=2025&province=RA",
        "kpi:csi",
        "csv",
        0,
        None,
    )
