"""No page shows a word that did not come from the catalogue.

How: a test-only pseudo-language "xx" whose catalogue is it.toml with every value wrapped in
⟦ ⟧ (formatted like Italian) is registered, and every page is opened with ?lang=xx through
AppTest. Every text the app puts on screen is collected: titles, headers, captions, markdown,
info/warning/error bodies, metric labels, values, deltas and help, widget labels, options,
placeholders and help, page links, table headers, help and cells, chart titles, trace names,
annotations, bar labels and hover texts.

The rule: remove every ⟦…⟧ segment (it came from the catalogue); what is left must contain no
words except data — names of regions, provinces and areas from the store, province sigle,
month and quarter names from Babel (dates), the user's name from access.toml and the product's
name "Ascolto". Numbers, signs and punctuation are data too. The one exemption by design is the
language switch's options: each language is named in its own language ("Italiano", "English").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.core import Locale
from streamlit.testing.v1 import AppTest

from data_access import i18n, migrate
from data_access.access import display_name, previewable
from data_access.scope import Scope
from data_access.territory import visible_territory
from ui import geo
from ui.navigation import specs

pytest_plugins = ["apptest_support"]

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
LANGUAGE_SWITCH = "w_lang"
WIDGET_FIELDS = ("label", "help", "placeholder", "body", "delta", "delta_description", "title")
VIEWS = [
    ("overview", {}),
    ("overview", {"compare": "none", "period": "2024", "grain": "quarter"}),
    ("overview", {"grain": "fortnight", "province": ["RA", "NA"], "from": "31/12/2024"}),
    ("overview", {"period": "custom", "from": "2025-01-01", "to": "2025-03-31"}),
    ("trends", {"province": ["BO", "RA"]}),
    ("trends", {"province": "RA", "kpi": "csi"}),
    ("trends", {"kpi": "happiness", "grain": "year", "period": "2024"}),
    ("trends", {"period": "custom", "from": "2001-01-01", "to": "2001-12-31"}),
    ("channels", {}),
    ("channels", {"section": "branches", "province": ["BO", "RA"]}),
    ("channels", {"section": "others", "period": "2020"}),
    ("channels", {"section": "mix", "period": "2020", "grain": "quarter"}),
    ("channels", {"section": "mix", "mix": "volume", "compare": "none"}),
    ("channels", {"section": "digital", "province": "RA"}),
    ("channels", {"section": "satisfaction", "channel": "web"}),
    ("channels", {"section": "weather"}),
    ("contact-centre", {}),
    ("contact-centre", {"period": "2020", "province": "RA", "arera": "average_wait"}),
    ("contact-centre", {"arera": "line_accessibility", "grain": "week", "compare": "none"}),
    ("contact-centre", {"section": "calls", "period": "2020", "province": "RA"}),
    ("contact-centre", {"section": "waiting"}),
    ("contact-centre", {"section": "when", "grain": "week"}),
    ("contact-centre", {"section": "when", "segment": "household"}),
    ("contact-centre", {"section": "why", "compare": "none"}),
    ("contact-centre", {"section": "weather"}),
    ("satisfaction", {}),
    ("associations", {}),
    ("export", {}),
    ("export", {"kind": "csi", "province": "RA"}),
]

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def pseudo() -> Iterator[str]:
    """The pseudo-language, registered for the test."""
    wrapped = {key: f"{OPEN}{value}{CLOSE}" for key, value in i18n.catalogue("it").items()}
    i18n.register(PSEUDO, wrapped, like="it")
    yield PSEUDO
    i18n.unregister(PSEUDO)


@pytest.fixture(scope="module")
def data_words(demo_store: str) -> set[str]:
    """Words that are data: place names of the demo store, sigle, Babel date names, names."""
    from data_access.db import get_engine

    territory = visible_territory(get_engine(demo_store), Scope.all_provinces("t"))
    names = {*territory["region"], *territory["province"], *territory["area_name"]}
    names |= {*territory["sigla"], "Ascolto", display_name("locale")}
    names |= set(previewable(Scope.all_provinces("locale", "admin")).values())  # "Vedi come…"
    names |= set(geo.province_names().values())  # the map names the neighbouring provinces
    names |= set(geo.all_siglas())  # and labels each with its sigla
    locale = Locale.parse(i18n.babel_locale("it"))
    for table in (locale.months, locale.quarters, locale.days):
        for context in table.values():
            for width in context.values():
                names |= {str(name) for name in width.values()}
    return names


def outside_markers(text: str) -> str:
    """The text with every ⟦…⟧ segment (nested ones included) removed."""
    kept, depth = [], 0
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def stray_words(text: str, data: set[str]) -> list[str]:
    """Words of text that came neither from the catalogue nor from the data."""
    rest = re.sub(r"<[^>]+>", " ", outside_markers(text))  # plotly's <b> and <br>
    rest = re.sub(r":material/[a-z_]+:|:[a-z]+-badge\[", " ", rest)  # st.badge's markdown
    for name in sorted(data, key=len, reverse=True):
        rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest)
    return re.findall(r"[^\W\d_]+", rest)


def plotly_texts(spec: dict[str, Any]) -> Iterator[str]:
    layout = spec.get("layout", {})
    for axis in ("xaxis", "yaxis"):
        title = layout.get(axis, {}).get("title", {})
        if isinstance(title, dict) and title.get("text"):
            yield title["text"]
        yield from (str(tick) for tick in layout.get(axis, {}).get("ticktext", []) or [])
    for note in layout.get("annotations", []) or []:
        yield str(note.get("text", ""))
    for shape_label in layout.get("shapes", []) or []:
        yield str(shape_label.get("label", {}).get("text", ""))
    for trace in spec.get("data", []):
        yield str(trace.get("name", ""))
        colorbar = trace.get("colorbar", {}).get("title", {})
        if isinstance(colorbar, dict) and colorbar.get("text"):
            yield colorbar["text"]
        for field in ("hovertext", "text"):
            values = trace.get(field)
            if isinstance(values, str):
                yield values
            elif isinstance(values, list):
                yield from (str(value) for value in values)


def screen_texts(app: AppTest) -> Iterator[tuple[str, str]]:
    """(element type, text) for every text the run put on screen."""
    stack: list[Any] = [app._tree]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        if kind == "plotly_chart":
            yield from ((kind, text) for text in plotly_texts(json.loads(proto.spec)))
            continue
        if kind in ("arrow_data_frame", "dataframe"):
            for config in json.loads(proto.columns or "{}").values():
                yield from ((kind, str(config.get(f, ""))) for f in ("label", "help"))
            display = proto.arrow_data.styler.display_values
            if display:
                from streamlit import dataframe_util

                frame = dataframe_util.convert_arrow_bytes_to_pandas_df(display)
                yield from ((kind, str(cell)) for cell in frame.to_numpy().ravel())
            continue
        for field, value in proto.ListFields():
            if field.name in WIDGET_FIELDS and isinstance(value, str):
                yield kind, value
            elif field.name == "options" and not proto.id.endswith(LANGUAGE_SWITCH):
                for option in value:
                    yield kind, option if isinstance(option, str) else option.content


def assert_all_from_catalogue(app: AppTest, data: set[str], least: int = 6) -> None:
    assert not app.exception, app.exception
    texts = list(screen_texts(app))
    assert len(texts) >= least
    strays = {
        f"{kind}: {text}": words for kind, text in texts if (words := stray_words(text, data))
    }
    assert strays == {}


@pytest.mark.parametrize(
    ("url_path", "query"), VIEWS, ids=[f"{p}-{i}" for i, (p, _) in enumerate(VIEWS)]
)
def test_every_text_on_the_page_comes_from_the_catalogue(
    url_path: str,
    query: dict[str, Any],
    pseudo: str,
    demo_store: str,
    data_words: set[str],
    use_store,
    open_page,
) -> None:
    use_store(demo_store)
    app = open_page(url_path, lang=pseudo, **query)
    assert app.query_params["lang"] == pseudo
    assert_all_from_catalogue(app, data_words)


def test_the_trends_chooser_and_grain_changes_stay_in_the_catalogue(
    pseudo: str, demo_store: str, data_words: set[str], use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", lang=pseudo, province="RA")
    app.selectbox(key="w_trends_kpi").set_value("complaint_reply_days").run()
    app.selectbox(key="w_grain").set_value("week").run()
    assert_all_from_catalogue(app, data_words)


def test_an_empty_store_speaks_only_catalogue_words(
    pseudo: str, data_words: set[str], tmp_path: Path, use_store, open_page
) -> None:
    migrate.prepare(use_store(f"sqlite:///{tmp_path / 'empty.db'}"))
    assert_all_from_catalogue(open_page("overview", lang=pseudo), data_words)


def test_a_profile_without_provinces_speaks_only_catalogue_words(
    pseudo: str,
    demo_store: str,
    data_words: set[str],
    use_store,
    open_page,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "nobody@example.it")
    app = open_page("trends", lang=pseudo)
    assert app.title[0].value == i18n.text("no_access.title", pseudo)
    assert_all_from_catalogue(app, data_words | {"nobody", "example", "it"}, least=5)


def test_the_menu_comes_from_the_catalogue(pseudo: str) -> None:
    menu = specs(pseudo)
    assert all(section.startswith(OPEN) for section in menu)
    assert all(page.title.startswith(OPEN) for pages in menu.values() for page in pages)


def test_the_rule_catches_a_word_outside_the_catalogue(data_words: set[str]) -> None:
    assert stray_words("⟦⟦Livello di servizio (LS)⟧ nel tempo⟧", data_words) == []
    assert stray_words("⟦Livello di servizio (LS)⟧ nel tempo", data_words) == ["nel", "tempo"]
    assert stray_words("<b>Ravenna</b><br>gennaio 2025<br>92,4%", data_words) == []
    assert stray_words("Ravenna (RA)", data_words) == []
    assert stray_words("nan", data_words) == ["nan"]
