"""Signing in for real (issue 12): st.login against an OpenID Connect provider on a loopback port
(oidc-provider-mock), driven through Chromium. The Ravenna manager never meets another province,
not by editing the URL, not after a server restart, not in a download; the executive sees them
all; a person matched by the "groups" claim sees the group's provinces; a person not in the
access file sees no data."""

from __future__ import annotations

import csv
import importlib.util
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from browser_app import (
    NAV_LINK,
    Server,
    free_port,
    open_view,
    screenshot,
    start_server,
    wait_for_run,
)
from conftest import IN_CI
from oidc_provider import (
    CALLBACK,
    Provider,
    register_client,
    sign_in,
    start_provider,
    write_secrets,
)
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from data_access import audit
from data_access.db import get_engine
from data_access.scope import Scope
from data_access.territory import visible_territory

pytestmark = pytest.mark.browser

RAVENNA = "ravenna@ascolto.example"
EXECUTIVE = "direzione@ascolto.example"
ROMAGNA_GROUP = "capo.romagna@ascolto.example"  # not in [users]: matched by its group claim
UNLISTED = "ospite@ascolto.example"
PEOPLE: list[dict[str, object]] = [
    {"sub": RAVENNA, "email": RAVENNA, "name": "Responsabile Ravenna"},
    {"sub": EXECUTIVE, "email": EXECUTIVE, "name": "Direzione clienti"},
    {
        "sub": ROMAGNA_GROUP,
        "email": ROMAGNA_GROUP,
        "name": "Capo Romagna",
        "groups": ["cx-romagna"],
    },
    {"sub": UNLISTED, "email": UNLISTED, "name": "Ospite"},
]
CONTACT = "Direzione clienti, accessi@ascolto.example"
ACCESS = f"""\
contact = "{CONTACT}"

[users."{RAVENNA}"]
name = "Responsabile Ravenna"
role = "regional_manager"
provinces = ["RA"]

[users."{EXECUTIVE}"]
name = "Direzione clienti"
role = "executive"

[groups."cx-romagna"]
role = "regional_manager"
provinces = ["RA", "FC", "RN"]
"""
PAGES = [
    "/overview",
    "/trends",
    "/channels",
    "/contact-centre",
    "/satisfaction",
    "/associations",
    "/export",
]


class SignInApp:
    """The app with [auth] pointing at the provider, restartable on the same port and secrets
    (so a browser's sign-in cookie, signed with the same cookie_secret, still holds)."""

    def __init__(self, store_url: str, folder: Path, provider: Provider) -> None:
        self.store_url = store_url
        self.folder = folder
        self.port = free_port()
        redirect_uri = f"http://127.0.0.1:{self.port}{CALLBACK}"
        client = register_client(provider, redirect_uri)
        self.secrets = write_secrets(
            folder / "secrets.toml", provider, redirect_uri, client, secrets.token_hex(32)
        )
        access = folder / "access.toml"
        access.write_text(ACCESS, encoding="utf-8")
        self.env = {"ASCOLTO_ACCESS_FILE": str(access)}
        self.starts = 0
        self.server = self._start()

    def _start(self) -> Server:
        self.starts += 1
        return start_server(
            self.store_url,
            self.folder / f"streamlit-{self.starts}.log",
            port=self.port,
            secrets=self.secrets,
            env=self.env,
        )

    def restart(self) -> Server:
        """Stop the server and start a new process on the same port: a cold server."""
        self.server.stop()
        self.server = self._start()
        return self.server


@pytest.fixture(scope="module")
def provider(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """oidc-provider-mock on a free loopback port, knowing PEOPLE; skip (fail under CI=true) when
    it is not installed or does not start."""
    reason = None
    if importlib.util.find_spec("oidc_provider_mock") is None:
        reason = "oidc-provider-mock is not installed (requirements.txt): no provider to sign in at"
    else:
        try:
            running = start_provider(tmp_path_factory.mktemp("oidc") / "provider.log", PEOPLE)
        except RuntimeError as problem:
            reason = f"the OpenID Connect provider did not start: {problem}"
    if reason:
        if IN_CI:
            pytest.fail(reason + " (CI=true requires it)")
        pytest.skip(reason)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def app(
    browser_store: str, provider: Provider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignInApp]:
    """The app on a store's copy of the demo world, sign-in through provider, the test access
    file (the Ravenna manager, the executive, the cx-romagna group)."""
    running = SignInApp(browser_store, tmp_path_factory.mktemp("signin"), provider)
    yield running
    running.server.stop()


@pytest.fixture(scope="module")
def territory(browser_store: str) -> list[tuple[str, str, str]]:
    """(sigla, province, area name) of every area with data in the demo store."""
    engine = get_engine(browser_store)
    table = visible_territory(engine, Scope.all_provinces("test"))
    engine.dispose()
    return list(table[["sigla", "province", "area_name"]].itertuples(index=False, name=None))


def names_outside(territory: list[tuple[str, str, str]], seen: set[str]) -> re.Pattern[str]:
    """A pattern for any province name, area name or sigla of the store outside seen (sigle)."""
    words = {
        word
        for sigla, province, area in territory
        if sigla not in seen
        for word in (sigla, province, area)
    }
    words -= {
        word for sigla, province, area in territory if sigla in seen for word in (province, area)
    }
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


@pytest.fixture
def signed_in(browser: Browser) -> Iterator[BrowserContext]:
    """A new browser profile in Italian (each test signs in with its own person)."""
    profile = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="it-IT")
    profile.set_default_timeout(30_000)
    yield profile
    profile.close()


def page_text(page: Page) -> str:
    """Everything the page holds as text, hidden text (accessible tables) included, less the
    warning's echo of a URL value it ignored ("Parametro ignorato: province=BO: ..."): that is
    what the person typed, not data."""
    text = page.locator("body").text_content() or ""
    return re.sub(r"province=[A-Za-z]+", "province=…", text)


def assert_only(page: Page, pattern: re.Pattern[str], where: str) -> None:
    """The page shows no name or sigla the pattern matches; a screenshot when it does."""
    found = sorted(set(pattern.findall(page_text(page))))
    if found:
        screenshot(page, f"signin-leak-{where}")
    assert found == [], f"{where} shows {found}"


def filter_widgets(page: Page) -> Locator:
    """The filter sidebar's choosers (period, region, provinces, ...)."""
    return page.locator('[data-testid="stSidebar"]').locator(
        ':is([data-testid="stMultiSelect"], [data-testid="stSelectbox"])'
    )


def open_signed_in(page: Page, server: Server, path: str) -> None:
    """Open path and wait for the run (a page without data may have no title)."""
    page.goto(server.url + path)
    page.locator('[data-testid="stMain"]').first.wait_for()
    wait_for_run(page)


@dataclass
class Walk:
    """What the Ravenna manager met on a walk through the app: the menu's links, every page's
    names of other provinces (none, if scope holds), the two files downloaded."""

    started: datetime
    menu: list[str]
    leaks: dict[str, list[str]] = field(default_factory=dict)
    table_rows: list[dict[str, str]] = field(default_factory=list)
    export_rows: list[dict[str, str]] = field(default_factory=list)


def downloaded_rows(page: Page, button: Locator) -> list[dict[str, str]]:
    """The rows of the CSV the button downloads."""
    with page.expect_download() as started:
        button.click()
    with Path(started.value.path()).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def ravenna_walk(
    app: SignInApp, browser: Browser, territory: list[tuple[str, str, str]]
) -> Iterator[Walk]:
    """The Ravenna manager signs in, opens every page of the menu as is, with ?province=BO and
    with ?province=BO&province=RA, downloads the CSV under the trends table and the Export
    page's file: once for the module's tests."""
    profile = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="it-IT")
    profile.set_default_timeout(30_000)
    page = profile.new_page()
    started = datetime.now(UTC) - timedelta(seconds=1)
    sign_in(page, app.server, RAVENNA, "/overview")
    open_view(page, app.server, "/overview")
    menu = page.locator(NAV_LINK).evaluate_all("links => links.map(link => link.pathname)")
    walk = Walk(started, menu)
    others = names_outside(territory, {"RA"})
    for path in PAGES:
        for query in ("", "?province=BO", "?province=BO&province=RA"):
            open_view(page, app.server, path + query)
            found = sorted(set(others.findall(page_text(page))))
            if found:
                screenshot(page, f"signin-leak-{path}{query}")
                walk.leaks[path + query] = found
    open_view(page, app.server, "/trends?period=2024&province=BO")
    main = page.locator('[data-testid="stMain"]')
    table = main.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    table.locator("xpath=following::*[@data-testid='stPopoverButton'][1]").click()
    csv_button = page.locator('[data-testid="stPopoverBody"]').get_by_role(
        "button", name="CSV", exact=True
    )
    walk.table_rows = downloaded_rows(page, csv_button)
    screenshot(page, "signin-ravenna-trends")
    open_view(page, app.server, "/export?period=2024&province=BO")
    main.get_by_role("button", name="Prepara il file", exact=True).click()
    ready = main.get_by_role("button", name="Scarica il file", exact=True)
    ready.wait_for()
    walk.export_rows = downloaded_rows(page, ready)
    yield walk
    profile.close()


def test_the_ravenna_managers_walk_covers_every_page_of_the_menu(ravenna_walk: Walk) -> None:
    assert sorted(ravenna_walk.menu) == sorted(PAGES)  # a page added to the menu is walked too


def test_the_ravenna_manager_meets_no_other_province_on_any_page(ravenna_walk: Walk) -> None:
    assert ravenna_walk.leaks == {}


def test_the_ravenna_manager_has_the_filters_of_a_person_in_the_access_file(
    app: SignInApp, signed_in: BrowserContext
) -> None:
    page = signed_in.new_page()
    sign_in(page, app.server, RAVENNA, "/trends")
    open_view(page, app.server, "/trends")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Ravenna")
    assert filter_widgets(page).count() > 0


def test_the_ravenna_managers_table_download_holds_only_ravenna_rows(ravenna_walk: Walk) -> None:
    rows = ravenna_walk.table_rows
    assert len(rows) == 12
    assert {row["province"] for row in rows} == {"Ravenna"}


def test_the_ravenna_managers_export_page_file_holds_only_ravenna_rows(
    ravenna_walk: Walk,
) -> None:
    rows = ravenna_walk.export_rows
    assert rows
    assert {row["province"] for row in rows} == {"RA"}  # the export's KPI files carry sigle


def test_the_audit_shows_the_ravenna_managers_pages_and_exports(
    ravenna_walk: Walk, browser_store: str
) -> None:
    engine = get_engine(browser_store)
    records = [
        row
        for row in audit.read(engine, user=RAVENNA)
        if row.at.replace(tzinfo=UTC) >= ravenna_walk.started
    ]
    engine.dispose()
    assert {row.role for row in records} == {"regional_manager"}
    assert "sign_in" in {row.event for row in records}
    opened = {"/" + row.page for row in records if row.event == "page"}
    assert opened >= set(PAGES)
    exports = [(row.page, row.format, row.rows) for row in records if row.event == "export"]
    assert exports == [
        ("trends", "csv", len(ravenna_walk.table_rows)),
        ("export", "csv", len(ravenna_walk.export_rows)),
    ]
    bologna = [row.url for row in records if row.event == "page" and "province=BO" in row.url]
    assert bologna == []  # the view recorded is the one shown: Ravenna's, not the URL's ask


def test_the_executive_sees_bologna(app: SignInApp, signed_in: BrowserContext) -> None:
    page = signed_in.new_page()
    sign_in(page, app.server, EXECUTIVE, "/trends?province=BO")
    open_view(page, app.server, "/trends?province=BO")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Bologna")
    screenshot(page, "signin-executive-trends")


def test_a_person_in_the_romagna_group_sees_the_groups_provinces(
    app: SignInApp, signed_in: BrowserContext, territory: list[tuple[str, str, str]]
) -> None:
    page = signed_in.new_page()
    sign_in(page, app.server, ROMAGNA_GROUP, "/trends")
    open_view(page, app.server, "/trends?province=BO&province=FC&province=RN")
    assert_only(page, names_outside(territory, {"RA", "FC", "RN"}), "group-trends")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Rimini")


def test_a_person_not_in_the_access_file_sees_no_data(
    app: SignInApp, signed_in: BrowserContext, territory: list[tuple[str, str, str]]
) -> None:
    page = signed_in.new_page()
    sign_in(page, app.server, UNLISTED, "/overview")
    for path in ("/overview", "/trends?province=RA", "/export"):
        open_signed_in(page, app.server, path)
        assert_only(page, names_outside(territory, set()), f"unlisted{path}")
        assert re.findall(r"\d{2,}", page_text(page)) == [], f"{path} shows a year or a count"
    screenshot(page, "signin-unlisted")


def test_a_person_not_in_the_access_file_gets_no_filter_sidebar(
    app: SignInApp, signed_in: BrowserContext
) -> None:
    page = signed_in.new_page()
    sign_in(page, app.server, UNLISTED, "/overview")
    open_signed_in(page, app.server, "/trends")
    assert filter_widgets(page).count() == 0


def test_a_person_not_in_the_access_file_is_told_whom_to_ask(
    app: SignInApp, signed_in: BrowserContext
) -> None:
    page = signed_in.new_page()
    sign_in(page, app.server, UNLISTED, "/channels?province=BO")
    open_signed_in(page, app.server, "/channels?province=BO")
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("Nessun accesso ai dati")
    expect(main).to_contain_text(f"Stai usando Ascolto come Ospite ({UNLISTED}).")
    expect(main).to_contain_text(f"Per chiedere l'accesso: {CONTACT}")
    expect(page.get_by_role("button", name="Esci")).to_be_visible()


def test_after_a_restart_a_deep_link_shows_the_ravenna_manager_only_ravenna(
    app: SignInApp, signed_in: BrowserContext, territory: list[tuple[str, str, str]]
) -> None:
    page = signed_in.new_page()
    sign_in(page, app.server, RAVENNA, "/overview")
    server = app.restart()
    open_view(page, server, "/trends?province=BO")
    assert_only(page, names_outside(territory, {"RA"}), "restart-trends")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Ravenna")
