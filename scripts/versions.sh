# Every tool's version, in one place (sourced by scripts/setup.sh and scripts/env.sh).
# The Rust compiler is pinned by rust-toolchain.toml; the wasm-bindgen CLI is read from
# Cargo.lock (it must equal the crate exactly); the end-to-end test driver and axe-core are pinned
# by tests/e2e/package-lock.json.
TRUNK_VERSION=0.21.14             # the newest that builds with rustc 1.95 (0.22 needs 1.96.1)
BINARYEN_VERSION=132.0.0          # wasm-opt, from npm (Debian's binaryen 108 emits wasm Chromium refuses)
ESBUILD_VERSION=0.28.2            # minifies the JavaScript glue, the loader, the stylesheet
WASM_SPLIT_VERSION=0.2.4          # wasm-split-cli (crate wasm_split_cli_support), the split step
PYTHON_PACKAGES="cryptography==50.0.2 rfc8785==0.1.4 pypdf==7.1.0"
