"""The exact-numbers table under a chart: rows, order and Italian display text."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from data_access.kpis import KPIS
from ui.tables import table_frame, table_styler

NAN = math.nan
LS = KPIS["service_level"]  # percent, 1 decimal
CSI = KPIS["csi"]  # survey score, 1 decimal
NAMES = {"RA": "Ravenna", "BO": "Bologna"}


def series(rows: list[tuple], *, suppressed: list[bool] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["bucket", "province", "value", "n", "ci_low", "ci_high"])
    frame["suppressed"] = suppressed or [False] * len(rows)
    return frame


def displayed(frame: pd.DataFrame, kpi, grain: str | None, lang: str = "it") -> list[list[str]]:
    table = table_frame(frame, kpi=kpi, names=NAMES, lang=lang)
    styler = table_styler(table, kpi=kpi, grain=grain, lang=lang)
    translated = styler._translate(False, False)
    return [[cell["display_value"] for cell in row[1:]] for row in translated["body"]]


def test_rows_are_ordered_by_bucket_then_province_name() -> None:
    frame = series(
        [
            (date(2025, 2, 1), "RA", 90.0, 10.0, NAN, NAN),
            (date(2025, 1, 1), "RA", 80.0, 10.0, NAN, NAN),
            (date(2025, 1, 1), "BO", 70.0, 10.0, NAN, NAN),
        ]
    )
    table = table_frame(frame, kpi=LS, names=NAMES)
    assert table[["bucket", "province"]].values.tolist() == [
        [date(2025, 1, 1), "Bologna"],
        [date(2025, 1, 1), "Ravenna"],
        [date(2025, 2, 1), "Ravenna"],
    ]


def test_census_values_show_in_italian_with_their_unit() -> None:
    frame = series([(date(2025, 1, 1), "RA", 92.456, 1234.0, NAN, NAN)])
    assert displayed(frame, LS, "month") == [["gen 2025", "Ravenna", "92,5%", "1.234"]]


def test_census_values_show_in_english_with_their_unit() -> None:
    frame = series([(date(2025, 1, 1), "RA", 92.456, 1234.0, NAN, NAN)])
    assert displayed(frame, LS, "month", "en") == [["Jan 2025", "Ravenna", "92.5%", "1,234"]]


def test_a_suppressed_survey_row_says_why_in_english() -> None:
    frame = series([(date(2025, 2, 1), "RA", NAN, 12.0, NAN, NAN)], suppressed=[True])
    assert displayed(frame, CSI, "month", "en") == [
        ["Feb 2025", "Ravenna", "–", "12", "–", "–", "fewer than 30 responses"]
    ]


def test_a_quarter_is_named_as_such() -> None:
    frame = series([(date(2025, 4, 1), "BO", 80.0, 5.0, NAN, NAN)])
    assert displayed(frame, LS, "quarter")[0][0] == "T2 2025"


def test_survey_rows_carry_the_interval_and_a_note_when_suppressed() -> None:
    frame = series(
        [
            (date(2025, 1, 1), "RA", 71.26, 120.0, 68.5, 74.0),
            (date(2025, 2, 1), "RA", NAN, 12.0, NAN, NAN),
        ],
        suppressed=[False, True],
    )
    assert displayed(frame, CSI, "month") == [
        ["gen 2025", "Ravenna", "71,3", "120", "68,5", "74,0", ""],
        ["feb 2025", "Ravenna", "–", "12", "–", "–", "meno di 30 risposte"],
    ]


def test_a_frame_by_province_has_no_period_column() -> None:
    frame = series([(None, "BO", 95.0, 510.0, NAN, NAN)]).drop(columns="bucket")
    assert displayed(frame, LS, None) == [["Bologna", "95,0%", "510"]]


def test_census_kpis_have_no_interval_columns() -> None:
    frame = series([(date(2025, 1, 1), "RA", 92.0, 10.0, NAN, NAN)])
    assert list(table_frame(frame, kpi=LS)) == ["bucket", "province", "value", "n", "suppressed"]


SHARE_30D = KPIS["complaint_reply_30d"]  # percent of complaints decided, Wilson interval
REPLY_DAYS = KPIS["complaint_reply_days"]  # mean days, no interval


def test_a_provisional_row_says_how_many_cases_are_pending() -> None:
    frame = series(
        [
            (date(2025, 11, 1), "BO", 96.0, 250.0, 93.0, 97.8),
            (date(2025, 12, 1), "BO", 100.0, 310.0, 98.8, 100.0),
        ]
    )
    frame["provisional"] = [False, True]
    frame["pending"] = [0, 222]
    assert displayed(frame, SHARE_30D, "month") == [
        ["nov 2025", "Bologna", "96,0%", "250", "93,0%", "97,8%", ""],
        [
            "dic 2025",
            "Bologna",
            "100,0%",
            "310",
            "98,8%",
            "100,0%",
            "provvisorio: 222 in attesa di risposta",
        ],
    ]


def test_a_suppressed_and_provisional_row_of_few_cases_gives_both_reasons() -> None:
    frame = series([(date(2025, 12, 1), "RA", NAN, 7.0, NAN, NAN)], suppressed=[True])
    frame["provisional"] = [True]
    frame["pending"] = [3]
    assert displayed(frame, REPLY_DAYS, "month", "en") == [
        ["Dec 2025", "Ravenna", "–", "7", "fewer than 30 cases; provisional: 3 awaiting a reply"]
    ]
