# Sourced by the scripts: puts the project's pinned tools first on PATH.
ART32_TOOLS_DIR=${ART32_TOOLS_DIR:-$HOME/.cache/untoc-art32-tools}
export PATH="$ART32_TOOLS_DIR/node_modules/.bin:$ART32_TOOLS_DIR/wasm-split-0.2.4/bin:$HOME/.cargo/bin:$PATH"
# Trunk must never try to download a tool: everything it needs is on PATH.
export TRUNK_SKIP_VERSION_CHECK=true
