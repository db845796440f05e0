#!/usr/bin/env bash
# Regenerates the tz reference fixtures with the tz database chrono-tz compiles in (2025b).
# Only PyPI's tzdata is used: PYTHONTZPATH is emptied so the system's zoneinfo is ignored.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lib=$(mktemp -d)
python3 -m pip install --quiet --target "$lib" tzdata==2025.2
PYTHONPATH="$lib" PYTHONTZPATH= python3 "$here/generate.py"
rm -rf "$lib"
