"""KPI targets in force on a day, and how a value reads against one (green, amber, red)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from data_access.i18n import shown
from data_access.models import KpiTarget, Province, table_of

Status = Literal["green", "amber", "red"]
AMBER_MARGIN = Decimal("0.05")  # a miss by at most 5% of the threshold is amber


def target_for(
    *, engine: Engine | Connection, kpi: str, province_sigla: str | None = None, on: date
) -> KpiTarget | None:
    """The target in force on `on` (latest valid_from); a province's own target wins."""
    return targets_for(engine=engine, kpis=(kpi,), province_sigla=province_sigla, on=on)[kpi]


def targets_for(
    *, engine: Engine | Connection, kpis: Sequence[str], province_sigla: str | None = None, on: date
) -> dict[str, KpiTarget | None]:
    """target_for of several KPIs, read in one query (on engine, or on an open connection)."""
    target = table_of(KpiTarget)
    province = table_of(Province)
    query = (
        select(target, province.c.sigla)
        .outerjoin(province, province.c.code == target.c.province_code)
        .where(target.c.kpi.in_(sorted(set(kpis))), target.c.valid_from <= on)
        .order_by(target.c.valid_from.desc(), target.c.id.desc())
    )
    if isinstance(engine, Connection):
        rows = [row._asdict() for row in engine.execute(query)]
    else:
        with engine.connect() as connection:
            rows = [row._asdict() for row in connection.execute(query)]
    chosen: dict[str, KpiTarget | None] = {}
    for kpi in kpis:
        mine = [row for row in rows if row["kpi"] == kpi]
        general = [row for row in mine if row["sigla"] is None]
        own = [row for row in mine if province_sigla and row["sigla"] == province_sigla]
        found = next(iter(own or general), None)
        chosen[kpi] = None if found is None else KpiTarget.model_validate(found)
    return chosen


def status(value: float | None, target: KpiTarget | None, *, decimals: int) -> Status | None:
    """Green meets the target, amber misses it by at most 5% of it, red otherwise.

    Judged on what the reader sees: value and threshold rounded to the KPI's `decimals` as
    ui.formatting prints them (i18n.shown), so "70,0" beside "≥ 70,0" is green.
    """
    if target is None or value is None or math.isnan(value):
        return None
    seen, threshold = shown(value, decimals), shown(target.threshold, decimals)
    shortfall = threshold - seen if target.direction == "min" else seen - threshold
    if shortfall <= 0:
        return "green"
    if shortfall <= AMBER_MARGIN * abs(threshold):
        return "amber"
    return "red"
