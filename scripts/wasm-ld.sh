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
exec "$lld" "${args[@]}"
