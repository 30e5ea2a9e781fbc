"""Province boundaries as drawn: simplified rings that keep their shape and stay rings."""

from __future__ import annotations

import json

from ui import geo


def test_a_point_nearer_the_line_than_the_tolerance_is_dropped() -> None:
    ring = [[0, 0], [1, 0.0005], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert geo.simplify_ring(ring, 0.001, 3) == [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]


def test_a_point_farther_than_the_tolerance_is_kept() -> None:
    ring = [[0, 0], [1, 0.002], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert geo.simplify_ring(ring, 0.001, 3) == ring


def test_coordinates_are_rounded_to_the_decimals() -> None:
    ring = [[0.12345, 0.0], [2.0, 0.0], [2.0, 2.98765], [0.0, 2.0], [0.12345, 0.0]]
    assert geo.simplify_ring(ring, 0.001, 3) == [
        [0.123, 0.0],
        [2.0, 0.0],
        [2.0, 2.988],
        [0.0, 2.0],
        [0.123, 0.0],
    ]


def test_a_ring_smaller_than_the_tolerance_stays_a_ring() -> None:
    ring = [[0, 0], [0.0001, 0], [0.0001, 0.0001], [0, 0]]
    assert geo.simplify_ring(ring, 0.001, 4) == ring


def test_the_drawn_provinces_weigh_less_than_half_the_file_and_keep_their_shape() -> None:
    drawn = geo.drawn_collection()
    assert [f["properties"]["prov_acr"] for f in drawn["features"]] == list(geo.all_siglas())
    assert len(json.dumps(drawn)) < geo.GEOJSON_PATH.stat().st_size / 2
    for feature in drawn["features"]:  # the box moves by no more than the tolerance
        sigla = feature["properties"]["prov_acr"]
        lons, lats = zip(*geo._points(feature["geometry"]), strict=True)
        box = (min(lons), max(lons), min(lats), max(lats))
        assert all(
            abs(a - b) <= geo.TOLERANCE_DEGREES + 0.001
            for a, b in zip(box, geo._box(sigla), strict=True)
        )


def test_the_served_boundaries_file_is_the_drawn_provinces_of_the_reference_file() -> None:
    served = json.loads(geo.DRAWN_PATH.read_text(encoding="utf-8"))
    assert served == geo.drawn_collection(), "run `make static` to rewrite static/provinces.json"


def test_the_app_serves_its_static_folder_where_the_maps_fetch_the_boundaries() -> None:
    import tomllib

    config = tomllib.loads((geo.ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert "app/static/" + geo.DRAWN_PATH.name == geo.DRAWN_URL
    assert geo.DRAWN_PATH.parent.name == "static"
