#!/usr/bin/env bash
# Launch the real app under Xvfb on a fresh copy of the seeds with two broken files added, run the
# scripted demo session (ARCHIVIST_DEMO: a query being typed, an entity facet chip, an article with
# hits and names highlighted, a timeline brush, two panes side by side, the skipped files), save PNGs
# under screenshots/ and copy the README's into docs/. Needs: xvfb xauth xdotool imagemagick
# libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0.
# Usage: scripts/screenshots.sh [command to start the app, default: python -m gui]
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/screenshots"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
rm -f "$out"/*.png
cp -r seeds "$work/seeds"
# What a real folder holds too: a file cut off while it was copied, and one that is not text at all.
printf '{"title": "Ferry talks", "text": "The ministers met in Ba' > "$work/seeds/cut-off.json"
head -c 4096 /dev/urandom > "$work/seeds/scan.html"
# And a syndicated copy of a report under another headline and footer: shown folded under it.
{ printf 'Title: Aliyev and To Lam hold expanded talks\nDate: 2025-05-08\nSource: Caspian Wire\n\n'
  cat seeds/001_*.txt
  printf '\n\nRepublished from Azertac. All rights reserved. Follow Caspian Wire for more.\n'; } > "$work/seeds/001-copy.txt"
export ARCHIVIST_DATA_DIR="$work/data" ARCHIVIST_DEMO="$out" XDG_CONFIG_HOME="$work/config"
export QT_QPA_PLATFORM=xcb
if [ -f .venv/bin/activate ]; then . .venv/bin/activate; fi
app=("${@:-python}")
[ $# -eq 0 ] && app=(python -m gui)

xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
  "$@" --archive "'"$work"'/seeds" &
  pid=$!
  # While the demo runs, also take a real X screenshot of the whole screen (window manager-less).
  for i in $(seq 1 60); do
    if [ -f "'"$out"'/04-article.png" ]; then import -window root "'"$out"'/x11-root.png"; break; fi
    sleep 0.5
  done
  wait $pid
' _ "${app[@]}"
ls -l "$out"
cp "$out/04-article.png" docs/screenshot-search.png
cp "$out/06-split.png" docs/screenshot-split.png
cp "$out/07-skipped.png" docs/screenshot-skipped.png
cp "$out/09-compare-link.png" docs/screenshot-compare.png
