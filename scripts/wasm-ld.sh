#!/usr/bin/env bash
# The linker of the release build's wasm (the link-trim step of scripts/build.mjs): rust-lld, minus
# the exports of wasm-streams' classes (`IntoUnderlyingSource`, `IntoUnderlyingByteSource`,
# `IntoUnderlyingSink`). Leptos's `server_fn` brings wasm-streams, for server functions this app
# has none of, and its `#[wasm_bindgen]` classes are exported from every wasm of the crate. An
# export is a root: once linked, its code and the closures it takes the address of (kept by the
# function table, which no later tool can prune) stay for good. Left out at the link, they never
# enter the wasm: 5 KB gzip less on a first visit. The glue's copies of the classes are removed by
# the trim step of scripts/build.mjs, which warns if they are still exported (the
# build goes on without the saving).
set -euo pipefail
args=()
drop_next=0
for a in "$@"; do
  if [ "$drop_next" = 1 ]; then
    drop_next=0
    if [[ $a =~ ^(__wbg_|__wbindgen_describe_(__wbg_)?)?intounderlying(bytesource|sink|source)_ ]]; then
      unset 'args[${#args[@]}-1]' # and its `--export`
      continue
    fi
  fi
  case $a in
    --export) drop_next=1 ;;
    --export=*) [[ ${a#--export=} =~ ^(__wbg_|__wbindgen_describe_(__wbg_)?)?intounderlying(bytesource|sink|source)_ ]] && continue ;;
  esac
  args+=("$a")
done
# rustc puts its own rust-lld on the linker's PATH; look in the sysroot should that ever change.
lld=$(command -v rust-lld || echo "$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/rust-lld")
"$lld" "${args[@]}"

# Then once more, without the descriptions of imports the wasm does not use. wasm-bindgen exports
# a description of every function js-sys and web-sys declare (5,000 of them), and one of a
# function that takes a closure holds the address of that closure's call shim, which lands in
# the function table and stays there for good, like the exports above. Only the imports the
# first link kept are ever called, so only their descriptions are needed. Should the names no
# longer follow wasm-bindgen's pattern, nothing is left out and the first link stands.
out=
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[i]}" = -o ] && out=${args[i + 1]}; done
[ -n "$out" ] && [ -f "$out" ] || exit 0
unused=$(node "$(dirname "${BASH_SOURCE[0]}")/unused_describes.mjs" "$out")
[ -n "$unused" ] || exit 0
declare -A drop
while read -r name; do drop[$name]=1; done <<< "$unused"
again=()
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[i]}" = --export ] && [ -n "${drop[${args[i + 1]}]:-}" ]; then
    i=$((i + 1))
    continue
  fi
  again+=("${args[i]}")
done
exec "$lld" "${again[@]}"
