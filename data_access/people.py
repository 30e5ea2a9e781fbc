"""The access file read whole and checked: people, groups, their roles and provinces.

A file with any problem is unusable as a whole (data_access.access then lets nobody in); each
problem names the file, the line, the person or group and the value. tomllib gives no
positions, so the line is found in the text: the entry's `[users."x"]` header, or its key's line.

Compatibility rule: a person without `role` is an executive when `provinces = "*"` and a
regional manager when provinces is a list (what such a file meant before roles: the least a
person with those provinces may do). Groups are new and always need a role.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from data_access.reference import read_rows
from data_access.scope import EVERYWHERE_ROLES, EXECUTIVE, REGIONAL_MANAGER, ROLES

PERSON_KEYS = ("name", "role", "provinces")
GROUP_KEYS = ("role", "provinces")
TABLES = {"users": "person", "groups": "group"}  # the file's tables and what each entry is
CONTACT = "contact"  # the one top-level value: whom to ask for access, shown on the no-access page
Report = Callable[..., None]  # report(key, text, value=None): a problem at the entry's key


@dataclass(frozen=True)
class Person:
    """One `[users."e-mail"]` entry; provinces is empty for a role that sees every province."""

    email: str
    name: str
    role: str
    provinces: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Group:
    """One `[groups."claim"]` entry, matched by an identity-provider group claim."""

    name: str
    role: str
    provinces: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Problem:
    """What is wrong in the access file, and where."""

    path: Path
    line: int | None
    subject: str  # 'person "x"', 'group "y"', or "" for the file as a whole
    text: str

    def where(self) -> str:
        """The problem without the file: 'line 7: person "x": unknown role "boss" (...)'."""
        parts = [f"line {self.line}"] if self.line else []
        return ": ".join([*parts, *([self.subject] if self.subject else []), self.text])

    def __str__(self) -> str:
        head = f"{self.path}:{self.line}" if self.line else str(self.path)
        return ": ".join([head, *([self.subject] if self.subject else []), self.text])


@dataclass(frozen=True)
class AccessFile:
    """The access file's people and groups; usable only when it has no problem at all."""

    path: Path
    people: Mapping[str, Person] = field(default_factory=dict)
    groups: Mapping[str, Group] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    read_error: str = ""  # why the file could not be read or parsed as TOML, if it could not
    contact: str = ""  # whom to ask for access (top-level `contact = "..."`), "" when not given

    @property
    def ok(self) -> bool:
        """True when the file has no problem."""
        return not self.problems


@cache
def province_sigle() -> frozenset[str]:
    """Every Italian province sigla (fixtures/reference/italy_provinces_istat.csv)."""
    return frozenset(row["prov_acr"] for row in read_rows("italy_provinces_istat.csv"))


def read_access(path: Path) -> AccessFile:
    """The access file at path, parsed whole and checked; never raises."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        found = re.search(r"at line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        problem = Problem(path, line, "", f"cannot be read: {error}")
        return AccessFile(path, problems=(problem,), read_error=str(error))
    return _Checker(path, text).check(data)


def shown(value: Any) -> str:
    """A value as TOML writes it ("RA", ["RA", 12], true), for messages."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return str(value)


class _Lines:
    """Finds where a table, an entry or a key is written in the file's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    @staticmethod
    def _key(key: str) -> str:
        quoted = re.escape(key)
        return rf"(?:\"{quoted}\"|'{quoted}'|{quoted})"

    def _first(self, pattern: str, start: int = 0, stop: int | None = None) -> int | None:
        compiled = re.compile(pattern)
        for index in range(start, len(self.lines) if stop is None else stop):
            if compiled.search(self.lines[index]):
                return index
        return None

    def table(self, table: str) -> int | None:
        """The line (1-based) where a top-level key or table is written."""
        key = self._key(table)
        found = self._first(rf"^\s*\[?\s*{key}\s*[=.\]]")
        return None if found is None else found + 1

    def _entry(self, table: str, key: str) -> tuple[int, int] | None:
        """The 0-based header line of [table."key"] and the line its section ends before."""
        header = self._first(rf"^\s*\[\s*{self._key(table)}\s*\.\s*{self._key(key)}\s*\]")
        if header is None:
            return None
        end = self._first(r"^\s*\[", header + 1)
        return header, len(self.lines) if end is None else end

    def _mention(self, key: str) -> int | None:
        """A line naming key at all (an inline table or dotted keys), 0-based."""
        quoted = re.escape(key)
        return self._first(rf"\"{quoted}\"|'{quoted}'|(?<![\w@.-]){quoted}(?![\w@.-])")

    def entry(self, table: str, key: str) -> int | None:
        """The line (1-based) of an entry: its header, or else a line naming it."""
        section = self._entry(table, key)
        found = section[0] if section else self._mention(key)
        return None if found is None else found + 1

    def field(self, table: str, key: str, name: str, value: str | None = None) -> int | None:
        """The line (1-based) of an entry's key name (and, given, of value inside it)."""
        section = self._entry(table, key)
        if section is None:
            return self.entry(table, key)
        header, end = section
        line = self._first(rf"^\s*{self._key(name)}\s*=", header + 1, end)
        if line is None:
            return header + 1
        if value is not None:
            inside = self._first(re.escape(value), line, end)
            line = line if inside is None else inside
        return line + 1


class _Checker:
    """Checks a parsed access file and gathers every problem with its line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)
        self.problems: list[Problem] = []

    def problem(self, line: int | None, subject: str, text: str) -> None:
        self.problems.append(Problem(self.path, line, subject, text))

    def check(self, data: dict[str, Any]) -> AccessFile:
        for key in data:
            if key not in TABLES and key != CONTACT:
                holds = 'the file holds contact = "…", [users."e-mail"] and [groups."name"] entries'
                self.problem(self.lines.table(key), "", f'unknown key "{key}" ({holds})')
        contact = data.get(CONTACT, "")
        if not isinstance(contact, str):
            whom = 'whom to ask for access, e.g. contact = "Direzione clienti, cx@example.it"'
            self.problem(
                self.lines.table(CONTACT), "", f"contact = {shown(contact)} is not text ({whom})"
            )
            contact = ""
        people: dict[str, Person] = {}
        for key, entry in self.entries(data, "users").items():
            if (checked := self.entry("users", key, entry, PERSON_KEYS)) is not None:
                name = entry.get("name", "")
                people[key] = Person(key, name, *checked)
        groups: dict[str, Group] = {}
        for key, entry in self.entries(data, "groups").items():
            if (checked := self.entry("groups", key, entry, GROUP_KEYS)) is not None:
                groups[key] = Group(key, *checked)
        return AccessFile(self.path, people, groups, tuple(self.problems), contact=contact)

    def entries(self, data: dict[str, Any], table: str) -> dict[str, dict[str, Any]]:
        """The table's entries that are tables; a problem for anything else."""
        found = data.get(table, {})
        if not isinstance(found, dict):
            expected = f'expected [{table}."…"] entries'
            self.problem(
                self.lines.table(table), "", f"{table} = {shown(found)} is not a table ({expected})"
            )
            return {}
        keys = ", ".join(PERSON_KEYS if table == "users" else GROUP_KEYS)
        entries = {}
        for key, entry in found.items():
            subject = f'{TABLES[table]} "{key}"'
            if not isinstance(entry, dict):
                text = f"= {shown(entry)} is not a table (expected keys: {keys})"
                self.problem(self.lines.entry(table, key), subject, text)
            elif not key.strip():
                self.problem(self.lines.entry(table, key), subject, "has an empty name")
            else:
                entries[key] = entry
        return entries

    def entry(
        self, table: str, key: str, entry: dict[str, Any], allowed: tuple[str, ...]
    ) -> tuple[str, frozenset[str]] | None:
        """The entry's role and provinces; None (and its problems recorded) when it is wrong."""
        subject = f'{TABLES[table]} "{key}"'
        before = len(self.problems)

        def report(name: str, text: str, value: str | None = None) -> None:
            self.problem(self.lines.field(table, key, name, value), subject, text)

        for name in entry:
            if name not in allowed:
                keys = ", ".join(allowed)
                report(name, f'unknown key "{name}" = {shown(entry[name])} (keys: {keys})')
        if "name" in entry and not isinstance(entry["name"], str):
            report("name", f"name = {shown(entry['name'])} is not text")
        role = self.role(table, entry, report)
        provinces = self.provinces(role, entry, report)
        if len(self.problems) > before or role is None or provinces is None:
            return None
        return role, provinces

    @staticmethod
    def role(table: str, entry: dict[str, Any], report: Report) -> str | None:
        """The entry's role; a person without one gets it from provinces (compatibility)."""
        if "role" not in entry:
            provinces = entry.get("provinces")
            if table == "users" and provinces == "*":
                return EXECUTIVE
            if table == "users" and isinstance(provinces, list):
                return REGIONAL_MANAGER
            if table == "users" and "provinces" in entry:  # the role would come from it
                text = f'provinces = {shown(provinces)} is neither a list of sigle nor "*"'
                report("provinces", text)
            else:
                report("role", f"has no role (role = one of {', '.join(ROLES)})")
            return None
        role = entry["role"]
        if role not in ROLES:
            report("role", f"unknown role {shown(role)} (roles: {', '.join(ROLES)})")
            return None
        return str(role)

    @staticmethod
    def provinces(role: str | None, entry: dict[str, Any], report: Report) -> frozenset[str] | None:
        """The entry's province sigle (empty for every province); None when they are wrong."""
        given = entry.get("provinces")
        if role is None:  # its problem is already reported
            return None
        if role in EVERYWHERE_ROLES:
            if given is None or given == "*":
                return frozenset()
            fix = f'remove it, or role = "{REGIONAL_MANAGER}"'
            report(
                "provinces",
                f"role {role} sees every province: provinces = {shown(given)} "
                f"does not apply ({fix})",
            )
            return None
        if given is None:
            report("provinces", 'role regional_manager needs provinces = ["RA", …]')
            return None
        if given == "*":
            fix = f'list the sigle, or role = "{EXECUTIVE}"'
            report(
                "provinces",
                f'role regional_manager sees listed provinces only: provinces = "*" '
                f"does not apply ({fix})",
            )
            return None
        if not isinstance(given, list):
            report("provinces", f'provinces = {shown(given)} is neither a list of sigle nor "*"')
            return None
        if not given:
            report("provinces", "provinces = [] lists no province")
            return None
        sigle: set[str] = set()
        wrong = False
        for item in given:
            if not isinstance(item, str):
                report("provinces", f"provinces: {shown(item)} is not a sigla", shown(item))
                wrong = True
            elif item.strip().upper() not in province_sigle():
                text = f"unknown province {shown(item)} (not an Italian province sigla like RA)"
                report("provinces", text, shown(item))
                wrong = True
            else:
                sigle.add(item.strip().upper())
        return None if wrong else frozenset(sigle)
