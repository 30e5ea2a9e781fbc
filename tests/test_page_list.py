"""The page list: one entry per page file, titles from the catalogue, a link back from a
page not built yet."""

from __future__ import annotations

from pathlib import Path

from ui.page_list import PAGES, page_title

ROOT = Path(__file__).resolve().parents[1]

pytest_plugins = ["apptest_support"]


def test_every_page_file_has_one_entry() -> None:
    files = sorted(path.stem for path in (ROOT / "pages").glob("[!_]*.py"))
    assert sorted(item.module for item in PAGES) == files


def test_a_title_comes_from_the_catalogue_by_url_path() -> None:
    assert page_title("contact-centre", "en") == "Contact centre"
    assert page_title("overview") == "Panoramica"


def test_a_page_not_built_yet_links_back_to_the_overview(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("satisfaction")
    links = [(link.proto.label, link.proto.page) for link in app.main.get("page_link")]
    assert links == [("Torna alla panoramica", "overview")]
