"""What an operator reads in the logs: a broken access file, sign-in problems, refused imports,
slow queries; and where the logs go (one configuration, ASCOLTO_LOG_LEVEL)."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import logs
from data_access.access import scope_for
from data_access.db import get_engine
from data_access.importing import ImportRefused, import_file
from data_access.scope import Scope
from ui import auth

HEADER = "source_id,occurred_at,area,channel,segment,topic,wait_seconds\n"
GOOD = "A1,2025-03-03 08:31:12,BO,phone,household,bill_info,34\n"
BAD_DATE = "A2,2025-02-30 09:00:00,BO,phone,household,bill_info,12\n"


def records(caplog: pytest.LogCaptureFixture, name: str) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == name]


# --- the access file --------------------------------------------------------------------------


def test_an_access_file_that_does_not_parse_is_an_error_and_locks_everyone_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "access.toml"
    path.write_text('[users.boss]\nprovinces = "*\n', encoding="utf-8")
    assert scope_for("boss", path) == Scope(user="boss")
    assert records(caplog, "data_access.access") == [
        (
            logging.ERROR,
            f"access file {path} cannot be read, nobody sees any data: "
            "Illegal character '\\n' (at line 2, column 15)",
        )
    ]


def test_an_access_file_whose_users_is_not_a_table_is_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "access.toml"
    path.write_text('users = "boss"\n', encoding="utf-8")
    assert scope_for("boss", path) == Scope(user="boss")
    assert records(caplog, "data_access.access") == [
        (
            logging.ERROR,
            f"access file {path} is not valid, nobody sees any data: "
            'line 1: users = "boss" is not a table (expected [users."…"] entries)',
        )
    ]


def test_a_person_not_in_the_access_file_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "access.toml"
    path.write_text('[users.boss]\nprovinces = "*"\n', encoding="utf-8")
    assert scope_for("stranger@example.org", path) == Scope(user="stranger@example.org")
    assert records(caplog, "data_access.access") == [
        (
            logging.WARNING,
            f"stranger@example.org is not in the access file {path}: sees no province",
        )
    ]


def test_a_person_whose_provinces_are_not_a_list_is_an_error_and_locks_everyone_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "access.toml"
    path.write_text('[users.odd]\nprovinces = "RA"\n', encoding="utf-8")
    assert scope_for("odd", path) == Scope(user="odd")
    assert records(caplog, "data_access.access") == [
        (
            logging.ERROR,
            f"access file {path} is not valid, nobody sees any data: "
            'line 2: person "odd": provinces = "RA" is neither a list of sigle nor "*"',
        )
    ]


def test_a_person_in_the_access_file_logs_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "access.toml"
    path.write_text('[users.boss]\nprovinces = "*"\n', encoding="utf-8")
    assert scope_for("boss", path) == Scope.all_provinces("boss")
    assert records(caplog, "data_access.access") == []


# --- sign-in ----------------------------------------------------------------------------------


class _Secrets:
    """Stands for st.secrets: reading it raises problem."""

    def __init__(self, problem: Exception) -> None:
        self.problem = problem

    def __contains__(self, key: object) -> bool:
        raise self.problem


def _secrets_problem(message: str, error_id: str) -> Exception:
    problem = FileNotFoundError(message)
    problem.error_id = error_id  # as Streamlit's StreamlitSecretNotFoundError carries it
    return problem


def test_a_secrets_file_that_does_not_parse_is_an_error_and_sign_in_is_off(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    problem = _secrets_problem(
        "Error parsing secrets file at .streamlit/secrets.toml: Expected '=' (at line 3)",
        "failed-parsing-secrets-file",
    )
    monkeypatch.setattr(auth.st, "secrets", _Secrets(problem))
    assert auth.sign_in_configured() is False
    assert records(caplog, "ui.auth") == [
        (
            logging.ERROR,
            "secrets cannot be read, sign-in is off: Error parsing secrets file at "
            ".streamlit/secrets.toml: Expected '=' (at line 3)",
        )
    ]


def test_no_secrets_file_at_all_is_the_quiet_local_case(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    problem = _secrets_problem("No secrets found.", "no-secrets-found")
    monkeypatch.setattr(auth.st, "secrets", _Secrets(problem))
    assert auth.sign_in_configured() is False
    assert records(caplog, "ui.auth") == []


def test_a_signed_in_person_without_an_email_is_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(auth, "sign_in_configured", lambda: True)
    user = SimpleNamespace(is_logged_in=True, get=lambda key, default=None: default)
    monkeypatch.setattr(auth.st, "user", user)
    assert auth.current_user() == ""
    assert records(caplog, "ui.auth") == [
        (logging.WARNING, "a signed-in person has no e-mail address in the identity token")
    ]


# --- imports ----------------------------------------------------------------------------------


def test_a_refused_import_is_a_warning_with_the_file_and_its_first_error(
    sqlite_engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(HEADER + GOOD + BAD_DATE, encoding="utf-8")
    with pytest.raises(ImportRefused):
        import_file(engine=sqlite_engine, kind="contacts", path=path)
    assert records(caplog, "data_access.importing.pipeline") == [
        (
            logging.WARNING,
            "import of contacts: calls.csv: refused, 1 error(s) in 1 of 2 rows; nothing was "
            'written; first error: calls.csv:3: column "occurred_at" value "2025-02-30 09:00:00": '
            "not a date and time in the form yyyy-mm-dd hh:mm:ss",
        )
    ]


def test_a_refused_import_masks_personal_data_in_the_first_error(
    sqlite_engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "calls.csv"
    bad_wait = "A2,2025-03-03 09:00:00,BO,phone,household,bill_info,mario.rossi@example.org\n"
    path.write_text(HEADER + bad_wait, encoding="utf-8")
    with pytest.raises(ImportRefused):
        import_file(engine=sqlite_engine, kind="contacts", path=path)
    [(level, message)] = records(caplog, "data_access.importing.pipeline")
    assert level == logging.WARNING
    assert "mario.rossi@example.org" not in message
    assert 'column "wait_seconds"' in message


# --- slow queries -----------------------------------------------------------------------------


def test_a_query_over_the_threshold_is_a_warning_with_its_first_line_and_no_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ASCOLTO_SLOW_QUERY_MS", "0")
    engine = get_engine(f"sqlite:///{tmp_path / 'slow.db'}")
    with engine.connect() as connection:
        connection.execute(text("SELECT :secret AS answer\nFROM (SELECT 1)"), {"secret": "s3cr3t"})
    [(level, message)] = records(caplog, "data_access.db")
    assert level == logging.WARNING
    assert message.startswith("slow query: ")
    assert message.endswith(" ms: SELECT ? AS answer")
    assert "s3cr3t" not in message


def test_a_long_statement_is_cut_at_200_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ASCOLTO_SLOW_QUERY_MS", "0")
    engine = get_engine(f"sqlite:///{tmp_path / 'slow.db'}")
    columns = ", ".join(f"{n} AS c{n}" for n in range(100))
    with engine.connect() as connection:
        connection.execute(text(f"SELECT {columns}"))
    [(_, message)] = records(caplog, "data_access.db")
    assert message.split(" ms: ", 1)[1] == f"SELECT {columns}"[:200]


def test_a_query_under_the_threshold_is_not_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ASCOLTO_SLOW_QUERY_MS", "60000")
    engine = get_engine(f"sqlite:///{tmp_path / 'fast.db'}")
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert records(caplog, "data_access.db") == []


def test_a_slow_write_is_not_logged_as_a_slow_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ASCOLTO_SLOW_QUERY_MS", "0")
    engine = get_engine(f"sqlite:///{tmp_path / 'write.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t (x) SELECT 1"))
    assert records(caplog, "data_access.db") == []


# --- where the logs go ------------------------------------------------------------------------


@pytest.fixture
def house_loggers() -> object:
    """Put the house's loggers back as they were after a test that configures them."""
    saved = {
        name: (logging.getLogger(name).level, logging.getLogger(name).handlers[:])
        for name in logs.LOGGERS
    }
    yield
    for name, (level, handlers) in saved.items():
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).handlers[:] = handlers


def test_logs_go_to_stderr_at_info_by_default(
    house_loggers: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ASCOLTO_LOG_LEVEL", raising=False)
    logs.configure()
    logs.configure()  # every Streamlit run configures again: still one line per message
    logging.getLogger("data_access.x").info("hello")
    logging.getLogger("ui.x").debug("not shown")
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith(" INFO data_access.x: hello")


def test_ascolto_log_level_sets_the_level(
    house_loggers: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASCOLTO_LOG_LEVEL", "warning")
    logs.configure()
    logging.getLogger("pages.x").info("not shown")
    logging.getLogger("pages.x").warning("shown")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" ", 2)[2] for line in lines] == ["WARNING pages.x: shown"]
