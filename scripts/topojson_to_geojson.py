#!/usr/bin/env python3
"""Writes world-atlas's TopoJSON countries (fetched by data/fetch-world-atlas.sh) as a GeoJSON
FeatureCollection, the file scripts/compare-mapnik.sh gives both renderers. Python's standard library only.

    topojson_to_geojson.py countries-10m.json countries-10m.geojson
"""

import json
import sys


def main():
    source, out = sys.argv[1:3]
    with open(source, encoding="utf-8") as f:
        topo = json.load(f)
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append([x * sx + tx, y * sy + ty])
        else:
            points = [list(p[:2]) for p in arc]
        arcs.append(points)

    def ring(refs):
        out = []
        for r in refs:
            points = arcs[r] if r >= 0 else arcs[~r][::-1]
            out.extend(points[1:] if out else points)
        return out

    features = []
    for obj in topo["objects"]["countries"]["geometries"]:
        kind = obj.get("type")
        if kind == "Polygon":
            geometry = {"type": "Polygon", "coordinates": [ring(r) for r in obj["arcs"]]}
        elif kind == "MultiPolygon":
            geometry = {
                "type": "MultiPolygon",
                "coordinates": [[ring(r) for r in p] for p in obj["arcs"]],
            }
        else:
            geometry = None
        feature = {"type": "Feature", "properties": obj.get("properties", {}), "geometry": geometry}
        if "id" in obj:
            feature["id"] = obj["id"]
        features.append(feature)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
