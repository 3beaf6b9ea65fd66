"""Cell boundaries: GeoJSON polygon validation, overlap checks and the point-to-cell index.

Coordinates are WGS 84 longitude/latitude (RFC 7946). Areas are computed in a local
equirectangular projection around the polygon, which is accurate to well under 1 %
for cells of a few hundred metres.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, Polygon, mapping
from shapely.geometry.polygon import orient
from shapely.strtree import STRtree
from shapely.validation import explain_validity

METRES_PER_DEGREE = math.pi / 180 * 6_371_008.8
OVERLAP_TOLERANCE_M2 = 5.0  # digitizing noise along shared borders
MAX_EXTENT_DEGREES = 0.2  # about 20 km: a grid cell is a few blocks, not a city
MAX_POSITIONS = 5000
MAX_RINGS = 50


class InvalidBoundary(Exception):
    """A boundary that is not a valid GeoJSON polygon for a grid cell (422 on `boundary`)."""

    problem_status = 422
    problem_type = "invalid-boundary"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.detail = f"The boundary is not a valid cell polygon: {message}"
        self.errors = {"boundary": [message]}


class OverlappingCells(Exception):
    """The boundary overlaps other cells of the same community beyond the tolerance."""

    problem_status = 409
    problem_type = "overlapping-cells"

    def __init__(self, overlaps: dict[str, float]) -> None:
        listed = ", ".join(f"{code} ({area:.0f} m²)" for code, area in sorted(overlaps.items()))
        self.detail = (
            f"The boundary overlaps other cells of this community by more than "
            f"{OVERLAP_TOLERANCE_M2:g} m²: {listed}."
        )
        self.errors = {"boundary": [self.detail]}
        self.extra = {"overlapping_cells": sorted(overlaps)}
        super().__init__(self.detail)


def _position(value: Any, where: str) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) not in (2, 3):
        raise InvalidBoundary(f"{where} is not a [longitude, latitude] position.")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        raise InvalidBoundary(f"{where} holds something other than numbers.")
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise InvalidBoundary(f"{where} is not finite.")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidBoundary(f"{where} is outside WGS 84 longitude/latitude ranges.")
    return lon, lat


def _ring(value: Any, index: int) -> list[tuple[float, float]]:
    name = "the exterior ring" if index == 0 else f"interior ring {index}"
    if not isinstance(value, (list, tuple)):
        raise InvalidBoundary(f"{name} is not a list of positions.")
    if len(value) < 4:
        raise InvalidBoundary(f"{name} has {len(value)} positions; a ring needs at least 4.")
    points = [_position(p, f"position {i} of {name}") for i, p in enumerate(value)]
    if points[0] != points[-1]:
        raise InvalidBoundary(f"{name} is not closed (its first and last positions differ).")
    return points


def parse_boundary(geojson: Any) -> Polygon:
    """A valid, counter-clockwise shapely polygon from a GeoJSON Polygon, or `InvalidBoundary`."""
    if not isinstance(geojson, dict) or geojson.get("type") != "Polygon":
        raise InvalidBoundary('expected a GeoJSON object of "type": "Polygon".')
    extra = set(geojson) - {"type", "coordinates", "bbox"}
    if extra:
        raise InvalidBoundary(f"unexpected member(s) {', '.join(sorted(extra))}.")
    rings = geojson.get("coordinates")
    if not isinstance(rings, (list, tuple)) or not rings:
        raise InvalidBoundary("coordinates must be a non-empty list of rings.")
    if len(rings) > MAX_RINGS:
        raise InvalidBoundary(f"at most {MAX_RINGS} rings are accepted.")
    if sum(len(r) for r in rings if isinstance(r, (list, tuple))) > MAX_POSITIONS:
        raise InvalidBoundary(f"at most {MAX_POSITIONS} positions are accepted.")
    parsed = [_ring(ring, i) for i, ring in enumerate(rings)]
    polygon = Polygon(parsed[0], parsed[1:])
    if not polygon.is_valid:
        raise InvalidBoundary(f"{explain_validity(polygon)}.")
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    if max(max_lon - min_lon, max_lat - min_lat) > MAX_EXTENT_DEGREES:
        raise InvalidBoundary(f"it spans more than {MAX_EXTENT_DEGREES}° (a grid cell is small).")
    if area_m2(polygon) < 1.0:
        raise InvalidBoundary("its area is below 1 m².")
    return orient(polygon, sign=1.0)


def to_geojson(polygon: Polygon) -> dict[str, Any]:
    shape = mapping(polygon)
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring] for ring in shape["coordinates"]]}


def _projected(geometry: Any, ref_lat: float) -> Any:
    scale = np.array([METRES_PER_DEGREE * math.cos(math.radians(ref_lat)), METRES_PER_DEGREE])
    return shapely.transform(geometry, lambda coords: coords * scale)


def area_m2(geometry: Any) -> float:
    """Area in square metres (local equirectangular projection)."""
    if geometry.is_empty:
        return 0.0
    return float(_projected(geometry, geometry.centroid.y).area)


def overlaps(polygon: Polygon, others: Iterable[tuple[str, Polygon]]) -> dict[str, float]:
    """Codes of the `others` whose overlap with `polygon` exceeds the tolerance, with m²."""
    found: dict[str, float] = {}
    for code, other in others:
        if not polygon.intersects(other):
            continue
        shared = area_m2(polygon.intersection(other))
        if shared > OVERLAP_TOLERANCE_M2:
            found[code] = shared
    return found


@dataclass(frozen=True)
class CellRef:
    """What a lookup returns: the cell's id, code and community."""

    id: str
    code: str
    community: str


class CellIndex:
    """An STRtree over every cell polygon: point-to-cell in O(log n)."""

    def __init__(self, cells: Sequence[tuple[CellRef, Polygon]]) -> None:
        self.refs = [ref for ref, _ in cells]
        self.polygons = [polygon for _, polygon in cells]
        self.tree = STRtree(self.polygons) if self.polygons else None

    def __len__(self) -> int:
        return len(self.refs)

    def locate(self, lon: float, lat: float, community: str | None = None) -> CellRef | None:
        """The cell holding the point (on a shared border: the smaller code), or None."""
        if self.tree is None:
            return None
        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        refs = [self.refs[i] for i in hits]
        if community is not None:
            refs = [r for r in refs if r.community == community]
        return min(refs, key=lambda r: r.code) if refs else None
