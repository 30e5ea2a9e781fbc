"""Chart builders of the channels page: the ranked bar of a KPI per province."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from data_access.kpis import KPIS
from data_access.models import KpiTarget
from ui import channel_charts, charts

NAN = math.nan
ONLINE = KPIS["online_adoption"]  # percent, higher is better, 1 decimal
TMA = KPIS["average_wait"]  # seconds, lower is better
NAMES = {"RA": "Ravenna", "BO": "Bologna", "FE": "Ferrara", "MO": "Modena"}
VALUES = pd.DataFrame({"province": ["RA", "BO", "FE", "MO"], "value": [9.2, 11.5, 6.4, NAN]})
HERA = KpiTarget(
    kpi="online_adoption",
    threshold=8.0,
    direction="min",
    source="Hera",
    valid_from=date(2019, 1, 1),
)


def ranked(target: float | None = None, lang: str = "it") -> object:
    return channel_charts.ranked_bars_figure(
        VALUES, kpi=ONLINE, target=target, names=NAMES, lang=lang
    )


def test_ranked_bars_are_horizontal_bars_from_zero_best_at_the_top() -> None:
    (bars,) = ranked().data

    assert (bars.type, bars.orientation) == ("bar", "h")
    assert bars.y == ("Bologna", "Ravenna", "Ferrara", "Modena")
    assert ranked().layout.yaxis.autorange == "reversed"
    assert ranked().layout.xaxis.range[0] == 0


def test_ranked_bars_put_the_lowest_first_when_lower_is_better() -> None:
    waits = pd.DataFrame({"province": ["RA", "BO", "FE"], "value": [38.0, 41.0, 35.0]})

    figure = channel_charts.ranked_bars_figure(waits, kpi=TMA, target=None, names=NAMES)

    assert figure.data[0].y == ("Ferrara", "Ravenna", "Bologna")


def test_ranked_bars_carry_the_sigla_a_click_selects() -> None:
    (bars,) = ranked().data
    click = {"selection": {"points": [{"curve_number": 0, "point_index": 1, "customdata": "RA"}]}}

    assert list(bars.customdata) == ["BO", "RA", "FE", "MO"]
    assert charts.selected_provinces(click) == ["RA"]


def test_ranked_bars_label_values_in_italian_and_list_missing_provinces_last() -> None:
    figure = ranked()

    assert figure.data[0].text == ("11,5%", "9,2%", "6,4%", "")
    (note,) = figure.layout.annotations
    assert (note.y, note.text) == ("Modena", "nessun dato")


def test_ranked_bars_label_values_in_english() -> None:
    figure = ranked(lang="en")

    assert figure.data[0].text == ("11.5%", "9.2%", "6.4%", "")
    assert figure.layout.annotations[0].text == "no data"


def test_the_reference_is_a_dashed_line_the_axis_reaches_and_misses_are_orange() -> None:
    figure = ranked(target=8.0)

    (line,) = figure.layout.shapes
    assert (line.x0, line.x1, line.line.dash) == (8.0, 8.0, "dash")
    assert figure.data[0].marker.color == ("#0072B2", "#0072B2", "#E69F00", "#0072B2")
    # a miss's label sits inside its bar, left of the line; the others beyond it
    assert figure.data[0].textposition == ("outside", "outside", "inside", "outside")


def test_a_reference_above_every_value_is_still_drawn() -> None:
    low = pd.DataFrame({"province": ["RA"], "value": [20.0]})

    figure = channel_charts.ranked_bars_figure(low, kpi=ONLINE, target=30.0, names=NAMES)

    (line,) = figure.layout.shapes
    assert line.x0 == 30.0
    assert figure.layout.xaxis.range[1] > 30.0


def test_the_reference_line_names_its_source() -> None:
    figure = channel_charts.name_reference(ranked(target=8.0), HERA, ONLINE, "it")

    assert "Riferimento Hera ≥ 8,0%" in [note.text for note in figure.layout.annotations]


def test_ranked_bars_without_values_say_no_data() -> None:
    empty = pd.DataFrame({"province": ["RA"], "value": [NAN]})

    figure = channel_charts.ranked_bars_figure(empty, kpi=ONLINE, target=8.0, names=NAMES)

    assert not figure.data
    assert figure.layout.annotations[0].text == "Nessun dato"
