"""The command line: python -m data_access COMMAND."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from data_access.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_stats_prints_one_table_per_line_after_migrate(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    capsys.readouterr()
    assert main(["stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "province 107" in lines
    assert "contact 0" in lines
    assert all(len(line.split()) == 2 for line in lines)


@pytest.mark.parametrize("command", ["migrate", "stats", "demo", "import", "setup"])
def test_every_command_has_help(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "data_access", command, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python -m data_access " + command)


def test_unknown_import_kind_is_refused_with_the_choices(store_url: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "invoices", "x.csv"])
    assert exit_info.value.code == 2


def test_demo_refuses_a_store_that_already_holds_data(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--contacts", "5000"]) == 0
    assert main(["demo", "--contacts", "5000"]) == 1
    assert "already holds data" in capsys.readouterr().err


def test_setup_fills_an_empty_store_once(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["setup", "--contacts", "5000"]) == 0
    assert main(["setup", "--contacts", "5000"]) == 0
    assert "no demo added" in capsys.readouterr().out
