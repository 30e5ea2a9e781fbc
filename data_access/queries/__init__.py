"""KPI queries for the pages: the only reader of the aggregates, scope applied in every query.

Every public function takes keyword-only `engine`, `filters` and `scope`. The scope is resolved
here (Scope.visible(filters.provinces) -> sigle -> ISTAT codes); an empty scope gives no rows.

Strategy: sum the measures a KPI family needs in SQL, grouped by bucket and/or province, in one
statement per period: whole weeks (week buckets) or whole months (other buckets) from the weekly
or monthly aggregates, the ragged days at either end of the period from the daily ones; without
buckets, whole months, then whole weeks, then days. A period ending on or after the latest data
day reads its last week or month whole. Each family is read once per period at the finest keys
asked for (a KpiBoard asks bucket × province) and rolled up from there in numpy: months to
quarters and years, provinces to the whole. KPIs are computed from the summed measures: every
ratio is a ratio of sums, and a zero denominator gives NaN.

Modules: `rollup` reads and rolls up a family's sums; `contacts`, `surveys`, `adoption` and
`associations` say what each KPI family reads and how its KPIs are computed; `store` answers
store-wide facts; `engine` holds the public KPI queries and the family table they dispatch on.
"""

from data_access.queries.engine import (
    BY_CHOICES,
    KpiBoard,
    KpiValue,
    kpi_board,
    kpi_series,
    kpi_series_many,
    kpi_series_shapes,
    kpi_value,
    kpi_values,
)
from data_access.queries.store import (
    dimension_names,
    first_day,
    freshness,
    kpis_with_data,
    latest_day,
)

__all__ = [
    "BY_CHOICES",
    "KpiBoard",
    "KpiValue",
    "dimension_names",
    "first_day",
    "freshness",
    "kpi_board",
    "kpi_series",
    "kpi_series_many",
    "kpi_series_shapes",
    "kpi_value",
    "kpi_values",
    "kpis_with_data",
    "latest_day",
]
