#!/usr/bin/env python3
"""Renders a GeoJSON map file to a PNG with mapnik, as `demarche export --basemap FILE` draws it: land
filled, borders stroked 0.8 px, over the sea, in Web Mercator, the box W,S,E,N edge to edge.

    mapnik_render.py FILE.geojson OUT.png WIDTH HEIGHT W,S,E,N

The whole of mapnik's work is in this process: reading the file (mapnik's GeoJSON plugin), the style,
projecting, drawing (AGG, antialiased) and writing the PNG. Used by scripts/compare-mapnik.sh.
"""

import sys

import mapnik

MERCATOR = "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs +over"
LONLAT = "+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs"


def main():
    path, out, width, height, bbox = sys.argv[1:6]
    west, south, east, north = (float(v) for v in bbox.split(","))
    m = mapnik.Map(int(width), int(height), MERCATOR)
    # demarche's light theme: water d7e6f0, land f4f1ea, borders 9a9388 at 0.8 points.
    m.background = mapnik.Color("#d7e6f0")
    style = mapnik.Style()
    rule = mapnik.Rule()
    fill = mapnik.PolygonSymbolizer()
    fill.fill = mapnik.Color("#f4f1ea")
    rule.symbols.append(fill)
    line = mapnik.LineSymbolizer()
    line.stroke = mapnik.Color("#9a9388")
    line.stroke_width = 0.8
    rule.symbols.append(line)
    style.rules.append(rule)
    m.append_style("countries", style)
    layer = mapnik.Layer("countries", LONLAT)
    layer.datasource = mapnik.Datasource(type="geojson", file=path)
    layer.styles.append("countries")
    m.layers.append(layer)
    to_map = mapnik.ProjTransform(mapnik.Projection(LONLAT), mapnik.Projection(MERCATOR))
    m.zoom_to_box(to_map.forward(mapnik.Box2d(west, south, east, north)))
    mapnik.render_to_file(m, out, "png")


if __name__ == "__main__":
    main()
