#!/usr/bin/env bash
# Builds the release version and reports what a browser downloads on first load.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
source scripts/env.sh
trunk build --release >/dev/null
bash scripts/sizes.sh dist
