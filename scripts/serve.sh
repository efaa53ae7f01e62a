#!/usr/bin/env bash
# Installs what is missing, builds the release version and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
exec node scripts/build.mjs --serve --address=127.0.0.1 --port="${PORT:-8080}"
