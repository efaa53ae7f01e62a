#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already there.
# Safe to run again: each step checks first. Needs root for apt-get (Chromium).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/versions.sh"
# The wasm-bindgen CLI must equal the crate version locked in Cargo.lock, exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")
TOOLS_DIR=${ART32_TOOLS_DIR:-$HOME/.cache/untoc-art32-tools}

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# The compiler pinned by rust-toolchain.toml. rustup installs it (with its target and components)
# when it can; on a machine that cannot download toolchains but whose stable one is that exact
# version, the stable one is linked under the pinned name.
cd "$ROOT"
PINNED=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup run "$PINNED" rustc --version >/dev/null 2>&1; then
  if rustup run stable rustc --version 2>/dev/null | grep -q "^rustc $PINNED "; then
    say "using the installed stable toolchain (rustc $PINNED) as $PINNED"
    # A link in rustup's folder, not `rustup toolchain link`: a linked toolchain cannot take
    # targets and components, this one can (they go to the stable toolchain's folder).
    sysroot=$(rustup run stable rustc --print sysroot)
    ln -s "$sysroot" "$(dirname "$sysroot")/$PINNED-$(rustup run stable rustc -vV | sed -n 's/^host: //p')"
  else
    say "installing Rust $PINNED"
    rustup toolchain install "$PINNED" --profile minimal
  fi
fi
if [ "$(rustc --version | awk '{print $2}')" != "$PINNED" ]; then
  echo "rustc is $(rustc --version), but rust-toolchain.toml pins $PINNED" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
# The tests check the formatting (`cargo fmt --check`).
if ! rustup component list --installed | grep -q '^rustfmt'; then
  say "adding the rustfmt component"
  rustup component add rustfmt
fi
# The release build compiles the standard library with the app (the std step of scripts/build.mjs).
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding the rust-src component"
  rustup component add rust-src
fi

# scripts/verify_submission.py (and its test); pypdf reads the text of printed replies in the print test.
python3 -c "import cryptography, rfc8785, pypdf" 2>/dev/null ||
  python3 -m pip install --quiet $PYTHON_PACKAGES

# The end-to-end tests drive Chromium with playwright-core (no browser download).
if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] || [ ! -d "$ROOT/tests/e2e/node_modules/axe-core" ]; then
  say "installing the end-to-end test driver and axe-core (pinned in tests/e2e/package-lock.json)"
  (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --silent)
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: one locked dependency of the CLI is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x "$TOOLS_DIR/wasm-split-$WASM_SPLIT_VERSION/bin/wasm-split-cli" ]; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about 2 minutes)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked \
    --root "$TOOLS_DIR/wasm-split-$WASM_SPLIT_VERSION"
fi

# Debian's wasm-opt (binaryen 108) emits wasm that Chromium refuses; npm's binaryen works.
if [ "$("$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "132" ]; then
  say "installing binaryen@$BINARYEN_VERSION from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION")
fi

# esbuild minifies the wasm-bindgen glue and the page loader (the minify step of scripts/build.mjs) and
# bundles the one-file edition (scripts/single_file.mjs).
if [ "$("$TOOLS_DIR/node_modules/.bin/esbuild" --version 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
  say "installing esbuild@$ESBUILD_VERSION from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --silent "esbuild@$ESBUILD_VERSION")
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Arabic and other scripts for the print and right-to-left tests (the app itself loads no fonts:
# it uses the fonts of the reader's system).
if ! fc-list 2>/dev/null | grep -qi "Noto Sans Arabic"; then
  say "installing fonts-noto-core (Arabic script for the print tests)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq fonts-noto-core >/dev/null
fi

say "tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $("$TOOLS_DIR/node_modules/.bin/wasm-opt" --version | awk '{print $3}'), $(chromium --version)"
