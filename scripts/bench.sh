#!/usr/bin/env bash
# Builds the release version, then measures it in headless Chromium on 127.0.0.1, served with
# brotli: first-load bytes per file (raw, gzip, brotli), cold load to interactive on an emulated
# 400 kbit/s network, reload with the network off (service worker), and on a reply with 200
# repeatable rows: keystroke to saved, sign and export, adding a row, switching sections, memory;
# then merging a part of 200 rows back into that reply (tests/e2e/bench_merge.mjs), and starting
# the next cycle from a signed reply of 200 rows, and its "What changed" (tests/e2e/bench_cycle.mjs).
# Prints tables (median, p95) and a summary beside the budgets; asserts nothing. Takes about 3-6
# minutes; the counts of runs are set by BENCH_* variables (see tests/e2e/bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
source scripts/env.sh
node scripts/build.mjs >/dev/null
node tests/e2e/bench.mjs
node tests/e2e/bench_merge.mjs
node tests/e2e/bench_cycle.mjs
