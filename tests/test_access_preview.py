"""Only an admin may preview the app as another person; anyone else gets nothing (fail closed)."""

from __future__ import annotations

from pathlib import Path

from data_access.access import preview_scope, previewable, viewer
from data_access.scope import Scope

ACCESS = """
contact = "Direzione clienti, cx-accessi@ascolto.example"

[users.admin]
role = "admin"

[users."boss@x.it"]
name = "Direzione"
role = "executive"

[users."ra@x.it"]
name = "Ravenna"
role = "regional_manager"
provinces = ["RA"]
"""
ADMIN = Scope.all_provinces("admin", "admin")


def write(tmp_path: Path, text: str = ACCESS) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_admin_previews_a_manager_with_their_provinces_and_role(tmp_path: Path) -> None:
    assert preview_scope(ADMIN, "ra@x.it", write(tmp_path)) == Scope(
        "ra@x.it", frozenset({"RA"}), role="regional_manager", previewer="admin"
    )


def test_a_previewed_manager_may_not_export_raw_rows(tmp_path: Path) -> None:
    assert preview_scope(ADMIN, "ra@x.it", write(tmp_path)).may_export_raw is False


def test_a_non_admin_cannot_preview_anyone(tmp_path: Path) -> None:
    boss = Scope.all_provinces("boss@x.it", "executive")
    assert preview_scope(boss, "ra@x.it", write(tmp_path)) == Scope()


def test_a_preview_cannot_preview_further(tmp_path: Path) -> None:
    previewed_admin = Scope("other", everywhere=True, role="admin", previewer="admin")
    assert preview_scope(previewed_admin, "ra@x.it", write(tmp_path)) == Scope()


def test_a_person_not_in_the_file_cannot_be_previewed(tmp_path: Path) -> None:
    assert preview_scope(ADMIN, "stranger@x.it", write(tmp_path)) == Scope()


def test_only_an_admin_is_offered_the_people_by_name_without_themself(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert previewable(ADMIN, path) == {"boss@x.it": "Direzione", "ra@x.it": "Ravenna"}
    assert previewable(Scope.of("ra@x.it", ["RA"]), path) == {}


def test_the_viewer_carries_name_scope_and_contact_from_one_reading(tmp_path: Path) -> None:
    seen = viewer("ra@x.it", write(tmp_path))
    assert (seen.name, seen.scope.provinces, seen.contact) == (
        "Ravenna",
        frozenset({"RA"}),
        "Direzione clienti, cx-accessi@ascolto.example",
    )
    assert seen.broken_file is None


def test_a_broken_file_is_named_in_the_viewer_with_an_empty_scope(tmp_path: Path) -> None:
    path = write(tmp_path, 'contact = 7\n[users.admin]\nrole = "admin"\n')
    seen = viewer("admin", path)
    assert (seen.broken_file, seen.scope.visible()) == (path, frozenset())
