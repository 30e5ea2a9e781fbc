"""access.toml decides who sees which provinces; anything unexpected sees nothing."""

from __future__ import annotations

from pathlib import Path

from data_access.access import display_name, scope_for
from data_access.scope import Scope

ACCESS = """
[users.boss]
name = "Direzione"
provinces = "*"

[users.ra]
provinces = ["ra", "FC"]
"""


def write(tmp_path: Path, text: str = ACCESS) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_star_sees_every_province(tmp_path: Path) -> None:
    assert scope_for("boss", write(tmp_path)) == Scope.all_provinces("boss")


def test_a_list_gives_those_provinces_upper_cased(tmp_path: Path) -> None:
    assert scope_for("ra", write(tmp_path)).provinces == frozenset({"RA", "FC"})


def test_someone_not_listed_sees_nothing(tmp_path: Path) -> None:
    assert scope_for("stranger", write(tmp_path)).visible() == frozenset()


def test_a_malformed_province_entry_sees_nothing(tmp_path: Path) -> None:
    odd = write(tmp_path, ACCESS + '\n[users.odd]\nprovinces = "RA"\n')
    assert scope_for("odd", odd).visible() == frozenset()


def test_an_unreadable_file_sees_nothing(tmp_path: Path) -> None:
    broken = write(tmp_path, "[users.boss\nprovinces = '*'")
    assert scope_for("boss", broken).visible() == frozenset()
    assert scope_for("boss", tmp_path / "missing.toml").visible() == frozenset()


def test_display_name_falls_back_to_the_id(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert display_name("boss", path) == "Direzione"
    assert display_name("ra", path) == "ra"
