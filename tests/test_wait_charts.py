"""The waits' figure builders: what each trace and cell holds, in the reader's language."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from data_access.queries.waits import HOURS, WEEKDAYS
from ui import wait_charts

OVER_TIME = pd.DataFrame(
    {
        "bucket": [date(2025, 1, 1), date(2025, 2, 1)],
        "answered": [3, 11],
        "banded": [3, 0],
        "within_20s": [100 / 3, math.nan],
        "within_60s": [200 / 3, math.nan],
        "within_120s": [200 / 3, math.nan],
        "within_180s": [100.0, math.nan],
        "within_240s": [100.0, math.nan],
    }
)
BY_PROVINCE = pd.DataFrame(
    {
        "province": ["BO", "FE", "RA"],
        "answered": [3, 8, 3],
        "banded": [3, 0, 2],
        "within_20s": [100 / 3, math.nan, 0.0],
        "within_60s": [200 / 3, math.nan, 0.0],
        "within_120s": [200 / 3, math.nan, 0.0],
        "within_180s": [100.0, math.nan, 0.0],
        "within_240s": [100.0, math.nan, 50.0],
    }
)


def test_bands_over_time_draw_one_line_per_band_with_a_gap_without_band_data() -> None:
    figure = wait_charts.bands_over_time_figure(OVER_TIME, grain="month", lang="it")
    assert [trace.name for trace in figure.data] == [
        "Entro 20 s",
        "Entro 60 s",
        "Entro 120 s",
        "Entro 180 s",
        "Entro 240 s",
    ]
    within_60 = figure.data[1]
    assert within_60.y[0] == 200 / 3 and math.isnan(within_60.y[1])
    assert within_60.hovertext[0] == "gennaio 2025<br>Entro 60 s: 66,7%"


def test_bands_over_time_speak_english_when_asked() -> None:
    figure = wait_charts.bands_over_time_figure(OVER_TIME, grain="month", lang="en")
    assert figure.data[0].name == "Within 20 s"
    assert figure.data[0].hovertext[0] == "January 2025<br>Within 20 s: 33.3%"


def test_provinces_without_band_data_are_left_out_and_each_dot_carries_its_sigla() -> None:
    names = {"BO": "Bologna", "FE": "Ferrara", "RA": "Ravenna"}
    figure = wait_charts.bands_by_province_figure(BY_PROVINCE, names=names, lang="it")
    within_240 = figure.data[4]
    # ordered by the share within 20 s: Ravenna (0%) below Bologna (33.3%)
    assert list(within_240.y) == ["Ravenna", "Bologna"]
    assert list(within_240.customdata) == ["RA", "BO"]
    assert list(within_240.x) == [50.0, 100.0]


def _cells() -> pd.DataFrame:
    cells = pd.DataFrame([(w, h) for w in WEEKDAYS for h in HOURS], columns=["weekday", "hour"])
    cells["contacts"] = 0
    cells["queued"] = 0
    cells["answered"] = 0
    monday_nine = (cells["weekday"] == 1) & (cells["hour"] == 9)
    cells.loc[monday_nine, ["contacts", "queued", "answered"]] = [1200, 1000, 750]
    with np.errstate(divide="ignore", invalid="ignore"):
        cells["answer_rate"] = np.where(
            cells["queued"] > 0, cells["answered"] / cells["queued"] * 100, np.nan
        )
    return cells


def test_the_demand_heatmap_has_a_row_per_weekday_monday_first_and_a_column_per_hour() -> None:
    figure = wait_charts.hour_heatmap_figure(_cells(), value="contacts", lang="it")
    heatmap = figure.data[0]
    assert list(heatmap.y) == ["lun", "mar", "mer", "gio", "ven", "sab", "dom"]
    assert list(heatmap.x) == list(range(24))
    assert heatmap.z[0][9] == 1200
    assert heatmap.hovertext[0][9] == "lun 9–10<br>Contatti: 1.200"


def test_the_answer_rate_heatmap_runs_from_0_to_100_and_is_empty_where_nobody_queued() -> None:
    figure = wait_charts.hour_heatmap_figure(_cells(), value="answer_rate", lang="en")
    heatmap = figure.data[0]
    assert (heatmap.zmin, heatmap.zmax) == (0, 100)
    assert heatmap.z[0][9] == 75.0 and math.isnan(heatmap.z[0][10])
    assert heatmap.hovertext[0][9] == "Mon 9–10<br>Answer rate: 75.0%"
    assert heatmap.hovertext[0][10] == "Mon 10–11<br>Answer rate: –"
