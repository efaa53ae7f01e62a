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

step "release build"
use_release_flags
trunk build --release
bash scripts/sizes.sh dist

step "end-to-end tests on the release build in headless Chromium"
node --test --test-concurrency=1 tests/e2e/
