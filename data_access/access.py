"""Who may see what: people and their provinces, read from access.toml. Fail closed."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from data_access.db import PROJECT_ROOT
from data_access.scope import Scope

DEFAULT_ACCESS_FILE = PROJECT_ROOT / "access.toml"


def access_file() -> Path:
    """The access file: ASCOLTO_ACCESS_FILE, or access.toml at the project root."""
    return Path(os.environ.get("ASCOLTO_ACCESS_FILE") or DEFAULT_ACCESS_FILE)


def _entry(user: str, path: Path | None) -> dict[str, Any] | None:
    """The user's table in the access file; None when absent or the file is unreadable."""
    try:
        text = (path or access_file()).read_text(encoding="utf-8")
        entry = tomllib.loads(text).get("users", {}).get(user)
    except (OSError, tomllib.TOMLDecodeError, AttributeError):
        return None
    return entry if isinstance(entry, dict) else None


def scope_for(user: str, path: Path | None = None) -> Scope:
    """The Scope of user; anyone not in the file, or an unreadable file, sees nothing."""
    entry = _entry(user, path) if user else None
    provinces = entry.get("provinces") if entry else None
    if provinces == "*":
        return Scope.all_provinces(user)
    if isinstance(provinces, list):
        return Scope.of(user, [str(p) for p in provinces])
    return Scope(user=user)


def display_name(user: str, path: Path | None = None) -> str:
    """The person's name from the access file, or the user id itself."""
    entry = _entry(user, path)
    return str(entry.get("name", user)) if entry else user
