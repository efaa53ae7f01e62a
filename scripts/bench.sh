#!/usr/bin/env bash
# Builds the release version, then measures it in headless Chromium: first-load bytes and
# keystroke-to-saved times on a reply with 200 repeatable rows. Prints tables.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
source scripts/env.sh
trunk build --release >/dev/null
node tests/e2e/bench.mjs
