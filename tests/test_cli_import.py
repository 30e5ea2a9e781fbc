"""`python -m data_access import` run as a person runs it: exit status, messages, the store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access.db import get_engine
from data_access.models import Contact, ContactDaily, ImportBatch

ROOT = Path(__file__).resolve().parents[1]
HEADER = "source_id,occurred_at,area,channel,segment,topic,wait_seconds\n"
GOOD = "A1,2025-03-03 08:31:12,BO,phone,household,bill_info,34\n"
BAD_DATE = "A2,2025-02-30 09:00:00,BO,phone,household,bill_info,12\n"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run_import(store_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"DATABASE_URL": store_url}
    return subprocess.run(
        [sys.executable, "-m", "data_access", "import", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def stored(store_url: str) -> tuple[int, int, int]:
    """Rows of contact, contact_daily and import_batch."""
    engine = get_engine(store_url)
    with engine.connect() as connection:
        contacts, daily, batches = [
            connection.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Contact, ContactDaily, ImportBatch)
        ]
    engine.dispose()
    return contacts, daily, batches


@pytest.fixture
def refused(store_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "calls.csv"
    path.write_text(HEADER + GOOD + BAD_DATE, encoding="utf-8")
    return run_import(store_url, "contacts", str(path))


def test_a_refused_file_exits_with_status_1(refused: subprocess.CompletedProcess[str]) -> None:
    assert refused.returncode == 1


def test_a_refused_file_names_file_line_column_value_and_reason(
    refused: subprocess.CompletedProcess[str],
) -> None:
    assert refused.stderr.splitlines()[-2:] == [
        'calls.csv:3: column "occurred_at" value "2025-02-30 09:00:00": '
        "not a date and time in the form yyyy-mm-dd hh:mm:ss",
        "calls.csv: refused, 1 error(s) in 1 of 2 rows; nothing was written",
    ]
    assert refused.stdout == ""


def test_a_refused_file_writes_nothing(
    store_url: str, refused: subprocess.CompletedProcess[str]
) -> None:
    assert stored(store_url) == (0, 0, 0)


def test_a_good_file_exits_0_and_is_stored(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    result = run_import(store_url, "contacts", str(path))
    assert result.returncode == 0
    assert stored(store_url) == (1, 1, 1)


def test_a_missing_file_exits_with_status_2_naming_it(store_url: str, tmp_path: Path) -> None:
    result = run_import(store_url, "contacts", str(tmp_path / "absent.csv"))
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith(f"{tmp_path / 'absent.csv'}: ")
