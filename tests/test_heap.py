"""The process's long-lived objects are frozen out of the collector's reach (ui.heap): once, and
again only after new modules were imported, so Streamlit's collection after a run stays short."""

from __future__ import annotations

import gc
import sys
import types
from collections.abc import Iterator

import pytest

from ui import heap


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A process that has not frozen anything yet; unfrozen again afterwards."""
    gc.unfreeze()
    monkeypatch.setattr(heap, "_modules_frozen", 0)
    yield
    gc.unfreeze()


def _collected(thing: object) -> bool:
    """True when the collector still walks thing (it is in a generation, not frozen)."""
    return any(candidate is thing for candidate in gc.get_objects())


def test_the_first_call_freezes_what_is_alive(unfrozen: None) -> None:
    alive: list[int] = []
    heap.freeze_long_lived()
    assert not _collected(alive)


def test_without_new_modules_what_is_made_later_stays_collected(unfrozen: None) -> None:
    heap.freeze_long_lived()
    made_since: list[int] = []
    heap.freeze_long_lived()
    assert _collected(made_since)


def test_a_newly_imported_module_freezes_again(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    heap.freeze_long_lived()
    made_since: list[int] = []
    monkeypatch.setitem(sys.modules, "ascolto_test_new_module", types.ModuleType("new"))
    heap.freeze_long_lived()
    assert not _collected(made_since)
