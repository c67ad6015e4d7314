#!/usr/bin/env bash
# Renders the same map file at the same size with demarche and with mapnik, each as a whole process
# (reading the file, styling, projecting, drawing, writing the PNG), in paired runs side by side, and
# prints both times and their ratio (scripts/paired_runs.py).
#
#   scripts/compare-mapnik.sh [MAP.geojson]
#
# Without a file it uses target/countries-10m.geojson, written on the first run from world-atlas's
# Natural Earth 1:10m countries (run data/fetch-world-atlas.sh first; 21.5 MB, 255 countries).
#
# Needs mapnik's Python binding (Debian/Ubuntu, as root: apt-get install python3-mapnik) and a release
# build of demarche (cargo build --release). Settings, from the environment:
#   RUNS=21            rounds (each renders once with each program, in alternating order)
#   SIZE=1920x1080     the picture, in pixels
#   BBOX=-180,-85,180,85   the box shown, W,S,E,N in degrees, Web Mercator, edge to edge
#   DEMARCHE=path      the demarche binary (default: the release build in cargo's target directory)
#   PYTHON=python3     a Python that has mapnik (default: /usr/bin/python3 when it has it)
#   KEEP=dir           keep both pictures there, to look at them (default: a temporary folder, removed)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

runs="${RUNS:-21}"
size="${SIZE:-1920x1080}"
bbox="${BBOX:--180,-85,180,85}"
width="${size%x*}"
height="${size#*x}"

python="${PYTHON:-}"
if [ -z "$python" ]; then
    for candidate in /usr/bin/python3 python3; do
        if "$candidate" -c 'import mapnik' 2>/dev/null; then
            python="$candidate"
            break
        fi
    done
fi
if [ -z "$python" ] || ! "$python" -c 'import mapnik' 2>/dev/null; then
    echo "mapnik's Python binding is missing: as root, apt-get install python3-mapnik (or set PYTHON)" >&2
    exit 2
fi

target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
    "$python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null ||
    echo "$root/target")"
demarche="${DEMARCHE:-$target_dir/release/demarche}"
if [ ! -x "$demarche" ]; then
    echo "no demarche binary at $demarche: run cargo build --release (or set DEMARCHE)" >&2
    exit 2
fi

map="${1:-}"
if [ -z "$map" ]; then
    map="$root/target/countries-10m.geojson"
    if [ ! -f "$map" ]; then
        topojson="$root/target/world-atlas/node_modules/world-atlas/countries-10m.json"
        if [ ! -f "$topojson" ]; then
            echo "no map file given and no $topojson: run data/fetch-world-atlas.sh first" >&2
            exit 2
        fi
        echo "writing $map from $topojson"
        "$python" "$here/topojson_to_geojson.py" "$topojson" "$map"
    fi
fi
if [ ! -f "$map" ]; then
    echo "no such map file: $map" >&2
    exit 2
fi

out="${KEEP:-}"
if [ -z "$out" ]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

q() { printf '%q' "$1"; }
demarche_cmd="$(q "$demarche") export --at 2026-01-31T12:00:00Z --basemap $(q "$map") --projection web-mercator --bbox=$bbox --size $size --force -o $(q "$out/demarche.png")"
mapnik_cmd="$(q "$python") $(q "$here/mapnik_render.py") $(q "$map") $(q "$out/mapnik.png") $width $height $bbox"
startup_cmd="$(q "$python") -c 'import mapnik'"

echo "map file: $map ($(du -h "$map" | cut -f1)), ${size} PNG, box $bbox in Web Mercator"
echo "demarche: $demarche_cmd"
echo "mapnik:   $mapnik_cmd"
"$python" "$here/paired_runs.py" --runs "$runs" \
    demarche "$demarche_cmd" \
    "python+import mapnik" "$startup_cmd" \
    mapnik "$mapnik_cmd"
echo "(demarche also draws the default scenario over the map, its embedded basemap under it, the title,"
echo " legend, scale bar and stamp; mapnik draws the file alone. 'python+import mapnik' is the part of"
echo " mapnik's time that is its interpreter starting and loading the library.)"
if [ -n "${KEEP:-}" ]; then
    echo "pictures kept: $out/demarche.png, $out/mapnik.png"
fi
