"""Who may see what: people and their provinces, read from access.toml. Fail closed."""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Any

from data_access.db import PROJECT_ROOT
from data_access.scope import Scope

DEFAULT_ACCESS_FILE = PROJECT_ROOT / "access.toml"

logger = logging.getLogger(__name__)


def access_file() -> Path:
    """The access file: ASCOLTO_ACCESS_FILE, or access.toml at the project root."""
    return Path(os.environ.get("ASCOLTO_ACCESS_FILE") or DEFAULT_ACCESS_FILE)


def _users(path: Path) -> dict[str, Any] | None:
    """The access file's [users] table; None (and an ERROR logged) when it cannot be used."""
    try:
        users = tomllib.loads(path.read_text(encoding="utf-8")).get("users", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
        logger.error("access file %s cannot be read, nobody sees any data: %s", path, problem)
        return None
    if not isinstance(users, dict):
        logger.error("access file %s: users is not a table, nobody sees any data", path)
        return None
    return users


def _entry(user: str, path: Path | None, *, report_absent: bool = False) -> dict[str, Any] | None:
    """The user's table in the access file; None when absent or the file is unreadable."""
    path = path or access_file()
    users = _users(path)
    if users is None:
        return None
    entry = users.get(user)
    if not isinstance(entry, dict):
        if report_absent:
            logger.warning("%s is not in the access file %s: sees no province", user, path)
        return None
    return entry


def scope_for(user: str, path: Path | None = None) -> Scope:
    """The Scope of user; anyone not in the file, or an unreadable file, sees nothing."""
    entry = _entry(user, path, report_absent=True) if user else None
    provinces = entry.get("provinces") if entry else None
    if provinces == "*":
        return Scope.all_provinces(user)
    if isinstance(provinces, list):
        return Scope.of(user, [str(p) for p in provinces])
    if entry:
        logger.warning('%s in the access file: provinces is neither a list nor "*"', user)
    return Scope(user=user)


def display_name(user: str, path: Path | None = None) -> str:
    """The person's name from the access file, or the user id itself."""
    entry = _entry(user, path)
    return str(entry.get("name", user)) if entry else user
