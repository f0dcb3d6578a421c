#!/usr/bin/env bash
# Set-up shared by run-app and run-tests: Qt's system libraries, a virtual environment, the project.
# Usage: source scripts/bootstrap.sh [extra]   (extra: "test" installs the test tools too)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extra="${1:-}"

# Qt 6 needs these Debian packages (../shared/QT-ON-DEBIAN.md); xcb ones only to show a real window.
qt_packages=(libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3)
if [ "$extra" != "test" ]; then
  qt_packages+=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
  # A font with Chinese and Japanese characters (7 MB): a minimal Debian has none, and articles in
  # those languages showed as empty boxes.
  qt_packages+=(fonts-droid-fallback)
fi
python_packages=(python3-venv)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${qt_packages[@]}" "${python_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  # A Python not from Debian (pyenv, python.org) brings its own venv module.
  python3 -c "import ensurepip" 2>/dev/null && missing=("${missing[@]/python3-venv}")
  missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

venv="$repo/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
stamp="$venv/.installed-$extra-$(cat "$repo/pyproject.toml" "$repo/constraints.txt" | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  "$venv/bin/python" -m pip install -q --upgrade pip
  # The entity models always: the app runs them after indexing, the tests check them.
  "$venv/bin/python" -m pip install -q -c "$repo/constraints.txt" -e "$repo[models${extra:+,$extra}]"
  touch "$stamp"
fi
