// Part of the release build (the trim step of scripts/build.mjs): trims what wasm-bindgen writes for the
// form's wasm and its JavaScript glue.
//
// - Exports the app never uses go. `server_fn` (a dependency of Leptos, for server functions this
//   app has none of) brings `wasm-streams`, whose three classes (`IntoUnderlyingSource`, ...)
//   wasm-bindgen exports from the wasm and the glue. The release build's linker leaves their
//   exports out of the wasm (scripts/wasm-ld.sh); here the glue loses the classes (2 KB gzip).
// - What the wasm imports from the glue gets short names. wasm-bindgen names each import after
//   the function it wraps plus a hash (`__wbg_addEventListener_847fd86b8c33ec43`), from a module
//   named after the glue's file. Each name is written twice, once in the wasm's import section and
//   once as a key of the glue's imports object, and the hashes do not compress: 6 KB gzip. Here
//   each becomes `a`, `b`, ... and the module `a`.
//
// Only the import and export sections of the wasm are rewritten. Anything unexpected in either
// file stops the build rather than leaving the two out of step; the end-to-end tests boot the
// result.

/** Reads an unsigned LEB128 number at `at`; returns [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

function uleb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}

const name = (s) => Buffer.concat([uleb(Buffer.byteLength(s)), Buffer.from(s)]);

/** `a`, `b`, ... `Z`, `aa`, `ab`, ...: valid JavaScript identifiers, never a keyword. */
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  for (;;) {
    s = letters[i % letters.length] + s;
    i = Math.floor(i / letters.length);
    if (i === 0) break;
    i -= 1;
  }
  // Two-letter keywords (`do`, `if`, `in`) are fine as property names, but keep clear of them.
  return ['do', 'if', 'in'].includes(s) ? `${s}_` : s;
}

/** Length in bytes of an import's description (after its two names), starting at its kind byte. */
function descLength(bytes, at) {
  const start = at;
  const kind = bytes[at++];
  if (kind === 0) [, at] = leb(bytes, at); // function: type index
  else if (kind === 1 || kind === 2) {
    if (kind === 1) at += 1; // table: element type
    const flags = bytes[at++];
    [, at] = leb(bytes, at);
    if (flags & 1) [, at] = leb(bytes, at);
  } else if (kind === 3) at += 2; // global: value type, mutability
  else if (kind === 4) { at += 1; [, at] = leb(bytes, at); } // tag
  else throw new Error(`unknown import kind ${kind}`);
  return at - start;
}

/** The sections of a wasm module: [{ id, body }] (the 8-byte header is not one). */
function sections(wasm) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const out = [];
  let at = 8;
  while (at < wasm.length) {
    const [size, bodyAt] = leb(wasm, at + 1);
    out.push({ id: wasm[at], body: wasm.subarray(bodyAt, bodyAt + size) });
    at = bodyAt + size;
  }
  return out;
}

const assemble = (wasm, parts) =>
  Buffer.concat([wasm.subarray(0, 8), ...parts.flatMap(({ id, body }) => [Buffer.from([id]), uleb(body.length), body])]);

/** The entries of an export section's body: [{ field, bytes }], `bytes` the whole entry. */
function exportEntries(body) {
  let [count, p] = leb(body, 0);
  const out = [];
  while (count-- > 0) {
    const [len, at] = leb(body, p);
    const start = p;
    p = at + len + 1; // name, then kind
    [, p] = leb(body, p); // index
    out.push({ field: body.toString('utf8', at, at + len), bytes: body.subarray(start, p) });
  }
  return out;
}

/** The names the wasm exports. */
export function exportNames(wasm) {
  return sections(wasm).filter((s) => s.id === 7).flatMap(({ body }) => exportEntries(body).map((e) => e.field));
}

/** The wasm without the exports whose names `drop` accepts (wasm-opt then removes their code). */
export function dropExports(wasm, drop) {
  let dropped = 0;
  const parts = sections(wasm).map(({ id, body }) => {
    if (id !== 7) return { id, body };
    const kept = exportEntries(body).filter(({ field }) => !(drop(field) && ++dropped));
    return { id, body: Buffer.concat([uleb(kept.length), ...kept.map((e) => e.bytes)]) };
  });
  if (dropped === 0) throw new Error('no export to drop: is this still needed?');
  return assemble(wasm, parts);
}

/** The names the wasm imports from `module`. */
export function importNames(wasm, module) {
  const names = new Set();
  for (const { id, body } of sections(wasm).filter((s) => s.id === 2)) {
    let [count, p] = leb(body, 0);
    while (count-- > 0) {
      let len;
      [len, p] = leb(body, p);
      const mod = body.toString('utf8', p, p + len);
      p += len;
      [len, p] = leb(body, p);
      const field = body.toString('utf8', p, p + len);
      p += len;
      p += descLength(body, p);
      if (mod === module) names.add(field);
    }
  }
  return names;
}

/**
 * The glue (as wasm-bindgen writes it, before minifying) without the exported classes named, and
 * without the entries of its imports object that the wasm no longer imports (`used`).
 */
export function dropFromGlue(glue, classes, used) {
  for (const name of classes) {
    const parts = [
      new RegExp(`^export class ${name} \\{\\n[\\s\\S]*?^\\}\\n`, 'm'),
      new RegExp(`^if \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\\n`, 'm'),
      new RegExp(`^const ${name}Finalization = [\\s\\S]*?\\);\\n`, 'm'),
    ];
    for (const part of parts) {
      if (!part.test(glue)) throw new Error(`the glue has no ${part} for ${name}`);
      glue = glue.replace(part, '');
    }
    if (new RegExp(`\\b${name}\\b`).test(glue)) throw new Error(`the glue still uses ${name}`);
  }
  // The imports object: one entry per import, each starting on a line of its own.
  const entry = /^ {8}(__wb\w+): function/;
  const lines = glue.split('\n');
  const out = [];
  let skipping = false;
  let seen = 0;
  for (const line of lines) {
    const m = line.match(entry);
    if (m) {
      seen += 1;
      skipping = !used.has(m[1]);
    } else if (skipping && !/^ {8,}/.test(line)) {
      skipping = false; // the end of the object
    }
    if (!skipping) out.push(line);
  }
  if (seen < used.size) throw new Error(`the glue has ${seen} import entries for ${used.size} imports`);
  return out.join('\n');
}

/**
 * Renames every import of `module` in `wasm` (bytes) and the matching keys of the glue (source):
 * returns both rewritten.
 */
export function shortenImports(wasm, glue, module) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const parts = [wasm.subarray(0, 8)];
  const renamed = new Map();
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, bodyAt] = leb(wasm, at + 1);
    const end = bodyAt + size;
    if (id !== 2) {
      parts.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, p] = leb(wasm, bodyAt);
    const entries = [uleb(count)];
    const text = (len) => { const s = wasm.toString('utf8', p, p + len); p += len; return s; };
    while (count-- > 0) {
      let len;
      [len, p] = leb(wasm, p);
      let mod = text(len);
      [len, p] = leb(wasm, p);
      let field = text(len);
      const desc = wasm.subarray(p, p + descLength(wasm, p));
      p += desc.length;
      if (mod === module) {
        const short = shortName(renamed.size);
        renamed.set(field, short);
        [mod, field] = ['a', short];
      }
      entries.push(name(mod), name(field), desc);
    }
    if (p !== end) throw new Error('the import section is not what it seemed');
    const body = Buffer.concat(entries);
    parts.push(Buffer.from([2]), uleb(body.length), body);
    at = end;
  }
  if (renamed.size === 0) throw new Error(`the wasm imports nothing from ${module}`);

  // The glue names each import once, as a key of the imports object, and the module once.
  const once = (source, pattern, replacement, what) => {
    let n = 0;
    const out = source.replace(pattern, (...m) => { n += 1; return typeof replacement === 'function' ? replacement(...m) : replacement; });
    if (n !== 1) throw new Error(`the glue names ${what} ${n} times, not once`);
    return out;
  };
  for (const [long, short] of renamed) {
    glue = once(glue, new RegExp(`(?<![\\w$])${long}(?=\\s*:)`, 'g'), short, long);
    if (new RegExp(`(?<![\\w$])${long}(?![\\w$])`).test(glue)) throw new Error(`the glue uses ${long} as more than a key`);
  }
  if (/(["'])a\1\s*:/.test(glue)) throw new Error('the glue has an import module named "a" already');
  glue = once(glue, new RegExp(`(["'])${module.replace(/[.]/g, '\\.')}\\1(?=\\s*:)`, 'g'), '"a"', module);
  return { wasm: Buffer.concat(parts), glue };
}

