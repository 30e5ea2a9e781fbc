"""Who may see what: people, groups, roles and provinces, read from access.toml. Fail closed.

A file with any problem (data_access.people checks it whole) lets nobody in, with an ERROR.
A person's own entry wins over their groups; several matching groups give the union of their
provinces and the highest of their roles (roles are nested, so that is the union of the grants).
Only an admin may preview the app as another person (preview_scope); anyone else gets nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from data_access.db import PROJECT_ROOT
from data_access.people import AccessFile, read_access
from data_access.scope import ADMIN, EVERYWHERE_ROLES, ROLES, Scope

DEFAULT_ACCESS_FILE = PROJECT_ROOT / "access.toml"

logger = logging.getLogger(__name__)


def access_file() -> Path:
    """The access file: ASCOLTO_ACCESS_FILE, or access.toml at the project root."""
    return Path(os.environ.get("ASCOLTO_ACCESS_FILE") or DEFAULT_ACCESS_FILE)


def usable_access(path: Path | None = None) -> AccessFile | None:
    """The access file when it has no problem; None (and an ERROR logged) when it has any."""
    path = path or access_file()
    access = read_access(path)
    if access.read_error:
        logger.error(
            "access file %s cannot be read, nobody sees any data: %s", path, access.read_error
        )
        return None
    if not access.ok:
        problems = "; ".join(problem.where() for problem in access.problems)
        logger.error("access file %s is not valid, nobody sees any data: %s", path, problems)
        return None
    return access


@dataclass(frozen=True)
class Viewer:
    """The person looking, as the access file knows them, from one reading of the file."""

    scope: Scope
    name: str  # access.toml's name, or the user id itself
    contact: str = ""  # whom to ask for access (the file's top-level contact), "" if not given
    broken_file: Path | None = None  # the access file, when a problem in it lets nobody in


def _scope(user: str, role: str, provinces: frozenset[str]) -> Scope:
    if role in EVERYWHERE_ROLES:
        return Scope.all_provinces(user, role)
    return Scope.of(user, provinces, role)


def scope_for(user: str, path: Path | None = None, *, groups: Iterable[str] = ()) -> Scope:
    """The Scope of user (an e-mail, or the local account) with their identity provider's
    groups; anyone not in the file, or any problem in the file, sees nothing."""
    if not user:
        return Scope(user=user)
    path = path or access_file()
    access = usable_access(path)
    if access is None:
        return Scope(user=user)
    return _scope_in(access, user, groups)


def viewer(user: str, path: Path | None = None, *, groups: Iterable[str] = ()) -> Viewer:
    """Scope, name and contact of user from one reading of the access file (one ERROR when it
    has a problem: then broken_file names it and the scope is empty)."""
    path = path or access_file()
    access = usable_access(path)
    if access is None:
        return Viewer(Scope(user=user), user, broken_file=path)
    if not user:
        return Viewer(Scope(user=user), user, access.contact)
    person = access.people.get(user)
    name = person.name or user if person else user
    return Viewer(_scope_in(access, user, groups), name, access.contact)


def _scope_in(access: AccessFile, user: str, groups: Iterable[str]) -> Scope:
    path = access.path
    person = access.people.get(user)
    if person is not None:
        return _scope(user, person.role, person.provinces)
    claims = tuple(dict.fromkeys(groups))
    matched = [access.groups[group] for group in claims if group in access.groups]
    if not matched:
        claimed = f" (groups: {', '.join(claims)})" if claims else ""
        logger.warning("%s is not in the access file %s%s: sees no province", user, path, claimed)
        return Scope(user=user)
    role = max((group.role for group in matched), key=ROLES.index)
    return _scope(user, role, frozenset().union(*(group.provinces for group in matched)))


def display_name(user: str, path: Path | None = None) -> str:
    """The person's name from the access file, or the user id itself."""
    access = usable_access(path) if user else None
    person = access.people.get(user) if access else None
    return person.name or user if person else user


def previewable(viewer: Scope, path: Path | None = None) -> dict[str, str]:
    """The people an admin may preview the app as (e-mail: name, by name); {} for anyone else."""
    if viewer.role != ADMIN or not viewer.user or viewer.previewer:
        return {}
    access = usable_access(path)
    if access is None:
        return {}
    people = {
        email: person.name or email
        for email, person in access.people.items()
        if email != viewer.user
    }
    return dict(sorted(people.items(), key=lambda item: (item[1].casefold(), item[0])))


def preview_scope(viewer: Scope, person: str, path: Path | None = None) -> Scope:
    """The Scope of person as an admin previews it (marked with the admin as previewer).

    Fail closed: a viewer who is not an admin, or a person not in the access file, gets an
    empty Scope (nothing to see), never the viewer's own.
    """
    if person not in previewable(viewer, path):
        logger.warning("%s may not preview the app as %s: sees nothing", viewer.user, person)
        return Scope()
    own = scope_for(person, path)
    return Scope(own.user, own.provinces, own.everywhere, own.role, previewer=viewer.user)
