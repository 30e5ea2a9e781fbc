"""'What changed' in plain sentences."""

from __future__ import annotations

from collections.abc import Mapping

from data_access.kpis import KPIS
from data_access.movements import Movement
from ui import formatting


def movement_sentence(movement: Movement, province_names: Mapping[str, str]) -> str:
    """'Ravenna · Livello di servizio (LS): da 95,1% a 91,3% (-3,8 pt), peggiorato.'"""
    kpi = KPIS[movement.kpi]
    where = province_names.get(movement.province, movement.province)
    before = formatting.kpi_value(movement.before, kpi)
    now = formatting.kpi_value(movement.now, kpi)
    change = formatting.change(movement.change, kpi)
    verdict = "migliorato" if movement.better else "peggiorato"
    return f"{where} · {kpi.label}: da {before} a {now} ({change}), {verdict}."
