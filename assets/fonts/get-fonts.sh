#!/bin/sh
# Re-creates the bundled fonts from Debian's fonts-noto-core package (20201225-1): the two fonts and
# their licence (SIL Open Font License 1.1, from the package's copyright file). Needs apt-get and dpkg-deb.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download fonts-noto-core=20201225-1
dpkg-deb -x fonts-noto-core_*.deb x
for f in NotoSansArabic-Regular.ttf NotoSansHebrew-Regular.ttf; do
    cp "x/usr/share/fonts/truetype/noto/$f" "$here/$f"
done
# The licence text is the indented paragraph after the last "License: OFL-1.1" line of the copyright
# file, indented by one space, with " ." for empty lines.
{
    echo "Noto Sans Arabic, Noto Sans Hebrew: Copyright 2010, 2012-2020 Google Inc., 2015-2020 Google LLC."
    echo "Licensed under the SIL Open Font License, Version 1.1 (below)."
    echo
    awk '/^License: OFL-1.1$/ { text = ""; on = 1; next } on && /^ / { text = text $0 "\n"; next } { on = 0 }
         END { printf "%s", text }' \
        x/usr/share/doc/fonts-noto-core/copyright | sed -e 's/^ //' -e 's/^\.$//'
} > "$here/OFL.txt"
