"""`python -m data_access access check`: ok with the counts, or every problem with its line and
exit status 1; a bad option is exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from data_access.cli import main

ROOT = Path(__file__).resolve().parents[1]
VALID = """
[users."boss@x.it"]
role = "executive"

[groups."cx-romagna"]
role = "regional_manager"
provinces = ["RA", "FC", "RN"]

[groups."cx-analysts"]
role = "analyst"
"""
BROKEN = """[users."boss@x.it"]
role = "executiv"

[users."ra@x.it"]
role = "regional_manager"
provinces = ["RA", "XX"]
"""


@pytest.fixture(autouse=True)
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_is_ok_with_its_people_and_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, VALID)
    assert main(["access", "check", "--file", str(path)]) == 0
    assert capsys.readouterr().out == f"ok: 1 person, 2 groups in {path}\n"


def test_without_file_it_checks_the_apps_access_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(ROOT / "access.toml"))
    assert main(["access", "check"]) == 0
    assert capsys.readouterr().out == f"ok: 5 people, 0 groups in {ROOT / 'access.toml'}\n"


def test_a_broken_file_prints_every_problem_with_its_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, BROKEN)
    assert main(["access", "check", "--file", str(path)]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.splitlines() == [
        f'{path}:2: person "boss@x.it": unknown role "executiv" '
        "(roles: regional_manager, executive, analyst, admin)",
        f'{path}:6: person "ra@x.it": unknown province "XX" '
        "(not an Italian province sigla like RA)",
        f"2 problems in {path}: nobody sees any data until it is fixed",
    ]


def test_a_file_that_cannot_be_read_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.toml"
    assert main(["access", "check", "--file", str(missing)]) == 1
    assert f"{missing}: cannot be read: " in capsys.readouterr().err


def test_a_contact_that_is_not_text_is_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, 'contact = 7\n[users."boss@x.it"]\nrole = "executive"\n')
    assert main(["access", "check", "--file", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}:1: contact = 7 is not text (whom to ask for access, e.g. "
        'contact = "Direzione clienti, cx@example.it")'
    )


def test_a_file_with_a_contact_is_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, 'contact = "Direzione clienti, cx@x.it"\n' + VALID)
    assert main(["access", "check", "--file", str(path)]) == 0
    assert capsys.readouterr().out == f"ok: 1 person, 2 groups in {path}\n"


def test_a_bad_option_exits_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "data_access", "access", "check", "--bogus"],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert b"unrecognized arguments: --bogus" in done.stderr


def test_access_without_an_action_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["access"])
    assert stopped.value.code == 2
    assert "required: ACTION" in capsys.readouterr().err
