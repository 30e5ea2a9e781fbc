"""Streamlit's own controls show no English where Streamlit lets the app choose.

Streamlit 1.67 writes some words of its widgets itself, in English, with no locale setting
(README "What stays in English and why"). Where it offers an option, the app uses it.
"""

from __future__ import annotations

pytest_plugins = ["apptest_support"]


def test_no_filter_offers_streamlits_english_select_all(
    demo_store: str, use_store, open_page
) -> None:
    # an empty filter already means "all"; st.multiselect(select_all=False) hides the entry
    use_store(demo_store)
    app = open_page("overview")
    assert not app.exception
    boxes = app.sidebar.multiselect
    assert [box.label for box in boxes] == ["Province", "Aree", "Canali", "Segmenti", "Argomenti"]
    assert [box.proto.select_all for box in boxes] == [0, 0, 0, 0, 0]


def test_the_custom_range_is_typed_and_shown_day_first_in_italian(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", period="custom", **{"from": "2025-01-01", "to": "2025-03-31"})
    assert not app.exception
    assert app.sidebar.date_input[0].proto.format == "DD/MM/YYYY"
