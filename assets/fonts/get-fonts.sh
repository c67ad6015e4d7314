#!/bin/sh
# Re-creates the bundled fonts from Debian's fonts-noto-core package (20201225-1): the script fonts and
# their licence (SIL Open Font License 1.1, from the package's copyright file). Needs apt-get and dpkg-deb.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download fonts-noto-core=20201225-1
dpkg-deb -x fonts-noto-core_*.deb x
# Scripts of small fonts (about 1.6 MB in all); Han, Hangul and kana (10+ MB) come from the system's fonts
# at run time, and so do the scripts not listed here (src/render/fonts.rs).
for script in Arabic Hebrew Devanagari Bengali Gurmukhi Tamil Thai Lao Khmer Myanmar Georgian Armenian \
    Ethiopic; do
    f="NotoSans$script-Regular.ttf"
    cp "x/usr/share/fonts/truetype/noto/$f" "$here/$f"
done
# The licence text is the indented paragraph after the last "License: OFL-1.1" line of the copyright
# file, indented by one space, with " ." for empty lines.
{
    echo "Noto Sans Arabic, Armenian, Bengali, Devanagari, Ethiopic, Georgian, Gurmukhi, Hebrew, Khmer, Lao, Myanmar,"
    echo "Tamil and Thai: Copyright 2010, 2012-2020 Google Inc., 2015-2020 Google LLC."
    echo "Licensed under the SIL Open Font License, Version 1.1 (below)."
    echo
    awk '/^License: OFL-1.1$/ { text = ""; on = 1; next } on && /^ / { text = text $0 "\n"; next } { on = 0 }
         END { printf "%s", text }' \
        x/usr/share/doc/fonts-noto-core/copyright | sed -e 's/^ //' -e 's/^\.$//'
} > "$here/OFL.txt"
