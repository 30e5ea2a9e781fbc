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
    region = geo.region_siglas("Emilia-Romagna")
    drawn = geo.subset(region)
    full = {"type": "FeatureCollection", "features": [geo._features_by_sigla()[s] for s in region]}
    assert [f["properties"]["prov_acr"] for f in drawn["features"]] == list(region)
    assert len(json.dumps(drawn)) < len(json.dumps(full)) / 2
    for feature in drawn["features"]:  # the box moves by no more than the tolerance
        sigla = feature["properties"]["prov_acr"]
        lons, lats = zip(*geo._points(feature["geometry"]), strict=True)
        box = (min(lons), max(lons), min(lats), max(lats))
        assert all(
            abs(a - b) <= geo.TOLERANCE_DEGREES + 0.001
            for a, b in zip(box, geo._box(sigla), strict=True)
        )
