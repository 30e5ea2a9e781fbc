"""KPI targets in force on a day, and how a value reads against one (green, amber, red)."""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.models import KpiTarget, Province

Status = Literal["green", "amber", "red"]
AMBER_MARGIN = 0.05  # a miss by at most 5% of the threshold is amber


def target_for(
    *, engine: Engine, kpi: str, province_sigla: str | None = None, on: date
) -> KpiTarget | None:
    """The target in force on `on` (latest valid_from); a province's own target wins."""
    query = (
        select(KpiTarget, Province.sigla)
        .outerjoin(Province, Province.code == KpiTarget.province_code)
        .where(KpiTarget.kpi == kpi, KpiTarget.valid_from <= on)
        .order_by(KpiTarget.valid_from.desc(), KpiTarget.id.desc())
    )
    with Session(engine) as session:
        rows = session.execute(query).all()
        general = [target for target, sigla in rows if sigla is None]
        own = [target for target, sigla in rows if province_sigla and sigla == province_sigla]
        chosen = (own or general or [None])[0]
        if chosen is not None:
            session.expunge(chosen)
    return chosen


def status(value: float | None, target: KpiTarget | None) -> Status | None:
    """Green meets the target, amber misses it by at most 5% of it, red otherwise."""
    if target is None or value is None or math.isnan(value):
        return None
    shortfall = target.threshold - value if target.direction == "min" else value - target.threshold
    if shortfall <= 0:
        return "green"
    if shortfall <= AMBER_MARGIN * abs(target.threshold):
        return "amber"
    return "red"
