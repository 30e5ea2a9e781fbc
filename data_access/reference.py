"""Reference data (provinces, channels, topics, targets) from fixtures/reference to the store."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from data_access.db import PROJECT_ROOT
from data_access.models import (
    Area,
    Association,
    Channel,
    KpiTarget,
    Province,
    Region,
    Segment,
    Topic,
)

REFERENCE_DIR = PROJECT_ROOT / "fixtures" / "reference"


def read_rows(name: str) -> list[dict[str, str]]:
    """Read a reference CSV as text only (so Napoli's sigla 'NA' stays 'NA')."""
    with Path(REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _merge_all(session: Session, rows: Sequence[SQLModel]) -> None:
    for row in rows:
        session.merge(row)


def load_reference(engine: Engine) -> None:
    """Insert or update every reference table; safe to run on each start."""
    provinces = read_rows("italy_provinces_istat.csv")
    sigla_to_code = {row["prov_acr"]: row["prov_istat_code"] for row in provinces}
    with Session(engine) as session:
        regions = {row["reg_istat_code"]: row["reg_name"] for row in provinces}
        _merge_all(session, [Region(code=code, name=name) for code, name in regions.items()])
        session.flush()
        _merge_all(
            session,
            [
                Province(
                    code=row["prov_istat_code"],
                    sigla=row["prov_acr"],
                    name=row["prov_name"],
                    region_code=row["reg_istat_code"],
                )
                for row in provinces
            ],
        )
        session.flush()
        areas = [
            Area(code=row["prov_acr"], name=row["prov_name"], province_code=row["prov_istat_code"])
            for row in provinces
        ] + [
            Area(
                code=row["code"],
                name=row["name"],
                province_code=sigla_to_code[row["province_sigla"]],
            )
            for row in read_rows("areas.csv")
        ]
        _merge_all(session, areas)
        _merge_all(session, [Channel(**row) for row in read_rows("channels.csv")])
        _merge_all(session, [Segment(**row) for row in read_rows("segments.csv")])
        _merge_all(session, [Topic(**row) for row in read_rows("topics.csv")])
        _merge_all(session, [Association(**row) for row in read_rows("associations.csv")])
        session.flush()
        _load_targets(session, sigla_to_code)
        session.commit()


def _load_targets(session: Session, sigla_to_code: dict[str, str]) -> None:
    """Add the shipped targets that are not in the store yet (user-set targets are kept)."""
    existing = {
        (t.kpi, t.province_code, t.valid_from, t.source)
        for t in session.execute(select(KpiTarget)).scalars()
    }
    for row in read_rows("targets.csv"):
        target = KpiTarget(
            kpi=row["kpi"],
            province_code=sigla_to_code[row["province_sigla"]] if row["province_sigla"] else None,
            threshold=float(row["threshold"]),
            direction=row["direction"],
            source=row["source"],
            valid_from=date.fromisoformat(row["valid_from"]),
            note=row["note"],
        )
        key = (target.kpi, target.province_code, target.valid_from, target.source)
        if key not in existing:
            session.add(target)
