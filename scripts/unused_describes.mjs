// Part of scripts/wasm-ld.sh: prints, one per line, the exports of a linked wasm that describe an
// import (`__wbindgen_describe___wbg_...`, one per function of js-sys and web-sys the crates
// declare) that the wasm does not import: nothing calls it. See scripts/wasm-ld.sh.
import { readFileSync } from 'node:fs';
import { exportNames, importNames } from './trim_glue.mjs';

const wasm = readFileSync(process.argv[2]);
const imported = importNames(wasm, '__wbindgen_placeholder__');
const prefix = '__wbindgen_describe_';
for (const name of exportNames(wasm)) {
  if (name.startsWith(`${prefix}__wbg_`) && !imported.has(name.slice(prefix.length))) console.log(name);
}
