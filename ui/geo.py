"""Province boundaries for the map: the ISTAT/openpolis GeoJSON, read once, and its extents."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

GEOJSON_PATH = (
    Path(__file__).resolve().parent.parent / "fixtures" / "reference" / "provinces.geojson"
)
FEATURE_ID_KEY = "properties.prov_acr"
# plotly.js fetches a world topojson from cdn.plot.ly for every geo map, even when all base
# layers are hidden and the trace brings its own GeoJSON; offline the map then draws nothing.
# An empty topology as a data: URL (the '#' turns the file name plotly appends into a fragment)
# satisfies it without any network request.
PLOTLY_CONFIG = {
    "topojsonURL": "data:application/json,"
    "%7B%22type%22%3A%22Topology%22%2C%22objects%22%3A%7B%7D%2C%22arcs%22%3A%5B%5D%7D#"
}
PAD_DEGREES = 0.15  # margin around the fitted provinces, so borders are not cut


@cache
def provinces_geojson() -> dict[str, Any]:
    """The 107 provinces as a GeoJSON FeatureCollection (d3 winding), read once per process."""
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


@cache
def _features_by_sigla() -> dict[str, dict[str, Any]]:
    return {
        feature["properties"]["prov_acr"]: feature for feature in provinces_geojson()["features"]
    }


def all_siglas() -> tuple[str, ...]:
    """Every province sigla on the map, in ISTAT order."""
    return tuple(_features_by_sigla())


def province_names() -> dict[str, str]:
    """Province name by sigla, from the boundaries file ('RA' -> 'Ravenna')."""
    return {sigla: f["properties"]["prov_name"] for sigla, f in _features_by_sigla().items()}


def region_siglas(region_name: str) -> tuple[str, ...]:
    """Sigle of a region's provinces, by the region's ISTAT name ('Emilia-Romagna')."""
    return tuple(
        sigla
        for sigla, feature in _features_by_sigla().items()
        if feature["properties"]["reg_name"] == region_name
    )


def subset(siglas: Iterable[str]) -> dict[str, Any]:
    """A FeatureCollection with only these provinces (unknown sigle ignored), features shared."""
    features = _features_by_sigla()
    return {
        "type": "FeatureCollection",
        "features": [features[sigla] for sigla in siglas if sigla in features],
    }


def bounds(siglas: Sequence[str]) -> tuple[tuple[float, float], tuple[float, float]]:
    """(lon range, lat range) enclosing these provinces plus a margin; all Italy when none known."""
    features = _features_by_sigla()
    chosen = [features[sigla] for sigla in siglas if sigla in features] or list(features.values())
    lons, lats = zip(*(point for f in chosen for point in _points(f["geometry"])), strict=True)
    return (
        (min(lons) - PAD_DEGREES, max(lons) + PAD_DEGREES),
        (min(lats) - PAD_DEGREES, max(lats) + PAD_DEGREES),
    )


@cache
def _box(sigla: str) -> tuple[float, float, float, float]:
    """(min lon, max lon, min lat, max lat) of one province."""
    lons, lats = zip(*_points(_features_by_sigla()[sigla]["geometry"]), strict=True)
    return min(lons), max(lons), min(lats), max(lats)


def within(lon_range: tuple[float, float], lat_range: tuple[float, float]) -> tuple[str, ...]:
    """Sigle of the provinces that show, at least in part, inside the given view."""
    return tuple(
        sigla
        for sigla in all_siglas()
        if (box := _box(sigla))[0] <= lon_range[1]
        and box[1] >= lon_range[0]
        and box[2] <= lat_range[1]
        and box[3] >= lat_range[0]
    )


def _points(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        yield from polygon[0]  # the exterior ring bounds the holes


@cache
def centroids() -> dict[str, tuple[float, float]]:
    """(lon, lat) of each province's label point: the centroid of its largest polygon."""
    return {sigla: _centroid(f["geometry"]) for sigla, f in _features_by_sigla().items()}


def _centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """Area centroid of the largest exterior ring (islands and exclaves do not pull it away)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    best: tuple[float, float, float] = (0.0, 0.0, 0.0)
    for polygon in polygons:
        ring = polygon[0]
        area = lon_sum = lat_sum = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            lon_sum += (x0 + x1) * cross
            lat_sum += (y0 + y1) * cross
        if area and abs(area) > abs(best[0]):
            best = (area, lon_sum / (3 * area), lat_sum / (3 * area))
    return best[1], best[2]
