"""A tile's sparkline picture: the values as a line in a 240 × 40 box, lowest at the bottom."""

from __future__ import annotations

import pytest

from ui.sparkline import sparkline_svg, svg_of_data_url

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40" viewBox="0 0 240 40">'


def test_values_fill_the_box_from_the_lowest_at_the_bottom_to_the_highest_at_the_top() -> None:
    # x: 3 + i × (240 − 6) / 2; y: 3 + (92 − v) / (92 − 90) × (40 − 6)
    assert sparkline_svg([90.0, 92.0, 91.0], colour="#123456") == (
        HEAD + '<polyline fill="none" stroke="#123456" stroke-width="2" '
        'stroke-linejoin="round" points="3.0,37.0 120.0,3.0 237.0,20.0"/></svg>'
    )


def test_equal_values_are_a_flat_line_at_mid_height() -> None:
    assert 'points="3.0,20.0 237.0,20.0"' in sparkline_svg([5.0, 5.0])


def test_one_value_is_a_dot_in_the_middle() -> None:
    assert sparkline_svg([7.0], colour="#000000") == (
        HEAD + '<circle cx="120" cy="20" r="3" fill="#000000"/></svg>'
    )


def test_no_values_is_refused() -> None:
    with pytest.raises(ValueError):
        sparkline_svg([])


def test_the_svg_comes_back_out_of_its_data_url() -> None:
    import base64

    svg = sparkline_svg([1.0, 2.0])
    url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    assert svg_of_data_url(url) == svg
