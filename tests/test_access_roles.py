"""Roles in access.toml: each role's scope, groups, a broken file named to its line and locking
everyone out, and raw-row exports only for analysts and admins."""

from __future__ import annotations

import io
import logging
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from data_access.access import display_name, scope_for
from data_access.export import NotAllowed, count_rows, export, preview
from data_access.filters import Filters
from data_access.people import read_access
from data_access.scope import Scope
from tests import kpi_store

ROOT = Path(__file__).resolve().parents[1]
ROLES_FILE = """
[users."boss@x.it"]
name = "Direzione"
role = "executive"

[users."ra@x.it"]
role = "regional_manager"
provinces = ["ra", "FC"]

[users."data@x.it"]
role = "analyst"
provinces = "*"

[users."root@x.it"]
role = "admin"

[users."old-star@x.it"]
provinces = "*"

[users."old-list@x.it"]
provinces = ["BO"]

[groups."cx-romagna"]
role = "regional_manager"
provinces = ["RA", "FC", "RN"]

[groups."cx-emilia"]
role = "regional_manager"
provinces = ["BO", "RA"]

[groups."cx-analysts"]
role = "analyst"
"""
JAN_FEB = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28))
RAW_KINDS = ("contacts", "surveys", "association-cases")


def write(tmp_path: Path, text: str = ROLES_FILE) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- roles to scopes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("boss@x.it", Scope(user="boss@x.it", everywhere=True, role="executive")),
        ("ra@x.it", Scope("ra@x.it", frozenset({"RA", "FC"}), role="regional_manager")),
        ("data@x.it", Scope(user="data@x.it", everywhere=True, role="analyst")),
        ("root@x.it", Scope(user="root@x.it", everywhere=True, role="admin")),
    ],
)
def test_each_role_gives_its_scope(tmp_path: Path, user: str, expected: Scope) -> None:
    assert scope_for(user, write(tmp_path)) == expected


def test_without_a_role_a_star_is_an_executive(tmp_path: Path) -> None:
    assert scope_for("old-star@x.it", write(tmp_path)).role == "executive"


def test_without_a_role_a_province_list_is_a_regional_manager(tmp_path: Path) -> None:
    scope = scope_for("old-list@x.it", write(tmp_path))
    assert (scope.role, scope.provinces) == ("regional_manager", frozenset({"BO"}))


@pytest.mark.parametrize(
    ("user", "allowed"),
    [("boss@x.it", False), ("ra@x.it", False), ("data@x.it", True), ("root@x.it", True)],
)
def test_only_analysts_and_admins_may_export_raw_rows(
    tmp_path: Path, user: str, allowed: bool
) -> None:
    assert scope_for(user, write(tmp_path)).may_export_raw is allowed


def test_an_empty_scope_may_not_export_raw_rows_whatever_its_role() -> None:
    assert Scope(role="analyst").may_export_raw is False


def test_the_repositorys_access_file_is_valid_with_a_role_for_each_demo_person() -> None:
    access = read_access(ROOT / "access.toml")
    assert access.problems == ()
    assert {email: person.role for email, person in access.people.items()} == {
        "locale": "admin",
        "direzione@ascolto.example": "executive",
        "analisi@ascolto.example": "analyst",
        "romagna@ascolto.example": "regional_manager",
        "emilia@ascolto.example": "regional_manager",
    }


# --- groups -----------------------------------------------------------------------------------


def test_a_person_not_listed_gets_the_scope_of_their_group(tmp_path: Path) -> None:
    scope = scope_for("new@x.it", write(tmp_path), groups=["cx-romagna", "unrelated"])
    assert scope == Scope.of("new@x.it", ["RA", "FC", "RN"], role="regional_manager")


def test_several_groups_give_the_union_of_their_provinces(tmp_path: Path) -> None:
    scope = scope_for("new@x.it", write(tmp_path), groups=("cx-romagna", "cx-emilia"))
    assert scope.provinces == frozenset({"RA", "FC", "RN", "BO"})


def test_several_groups_give_the_highest_role(tmp_path: Path) -> None:
    scope = scope_for("new@x.it", write(tmp_path), groups=("cx-romagna", "cx-analysts"))
    assert scope == Scope.all_provinces("new@x.it", role="analyst")


def test_a_persons_own_entry_wins_over_their_groups(tmp_path: Path) -> None:
    scope = scope_for("ra@x.it", write(tmp_path), groups=("cx-analysts",))
    assert scope == Scope.of("ra@x.it", ["RA", "FC"], role="regional_manager")


def test_no_matching_group_sees_nothing_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path)
    assert scope_for("new@x.it", path, groups=("staff",)) == Scope(user="new@x.it")
    warning = f"new@x.it is not in the access file {path} (groups: staff): sees no province"
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [(logging.WARNING, warning)]


# --- broken files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[users."a@x.it"]\nname = "A"\nrole = "manager"\n',
            'line 3: person "a@x.it": unknown role "manager" '
            "(roles: regional_manager, executive, analyst, admin)",
        ),
        (
            '[users."a@x.it"]\nrole = "regional_manager"\nprovinces = ["RA", "XX"]\n',
            'line 3: person "a@x.it": unknown province "XX" '
            "(not an Italian province sigla like RA)",
        ),
        (
            '[users."a@x.it"]\nrole = "regional_manager"\nprovinces = [\n  "RA",\n  "XX",\n]\n',
            'line 5: person "a@x.it": unknown province "XX" '
            "(not an Italian province sigla like RA)",
        ),
        (
            '[users."a@x.it"]\nrole = "regional_manager"\nprovinces = ["RA", 12]\n',
            'line 3: person "a@x.it": provinces: 12 is not a sigla',
        ),
        (
            '[users."a@x.it"]\nrole = "regional_manager"\n',
            'line 1: person "a@x.it": role regional_manager needs provinces = ["RA", …]',
        ),
        (
            '[users."a@x.it"]\nrole = "regional_manager"\nprovinces = []\n',
            'line 3: person "a@x.it": provinces = [] lists no province',
        ),
        (
            '[users."a@x.it"]\nrole = "regional_manager"\nprovinces = "*"\n',
            'line 3: person "a@x.it": role regional_manager sees listed provinces only: '
            'provinces = "*" does not apply (list the sigle, or role = "executive")',
        ),
        (
            '[users."a@x.it"]\nrole = "executive"\nprovinces = ["RA"]\n',
            'line 3: person "a@x.it": role executive sees every province: provinces = ["RA"] '
            'does not apply (remove it, or role = "regional_manager")',
        ),
        (
            '[users."a@x.it"]\nprovinces = "RA"\n',
            'line 2: person "a@x.it": provinces = "RA" is neither a list of sigle nor "*"',
        ),
        (
            '[users."a@x.it"]\nname = "A"\n',
            'line 1: person "a@x.it": has no role (role = one of regional_manager, executive, '
            "analyst, admin)",
        ),
        (
            '[users]\n"a@x.it" = "RA"\n',
            'line 2: person "a@x.it": = "RA" is not a table (expected keys: name, role, provinces)',
        ),
        (
            '[users."a@x.it"]\nrole = "executive"\nprovince = "*"\n',
            'line 3: person "a@x.it": unknown key "province" = "*" (keys: name, role, provinces)',
        ),
        (
            '[users."a@x.it"]\nrole = "executive"\nname = 7\n',
            'line 3: person "a@x.it": name = 7 is not text',
        ),
        (
            '# people\n[user."a@x.it"]\nrole = "executive"\n',
            'line 2: unknown key "user" '
            '(the file holds contact = "…", [users."e-mail"] and [groups."name"] entries)',
        ),
        (
            'contact = ["cx@x.it"]\n[users."a@x.it"]\nrole = "executive"\n',
            'line 1: contact = ["cx@x.it"] is not text (whom to ask for access, e.g. '
            'contact = "Direzione clienti, cx@example.it")',
        ),
        (
            '[groups.cx]\nprovinces = ["RA"]\n',
            'line 1: group "cx": has no role (role = one of regional_manager, executive, '
            "analyst, admin)",
        ),
        (
            '[groups.cx]\nrole = "regional_manager"\nprovinces = ["RA"]\nname = "CX"\n',
            'line 4: group "cx": unknown key "name" = "CX" (keys: role, provinces)',
        ),
        (
            '[users."a@x.it"]\nrole = "executive\n',
            "line 2: cannot be read: Illegal character '\\n' (at line 2, column 18)",
        ),
    ],
)
def test_each_problem_is_named_with_its_line_and_value(
    tmp_path: Path, text: str, problem: str
) -> None:
    assert [p.where() for p in read_access(write(tmp_path, text)).problems] == [problem]


def test_a_problem_names_the_file_first(tmp_path: Path) -> None:
    path = write(tmp_path, '[users."a@x.it"]\nrole = "boss"\n')
    assert str(read_access(path).problems[0]).startswith(f'{path}:2: person "a@x.it": ')


def test_every_problem_of_a_file_is_named(tmp_path: Path) -> None:
    text = '[users.a]\nrole = "boss"\n\n[users.b]\nrole = "executive"\nprovinces = ["XX"]\n'
    assert [p.line for p in read_access(write(tmp_path, text)).problems] == [2, 6]


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    problems = read_access(tmp_path / "missing.toml").problems
    assert [p.text.split(":")[0] for p in problems] == ["cannot be read"]


# --- fail closed ------------------------------------------------------------------------------


def test_one_broken_entry_locks_everyone_out_with_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, ROLES_FILE + '\n[users."typo@x.it"]\nrole = "executiv"\n')
    assert scope_for("boss@x.it", path) == Scope(user="boss@x.it")
    assert scope_for("ra@x.it", path).visible() == frozenset()
    assert scope_for("new@x.it", path, groups=("cx-analysts",)) == Scope(user="new@x.it")
    assert {r.levelno for r in caplog.records} == {logging.ERROR}


def test_a_broken_file_names_nobody(tmp_path: Path) -> None:
    path = write(tmp_path, ROLES_FILE + '\n[users."typo@x.it"]\nrole = "executiv"\n')
    assert display_name("boss@x.it", path) == "boss@x.it"
    assert display_name("boss@x.it", write(tmp_path)) == "Direzione"


# --- raw-row exports --------------------------------------------------------------------------

EXECUTIVE = Scope.all_provinces("boss@x.it", role="executive")
MANAGER = Scope.of("ra@x.it", ["RA"], role="regional_manager")
ANALYST = Scope.all_provinces("data@x.it", role="analyst")
ADMIN = Scope.all_provinces("root@x.it", role="admin")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from data_access import migrate
    from data_access.db import get_engine

    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('roles') / 'ascolto.db'}")
    migrate.prepare(engine)
    return kpi_store.build(engine)


@pytest.mark.parametrize("scope", [MANAGER, EXECUTIVE], ids=["regional_manager", "executive"])
@pytest.mark.parametrize("kind", RAW_KINDS)
def test_raw_rows_are_refused_to_managers_and_executives(
    store: Engine, scope: Scope, kind: str
) -> None:
    message = rf"{scope.user} \({scope.role}\) may not export raw rows \({kind}\)"
    with pytest.raises(NotAllowed, match=message):
        count_rows(store, kind=kind, filters=JAN_FEB, scope=scope)
    with pytest.raises(NotAllowed, match=message):
        preview(store, kind=kind, filters=JAN_FEB, scope=scope)
    out = io.BytesIO()
    with pytest.raises(NotAllowed, match=message):
        export(store, kind=kind, filters=JAN_FEB, scope=scope, fmt="csv", out=out)
    assert out.getvalue() == b""


@pytest.mark.parametrize("scope", [ANALYST, ADMIN], ids=["analyst", "admin"])
def test_raw_rows_are_exported_for_analysts_and_admins(store: Engine, scope: Scope) -> None:
    # kpi_store: c1 … c11 in January and February
    assert count_rows(store, kind="contacts", filters=JAN_FEB, scope=scope) == 11


@pytest.mark.parametrize(
    ("scope", "expected"), [(MANAGER, 15), (EXECUTIVE, 21), (ANALYST, 21), (ADMIN, 21)]
)
def test_aggregates_are_exported_for_every_role_in_its_scope(
    store: Engine, scope: Scope, expected: int
) -> None:
    # kpi_store's contacts KPI: RA 5 contacts + 10 offered in the report; BO 6 more
    frame = preview(store, kind="kpi:contacts", filters=JAN_FEB, scope=scope, grain="year")
    assert frame["value"].tolist() == [expected]
