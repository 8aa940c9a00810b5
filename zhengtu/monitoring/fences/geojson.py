"""Importing fences drawn elsewhere (GeoJSON): polygons, multipolygons, and circles as points with a radius."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

MAX_VERTICES = 20_000


@dataclass(frozen=True)
class ImportedShape:
    name: str
    geometry: dict[str, Any] | None  # Polygon or MultiPolygon in WGS-84
    center: tuple[float, float] | None  # lat, lon
    radius_m: float | None


def _check_ranges(geometry: Any) -> None:
    min_x, min_y, max_x, max_y = geometry.bounds
    if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
        raise ValidationError(_("The coordinates are outside the valid range (longitude first, then latitude)."))


def normalise_polygon(raw: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON geometry → a valid Polygon/MultiPolygon mapping, or a ValidationError in plain words."""
    try:
        geometry = shape(raw)
    except Exception:  # noqa: BLE001 - shapely raises several types for bad input
        raise ValidationError(_("The shape could not be read as GeoJSON.")) from None
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("A fence must be a polygon (or a point with a radius for a circle)."))
    if geometry.is_empty or shapely.get_num_coordinates(geometry) < 4:
        raise ValidationError(_("A polygon needs at least three corners."))
    if shapely.get_num_coordinates(geometry) > MAX_VERTICES:
        raise ValidationError(_("The polygon has too many corners."))
    _check_ranges(geometry)
    if not geometry.is_valid:
        raise ValidationError(
            _("The polygon is not valid (%(reason)s): its edges must not cross.")
            % {"reason": explain_validity(geometry)}
        )
    return dict(mapping(geometry))


def parse(text: str) -> list[ImportedShape]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValidationError(_("The file is not valid GeoJSON.")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("The file is not valid GeoJSON."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif data.get("type") == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    shapes: list[ImportedShape] = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            raise ValidationError(_("Feature %(n)s has no geometry.") % {"n": number})
        properties = feature.get("properties") or {}
        name = str(properties.get("name") or "")[:100]
        geometry = feature["geometry"]
        if geometry.get("type") == "Point":
            radius: Any = properties.get("radius")
            coordinates = geometry.get("coordinates") or []
            try:
                lon, lat = float(coordinates[0]), float(coordinates[1])
                radius_m = float(radius)
            except (TypeError, ValueError, IndexError):
                raise ValidationError(
                    _("Feature %(n)s is a point: give it a radius in metres (properties.radius) to make a circle.")
                    % {"n": number}
                ) from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius_m <= 200_000):
                raise ValidationError(_("Feature %(n)s has an invalid centre or radius.") % {"n": number})
            shapes.append(ImportedShape(name, None, (lat, lon), radius_m))
        else:
            try:
                shapes.append(ImportedShape(name, normalise_polygon(geometry), None, None))
            except ValidationError as error:
                raise ValidationError(
                    _("Feature %(n)s: %(error)s") % {"n": number, "error": " ".join(error.messages)}
                ) from None
    if not shapes:
        raise ValidationError(_("The file contains no shapes."))
    return shapes
