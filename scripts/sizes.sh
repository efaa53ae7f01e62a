#!/usr/bin/env bash
# Prints the bytes of the build, raw and gzip -9: first what a first visit downloads (without its
# language, 15-21 KB more), then what is fetched later (the lazy pages, when they first
# open; the signer, on the export and "open a submission" pages; all of it by the service worker).
set -euo pipefail
dir=${1:-dist}
lazy() { case "$(basename "$1")" in signer-*|split_*|chunk_*) return 0;; *) return 1;; esac; }
table() {
  local want=$1 raw gz total_raw=0 total_gz=0
  for f in "$dir"/*.html "$dir"/*.js "$dir"/*.wasm "$dir"/*.css; do
    [ -f "$f" ] || continue
    [ "$(basename "$f")" = sw.js ] && [ "$want" = lazy ] && continue
    if lazy "$f"; then [ "$want" = lazy ] || continue; else [ "$want" = first ] || continue; fi
    raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
    printf '%-44s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
  done
  printf '%-44s %10d %10d\n' "total" "$total_raw" "$total_gz"
}
printf '%-44s %10s %10s\n' "first visit" raw gzip
table first
printf '\n%-44s %10s %10s\n' "lazy (fetched when first used)" raw gzip
table lazy
