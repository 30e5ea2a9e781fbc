"""The KPI registry: one definition per KPI, used by every page, export and test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from data_access.i18n import DEFAULT, text

Unit = Literal["count", "percent", "seconds", "days", "score", "nps", "per_thousand"]
Family = Literal["contact", "survey", "adoption", "association"]
Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Kpi:
    """How a KPI is measured and read; its name and definition are in the catalogue by code."""

    code: str
    unit: Unit
    family: Family
    better: Better
    decimals: int

    def label(self, lang: str = DEFAULT) -> str:
        """The KPI's name in lang ('Livello di servizio (LS)')."""
        return text(f"kpi.{self.code}.label", lang)

    def help(self, lang: str = DEFAULT) -> str:
        """The KPI's definition in lang, for tooltips and column help."""
        return text(f"kpi.{self.code}.help", lang)

    @property
    def is_estimate(self) -> bool:
        """True for sample-based KPIs (surveys): they carry n, a 95% interval and suppression."""
        return self.family == "survey"


_DEFINITIONS = (
    Kpi("contacts", "count", "contact", "lower", 0),
    Kpi("contacts_per_1000", "per_thousand", "contact", "lower", 1),
    Kpi("service_level", "percent", "contact", "higher", 1),
    Kpi("average_wait", "seconds", "contact", "lower", 0),
    Kpi("line_accessibility", "percent", "contact", "higher", 1),
    Kpi("abandonment_rate", "percent", "contact", "lower", 1),
    Kpi("service_level_80_20", "percent", "contact", "higher", 1),
    Kpi("fcr", "percent", "contact", "higher", 1),
    Kpi("aht", "seconds", "contact", "lower", 0),
    Kpi("csi", "score", "survey", "higher", 1),
    Kpi("csat", "percent", "survey", "higher", 1),
    Kpi("nps", "nps", "survey", "higher", 0),
    Kpi("ces", "score", "survey", "higher", 2),
    Kpi("online_adoption", "percent", "adoption", "higher", 1),
    Kpi("branch_usage", "percent", "adoption", "higher", 1),
    Kpi("digital_share", "percent", "contact", "higher", 1),
    Kpi("complaint_reply_days", "days", "contact", "lower", 1),
    Kpi("complaint_reply_30d", "percent", "contact", "higher", 1),
    Kpi("association_reply_days", "days", "association", "lower", 1),
    Kpi("association_within_target", "percent", "association", "higher", 1),
)

KPIS: dict[str, Kpi] = {kpi.code: kpi for kpi in _DEFINITIONS}
