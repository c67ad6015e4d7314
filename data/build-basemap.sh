#!/usr/bin/env bash
# Rebuilds data/basemap/ from Natural Earth 4.1.0 as packaged by the npm package world-atlas 2.0.2, with the
# ISO 3166-1 codes of the npm package iso-3166-1 2.1.1.
#
# The packages are pinned, with their sha512 integrity, in data/basemap/npm/package-lock.json; `npm ci` refuses
# anything else. The conversion (world-atlas's TopoJSON countries at 1:50m and 1:10m into the compact format the
# app embeds, each country with its ISO alpha-2 code; the table of country names) is done by the
# `demarche-build-basemap` binary of this crate. The output's checksums go to data/basemap/SHA256SUMS, which a
# test checks against the committed files.
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
node -e "process.stdout.write(JSON.stringify(require('$work/node_modules/iso-3166-1').all()))" > "$work/iso-3166-1.json"

cargo run --release --locked --bin demarche-build-basemap -- "$atlas" "$work/iso-3166-1.json" data/basemap
(cd data/basemap && sha256sum world-50m.dtopo world-10m.dtopo countries.tsv > SHA256SUMS)
cat data/basemap/SHA256SUMS
