#!/usr/bin/env bash
# Fetches the pinned npm package world-atlas 2.0.2 (Natural Earth 4.1.0 as TopoJSON) into
# target/world-atlas/, for the benchmarks that need the full 1:10m world. Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=target/world-atlas
mkdir -p "$dest"
cp data/basemap/npm/package.json data/basemap/npm/package-lock.json "$dest/"
(cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
ls -l "$dest/node_modules/world-atlas/"
