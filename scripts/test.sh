#!/usr/bin/env bash
# Installs what is missing, then runs every test: native, in-browser components, end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "formatting (rustfmt)"
cargo fmt --check

step "native tests (definition, rules, validation, coverage)"
cargo test --locked

step "component tests in headless Chromium (wasm-bindgen-test)"
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60 WASM_BINDGEN_TEST_TIMEOUT=180
cargo test --locked --target wasm32-unknown-unknown --test web

step "release build (scripts/build.mjs)"
node scripts/build.mjs --strict
bash scripts/sizes.sh dist

step "end-to-end tests on the release build in headless Chromium"
node --test --test-concurrency=1 tests/e2e/

# The same app without any optional step of the build (no size work that depends on other
# tools' internals): it must work the same, only larger.
step "plain release build (--plain) and a smoke test of it"
node scripts/build.mjs --plain --dist=dist-plain
ART32_DIST=dist-plain node --test --test-concurrency=1 tests/e2e/form.test.mjs tests/e2e/offline.test.mjs tests/e2e/submission.test.mjs
