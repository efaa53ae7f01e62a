#!/usr/bin/env bash
# Builds the release version and makes the one-file edition: dist-single/untoc-art32-questionnaire.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
source scripts/env.sh
node scripts/build.mjs
mkdir -p dist-single
node scripts/single_file.mjs dist dist-single/untoc-art32-questionnaire.html
