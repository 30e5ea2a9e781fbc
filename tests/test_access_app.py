"""Who is looking, in the app: the demo banner, the account line, the no-access page, the
refusal on a broken access file and an admin's preview as another person."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from apptest_support import demo_store, open_page, use_store  # noqa: F401
from streamlit.testing.v1 import AppTest

from ui import auth

ROMAGNA = "romagna@ascolto.example"
DEMO_LOCAL = (
    "Accesso non attivo: stai vedendo la vista di Utente locale (amministratore). Per attivare "
    "l'accesso con l'account aziendale, vedi il README, sezione «Who sees what»."
)
DEMO_ROMAGNA = (
    "Accesso non attivo: stai vedendo la vista di Responsabile Romagna (responsabile regionale). "
    "Per attivare l'accesso con l'account aziendale, vedi il README, sezione «Who sees what»."
)
PREVIEW_ROMAGNA = (
    "Anteprima come Responsabile Romagna (responsabile regionale): stai vedendo ciò che vede "
    "Responsabile Romagna."
)
NO_ACCESS = "Nessun accesso ai dati"
DATA_WORDS = re.compile(r"\b(?:19|20)\d\d\b|Ravenna|Bologna|Rimini|Forlì|\b(?:RA|BO|FC|RN)\b")


def banners(app: AppTest) -> list[str]:
    return [info.value for info in app.info if info.icon == auth.DEMO_ICON]


def screen_texts(app: AppTest) -> list[str]:
    """Every text the run put on screen: bodies, labels and options of every element."""
    texts: list[str] = []
    stack: list[Any] = [app._tree]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        for field, value in proto.ListFields():
            if field.name in ("id", "form_id"):
                continue
            if isinstance(value, str):
                texts.append(value)
            elif field.name == "options":
                texts.extend(o if isinstance(o, str) else o.content for o in value)
    return texts


def access_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(path))
    return path


def sign_in_as(monkeypatch: pytest.MonkeyPatch, email: str) -> None:
    """Sign-in configured and this person signed in, as st.login leaves st.user."""
    claims = {"email": email}
    user = SimpleNamespace(is_logged_in=True, get=claims.get)
    monkeypatch.setattr(auth, "sign_in_configured", lambda: True)
    monkeypatch.setattr(auth.st, "user", user)


# --- the demo banner and the account line -----------------------------------------------------


def test_demo_mode_says_whose_view_the_local_account_sees(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview")
    assert banners(app) == [DEMO_LOCAL]


def test_demo_mode_says_whose_view_ascolto_user_sees(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", ROMAGNA)
    app = open_page("trends")
    assert banners(app) == [DEMO_ROMAGNA]


def test_the_demo_banner_speaks_english_on_an_english_page(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", ROMAGNA)
    app = open_page("channels", lang="en")
    assert banners(app) == [
        "Sign-in is off: you are seeing the view of Responsabile Romagna (regional manager). To "
        "turn sign-in with the company account on, see the README, section “Who sees what”."
    ]


def test_with_sign_in_on_there_is_no_demo_banner_and_a_sign_out(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    sign_in_as(monkeypatch, ROMAGNA)
    app = open_page("overview")
    assert not app.exception
    assert banners(app) == []
    assert [button.label for button in app.sidebar.button] == ["Esci"]


def test_the_account_line_names_the_person_their_role_and_provinces(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", ROMAGNA)
    app = open_page("overview")
    assert app.sidebar.caption[-1].value == (
        "Responsabile Romagna · responsabile regionale · FC, RA, RN"
    )


def test_another_person_in_the_same_session_gets_their_own_scope(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", ROMAGNA)
    app = open_page("overview")
    monkeypatch.setenv("ASCOLTO_USER", "emilia@ascolto.example")  # signed out, signed in again
    app.run()
    assert app.sidebar.caption[-1].value == (
        "Responsabile Emilia · responsabile regionale · BO, FE, MO"
    )


# --- no access --------------------------------------------------------------------------------


def test_an_unlisted_person_gets_the_no_access_page_on_a_deep_link(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "nobody@example.it")
    app = open_page("channels", province=["BO"], period="2024")
    assert not app.exception
    assert app.title[0].value == NO_ACCESS
    assert [block.value for block in app.markdown] == [
        "Stai usando Ascolto come nobody@example.it.",
        "Per chiedere l'accesso, rivolgiti a chi gestisce Ascolto nella tua azienda.",
    ]
    assert [info.value for info in app.info] == ["Non hai ancora accesso ai dati di Ascolto."]


def test_the_no_access_page_shows_no_filters_menu_or_data(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "nobody@example.it")
    app = open_page("overview", province=["RA"], period="2024")
    assert not app.sidebar.multiselect and not app.sidebar.selectbox
    assert not app.get("page_link") and not app.metric and not app.dataframe
    assert [text for text in screen_texts(app) if DATA_WORDS.search(text)] == []


def test_the_no_access_page_names_the_access_files_contact(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_store(demo_store)
    access_file(
        tmp_path,
        monkeypatch,
        'contact = "Direzione clienti, cx-accessi@ascolto.example"\n'
        '[users."a@x.it"]\nrole = "executive"\n',
    )
    monkeypatch.setenv("ASCOLTO_USER", "nobody@example.it")
    app = open_page("overview")
    assert app.markdown[-1].value == (
        "Per chiedere l'accesso: Direzione clienti, cx-accessi@ascolto.example"
    )


def test_a_signed_in_person_without_access_may_sign_out(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    sign_in_as(monkeypatch, "nobody@example.it")
    app = open_page("overview")
    assert app.title[0].value == NO_ACCESS
    assert [button.label for button in app.button] == ["Esci"]


# --- a broken access file ---------------------------------------------------------------------

BROKEN = '[users.locale]\nrole = "boss"\n'


def test_a_broken_access_file_refuses_every_page_with_the_check_command(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_store(demo_store)
    path = access_file(tmp_path, monkeypatch, BROKEN)
    app = open_page("export", province=["RA"])
    assert [title.value for title in app.title] == ["Ascolto non mostra dati"]
    assert [error.value for error in app.error] == [
        f"Il file degli accessi `{path}` ha un problema: nessuno può vedere i dati finché non "
        "è corretto."
    ]
    assert [code.value for code in app.code] == ["python -m data_access access check"]


def test_a_broken_access_file_shows_no_filters_and_no_data(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_store(demo_store)
    access_file(tmp_path, monkeypatch, BROKEN)
    app = open_page("overview", period="2024")
    assert not app.sidebar.multiselect and not app.sidebar.selectbox and not app.metric
    assert [text for text in screen_texts(app) if DATA_WORDS.search(text)] == []


def test_a_broken_access_file_is_logged_once_per_session(
    demo_store: str,
    use_store,
    open_page,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    use_store(demo_store)
    access_file(tmp_path, monkeypatch, BROKEN)
    app = open_page("overview")
    app.run()
    app.run()
    errors = [r for r in caplog.records if r.name == "data_access.access" and r.levelno >= 40]
    assert len(errors) == 1


# --- an admin previews the app as another person ----------------------------------------------


def preview(app: AppTest, person: str) -> AppTest:
    app.sidebar.selectbox(key=auth.PREVIEW_KEY).set_value(person)
    return app.run()


def test_an_admin_previewing_a_manager_sees_only_their_provinces(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = preview(open_page("overview"), ROMAGNA)
    assert not app.exception
    assert [w.value for w in app.warning] == [PREVIEW_ROMAGNA]
    assert len(app.sidebar.multiselect(key="w_province").options) == 3
    assert all(
        re.search(r"\((RA|FC|RN)\)$", option)
        for option in app.sidebar.multiselect(key="w_province").options
    )


def test_an_admin_previewing_a_manager_is_offered_no_raw_exports(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = preview(open_page("export"), ROMAGNA)
    kinds = app.selectbox(key="w_export_kind").options
    assert not [kind for kind in kinds if "righe" in kind]
    assert kinds  # the aggregates are still there


def test_the_admin_stops_previewing_with_the_banners_button(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = preview(open_page("overview"), ROMAGNA)
    app.button(key="preview_stop").click().run()
    assert [w.value for w in app.warning] == []
    assert banners(app) == [DEMO_LOCAL]
    assert app.sidebar.selectbox(key=auth.PREVIEW_KEY).value == ""


def test_the_preview_choice_lists_me_and_the_people_by_name(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview")
    assert app.sidebar.selectbox(key=auth.PREVIEW_KEY).options == [
        "Me (la mia vista)",
        "Analisi clienti",
        "Direzione clienti",
        "Responsabile Emilia",
        "Responsabile Romagna",
    ]


def test_a_non_admins_preview_value_is_ignored(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", ROMAGNA)
    app = open_page("overview")
    app.session_state[auth.PREVIEW_KEY] = "direzione@ascolto.example"
    app.run()
    assert not app.exception
    assert [w.value for w in app.warning] == []
    assert len(app.sidebar.multiselect(key="w_province").options) == 3
    assert auth.PREVIEW_KEY not in [box.key for box in app.sidebar.selectbox]


def test_an_admins_preview_holds_across_a_language_switch(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = preview(open_page("overview"), ROMAGNA)
    app.session_state["w_lang"] = "en"
    app.run()
    app.run()
    assert [w.value for w in app.warning] == [
        "Preview as Responsabile Romagna (regional manager): you are seeing what Responsabile "
        "Romagna sees."
    ]
