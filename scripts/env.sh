# Sourced by the scripts: puts the project's pinned tools first on PATH.
ART32_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ART32_TOOLS_DIR=${ART32_TOOLS_DIR:-$HOME/.cache/untoc-art32-tools}
export PATH="$ART32_TOOLS_DIR/node_modules/.bin:$ART32_TOOLS_DIR/wasm-split-0.2.4/bin:$HOME/.cargo/bin:$PATH"
# Trunk must never try to download a tool: everything it needs is on PATH.
export TRUNK_SKIP_VERSION_CHECK=true

# For the release build only: the wasm is compiled with its own copy of the standard library
# (cargo's `build-std`, from the toolchain's rust-src component), and a panic stops the module at
# once instead of formatting a message (`-Cpanic=immediate-abort`). That leaves out the panic
# machinery and builds `core` and `alloc` for size with the app: 18 KB gzip less on a first visit.
# Both are unstable options of the toolchain, allowed on stable by RUSTC_BOOTSTRAP, so they are
# set here and not in Cargo.toml: the tests' builds keep Rust's panic messages, which is how a
# failing test says what failed. In the release build a panic is a trap ("unreachable" in the
# console, no message): the user sees what a panic showed before, which was nothing, and every
# answer typed is already in storage, since each is saved as it is typed.
# Its wasm is also linked by scripts/wasm-ld.sh, which leaves out exports no one uses.
use_release_flags() {
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$ART32_ROOT/scripts/wasm-ld.sh"
}
