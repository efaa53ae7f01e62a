# Sourced by the scripts: puts the project's pinned tools first on PATH.
ART32_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ART32_ROOT/scripts/versions.sh"
ART32_TOOLS_DIR=${ART32_TOOLS_DIR:-$HOME/.cache/untoc-art32-tools}
export PATH="$ART32_TOOLS_DIR/node_modules/.bin:$ART32_TOOLS_DIR/wasm-split-$WASM_SPLIT_VERSION/bin:$HOME/.cargo/bin:$PATH"
# Trunk must never try to download a tool: everything it needs is on PATH.
export TRUNK_SKIP_VERSION_CHECK=true
