"""Chart builders: traces, gaps, Italian labels and the click-to-province mapping."""

from __future__ import annotations

import json
import math
import re
from datetime import date

import pandas as pd
import pytest
from plotly.colors import sample_colorscale

from data_access.kpis import KPIS
from data_access.periods import Period
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


def test_trend_target_is_a_dashed_horizontal_line_with_a_label() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=85.0, comparison=None, grain="month")

    (line,) = figure.layout.shapes
    assert (line.y0, line.y1, line.line.dash) == (85.0, 85.0, "dash")
    assert [note.text for note in figure.layout.annotations] == ["Obiettivo ≥ 85,0%"]


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


def test_trend_hover_counts_cases_when_a_complaint_share_is_suppressed() -> None:
    series = totals([date(2025, 1, 1)], [NAN]).assign(n=12.0, suppressed=True)
    kpi = KPIS["complaint_reply_30d"]

    figure = charts.trend_figure(series, kpi=kpi, target=None, comparison=None, grain="month")

    assert figure.data[0].hovertext[0] == (
        "<b>Totale</b><br>gennaio 2025<br>meno di 30 pratiche<br>n = 12"
    )


def test_trend_hover_and_target_speak_english() -> None:
    series = totals([date(2025, 1, 1)], [67.9]).assign(n=1412.0, ci_low=66.1, ci_high=69.7)

    figure = charts.trend_figure(
        series, kpi=CSI, target=70.0, comparison=None, grain="month", lang="en"
    )

    assert figure.data[0].hovertext[0] == (
        "<b>Total</b><br>January 2025<br>67.9<br>n = 1,412<br>95% CI: 66.1 – 69.7"
    )
    assert [note.text for note in figure.layout.annotations] == ["Target ≥ 70.0"]


def test_ranking_in_english_labels_values_and_missing_provinces() -> None:
    frame = pd.DataFrame({"province": ["RA", "BO"], "value": [1234.6, NAN]})

    figure = charts.ranking_figure(frame, kpi=TMA, target=None, lang="en")

    assert figure.data[0].text == ("1,235 s", "no data")
    assert figure.layout.separators == ".,"


def test_trend_axis_shows_italian_month_abbreviations() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.layout.xaxis.tickvals == ("2025-01-01", "2025-02-01", "2025-03-01")
    assert figure.layout.xaxis.ticktext == ("gen 2025", "feb", "mar")
    assert figure.layout.xaxis.tickangle == 0


def test_trend_axis_labels_at_most_six_buckets_and_each_year_once() -> None:
    buckets = months(2024, *range(1, 13)) + months(2025, *range(1, 13))
    series = totals(buckets, [90.0] * 24)

    figure = charts.trend_figure(series, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.layout.xaxis.ticktext == ("gen 2024", "mag", "set", "gen 2025", "mag", "set")


def test_trend_axis_speaks_english_for_the_english_locale() -> None:
    figure = charts.trend_figure(
        RA_BO, kpi=LS, target=None, comparison=None, grain="month", lang="en"
    )

    assert figure.layout.xaxis.ticktext == ("Jan 2025", "Feb", "Mar")
    assert figure.layout.separators == ".,"


def test_trend_uses_italian_decimal_and_thousands_separators() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.layout.separators == ",."


def test_trend_has_a_range_slider_only_with_more_than_two_years_of_months() -> None:
    few = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")
    buckets = [date(2023 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 38)]
    many = charts.trend_figure(
        totals(buckets, [90.0] * 37), kpi=LS, target=None, comparison=None, grain="month"
    )

    assert few.layout.xaxis.rangeslider.visible is not True
    assert many.layout.xaxis.rangeslider.visible is True


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

    grey, coloured, _labels = figure.data
    assert list(coloured.locations) == ["BO", "RA"]
    # the view fits BO and RA; these neighbours show inside it, FE with a NaN value among them
    assert sorted(grey.locations) == [
        "FC", "FE", "FI", "LU", "MN", "MO", "PO", "PT", "PU", "RE", "RN", "RO",
    ]  # fmt: skip
    assert len(geo.all_siglas()) == 107


def test_choropleth_province_with_nan_value_is_grey_not_zero() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    grey, coloured, _labels = figure.data
    assert "FE" in grey.locations
    assert "FE" not in coloured.locations
    assert grey.colorscale == ((0.0, "#BDBDBD"), (1.0, "#BDBDBD"))
    assert grey.showscale is False


def test_choropleth_fetches_the_boundaries_from_the_static_file_instead_of_embedding_them() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    assert [trace.geojson for trace in figure.data[:2]] == ["app/static/provinces.json"] * 2
    assert len(figure.to_json()) < 10_000


def test_choropleth_joins_on_the_sigla_property() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    assert {trace.featureidkey for trace in figure.data[:2]} == {"properties.prov_acr"}


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


def test_choropleth_grey_hover_says_a_province_is_outside_the_persons_view() -> None:
    values = pd.DataFrame({"province": ["RA"], "value": [95.0], "suppressed": [False]})

    figure = charts.choropleth_figure(values, kpi=LS, visible=frozenset({"RA", "FC", "RN"}))

    hover = dict(zip(figure.data[0].locations, figure.data[0].hovertext, strict=True))
    assert hover["FC"] == "<b>Forlì-Cesena</b><br>nessun dato"
    assert hover["BO"] == "<b>Bologna</b><br>fuori dalle tue province"


def test_choropleth_carries_sigla_customdata_on_both_traces() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    for trace in figure.data[:2]:
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


def test_plotly_config_serves_plotly_an_empty_topology_without_network() -> None:
    url = charts.plotly_config("it")["topojsonURL"]

    assert url.startswith("data:application/json,")
    assert url.endswith("#")


def test_geojson_is_read_once_and_knows_napoli_as_na() -> None:
    assert geo.provinces_geojson() is geo.provinces_geojson()
    assert geo.province_names()["NA"] == "Napoli"


def test_geojson_file_is_the_openpolis_derivative_unchanged() -> None:
    data = json.loads(geo.GEOJSON_PATH.read_text(encoding="utf-8"))

    assert len(data["features"]) == 107
    assert data["features"][0]["properties"]["prov_acr"] == "TO"


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
    assert [note.text for note in figure.layout.annotations] == ["nessun dato", "Obiettivo ≥ 85,0%"]
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


# --- issue 8: colours that mean the same thing, ranges that do not stretch -------------------

ABANDON = KPIS["abandonment_rate"]  # percent, lower is better
CONTACTS = KPIS["contacts"]  # a volume: neither good nor bad


def rgb(colour: str) -> tuple[float, ...]:
    """'#2166AC' or 'rgb(33, 102, 172)' as three numbers."""
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(float(part) for part in re.findall(r"[\d.]+", colour)[:3])


def colour_of(trace, value: float) -> tuple[float, ...]:
    """The colour plotly paints `value` with on a choropleth trace (its zmin, zmax, scale)."""
    position = (value - trace.zmin) / (trace.zmax - trace.zmin)
    scale = [[stop, f"rgb{rgb(colour)}"] for stop, colour in trace.colorscale]
    return rgb(sample_colorscale(scale, [position])[0])


def is_blue(colour: tuple[float, ...]) -> bool:
    return colour[2] > colour[0] + 40


def is_orange(colour: tuple[float, ...]) -> bool:
    return colour[0] > colour[2] + 40


def test_choropleth_ls_95_4_and_95_6_get_nearly_the_same_colour() -> None:
    values = pd.DataFrame({"province": ["BO", "RA"], "value": [95.4, 95.6]})

    coloured = charts.choropleth_figure(values, kpi=LS).data[1]

    # no stretching to min-max: at least ±5 p.p. around the middle, cut at 100%
    assert (coloured.zmin, coloured.zmax) == (90.0, 100.0)
    bologna, ravenna = colour_of(coloured, 95.4), colour_of(coloured, 95.6)
    assert max(abs(a - b) for a, b in zip(bologna, ravenna, strict=True)) < 10  # of 255


def test_choropleth_tma_34_75_and_35_15_s_spans_at_least_a_minute() -> None:
    values = pd.DataFrame({"province": ["BO", "RA"], "value": [34.75, 35.15]})

    coloured = charts.choropleth_figure(values, kpi=TMA).data[1]

    assert (coloured.zmin, coloured.zmax) == (0.0, 70.0)
    bologna, ravenna = colour_of(coloured, 34.75), colour_of(coloured, 35.15)
    assert max(abs(a - b) for a, b in zip(bologna, ravenna, strict=True)) < 10  # of 255


def test_choropleth_with_a_target_is_orange_below_it_and_blue_above_it() -> None:
    values = pd.DataFrame({"province": ["BO", "RA"], "value": [95.1, 76.0]})

    coloured = charts.choropleth_figure(values, kpi=LS, target=80.0).data[1]

    # centred on the target, half-width 15.1 p.p. rounded up to 20
    assert (coloured.zmin, coloured.zmax) == (60.0, 100.0)
    assert coloured.colorscale[0][1] == "#B35806"  # dark orange: misses by far
    assert coloured.colorscale[-1][1] == "#2166AC"  # dark blue: meets by far
    assert is_blue(colour_of(coloured, 95.1))
    assert is_orange(colour_of(coloured, 76.0))


def test_choropleth_with_a_target_where_lower_is_better_is_blue_under_it() -> None:
    values = pd.DataFrame({"province": ["BO", "RA"], "value": [35.0, 210.0]})

    coloured = charts.choropleth_figure(values, kpi=TMA, target=180.0).data[1]

    # 180 ± 200 s, cut at 0 s (no negative waits): the scale keeps 180 at its neutral middle
    assert (coloured.zmin, coloured.zmax) == (0.0, 380.0)
    assert is_blue(colour_of(coloured, 35.0))
    assert is_orange(colour_of(coloured, 210.0))
    assert colour_of(coloured, 180.0) == pytest.approx((247, 247, 247), abs=3)


def test_choropleth_lower_is_better_without_target_paints_the_highest_palest() -> None:
    values = pd.DataFrame({"province": ["BO", "RA", "FE"], "value": [9.0, 4.0, 6.0]})

    coloured = charts.choropleth_figure(values, kpi=ABANDON).data[1]

    assert sum(colour_of(coloured, 9.0)) > sum(colour_of(coloured, 4.0))  # Bologna palest


def test_choropleth_contacts_are_a_neutral_volume_counted_from_zero() -> None:
    values = pd.DataFrame({"province": ["BO", "RA"], "value": [55_000.0, 20_000.0]})

    coloured = charts.choropleth_figure(values, kpi=CONTACTS).data[1]

    assert (coloured.zmin, coloured.zmax) == (0.0, 60_000.0)
    assert coloured.colorscale[-1][1] == "rgb(63,0,125)"  # purple: neither blue nor orange
    assert coloured.colorbar.tickvals == (0.0, 20_000.0, 40_000.0, 60_000.0)
    assert coloured.colorbar.ticktext == ("0", "20.000", "40.000", "60.000<br>più contatti")


def test_choropleth_colour_bar_ends_say_worse_and_better_in_italian() -> None:
    values = pd.DataFrame({"province": ["BO", "RA"], "value": [95.4, 95.6]})

    colorbar = charts.choropleth_figure(values, kpi=LS).data[1].colorbar

    assert colorbar.tickvals == (90.0, 92.0, 94.0, 96.0, 98.0, 100.0)
    assert colorbar.ticktext == (
        "90%<br>peggio", "92%", "94%", "96%", "98%", "100%<br>meglio",
    )  # fmt: skip


def test_choropleth_colour_bar_marks_the_target() -> None:
    values = pd.DataFrame({"province": ["BO", "RA"], "value": [95.1, 76.0]})

    colorbar = charts.choropleth_figure(values, kpi=LS, target=80.0).data[1].colorbar

    assert colorbar.tickvals == (60.0, 70.0, 80.0, 90.0, 100.0)
    assert colorbar.ticktext == (
        "60%<br>peggio", "70%", "80%<br>obiettivo", "90%", "100%<br>meglio",
    )  # fmt: skip


def test_choropleth_colour_bar_lies_under_the_map() -> None:
    colorbar = charts.choropleth_figure(MAP_VALUES, kpi=LS).data[1].colorbar

    assert colorbar.orientation == "h"
    assert colorbar.y < 0.05
    assert colorbar.separatethousands is True


def test_choropleth_shows_each_province_sigla_at_its_centroid() -> None:
    figure = charts.choropleth_figure(MAP_VALUES, kpi=LS)

    labels = figure.data[2]
    assert labels.type == "scattergeo"
    assert labels.mode == "text"
    where = dict(zip(labels.text, zip(labels.lon, labels.lat, strict=True), strict=True))
    assert {"BO", "RA", "FE"} <= set(where)
    lon, lat = where["BO"]
    assert 10.8 < lon < 11.85 and 44.06 < lat < 44.8  # inside Bologna's box


def test_choropleth_sigla_is_white_on_dark_and_dark_on_light_fills() -> None:
    values = pd.DataFrame({"province": ["BO", "RA"], "value": [60.0, 100.0]})

    labels = charts.choropleth_figure(values, kpi=LS, target=80.0).data[2]

    colours = dict(zip(labels.text, labels.textfont.color, strict=True))
    assert colours["RA"] == "white"  # dark blue fill
    assert colours["FE"] == "#222222"  # grey, no data


def test_geo_label_point_is_read_once_and_lies_inside_the_province() -> None:
    lon, lat = geo.label_point("RA")

    assert geo.label_point("RA") is geo.label_point("RA")
    assert 11.52 < lon < 12.39 and 44.10 < lat < 44.63


def test_geo_label_point_of_rimini_is_not_on_san_marino() -> None:
    lon, lat = geo.label_point("RN")

    # Rimini's centroid falls on San Marino (lon 12.40–12.52, lat 43.89–43.99), outside it
    assert not (12.40 < lon < 12.52 and 43.89 < lat < 43.99)
    assert 12.10 < lon < 12.76 and 43.73 < lat < 44.17


# --- Italian numbers and plotly's own words ----------------------------------------------------


def test_plotly_config_translates_the_toolbar_into_italian() -> None:
    config = charts.plotly_config("it")

    assert config["locale"] == "it"
    words = config["locales"]["it"]["dictionary"]
    assert words["Download plot as a PNG"] == "Scarica il grafico come immagine PNG"
    assert words["Reset axes"] == "Reimposta gli assi"
    assert words["Zoom in"] == "Ingrandisci"
    number = config["locales"]["it"]["format"]
    assert (number["decimal"], number["thousands"]) == (",", ".")
    assert number["shortMonths"][0] == "gen"
    assert config["displaylogo"] is False


def test_plotly_config_in_english_keeps_plotly_words() -> None:
    config = charts.plotly_config("en")

    assert config["locale"] == "en"
    words = config["locales"]["en"]["dictionary"]
    assert words["Download plot as a PNG"] == "Download plot as a PNG"
    assert config["locales"]["en"]["format"]["thousands"] == ","


def test_every_axis_separates_thousands() -> None:
    counts = by_province([(date(2025, 1, 1), "RA", 5800.0), (date(2025, 2, 1), "RA", 6100.0)])

    trend = charts.trend_figure(counts, kpi=CONTACTS, target=None, comparison=None, grain="month")
    ranking = charts.ranking_figure(RANK_VALUES, kpi=LS, target=None)

    assert trend.layout.yaxis.separatethousands is True
    assert trend.layout.yaxis.tickformat == ",.0f"
    assert ranking.layout.xaxis.separatethousands is True


# --- trends readable with many provinces, target without rescaling ------------------------------


def test_trend_y_axis_keeps_a_minimum_span_instead_of_stretching() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    # 86,0–92,4%: at least ±5 p.p. around 89,2, rounded out to steps of 2 p.p.
    assert figure.layout.yaxis.range == (84.0, 96.0)


def test_trend_target_below_the_data_is_noted_at_the_edge_not_drawn() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=80.0, comparison=None, grain="month")

    assert figure.layout.shapes == ()
    assert figure.layout.yaxis.range == (84.0, 96.0)
    (note,) = figure.layout.annotations
    assert note.text == "Obiettivo ≥ 80,0% (sotto la scala)"
    assert (note.yref, note.y, note.yanchor) == ("paper", 0, "bottom")


def test_trend_target_above_the_data_is_noted_at_the_top_edge() -> None:
    waits = totals(months(2025, 1, 2), [30.0, 40.0])

    figure = charts.trend_figure(waits, kpi=TMA, target=180.0, comparison=None, grain="month")

    assert figure.layout.yaxis.range == (0.0, 70.0)
    (note,) = figure.layout.annotations
    assert note.text == "Obiettivo ≤ 180 s (sopra la scala)"
    assert (note.yref, note.y, note.yanchor) == ("paper", 1, "top")


def test_trend_legend_sits_under_the_plot_away_from_the_toolbar() -> None:
    figure = charts.trend_figure(RA_BO, kpi=LS, target=None, comparison=None, grain="month")

    legend = figure.layout.legend
    assert (legend.orientation, legend.yanchor) == ("h", "top")
    assert legend.y < 0


EIGHT = ["BO", "FE", "FC", "MO", "PR", "RA", "RE", "RN"]


def test_trend_of_more_than_six_provinces_is_small_multiples_on_one_scale() -> None:
    rows = [
        (bucket, sigla, 90.0 + i) for i, sigla in enumerate(EIGHT) for bucket in months(2025, 1, 2)
    ]

    figure = charts.trend_figure(
        by_province(rows), kpi=LS, target=None, comparison=None, grain="month"
    )

    assert [trace.name for trace in figure.data] == [
        "Bologna", "Ferrara", "Forlì-Cesena", "Modena", "Parma", "Ravenna",
        "Reggio nell'Emilia", "Rimini",
    ]  # fmt: skip
    assert {trace.yaxis for trace in figure.data} == {"y", *(f"y{i}" for i in range(2, 9))}
    ranges = {figure.layout[f"yaxis{i}"].range for i in ["", *range(2, 9)]}
    assert ranges == {(88.0, 100.0)}
    titles = [note.text for note in figure.layout.annotations]
    assert titles[:2] == ["Bologna", "Ferrara"]
    assert figure.layout.showlegend is False
    assert list(figure.data[5].customdata) == ["RA", "RA"]


def test_trend_provisional_bucket_is_a_hollow_marker_on_a_dotted_segment() -> None:
    series = totals(months(2025, 1, 2, 3), [90.0, 91.0, 100.0]).assign(
        provisional=[False, False, True], pending=[0, 0, 222]
    )

    figure = charts.trend_figure(series, kpi=LS, target=None, comparison=None, grain="month")

    solid, dotted = figure.data
    assert same(solid.y, [90.0, 91.0, NAN])
    assert list(dotted.x) == ["2025-02-01", "2025-03-01"]
    assert list(dotted.y) == [91.0, 100.0]
    assert dotted.line.dash == "dot"
    assert list(dotted.marker.symbol) == ["circle", "circle-open"]
    assert dotted.showlegend is False
    assert list(dotted.customdata) == ["", ""]


def test_trend_hover_of_a_provisional_bucket_says_how_many_are_pending() -> None:
    series = totals(months(2025, 11, 12), [91.0, 100.0]).assign(
        provisional=[False, True], pending=[0, 222]
    )

    figure = charts.trend_figure(series, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.data[1].hovertext[-1] == (
        "<b>Totale</b><br>dicembre 2025<br>100,0%<br>n = 1.234<br>provvisorio · 222 in attesa"
    )


def test_trend_hover_has_the_interval_for_any_kpi_that_carries_one() -> None:
    series = totals([date(2025, 1, 1)], [92.4]).assign(n=8.0, ci_low=90.1, ci_high=94.2)

    figure = charts.trend_figure(series, kpi=LS, target=None, comparison=None, grain="month")

    assert figure.data[0].hovertext[0] == (
        "<b>Totale</b><br>gennaio 2025<br>92,4%<br>n = 8<br>IC 95%: 90,1% – 94,2%"
    )


# --- ranking: dots on a scale that shows differences, target off the labels --------------------


def test_ranking_is_a_dot_plot_on_a_non_zero_axis() -> None:
    values = pd.DataFrame({"province": ["RA", "BO"], "value": [95.9, 96.2]})

    figure = charts.ranking_figure(values, kpi=LS, target=None)

    (dots,) = figure.data
    assert (dots.type, dots.mode) == ("scatter", "markers+text")
    assert figure.layout.xaxis.tickvals == (90.0, 92.0, 94.0, 96.0, 98.0, 100.0)
    assert figure.layout.xaxis.range == (89.0, 101.0)


def test_ranking_target_label_sits_in_the_top_margin() -> None:
    figure = charts.ranking_figure(RANK_VALUES, kpi=LS, target=85.0)

    label = figure.layout.annotations[-1]
    assert label.text == "Obiettivo ≥ 85,0%"
    assert (label.yref, label.y, label.yanchor, label.x) == ("paper", 1, "bottom", 85.0)


def test_ranking_value_labels_sit_on_the_side_away_from_the_target() -> None:
    figure = charts.ranking_figure(RANK_VALUES, kpi=LS, target=85.0)

    # 95,1 and 92,4 right of the 85% line, 84,0 left of it
    assert figure.data[0].textposition[:3] == ("middle right", "middle right", "middle left")
    assert figure.layout.xaxis.range == (81.0, 99.0)


def test_ranking_target_outside_the_scale_is_noted_at_the_edge() -> None:
    waits = pd.DataFrame({"province": ["RA", "BO", "FE"], "value": [38.0, 41.0, 35.0]})

    figure = charts.ranking_figure(waits, kpi=TMA, target=180.0)

    assert figure.layout.shapes == ()
    (note,) = figure.layout.annotations
    assert note.text == "Obiettivo ≤ 180 s (sopra la scala)"
    assert (note.xref, note.x, note.xanchor) == ("paper", 1, "right")
    assert figure.data[0].marker.color == ("#0072B2", "#0072B2", "#0072B2")


def test_ranking_judges_the_target_at_the_precision_shown() -> None:
    values = pd.DataFrame({"province": ["BO"], "value": [84.96]})  # shown as 85,0%

    figure = charts.ranking_figure(values, kpi=LS, target=85.0)

    assert figure.data[0].marker.color == ("#0072B2",)


def test_ranking_rounds_a_tie_the_way_the_label_does() -> None:
    values = pd.DataFrame({"province": ["BO"], "value": [180.5]})  # shown as "181 s"

    figure = charts.ranking_figure(values, kpi=TMA, target=180.0)

    assert figure.data[0].text == ("181 s",)
    assert figure.data[0].marker.color == ("#E69F00",)
