"""Province boundaries for the map: the ISTAT/openpolis GeoJSON, read once, and its extents."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GEOJSON_PATH = ROOT / "fixtures" / "reference" / "provinces.geojson"
# The boundaries as the maps draw them (simplified) are a static file of the app, which the
# browser fetches once per page load (plotly.js keeps it by URL) instead of receiving the
# features inside every map's figure on every rerun. `make static` writes it from GEOJSON_PATH;
# tests/test_geo.py checks the two agree. Relative: it resolves under any server.baseUrlPath.
DRAWN_PATH = ROOT / "static" / "provinces.json"
DRAWN_URL = "app/static/provinces.json"
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
# Boundaries sent to the browser are simplified: a point within this many degrees (about 250 m)
# of the line through its neighbours adds nothing visible (a region's map is about 0.007° a pixel),
# and coordinates keep DECIMALS places. The file's 34,000 points would be sent on every rerun.
TOLERANCE_DEGREES = 0.003
DECIMALS = 3
LABEL_GRID = 24  # candidate label points per side of a province's box


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


def drawn_collection() -> dict[str, Any]:
    """Every province as the maps draw it: a FeatureCollection of simplified features, with
    only the properties a map reads (sigla and name)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    key: feature["properties"][key] for key in ("prov_acr", "prov_name")
                },
                "geometry": feature["geometry"],
            }
            for feature in _drawn_features().values()
        ],
    }


def write_drawn(path: Path = DRAWN_PATH) -> Path:
    """Write drawn_collection() as compact JSON to path (`make static`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(drawn_collection(), separators=(",", ":")), encoding="utf-8")
    return path


@cache
def _drawn_features() -> dict[str, dict[str, Any]]:
    """Each province's feature with its rings simplified (TOLERANCE_DEGREES, DECIMALS)."""
    return {
        sigla: {**feature, "geometry": _simplified_geometry(feature["geometry"])}
        for sigla, feature in _features_by_sigla().items()
    }


def _simplified_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    polygons = [
        [simplify_ring(ring, TOLERANCE_DEGREES, DECIMALS) for ring in polygon]
        for polygon in _polygons(geometry)
    ]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def simplify_ring(
    ring: Sequence[Sequence[float]], tolerance: float, decimals: int
) -> list[list[float]]:
    """A closed ring with the points Douglas-Peucker keeps at tolerance, rounded to decimals;
    at least its first, last and two more points, so it stays a ring."""
    points = np.asarray(ring, dtype="float64")
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    # a closed ring's first and last points coincide: split it at its farthest point
    far = int(np.argmax(((points - points[0]) ** 2).sum(axis=1)))
    keep[far] = True
    stack = [(0, far), (far, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        inner = points[first + 1 : last]
        distance = _distance_to_segment(inner, points[first], points[last])
        worst = int(np.argmax(distance))
        if distance[worst] > tolerance:
            middle = first + 1 + worst
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    if keep.sum() < 4:  # a tiny island: keep its shape rather than a line
        keep[:] = True
    return np.round(points[keep], decimals).tolist()


def _distance_to_segment(points: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    edge = end - start
    length = float((edge**2).sum())
    if length == 0:
        return np.sqrt(((points - start) ** 2).sum(axis=1))
    along = np.clip(((points - start) @ edge) / length, 0, 1)
    return np.sqrt(((points - (start + along[:, None] * edge)) ** 2).sum(axis=1))


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
def label_point(sigla: str) -> tuple[float, float]:
    """(lon, lat) where a province's sigla reads best: deep inside its largest polygon.

    Not the centroid: Rimini's falls on San Marino (a hole in it), a crescent's outside it.
    A grid over the polygon's box, kept inside the outer ring and out of the holes, gives the
    point farthest from any border (a coarse "pole of inaccessibility"); read once per province.
    """
    polygons = _polygons(_features_by_sigla()[sigla]["geometry"])
    rings = max(polygons, key=lambda polygon: abs(_area(polygon[0])))
    outer = np.asarray(rings[0], dtype="float64")
    west, south = outer.min(axis=0)
    east, north = outer.max(axis=0)
    lons, lats = np.meshgrid(
        np.linspace(west, east, LABEL_GRID), np.linspace(south, north, LABEL_GRID)
    )
    points = np.column_stack([lons.ravel(), lats.ravel()])
    inside = _inside(points, outer)
    for hole in rings[1:]:
        inside &= ~_inside(points, np.asarray(hole, dtype="float64"))
    if not inside.any():
        return float(outer[:, 0].mean()), float(outer[:, 1].mean())
    candidates = points[inside]
    distance = np.full(len(candidates), np.inf)
    for ring in rings:
        distance = np.minimum(distance, _distance(candidates, np.asarray(ring, dtype="float64")))
    best = candidates[int(distance.argmax())]
    return float(best[0]), float(best[1])


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _area(ring: Sequence[Sequence[float]]) -> float:
    xy = np.asarray(ring, dtype="float64")
    x, y = xy[:, 0], xy[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2


def _inside(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even-odd rule: which points lie inside the ring."""
    x, y = points[:, :1], points[:, 1:]
    x0, y0 = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    crosses = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return (crosses & (x < at)).sum(axis=1) % 2 == 1


def _distance(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Each point's distance (in degrees) to the nearest segment of the ring."""
    start, end = ring, np.roll(ring, -1, axis=0)
    edge = end - start
    length = np.maximum((edge**2).sum(axis=1), 1e-18)
    offset = points[:, None, :] - start[None, :, :]
    along = np.clip((offset * edge[None, :, :]).sum(axis=2) / length, 0, 1)
    nearest = start[None, :, :] + along[..., None] * edge[None, :, :]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


if __name__ == "__main__":
    print(write_drawn())
