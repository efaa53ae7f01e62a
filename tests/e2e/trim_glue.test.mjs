// scripts/trim_glue.mjs on a small module written here byte by byte: the wasm it returns is
// valid (Node compiles it), its imports and exports are what they should be, and the glue's
// keys follow the wasm's names. The release build's own wasm and glue are checked by booting them
// (every other test in this folder).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropExports, dropFromGlue, exportNames, importNames, shortenImports } from '../../scripts/trim_glue.mjs';

const MODULE = './untoc-art32-0123456789abcdef_bg.js';

const str = (s) => [Buffer.byteLength(s), ...Buffer.from(s)];
const uleb = (n) => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...uleb(n >> 7)]);
const section = (id, body) => [id, ...uleb(body.length), ...body];

/** A module importing three functions (two from the glue, one from `./__wasm_split.js`) and a memory, exporting four things. */
function module() {
  const types = section(1, [1, 0x60, 0, 0]); // one type: () -> ()
  const imports = section(2, [
    4,
    ...str(MODULE), ...str('__wbg_addEventListener_847fd86b8c33ec43'), 0, 0,
    ...str('./__wasm_split.js'), ...str('__wasm_split_shared0'), 0, 0,
    ...str(MODULE), ...str('__wbindgen_init_externref_table'), 0, 0,
    ...str('./__wasm_split.js'), ...str('memory'), 2, 1, 1, 2, // memory, min 1, max 2
  ]);
  const exports = section(7, [
    4,
    ...str('keep_me'), 0, 0,
    ...str('intounderlyingsink_write'), 0, 1,
    ...str('__wbg_intounderlyingsink_free'), 0, 2,
    ...str('memory'), 2, 0,
  ]);
  return Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...exports]);
}

const GLUE = `export class IntoUnderlyingSink {
    free() {
        wasm.__wbg_intounderlyingsink_free(this.__wbg_ptr, 0);
    }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;

function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_addEventListener_847fd86b8c33ec43: function() { return handleError(function (arg0, arg1) {
            arg0.addEventListener(arg1);
        }, arguments); },
        __wbg_byobRequest_18280c78e462544c: function(arg0) {
            const ret = arg0.byobRequest;
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
        },
    };
    return {
        __proto__: null,
        "${MODULE}": import0,
        "./__wasm_split.js": import1,
    };
}
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));
export { initSync, __wbg_init as default };
`;

const described = (wasm) => {
  const m = new WebAssembly.Module(wasm);
  return { imports: WebAssembly.Module.imports(m), exports: WebAssembly.Module.exports(m).map((e) => e.name) };
};

test('dropExports keeps every other export, and the module stays valid', () => {
  const before = described(module());
  assert.deepEqual(before.exports, ['keep_me', 'intounderlyingsink_write', '__wbg_intounderlyingsink_free', 'memory']);
  assert.deepEqual(exportNames(module()), before.exports);
  const after = described(dropExports(module(), (e) => /intounderlying/.test(e)));
  assert.deepEqual(after.exports, ['keep_me', 'memory']);
  assert.deepEqual(exportNames(dropExports(module(), (e) => /intounderlying/.test(e))), after.exports);
  assert.deepEqual(after.imports, before.imports);
  assert.throws(() => dropExports(module(), () => false), /no export to drop/);
});

test('shortenImports renames the glue module\'s imports in the wasm and the glue, and nothing else', () => {
  assert.deepEqual([...importNames(module(), MODULE)], ['__wbg_addEventListener_847fd86b8c33ec43', '__wbindgen_init_externref_table']);
  const { wasm, glue } = shortenImports(module(), GLUE, MODULE);
  assert.deepEqual(described(wasm).imports, [
    { module: 'a', name: 'a', kind: 'function' },
    { module: './__wasm_split.js', name: '__wasm_split_shared0', kind: 'function' },
    { module: 'a', name: 'b', kind: 'function' },
    { module: './__wasm_split.js', name: 'memory', kind: 'memory' },
  ]);
  assert.match(glue, /^ {8}a: function\(\) \{ return handleError/m);
  assert.match(glue, /^ {8}b: function\(\) \{\n {12}const table = wasm\.__wbindgen_externrefs;/m);
  assert.match(glue, /"a": import0,\n {8}"\.\/__wasm_split\.js": import1/);
  // The exports the glue calls keep their names.
  assert.match(glue, /wasm\.__wbg_intounderlyingsink_free\(ptr, 1\)/);
  // A glue that names an import other than as a key, or not at all, stops the build.
  assert.throws(() => shortenImports(module(), GLUE.replace('arg0.addEventListener(arg1);', '__wbg_addEventListener_847fd86b8c33ec43();'), MODULE), /more than a key/);
  assert.throws(() => shortenImports(module(), GLUE.replace('__wbindgen_init_externref_table:', 'init:'), MODULE), /0 times/);
});

test('dropFromGlue removes the classes and the import entries the wasm no longer uses', () => {
  const used = importNames(module(), MODULE);
  const glue = dropFromGlue(GLUE, ['IntoUnderlyingSink'], used);
  assert.doesNotMatch(glue, /IntoUnderlyingSink|byobRequest/);
  assert.match(glue, /__wbg_addEventListener_847fd86b8c33ec43: function/);
  assert.match(glue, /__wbindgen_init_externref_table: function\(\) \{\n {12}const table/);
  assert.match(glue, /^ {4}\};\n {4}return \{/m, 'the imports object is closed as before');
  assert.throws(() => dropFromGlue(GLUE, ['IntoUnderlyingSource'], used), /no .* for IntoUnderlyingSource/);
});

