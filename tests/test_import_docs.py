"""The format and mapping documentation covers every column, KIND and mapping key."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access.importing import KINDS, SPECS
from data_access.importing.mapping import FILE_KEYS, TOP_KEYS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("kind", KINDS)
def test_samples_readme_documents_every_column_of_each_kind(kind: str) -> None:
    readme = (FIXTURES / "samples" / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"### `{kind}`")[1].split("###")[0]
    documented = {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}
    assert documented == set(SPECS[kind].names)


@pytest.mark.parametrize("kind", KINDS)
def test_sample_header_uses_canonical_columns(kind: str) -> None:
    header = (FIXTURES / "samples" / f"{kind}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert set(header.split(",")) <= set(SPECS[kind].names)


def test_mappings_readme_documents_every_key() -> None:
    readme = (FIXTURES / "mappings" / "README.md").read_text(encoding="utf-8")
    keys = {k for k in TOP_KEYS if k not in {"file"}} | {f"[file] {k}" for k in FILE_KEYS}
    missing = {k for k in keys if f"`{k}" not in readme and f"`[{k}" not in readme}
    assert missing == set()
