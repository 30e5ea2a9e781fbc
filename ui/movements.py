"""'What changed' in plain sentences."""

from __future__ import annotations

from collections.abc import Mapping

from data_access.i18n import DEFAULT, text
from data_access.kpis import KPIS
from data_access.movements import Movement
from ui import formatting


def movement_sentence(
    movement: Movement, province_names: Mapping[str, str], lang: str = DEFAULT
) -> str:
    """'Ravenna · Livello di servizio (LS): da 95,1% a 91,3% (-3,8 p.p.), in peggioramento.'"""
    kpi = KPIS[movement.kpi]
    return text(
        "movement.sentence",
        lang,
        where=province_names.get(movement.province, movement.province),
        kpi=kpi.label(lang),
        before=formatting.kpi_value(movement.before, kpi, lang),
        now=formatting.kpi_value(movement.now, kpi, lang),
        change=formatting.change(movement.change, kpi, lang),
        verdict=text("movement.better" if movement.better else "movement.worse", lang),
    )
