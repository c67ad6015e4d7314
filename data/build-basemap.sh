#!/usr/bin/env bash
# Rebuilds data/basemap/ from Natural Earth 4.1.0 as packaged by the npm package world-atlas 2.0.2.
#
# The package is pinned, with its sha512 integrity, in data/basemap/npm/package-lock.json; `npm ci` refuses
# anything else. The conversion (repair, clip to the scenario region, write GeoJSON) is done by the
# `demarche-build-basemap` binary of this crate. The output's checksums go to data/basemap/SHA256SUMS,
# which a test checks against the committed files.
#
# Usage: data/build-basemap.sh            (from the repository's top folder; needs node/npm and cargo)
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp data/basemap/npm/package.json data/basemap/npm/package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
atlas="$work/node_modules/world-atlas"
echo "world-atlas $(node -p "require('$atlas/package.json').version") in $atlas"

cargo run --release --locked --bin demarche-build-basemap -- "$atlas" data/basemap
(cd data/basemap && sha256sum world-50m.geojson region-10m.geojson > SHA256SUMS)
cat data/basemap/SHA256SUMS
