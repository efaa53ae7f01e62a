// Part of the Trunk post_build hook (scripts/post_build.mjs): moves the pages beside the form out
// of the form's wasm, and the rows of repeatable questions (see src/ui/later.rs).
//
// Trunk builds the app with the `split-pages` feature, whose split points import their loaders
// from a placeholder module: Trunk's own wasm-bindgen output cannot run as is. This step starts
// again from cargo's wasm (the app's binary is linked with --emit-relocs, see build.rs):
//   wasm-split   -> the form's module, one module per page, shared chunks, and the loader script
//   wasm-bindgen -> the form's glue, under Trunk's file name, so index.html stays as Trunk wrote it;
//                   --keep-lld-exports, for the table the page modules share with the form's
//   wasm-opt -Oz -> every module (release builds; index.html turns Trunk's own wasm-opt off for the app)
//   esbuild      -> the glue and the loader, minified (release builds)
//   trim_glue.mjs -> without the unused exports of wasm-streams; short names for what the wasm
//                    imports from the glue and for its closures' exports (release builds)
// then gives the page modules and the loader content-hashed names and puts the new integrity
// hashes in index.html. A build without the feature is left untouched.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropExports, dropFromGlue, exportNames, importNames, shortenExports, shortenImports } from './trim_glue.mjs';

const PLACEHOLDER = '__wasm_split_placeholder__';
// What wasm-streams (through Leptos's server_fn) exports, and the app never uses. The release
// build's linker leaves the exports out (scripts/wasm-ld.sh); a build linked without it has them
// dropped here, which leaves their code in the wasm (the function table keeps it).
const STREAM_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];
const STREAM_EXPORT = /^(__wbg_)?intounderlying(bytesource|sink|source)_/;
// What wasm-bindgen exports for the closures it hands to JavaScript, named after their Rust types.
const CLOSURE_EXPORT = /^wasm_bindgen_[0-9a-f]+___convert__closures_/;

const sha384 = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
// Content hashes in file names: 8 hex digits tell a build's 50 modules apart and a changed module
// from its old self; every name is written in the loader and the service worker's list, where
// hex digits do not compress (16 cost 0.5 KB gzip more on a first visit).
const short = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 8);
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
// `--low-memory-unused` lets wasm-opt fold constant offsets into loads and stores, which holds
// when the first 1 KB of memory is never addressed: Rust lays out the stack first (1 MB, growing
// down from its top, with the data above it), so only a stack 1 KB short of overflowing reaches
// it. 0.75 KB gzip off the form's wasm.
// wasm-opt warns about every module wasm-split wrote: it does not know one subsection of their
// names (which -Oz drops anyway). Everything else it says is shown.
const wasmOpt = (file) => {
  const { status, stderr, error } = spawnSync('wasm-opt', ['-Oz', '--low-memory-unused', '--strip-producers', '--strip-target-features', file, `--output=${file}`], { encoding: 'utf8' });
  const said = (stderr ?? '').split('\n').filter((l) => l && !/^warning: unknown name subsection with id 3 at \d+$/.test(l));
  if (said.length) console.error(said.join('\n'));
  if (error || status !== 0) throw new Error(`wasm-opt failed on ${file}: ${error ?? `exit status ${status}`}`);
};

// Minifies an ES module. Only local names change: what it imports and exports keeps its name,
// and so do the properties of the wasm's imports object.
const minify = (source) => execFileSync('esbuild', ['--minify', '--format=esm', '--loader=js', '--log-level=warning', '--log-override:duplicate-object-key=silent'],
  { input: source, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });

/** Writes the split build into `dir`; returns index.html with its integrity hashes updated (unchanged when nothing was split). */
export async function splitPages({ dir, html, root, release }) {
  // As Trunk writes it, or as minified by post_build.mjs (a build whose hook runs again).
  const name = html.match(/from\s*['"]\.\/(untoc-art32-[0-9a-f]+)\.js['"]/)?.[1];
  if (!name) throw new Error('index.html does not load the app (untoc-art32-<hash>.js)');
  const glue = await readFile(join(dir, `${name}.js`), 'utf8');
  if (!glue.includes(PLACEHOLDER)) return { html, modules: 0 };

  const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const input = join(targetDir, 'wasm32-unknown-unknown', release ? 'release' : 'debug', 'untoc-art32.wasm');
  const work = await mkdtemp(join(tmpdir(), 'split-pages-'));
  try {
    run('wasm-split-cli', [input, work, '--out-name', name]);
    run('wasm-bindgen', ['--target=web', `--out-dir=${join(work, 'bindgen')}`, `--out-name=${name}`,
      '--no-typescript', '--keep-lld-exports', ...(release ? [] : ['--keep-debug']), join(work, `${name}.wasm`)]);

    const modules = (await readdir(work)).filter((f) => /^(split|chunk)_.*\.wasm$/.test(f)).sort();
    const mainWasm = join(work, 'bindgen', `${name}_bg.wasm`);
    if (release) {
      const linked = await readFile(mainWasm);
      if (exportNames(linked).some((e) => STREAM_EXPORT.test(e))) {
        console.warn('the wasm exports wasm-streams\' classes: linked without scripts/wasm-ld.sh (use_release_flags in scripts/env.sh)?');
        await writeFile(mainWasm, dropExports(linked, (e) => STREAM_EXPORT.test(e)));
      }
      for (const f of [mainWasm, ...modules.map((m) => join(work, m))]) wasmOpt(f);
    }

    // Content-hashed names: a browser never mixes modules of two builds.
    let loader = await readFile(join(work, '__wasm_split.js'), 'utf8');
    for (const m of modules) {
      const bytes = await readFile(join(work, m));
      const hashed = `${m.replace(/\.wasm$/, '')}-${short(bytes)}.wasm`;
      if (!loader.includes(`"./${m}"`)) throw new Error(`the loader does not name ${m}`);
      loader = loader.split(`"./${m}"`).join(`"./${hashed}"`);
      await writeFile(join(dir, hashed), bytes);
    }
    if (release) loader = minify(loader);
    const loaderName = `pages-${short(loader)}.js`;
    await writeFile(join(dir, loaderName), loader);

    let newGlue = await readFile(join(work, 'bindgen', `${name}.js`), 'utf8');
    // Only the import statements: the wasm's own import module keeps its name in the imports object.
    const importLine = /^(import \* as \w+ from )"\.\/__wasm_split\.js"/gm;
    if (!importLine.test(newGlue)) throw new Error('the glue does not import the loader');
    newGlue = newGlue.replace(importLine, `$1"./${loaderName}"`);
    if (newGlue.includes(PLACEHOLDER)) throw new Error('a split point was left unresolved');
    let wasm = await readFile(mainWasm);
    if (release) {
      newGlue = dropFromGlue(newGlue, STREAM_CLASSES, importNames(wasm, `./${name}_bg.js`));
      newGlue = minify(newGlue);
      ({ wasm, glue: newGlue } = shortenImports(wasm, newGlue, `./${name}_bg.js`));
      ({ wasm, glue: newGlue } = shortenExports(wasm, newGlue, (e) => CLOSURE_EXPORT.test(e)));
    }
    await writeFile(join(dir, `${name}.js`), newGlue);
    await writeFile(join(dir, `${name}_bg.wasm`), wasm);

    // Trunk's preload links carry the hashes of the files it wrote: give them the new ones, and
    // preload the loader too (the glue imports it), so it does not cost a round trip of its own.
    const withIntegrity = (file, bytes) => {
      const re = new RegExp(`(href="\\./${file.replace(/[.]/g, '\\.')}"[^>]*?integrity=")[^"]*(")`);
      if (!re.test(html)) throw new Error(`index.html has no integrity for ${file}`);
      html = html.replace(re, `$1${sha384(bytes)}$2`);
    };
    withIntegrity(`${name}.js`, newGlue);
    withIntegrity(`${name}_bg.wasm`, wasm);
    html = html.replace(/\s*<link rel="modulepreload" href="\.\/pages-[0-9a-f]+\.js"[^>]*>/, '');
    html = html.replace(/(<link rel="modulepreload" href="\.\/untoc-art32-[^>]*>)/,
      `$1<link rel="modulepreload" href="./${loaderName}" crossorigin="anonymous" integrity="${sha384(loader)}">`);
    return { html, modules: modules.length };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
