"""The KPI registry: one definition per KPI, used by every page, export and test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from data_access.dimensions import ATTRS
from data_access.i18n import DEFAULT, text
from data_access.stats import MIN_RESPONSES

if TYPE_CHECKING:
    from data_access.filters import Filters

Unit = Literal["count", "percent", "seconds", "days", "score", "nps", "per_thousand"]
Family = Literal["contact", "survey", "adoption", "association"]
Better = Literal["higher", "lower"]

MIN_CASES = MIN_RESPONSES  # like survey cells: a figure from fewer cases is suppressed
# The view's dimensions each family's source carries, so a filter on them narrows its figures.
# Surveys carry no topic; channel adoption names its own channel and has no topic; association
# cases carry neither channel nor segment. A KPI whose family ignores a dimension the view
# filters on is not applicable to that view (queries return no value, saying why).
HONOURED: dict[str, frozenset[str]] = {
    "contact": frozenset(ATTRS),
    "survey": frozenset({"provinces", "areas", "channels", "segments"}),
    "adoption": frozenset({"provinces", "areas", "segments"}),
    "association": frozenset({"provinces", "areas", "topics"}),
}
# The customer base (denominator of contacts per 1,000 and of adoption) counts customers whatever
# channel they use or topic they ask about: a view's channels and topics do not narrow it.
CUSTOMER_BASE_IGNORES = frozenset({"channels", "topics"})
# Time-to-reply KPIs, censored at the latest data (days to the deadline; None: the target)
REPLY_DEADLINES: dict[str, float | None] = {
    "complaint_reply_days": 30.0,
    "complaint_reply_30d": 30.0,
    "association_reply_days": None,
    "association_within_target": None,
}
# census figures from a handful of cases: they carry a 95% interval (Wilson for shares)
CASE_INTERVALS = frozenset({"complaint_reply_30d", "association_within_target",
                            "association_reply_days"})  # fmt: skip


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

    def sample(self, lang: str = DEFAULT) -> str:
        """What the KPI's minimum count counts, in lang: 'risposte' (surveys) or 'pratiche'."""
        return text(f"kpi.sample.{'survey' if self.is_estimate else 'cases'}", lang)

    @property
    def has_interval(self) -> bool:
        """True when values carry n and a 95% interval: surveys and shares of few cases."""
        return self.is_estimate or self.code in CASE_INTERVALS

    @property
    def is_censored(self) -> bool:
        """True for time-to-reply KPIs: cases still open are late or pending (provisional)."""
        return self.code in REPLY_DEADLINES

    @property
    def min_n(self) -> int:
        """Values on fewer responses or cases than this are suppressed (0: never)."""
        return MIN_CASES if self.is_estimate or self.is_censored else 0

    @property
    def dimensions(self) -> frozenset[str]:
        """The Filters dimensions (attribute names) that narrow this KPI."""
        return HONOURED[self.family]

    def ignored_by(self, filters: Filters) -> tuple[str, ...]:
        """The dimensions filters select on that this KPI does not depend on (in the order of
        dimensions.DIMENSIONS): when any, the KPI is not applicable to the view.
        """
        return tuple(d for d in ATTRS if getattr(filters, d) and d not in self.dimensions)


def not_applicable_text(dimensions: Sequence[str], lang: str = DEFAULT) -> str:
    """Why a KPI shows no value: 'Non dipende dal canale: togli il filtro Canali per vederlo.'"""
    return " ".join(text(f"kpi.not_applicable.{dimension}", lang) for dimension in dimensions)


def not_applicable_sentence(kpi: Kpi, dimensions: Sequence[str], lang: str = DEFAULT) -> str:
    """'<KPI> non si può mostrare con questi filtri. Non dipende dal canale: …' for a page."""
    reason = not_applicable_text(dimensions, lang)
    return text("trends.not_applicable", lang, kpi=kpi.label(lang), reason=reason)


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
