"""`python -m data_access export` run as a person runs it: files, scope, messages, exit status."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from data_access import migrate
from data_access.cli import EXPORT_FORMATS
from data_access.db import get_engine
from data_access.export import FORMATS
from data_access.importing import import_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "fixtures" / "samples"
ROMAGNA = {"RA", "FC", "RN"}  # romagna@ascolto.example in access.toml


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding the sample files (BO, IMOLA, FE, MO, RA, FC, RN; March 2025)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'cli.db'}"
    engine = get_engine(url)
    migrate.prepare(engine)
    for kind in ("contacts", "surveys", "association-cases"):
        import_file(engine=engine, kind=kind, path=SAMPLES / f"{kind}.csv")
    engine.dispose()
    return url


def run(store_url: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if k != "ASCOLTO_USER"}
    environment |= {"DATABASE_URL": store_url, "PYTHONPATH": str(ROOT)}
    environment["ASCOLTO_ACCESS_FILE"] = str(ROOT / "access.toml")
    return subprocess.run(
        [sys.executable, "-m", "data_access", "export", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        check=False,
        timeout=120,
    )


def table(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_command_offers_every_format() -> None:
    assert tuple(FORMATS) == EXPORT_FORMATS


def test_raw_rows_go_to_standard_output_with_dash(store_url: str) -> None:
    done = run(store_url, "association-cases", "--period", "2025", "-o", "-")
    assert done.returncode == 0
    found = [row["source_id"] for row in table(done.stdout)]
    assert found == [f"AS-2025-{n:03d}" for n in range(1, 11)]
    assert b"10 rows of association-cases written to standard output" in done.stderr


@pytest.mark.parametrize("kind", ["contacts", "surveys", "association-cases"])
def test_a_regional_manager_may_not_export_raw_rows_exit_1_and_no_file(
    store_url: str, tmp_path: Path, kind: str
) -> None:
    done = run(store_url, kind, "-o", str(tmp_path / "x.csv"), "--as", "romagna@ascolto.example")
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"export: romagna@ascolto.example (regional_manager) may not export raw rows ({kind}): "
        "they are for analysts and admins; a KPI's aggregate is allowed (e.g. kpi:contacts)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_analyst_exports_raw_rows_of_every_province(store_url: str) -> None:
    analyst = ("--as", "analisi@ascolto.example")
    done = run(store_url, "association-cases", "--period", "2025", "-o", "-", *analyst)
    assert done.returncode == 0
    assert len(table(done.stdout)) == 10


def test_as_a_regional_manager_a_kpi_holds_only_their_provinces(store_url: str) -> None:
    done = run(
        store_url,
        "kpi:contacts",
        "--period",
        "2025",
        "--by",
        "province",
        "-o",
        "-",
        "--as",
        "romagna@ascolto.example",
    )
    assert {row["province"] for row in table(done.stdout)} == ROMAGNA


def test_someone_not_in_the_access_file_gets_nothing_and_exit_1(
    store_url: str, tmp_path: Path
) -> None:
    done = run(store_url, "contacts", "--as", "nobody@example.it", "-o", str(tmp_path / "x.csv"))
    assert done.returncode == 1
    assert b"nobody@example.it sees no province" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_as_the_cli_runs_as_the_local_profile_which_sees_everything(
    store_url: str,
) -> None:
    done = run(store_url, "contacts", "--period", "2025", "-o", "-")
    assert len(table(done.stdout)) == 20


def test_url_takes_the_browser_view_and_options_narrow_it(store_url: str) -> None:
    url = "http://127.0.0.1:8501/trends?period=2025&province=BO&province=RA&kpi=service_level"
    linked = run(store_url, "contacts", "--url", url, "-o", "-")
    narrowed = run(store_url, "contacts", "--url", url, "--province", "RA", "-o", "-")
    assert {row["area"] for row in table(linked.stdout)} == {"BO", "IMOLA", "RA"}
    assert {row["area"] for row in table(narrowed.stdout)} == {"RA"}


def test_the_provenance_keeps_the_links_page_and_own_parameters(
    store_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "ls.parquet"
    url = "http://127.0.0.1:8501/trends?period=2025&province=BO&province=RA&kpi=service_level"
    done = run(
        store_url,
        "service_level",
        "--url",
        url,
        "--province",
        "RA",
        "--format",
        "parquet",
        "-o",
        str(path),
    )
    assert done.returncode == 0
    assert pq.read_metadata(path).metadata[b"ascolto.url"] == (
        b"http://127.0.0.1:8501/trends?period=2025&province=RA&kpi=service_level"
    )


def test_an_option_cannot_widen_the_links_selection(store_url: str) -> None:
    done = run(store_url, "contacts", "--url", "?province=BO", "--province", "RA", "-o", "-")
    assert done.returncode == 2
    assert b"--province RA: not in the link's province selection" in done.stderr


def test_provenance_lines_come_only_when_asked(store_url: str) -> None:
    plain = run(store_url, "association-cases", "--period", "2025", "-o", "-")
    told = run(store_url, "association-cases", "--period", "2025", "--provenance", "-o", "-")
    assert plain.stdout.startswith(b"source_id,")
    lines = told.stdout.decode().splitlines()
    assert lines[1:4] == ["# url: ?period=2025", "# person: locale", "# scope: all provinces"]
    assert lines[6:8] == [
        "# rows: 10",
        "source_id,opened_on,association,area,topic,answered_on,closed_on,status",
    ]


def test_parquet_always_carries_the_provenance(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "cases.parquet"
    done = run(
        store_url,
        "kpi:contacts",
        "--format",
        "parquet",
        "-o",
        str(path),
        "--as",
        "romagna@ascolto.example",
    )
    assert done.returncode == 0
    metadata = pq.read_metadata(path).metadata
    assert (metadata[b"ascolto.person"], metadata[b"ascolto.scope"]) == (
        b"romagna@ascolto.example",
        b"FC, RA, RN",
    )


def test_without_o_the_file_is_named_after_the_view(store_url: str, tmp_path: Path) -> None:
    done = run(
        store_url,
        "service_level",
        "--period",
        "2025",
        "--province",
        "RA",
        "--format",
        "xlsx",
        cwd=tmp_path,
    )
    assert done.returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == [
        "ascolto_export_LS_RA_2025-01-01_2025-12-31.xlsx"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calls"], b"KIND calls: unknown kind"),
        (["contacts", "--from", "2025-13-01"], b"--from 2025-13-01: not a date"),
        (["contacts", "--period", "lastyear"], b"--period lastyear: unknown period"),
        (["csi", "--grain", "hour"], b"--grain hour: unknown grain"),
        (["contacts", "--province", "XX"], b"--province XX: unknown province"),
        (["contacts", "--channel", "fax"], b"--channel fax: unknown channel"),
        (["csi", "--by", "zone"], b"--by zone: unknown dimension"),
        (["csi", "--by", "topic"], b"csi does not depend on topic"),
        (["surveys", "--topic", "payments"], b"surveys rows carry no topic"),
        (["contacts", "--format", "ods"], b"argument --format: invalid choice: 'ods'"),
    ],
)
def test_a_bad_option_is_named_exits_2_and_leaves_no_file(
    store_url: str, tmp_path: Path, args: list[str], message: bytes
) -> None:
    done = run(store_url, *args, "-o", str(tmp_path / "out.csv"))
    assert (done.returncode, message in done.stderr) == (2, True), done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_written_file_replaces_nothing_until_it_is_complete(
    store_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(b"previous export\n")
    done = run(store_url, "surveys", "--topic", "payments", "-o", str(path))
    assert done.returncode == 2
    assert path.read_bytes() == b"previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
