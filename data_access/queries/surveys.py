"""Survey KPIs (CSI, CSAT, NPS, CES): estimates with 95% intervals, small cells suppressed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from data_access import stats
from data_access.aggregates import SURVEYS
from data_access.kpis import Kpi
from data_access.queries.rollup import (
    Ask,
    Columns,
    Family,
    Measures,
    measure_names,
    result_columns,
    rolled_up,
    summed_measures,
)

SURVEY_MEASURES_OF: dict[str, tuple[str, ...]] = {
    "csi": ("csi_n", "csi_sum", "csi_sumsq"),
    "ces": ("ces_n", "ces_sum", "ces_sumsq"),
    "csat": ("csat_n", "csat_positive"),
    "nps": ("nps_n", "promoters", "detractors"),
}


def _needs(kpis: Sequence[Kpi]) -> Measures:
    """The measures a set of survey KPIs read, each summed once."""
    measures: Measures = {}
    for kpi in kpis:
        measures |= dict.fromkeys(SURVEY_MEASURES_OF[kpi.code])
    return measures


def _read_surveys(ask: Ask, kpis: Sequence[Kpi]) -> Columns:
    return summed_measures(ask, SURVEYS, _needs(kpis))


def _survey_kpis(ask: Ask, kpis: Sequence[Kpi], sums: Columns) -> dict[str, Columns]:
    """Survey KPIs with 95% intervals; cells under MIN_RESPONSES are suppressed, n kept.

    Surveys carry no topic: a topic filter does not narrow them.
    """
    rolled = rolled_up(ask, sums, measure_names(sums))
    found = {}
    for kpi in kpis:
        names = SURVEY_MEASURES_OF[kpi.code]
        n = rolled[names[0]]
        if kpi.code in ("csi", "ces"):
            estimate = stats.mean_estimate(n, rolled[names[1]], rolled[names[2]])
        elif kpi.code == "csat":
            estimate = stats.proportion_estimate(rolled["csat_positive"], n)
        else:
            estimate = stats.nps_estimate(n, rolled["promoters"], rolled["detractors"])
        suppressed = (n > 0) & (n < stats.MIN_RESPONSES)
        value, low, high, se = (np.where(suppressed, np.nan, part) for part in estimate)
        found[kpi.code] = result_columns(
            ask, rolled, value, n, low=low, high=high, se=se, suppressed=suppressed
        )
    return found


FAMILY = Family(read=_read_surveys, kpis=_survey_kpis)
