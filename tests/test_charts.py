"""Chart builders: traces, gaps, Italian labels and the click-to-province mapping."""

from __future__ import annotations

import json
import math
from datetime import date

import pandas as pd
import pytest

from data_access.filters import Period
from data_access.kpis import KPIS
from ui import charts, geo

NAN = math.nan
LS = KPIS["service_level"]  # percent, higher is better, 1 decimal
TMA = KPIS["average_wait"]  # seconds, lower is better, 0 decimals
CSI = KPIS["csi"]  # survey score, higher is better, 1 decimal
DARKEST = "rgb(8,48,107)"
LIGHTEST = "rgb(222,235,247)"


def months(year: int, *numbers: int) -> list[date]:
    return [date(year, number, 1) for number in numbers]


def by_province(rows: list[tuple[date, str, float]], n: float = 1234.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bucket": [row[0] for row in rows],
            "province": [row[1] for row in rows],
            "value": [row[2] for row in rows],
            "n": n,
            "ci_low": NAN,
            "ci_high": NAN,
            "suppressed": False,
        }
    )


def totals(buckets: list[date], values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bucket": buckets,
            "value": values,
            "n": 1234.0,
            "ci_low": NAN,
            "ci_high": NAN,
            "suppressed": False,
        }
    )


def same(actual: tuple | list, expected: list) -> bool:
    """Sequences equal, NaN matching NaN."""
    return len(actual) == len(expected) and all(
        (isinstance(a, float) and isinstance(e, float) and math.isnan(a) and math.isnan(e))
        or a == e
        for a, e in zip(actual, expected, strict=True)
    )


RA_BO = by_province(
    [
        (date(2025, 1, 1), "RA", 92.4),
        (date(2025, 2, 1), "RA", NAN),
        (date(2025, 3, 1), "RA", 90.0),
        (date(2025, 1, 1), "BO", 88.0),
        (date(2025, 2, 1), "BO", 87.5),
        (date(2025, 3, 1), "BO", 86.0),
    ]
)


# --- trend ------------------------------------------------------------------------------------


def test_trend_draws_one_named_line_per_province() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert [trace.name for trace in figure.data] == ["Bologna", "Ravenna"]


def test_trend_without_province_column_draws_one_total_line() -> None:
    series = totals(months(2025, 1, 2), [92.4, 93.0])

    figure = charts.trend_figure(series, kpi=LS, target=None, comparison=None, grain="month")

    assert [trace.name for trace in figure.data] == ["Totale"]


def test_trend_keeps_nan_as_a_gap_not_zero() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    ravenna = figure.data[1]
    assert same(ravenna.y, [92.4, NAN, 90.0])
    assert ravenna.connectgaps is False


def test_trend_bucket_missing_from_the_frame_becomes_a_gap() -> None:
    series = totals(months(2025, 1, 3), [92.4, 90.0])

    figure = charts.trend_figure(series, kpi=LS, target=None, comparison=None, grain="month")

    assert list(figure.data[0].x) == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert same(figure.data[0].y, [92.4, NAN, 90.0])


def test_trend_lines_carry_the_province_sigla_as_customdata() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert list(figure.data[1].customdata) == ["RA", "RA", "RA"]


def test_trend_lines_use_okabe_ito_colours() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert [trace.line.color for trace in figure.data] == ["#0072B2", "#E69F00"]


def test_trend_comparison_is_a_dashed_line_moved_onto_the_current_axis() -> None:
    current = totals(months(2025, 1, 2), [92.4, 93.0])
    last_year = totals(months(2024, 1, 2), [90.0, 91.5])

    figure = charts.trend_figure(
        current, kpi=LS, target=None, comparison=last_year, grain="month", shift=12
    )

    compared = figure.data[1]
    assert compared.name == "Totale, confronto"
    assert compared.line.dash == "dash"
    assert list(compared.x) == ["2025-01-01", "2025-02-01"]
    assert list(compared.y) == [90.0, 91.5]
    assert compared.hovertext[0] == (
        "<b>Totale, confronto</b><br>confronto: gennaio 2024<br>90,0%<br>n = 1.234"
    )


def test_trend_comparison_shift_defaults_to_distance_between_first_buckets() -> None:
    current = totals(months(2025, 4, 5, 6), [92.4, 93.0, 93.5])
    previous = totals(months(2025, 1, 2, 3), [90.0, 91.5, 91.0])

    figure = charts.trend_figure(current, kpi=LS, target=None, comparison=previous, grain="month")

    assert list(figure.data[1].x) == ["2025-04-01", "2025-05-01", "2025-06-01"]


def test_trend_comparison_follows_each_province() -> None:
    last_year = by_province([(date(2024, 1, 1), "RA", 91.0), (date(2024, 1, 1), "BO", 85.0)])

    figure = charts.trend_figure(
        RA_BO, kpi=LS, target=None, comparison=last_year, grain="month", shift=12
    )

    assert [trace.name for trace in figure.data] == [
        "Bologna",
        "Bologna, confronto",
        "Ravenna",
        "Ravenna, confronto",
    ]
    assert list(figure.data[3].customdata) == ["RA"]


def test_comparison_shift_same_period_last_year_is_12_months() -> None:
    period = Period(date(2025, 1, 1), date(2025, 12, 31))
    last_year = Period(date(2024, 1, 1), date(2024, 12, 31))

    assert charts.comparison_shift(period, last_year, "month") == 12
    assert charts.comparison_shift(period, last_year, "quarter") == 4
    assert charts.comparison_shift(period, last_year, "year") == 1
    assert charts.comparison_shift(period, last_year, "week") == 52


def test_comparison_shift_previous_quarter_is_three_months() -> None:
    period = Period(date(2025, 4, 1), date(2025, 6, 30))
    previous = Period(date(2025, 1, 1), date(2025, 3, 31))

    assert charts.comparison_shift(period, previous, "month") == 3


def test_shift_bucket_moves_weeks_by_seven_days_and_quarters_by_three_months() -> None:
    assert charts.shift_bucket(date(2024, 1, 1), 52, "week") == date(2024, 12, 30)
    assert charts.shift_bucket(date(2024, 10, 1), 4, "quarter") == date(2025, 10, 1)


def test_trend_target_is_a_dashed_horizontal_line_with_a_label() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=85.0, comparison=None, grain="month")

    (line,) = figure.layout.shapes
    assert (line.y0, line.y1, line.line.dash) == (85.0, 85.0, "dash")
    assert [note.text for note in figure.layout.annotations] == ["Obiettivo 85,0%"]


def test_trend_hover_has_the_italian_value_and_n() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.data[1].hovertext[0] == ("<b>Ravenna</b><br>gennaio 2025<br>92,4%<br>n = 1.234")


def test_trend_hover_of_a_survey_kpi_has_the_95_percent_interval() -> None:
    series = totals([date(2025, 1, 1)], [67.9]).assign(n=412.0, ci_low=66.1, ci_high=69.7)

    figure = charts.trend_figure(series, kpi=CSI, target=None, comparison=None, grain="month")

    assert figure.data[0].hovertext[0] == (
        "<b>Totale</b><br>gennaio 2025<br>67,9<br>n = 412<br>IC 95%: 66,1 – 69,7"
    )


def test_trend_hover_says_when_a_survey_cell_is_suppressed() -> None:
    series = totals([date(2025, 1, 1)], [NAN]).assign(n=12.0, suppressed=True)

    figure = charts.trend_figure(series, kpi=CSI, target=None, comparison=None, grain="month")

    assert figure.data[0].hovertext[0] == (
        "<b>Totale</b><br>gennaio 2025<br>meno di 30 risposte<br>n = 12"
    )


def test_trend_hover_and_target_speak_english() -> None:
    series = totals([date(2025, 1, 1)], [67.9]).assign(n=1412.0, ci_low=66.1, ci_high=69.7)

    figure = charts.trend_figure(
        series, kpi=CSI, target=70.0, comparison=None, grain="month", lang="en"
    )

    assert figure.data[0].hovertext[0] == (
        "<b>Total</b><br>January 2025<br>67.9<br>n = 1,412<br>95% CI: 66.1 – 69.7"
    )
    assert [note.text for note in figure.layout.annotations] == ["Target 70.0"]
    assert figure.layout.yaxis.title.text == "Satisfaction index (CSI)"


def test_ranking_in_english_labels_values_and_missing_provinces() -> None:
    frame = pd.DataFrame({"province": ["RA", "BO"], "value": [1234.6, NAN]})

    figure = charts.ranking_figure(frame, kpi=TMA, target=None, lang="en")

    assert figure.data[0].text == ("1,235 s", "no data")
    assert figure.layout.separators == ".,"


def test_trend_axis_shows_italian_month_abbreviations() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.layout.xaxis.tickvals == ("2025-01-01", "2025-02-01", "2025-03-01")
    assert figure.layout.xaxis.ticktext == ("gen 2025", "feb 2025", "mar 2025")


def test_trend_axis_labels_at_most_eight_buckets() -> None:
    buckets = months(2024, *range(1, 13)) + months(2025, *range(1, 13))
    series = totals(buckets, [90.0] * 24)

    figure = charts.trend_figure(series, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.layout.xaxis.ticktext == (
        "gen 2024",
        "apr 2024",
        "lug 2024",
        "ott 2024",
        "gen 2025",
        "apr 2025",
        "lug 2025",
        "ott 2025",
    )


def test_trend_axis_speaks_english_for_the_english_locale() -> None:
    figure = charts.trend_figure(
        RA_BO, kpi=LS, target=None, comparison=None, grain="month", lang="en"
    )

    assert figure.layout.xaxis.ticktext == ("Jan 2025", "Feb 2025", "Mar 2025")
    assert figure.layout.separators == ".,"


def test_trend_uses_italian_decimal_and_thousands_separators() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.layout.separators == ",."


def test_trend_has_a_range_slider() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.layout.xaxis.rangeslider.visible is True


def test_trend_of_an_empty_frame_says_no_data() -> None:
    empty = totals([], [])

    figure = charts.trend_figure(empty, kpi=LS, target=85.0, comparison=None, grain="month")

    assert len(figure.data) == 0
    assert [note.text for note in figure.layout.annotations] == ["Nessun dato"]


@pytest.mark.parametrize(
    ("grain", "long", "expected"),
    [
        ("week", False, "6 gen 2025"),
        ("week", True, "settimana dal 6 gen 2025"),
        ("month", False, "gen 2025"),
        ("month", True, "gennaio 2025"),
        ("quarter", False, "T1 2025"),
        ("quarter", True, "1º trimestre 2025"),
        ("year", False, "2025"),
    ],
)
def test_bucket_label_in_italian(grain: str, long: bool, expected: str) -> None:
    assert charts.bucket_label(date(2025, 1, 6), grain, long=long) == expected


# --- choropleth -------------------------------------------------------------------------------

MAP_VALUES = pd.DataFrame({"province": ["RA", "BO", "FE"], "value": [92.4, 95.1, NAN]})


def test_choropleth_greys_the_provinces_in_view_that_have_no_value() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    grey, coloured = figure.data
    assert list(coloured.locations) == ["BO", "RA"]
    # the view fits BO and RA; these neighbours show inside it, FE with a NaN value among them
    assert sorted(grey.locations) == [
        "FC", "FE", "FI", "LU", "MN", "MO", "PO", "PT", "PU", "RE", "RN", "RO",
    ]  # fmt: skip
    assert len(geo.all_siglas()) == 107


def test_choropleth_province_with_nan_value_is_grey_not_zero() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    grey, coloured = figure.data
    assert "FE" in grey.locations
    assert "FE" not in coloured.locations
    assert grey.colorscale == ((0.0, "#BDBDBD"), (1.0, "#BDBDBD"))
    assert grey.showscale is False


def test_choropleth_embeds_only_the_boundaries_in_view_once() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    sizes = [len(trace.geojson["features"]) for trace in figure.data]
    assert sizes == [12, 2]
    assert len(figure.to_json()) < 0.2 * geo.GEOJSON_PATH.stat().st_size


def test_choropleth_joins_on_the_sigla_property() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    assert {trace.featureidkey for trace in figure.data} == {"properties.prov_acr"}


def test_choropleth_darkest_colour_is_the_better_end_when_higher_is_better() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    scale = figure.data[1].colorscale
    assert (scale[0][1], scale[-1][1]) == (LIGHTEST, DARKEST)


def test_choropleth_colour_scale_flips_when_lower_is_better() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=TMA)

    scale = figure.data[1].colorscale
    assert (scale[0][1], scale[-1][1]) == (DARKEST, LIGHTEST)


def test_choropleth_hover_has_province_name_and_italian_value() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    assert list(figure.data[1].hovertext) == ["<b>Bologna</b><br>95,1%", "<b>Ravenna</b><br>92,4%"]


def test_choropleth_grey_hover_says_no_data_or_suppressed() -> None:
    values = pd.DataFrame(
        {"province": ["RA", "FE"], "value": [NAN, NAN], "suppressed": [True, False]}
    )

    figure = charts.choropleth_figure(values, kpi=CSI)

    hover = dict(zip(figure.data[0].locations, figure.data[0].hovertext, strict=True))
    assert hover["RA"] == "<b>Ravenna</b><br>meno di 30 risposte"
    assert hover["FE"] == "<b>Ferrara</b><br>nessun dato"


def test_choropleth_carries_sigla_customdata_on_both_traces() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    for trace in figure.data:
        assert list(trace.customdata) == list(trace.locations)


def test_choropleth_fits_the_provinces_with_data() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    # Bologna and Ravenna span lon 10.805636–12.383531, lat 44.06268–44.804775; 0.15° margin
    assert figure.layout.geo.lonaxis.range == pytest.approx((10.655636, 12.533531))
    assert figure.layout.geo.lataxis.range == pytest.approx((43.91268, 44.954775))


def test_choropleth_fits_the_focus_when_given() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS, focus=geo.region_siglas("Emilia-Romagna"))

    west, east = figure.layout.geo.lonaxis.range
    assert west < 9.5 < 12.7 < east  # Piacenza to Rimini


def test_choropleth_without_data_fits_all_italy_and_greys_everything() -> None:
    figure = charts.choropleth_figure(pd.DataFrame({"province": [], "value": []}), kpi=LS)

    assert len(figure.data[0].locations) == 107
    assert len(figure.data[1].locations) == 0
    west, east = figure.layout.geo.lonaxis.range
    assert west < 6.7 and east > 18.5


def test_attribution_names_istat_and_openpolis() -> None:
    assert (
        charts.attribution() == "Confini amministrativi ISTAT (CC-BY 4.0), elaborazione openpolis"
    )
    assert charts.attribution("en") == (
        "Administrative boundaries ISTAT (CC-BY 4.0), processed by openpolis"
    )


def test_map_config_serves_plotly_an_empty_topology_without_network() -> None:
    url = charts.MAP_CONFIG["topojsonURL"]

    assert url.startswith("data:application/json,")
    assert url.endswith("#")


def test_geojson_is_read_once_and_knows_napoli_as_na() -> None:
    assert geo.provinces_geojson() is geo.provinces_geojson()
    assert geo.province_names()["NA"] == "Napoli"


def test_geojson_file_is_the_openpolis_derivative_unchanged() -> None:
    data = json.loads(geo.GEOJSON_PATH.read_text(encoding="utf-8"))

    assert len(data["features"]) == 107
    assert data["features"][0]["properties"]["prov_acr"] == "TO"


# --- sparkline --------------------------------------------------------------------------------


def test_sparkline_is_one_small_line_without_axes() -> None:
    series = totals(months(2025, 1, 2, 3), [92.4, NAN, 90.0])

    figure = charts.sparkline_figure(series, kpi=LS)

    (line,) = figure.data
    assert same(line.y, [92.4, NAN, 90.0])
    assert figure.layout.height == 56
    assert figure.layout.xaxis.visible is False
    assert figure.layout.yaxis.visible is False
    assert figure.layout.showlegend is False


# --- ranking ----------------------------------------------------------------------------------

RANK_VALUES = pd.DataFrame({"province": ["RA", "BO", "FE", "MO"], "value": [92.4, 95.1, 84.0, NAN]})


def test_ranking_puts_the_highest_first_when_higher_is_better() -> None:
    figure = charts.ranking_figure(RANK_VALUES, kpi=LS, target=None)

    assert figure.data[0].y == ("Bologna", "Ravenna", "Ferrara", "Modena")
    assert figure.layout.yaxis.autorange == "reversed"


def test_ranking_puts_the_lowest_first_when_lower_is_better() -> None:
    waits = pd.DataFrame({"province": ["RA", "BO", "FE"], "value": [38.0, 41.0, 35.0]})

    figure = charts.ranking_figure(waits, kpi=TMA, target=None)

    assert figure.data[0].y == ("Ferrara", "Ravenna", "Bologna")


def test_ranking_labels_bars_with_italian_values_and_missing_last() -> None:
    figure = charts.ranking_figure(RANK_VALUES, kpi=LS, target=None)

    assert figure.data[0].text == ("95,1%", "92,4%", "84,0%", "nessun dato")
    (note,) = figure.layout.annotations
    assert (note.y, note.text) == ("Modena", "nessun dato")


def test_ranking_carries_sigla_customdata() -> None:
    figure = charts.ranking_figure(RANK_VALUES, kpi=LS, target=None)

    assert list(figure.data[0].customdata) == ["BO", "RA", "FE", "MO"]


def test_ranking_target_is_a_dashed_vertical_line_and_misses_are_orange() -> None:
    figure = charts.ranking_figure(RANK_VALUES, kpi=LS, target=85.0)

    (line,) = figure.layout.shapes
    assert (line.x0, line.x1, line.line.dash) == (85.0, 85.0, "dash")
    assert [note.text for note in figure.layout.annotations] == ["nessun dato", "Obiettivo 85,0%"]
    assert figure.data[0].marker.color == ("#0072B2", "#0072B2", "#E69F00", "#0072B2")


# --- selection --------------------------------------------------------------------------------

# recorded from st.plotly_chart(on_select="rerun") in Chromium, clicking Ravenna on the map
MAP_CLICK = {
    "selection": {
        "points": [
            {
                "curve_number": 1,
                "point_number": 3,
                "point_index": 3,
                "location": "RA",
                "z": 70,
                "properties": {
                    "prov_name": "Ravenna",
                    "prov_acr": "RA",
                    "reg_name": "Emilia-Romagna",
                },
                "ct": [11.89816485201794, 44.31690083408073],
                "customdata": "RA",
                "hovertext": "<b>Ravenna</b><br>70,0",
            }
        ],
        "point_indices": [3],
        "box": [],
        "lasso": [],
    }
}
# recorded the same way, clicking a point of the total line of a trend
TOTAL_LINE_CLICK = {
    "selection": {
        "points": [
            {
                "curve_number": 0,
                "point_number": 4,
                "point_index": 4,
                "x": "2025-05-01",
                "y": 89,
                "customdata": "",
                "hovertext": "<b>Totale</b><br>maggio 2025<br>89,0%<br>n = 1.000",
                "legendgroup": "Totale",
            }
        ],
        "point_indices": [4],
        "box": [],
        "lasso": [],
    }
}


def test_selection_of_a_map_click_is_the_province() -> None:
    assert charts.selected_provinces(MAP_CLICK) == ["RA"]


def test_selection_accepts_the_selection_part_alone() -> None:
    assert charts.selected_provinces(MAP_CLICK["selection"]) == ["RA"]


def test_selection_of_the_total_line_is_no_province() -> None:
    assert charts.selected_provinces(TOTAL_LINE_CLICK) == []


def test_selection_reads_the_location_when_customdata_is_missing() -> None:
    event = {"selection": {"points": [{"curve_number": 1, "location": "BO"}]}}

    assert charts.selected_provinces(event) == ["BO"]


def test_selection_reads_the_first_item_of_list_customdata() -> None:
    event = {"selection": {"points": [{"customdata": ["FE", 84.0]}]}}

    assert charts.selected_provinces(event) == ["FE"]


def test_selection_of_a_box_keeps_click_order_without_duplicates() -> None:
    event = {
        "selection": {
            "points": [
                {"x": "2025-01-01", "customdata": "RA"},
                {"x": "2025-02-01", "customdata": "RA"},
                {"x": "2025-01-01", "customdata": "BO"},
            ],
            "box": [{"x": ["2025-01-01", "2025-02-01"]}],
        }
    }

    assert charts.selected_provinces(event) == ["RA", "BO"]


def test_selection_drops_unknown_sigle() -> None:
    event = {"selection": {"points": [{"customdata": "XX"}, {"customdata": "<b>"}]}}

    assert charts.selected_provinces(event) == []


def test_selection_of_nothing_is_empty() -> None:
    assert charts.selected_provinces(None) == []
    assert charts.selected_provinces({"selection": {"points": []}}) == []
