"""TOML mappings adapt foreign exports: layout, columns, codes, formats, scales, constants."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access.importing import ImportRefused, MappingError, import_file
from data_access.models import Contact, ContactReport, SurveyResponse


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(engine: Engine, *columns) -> list[tuple]:  # model attributes
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(*columns).order_by(*columns))]


CALLS_MAPPING = """
kind = "contacts"
ignore = ["Operatore", ""]
[file]
encoding = "cp1252"
delimiter = ";"
decimal = ","
[columns]
source_id = "Id chiamata"
occurred_at = ["Data", "Ora"]
topic = "Motivo"
answered = "Risposta"
wait_seconds = "Attesa (s)"
handling_seconds = "Durata"
satisfaction = "Voto"
[constants]
area = "IMOLA"
channel = "phone"
segment = "household"
queued = true
[derive]
abandoned = "not answered"
[formats]
occurred_at = "%d/%m/%Y %H:%M:%S"
handling_seconds = "h:mm:ss"
[values.answered]
S = true
N = false
[values.topic]
"Bolletta" = "bill_info"
"Pagamenti" = "payments"
[missing]
satisfaction = ["0"]
"*" = ["ND"]
"""
CALLS = (
    "Id chiamata;Operatore;Data;Ora;Motivo;Risposta;Attesa (s);Durata;Voto;\n"
    "K1;Anna Bertè;03/03/2025;9:05:07;Bolletta;S;12,5;0:03:20;4;\n"
    "K2;Anna Bertè;03/03/2025;10:15:00;Pagamenti;N;ND;;0;x\n"
)


@pytest.fixture
def calls(tmp_path: Path) -> tuple[Path, Path]:
    return (
        write(tmp_path, "chiamate.csv", CALLS, encoding="cp1252"),
        write(tmp_path, "chiamate.toml", CALLS_MAPPING),
    )


def test_mapped_file_imports_with_constants_codes_and_formats(
    engine: Engine, calls: tuple[Path, Path]
) -> None:
    path, mapping = calls
    report = import_file(engine=engine, kind="contacts", path=path, mapping=mapping)
    assert report.rows_accepted == 2
    assert rows(
        engine,
        Contact.source_id,
        Contact.occurred_at,
        Contact.area_code,
        Contact.topic_code,
        Contact.queued,
        Contact.answered,
        Contact.abandoned,
        Contact.wait_seconds,
        Contact.handling_seconds,
    ) == [
        ("K1", datetime(2025, 3, 3, 9, 5, 7), "IMOLA", "bill_info", True, True, False, 12.5, 200.0),
        ("K2", datetime(2025, 3, 3, 10, 15), "IMOLA", "payments", True, False, True, None, None),
    ]


def test_missing_value_token_gives_no_rating(engine: Engine, calls: tuple[Path, Path]) -> None:
    path, mapping = calls
    import_file(engine=engine, kind="contacts", path=path, mapping=mapping)
    assert rows(engine, SurveyResponse.source_id, SurveyResponse.satisfaction_raw) == [
        ("K1#csat", 4.0)
    ]


def test_unmapped_value_code_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", CALLS.replace(";N;ND", ";forse;ND"), encoding="cp1252")
    mapping = write(tmp_path, "m.toml", CALLS_MAPPING)
    with pytest.raises(ImportRefused) as refused:
        import_file(engine=engine, kind="contacts", path=path, mapping=mapping)
    assert [str(e) for e in refused.value.report.errors] == [
        'c.csv:3: column "Risposta" value "forse": not one of the mapped values: S, N'
    ]


def test_error_in_joined_columns_names_both(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", CALLS.replace("10:15:00", "25:15:00"), encoding="cp1252")
    mapping = write(tmp_path, "m.toml", CALLS_MAPPING)
    with pytest.raises(ImportRefused) as refused:
        import_file(engine=engine, kind="contacts", path=path, mapping=mapping)
    assert [str(e) for e in refused.value.report.errors] == [
        'c.csv:3: column "Data + Ora" value "03/03/2025 25:15:00": '
        "not a date and time in the form dd/mm/yyyy hh:mm:ss"
    ]


def test_decimal_comma_refuses_a_decimal_point(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", CALLS.replace("12,5", "12.5"), encoding="cp1252")
    mapping = write(tmp_path, "m.toml", CALLS_MAPPING)
    with pytest.raises(ImportRefused) as refused:
        import_file(engine=engine, kind="contacts", path=path, mapping=mapping)
    assert [str(e) for e in refused.value.report.errors] == [
        'c.csv:2: column "Attesa (s)" value "12.5": not a number of seconds with a decimal comma'
    ]


def test_thousands_separator_is_dropped(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "acd.csv",
        "giorno;offerte;risposte;abbandonate;entro20;attesa;gestione\n"
        "03/03/2025;1.240;1.185;55;902;41.475,5;355.500\n",
    )
    mapping = write(
        tmp_path,
        "acd.toml",
        """
[file]
delimiter = ";"
decimal = ","
thousands = "."
[columns]
day = "giorno"
offered = "offerte"
answered = "risposte"
abandoned = "abbandonate"
answered_20s = "entro20"
wait_seconds = "attesa"
handling_seconds = "gestione"
[constants]
area = "BO"
channel = "phone"
segment = "household"
topic = "other"
[formats]
day = "%d/%m/%Y"
""",
    )
    import_file(engine=engine, kind="contact-aggregates", path=path, mapping=mapping)
    assert rows(engine, ContactReport.day, ContactReport.offered, ContactReport.wait_seconds) == [
        (date(2025, 3, 3), 1240, 41475.5)
    ]


def test_date_formats_are_tried_in_order(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "id,when\nS1,30/09/2021\nS2,1/14/2022\nS3,03/04/2022\n",
    )
    mapping = write(
        tmp_path,
        "s.toml",
        """
[columns]
source_id = "id"
responded_at = "when"
[constants]
area = "BO"
channel = "phone"
segment = "household"
[formats]
responded_at = ["%d/%m/%Y", "%m/%d/%Y"]
""",
    )
    import_file(engine=engine, kind="surveys", path=path, mapping=mapping)
    assert rows(engine, SurveyResponse.source_id, SurveyResponse.day) == [
        ("S1", date(2021, 9, 30)),
        ("S2", date(2022, 1, 14)),
        ("S3", date(2022, 4, 3)),
    ]


def test_reversed_scale_turns_best_into_highest(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path, "s.csv", "id,when,score\nS1,2022-01-01,1\nS2,2022-01-01,4\nS3,2022-01-01,7\n"
    )
    mapping = write(
        tmp_path,
        "s.toml",
        """
[columns]
source_id = "id"
responded_at = "when"
satisfaction = "score"
[constants]
area = "BO"
channel = "phone"
segment = "household"
[scales.satisfaction]
min = 1
max = 5
reversed = true
[missing]
satisfaction = ["6", "7"]
""",
    )
    import_file(engine=engine, kind="surveys", path=path, mapping=mapping)
    assert rows(
        engine, SurveyResponse.source_id, SurveyResponse.satisfaction_raw, SurveyResponse.csi
    ) == [("S1", 5.0, 100.0), ("S2", 2.0, 25.0), ("S3", None, None)]


def test_unmapped_columns_may_all_be_ignored(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "id,when,trust,sentiment\nS1,2022-01-01,NEAS,3\n")
    mapping = write(
        tmp_path,
        "s.toml",
        """
ignore_unmapped = true
[columns]
source_id = "id"
responded_at = "when"
[constants]
area = "BO"
channel = "phone"
segment = "household"
""",
    )
    assert import_file(engine=engine, kind="surveys", path=path, mapping=mapping).rows_accepted == 1


def test_mapping_for_another_kind_is_refused(engine: Engine, calls: tuple[Path, Path]) -> None:
    path, mapping = calls
    with pytest.raises(MappingError, match='this mapping is for kind "contacts", not "surveys"'):
        import_file(engine=engine, kind="surveys", path=path, mapping=mapping)


def test_unknown_mapping_key_is_refused(engine: Engine, tmp_path: Path) -> None:
    mapping = write(tmp_path, "m.toml", 'delimiter = ";"\n')
    with pytest.raises(MappingError, match="unknown key\\(s\\) delimiter"):
        import_file(engine=engine, kind="contacts", path=tmp_path / "x.csv", mapping=mapping)


def test_unknown_field_in_mapping_is_refused(engine: Engine, tmp_path: Path) -> None:
    mapping = write(tmp_path, "m.toml", '[columns]\ncaller = "Numero"\n')
    with pytest.raises(MappingError, match=r"\[columns\] names unknown field\(s\) caller"):
        import_file(engine=engine, kind="contacts", path=tmp_path / "x.csv", mapping=mapping)


def test_invalid_constant_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.csv",
        "source_id,occurred_at,channel,segment,topic\nA,2025-01-01,phone,household,other\n",
    )
    mapping = write(tmp_path, "m.toml", '[constants]\narea = "Bologna"\n')
    with pytest.raises(MappingError, match=r'\[constants\] area = "Bologna": unknown area code'):
        import_file(engine=engine, kind="contacts", path=path, mapping=mapping)
