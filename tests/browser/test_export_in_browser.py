"""Downloads in a real Chromium: the CSV under the trends table holds the numbers the table shows,
to the unit; the Export page downloads the view's rows (issue 11)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from browser_app import Server, open_view, screenshot
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

TRENDS = "/trends?province=RA&period=2024"
NAME = "ascolto_andamenti_LS_RA_2024-01-01_2024-12-31.csv"


def grid_rows(table: Locator) -> list[list[str]]:
    """The cells of an st.dataframe as its accessible grid holds them (the cells' values)."""
    rows = table.locator('[role="grid"] tbody tr')
    return [row.locator('[role="gridcell"]').all_inner_texts() for row in rows.all()]


def download(page: Page, table: Locator, label: str) -> tuple[Path, str]:
    """Open the 'Scarica' popover under table, click the format's button: the file and its
    suggested name."""
    table.locator("xpath=following::*[@data-testid='stPopoverButton'][1]").click()
    body = page.locator('[data-testid="stPopoverBody"]')
    button = body.get_by_role("button", name=label, exact=True)
    with page.expect_download() as started:
        button.click()
    return Path(started.value.path()), started.value.suggested_filename


def test_the_csv_under_the_trends_table_holds_the_numbers_of_the_table(
    page: Page, server: Server
) -> None:
    open_view(page, server, TRENDS)
    main = page.locator('[data-testid="stMain"]')
    table = main.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    expect(table.locator('[role="grid"]')).to_have_attribute("aria-rowcount", "13")  # + header
    shown = grid_rows(table)
    assert len(shown) >= 10
    path, name = download(page, table, "CSV")
    assert name == NAME
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12
    assert list(rows[0]) == ["bucket", "province", "value", "n"]
    for cells, row in zip(shown, rows, strict=False):
        bucket, province, value, n = cells
        assert (row["bucket"], row["province"]) == (bucket, province)
        assert float(row["value"]) == pytest.approx(float(value), abs=1e-9)
        assert int(row["n"]) == int(n)
    screenshot(page, "trends-download")


def test_the_export_page_downloads_the_views_rows(page: Page, server: Server) -> None:
    open_view(page, server, "/export?kind=contacts&province=RA&period=2024")
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("righe da esportare")
    counted = main.get_by_text(re.compile(r"^[\d.]+ righe da esportare\.$")).inner_text()
    rows = int(counted.split()[0].replace(".", ""))
    main.get_by_role("button", name="Prepara il file", exact=True).click()
    expect(
        main.get_by_text(f"{counted.split()[0]} di {counted.split()[0]} righe scritte")
    ).to_be_visible()
    with page.expect_download() as started:
        main.get_by_role("button", name="Scarica il file", exact=True).click()
    assert started.value.suggested_filename == (
        "ascolto_esporta_contacts_RA_2024-01-01_2024-12-31.csv"
    )
    text = Path(started.value.path()).read_text(encoding="utf-8")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:3] == ["source_id", "occurred_at", "area"]
    assert {line[2] for line in lines[1:]} == {"RA"}
    assert len(lines) - 1 == rows
    screenshot(page, "export-page")
