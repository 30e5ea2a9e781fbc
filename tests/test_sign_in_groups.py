"""The identity provider's "groups" claim reaches scope_for: a person matched only by a group
sees the group's provinces (ui.auth.signed_in_groups, session_viewer)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ui import auth

ACCESS = """\
[users."ravenna@ascolto.example"]
role = "regional_manager"
provinces = ["RA"]

[groups."cx-romagna"]
role = "regional_manager"
provinces = ["RA", "FC", "RN"]
"""


def signed_in(monkeypatch: pytest.MonkeyPatch, claims: dict[str, Any]) -> None:
    """Sign-in configured, and st.user holding these identity-token claims."""
    monkeypatch.setattr(auth, "sign_in_configured", lambda: True)
    user = SimpleNamespace(is_logged_in=True, get=claims.get)
    monkeypatch.setattr(auth.st, "user", user)


@pytest.fixture
def access_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(path))
    return path


def test_the_groups_claim_is_read_as_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, {"email": "a@x.it", "groups": ["cx-romagna", "staff"]})
    assert auth.signed_in_groups() == ("cx-romagna", "staff")


def test_a_lone_group_sent_as_a_string_is_one_group(monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, {"email": "a@x.it", "groups": "cx-romagna"})
    assert auth.signed_in_groups() == ("cx-romagna",)


def test_no_groups_claim_is_no_group(monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, {"email": "a@x.it"})
    assert auth.signed_in_groups() == ()


def test_demo_mode_has_no_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "sign_in_configured", lambda: False)
    assert auth.signed_in_groups() == ()


@pytest.mark.usefixtures("access_file")
def test_a_person_matched_by_the_groups_claim_sees_the_groups_provinces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_in(monkeypatch, {"email": "capo@ascolto.example", "groups": ["cx-romagna"]})
    scope = auth.session_viewer().scope
    assert (scope.user, sorted(scope.provinces)) == ("capo@ascolto.example", ["FC", "RA", "RN"])


@pytest.mark.usefixtures("access_file")
def test_an_unlisted_person_without_a_matching_group_sees_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_in(monkeypatch, {"email": "capo@ascolto.example", "groups": ["cx-emilia"]})
    assert auth.session_viewer().scope.provinces == frozenset()
