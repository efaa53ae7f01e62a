// Trunk post_build hook (also runnable by hand: TRUNK_STAGING_DIR=dir node scripts/post_build.mjs).
// First, splits the pages beside the form out of the form's wasm (scripts/split_pages.mjs).
// Then, in release builds, minifies the stylesheet (esbuild) and updates its integrity hash.
// (The service worker of step 2 is minified too, in release builds.)
// 0. Gives the signer's worker (which Trunk names `signer.js` and `signer_bg.wasm`) content-hashed
//    names and a loader, and writes the loader's address in `<html data-signer>` for the app.
// 1. Adds a Content-Security-Policy to index.html, with the hash of each inline script Trunk wrote.
// 2. Writes sw.js from sw/sw.template.js with the list of every file of the build and a build id
//    derived from their contents, so content-hashed names and the cache name are always right.
// Idempotent: running it again on its own output gives the same result.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitPages } from './split_pages.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set');
const root = fileURLToPath(new URL('..', import.meta.url));

const indexPath = join(dir, 'index.html');
let html = await readFile(indexPath, 'utf8');
const release = process.env.TRUNK_PROFILE !== 'debug';
const split = await splitPages({ dir, html, root, release });
html = split.html;

// The stylesheet, minified (release builds), with its new integrity hash.
if (release) {
  const cssFile = (await readdir(dir)).find((f) => /^app-[0-9a-f]+\.css$/.test(f));
  if (!cssFile) throw new Error('the build has no stylesheet (app-<hash>.css)');
  const css = execFileSync('esbuild', ['--minify', '--loader=css', '--log-level=warning'],
    { input: await readFile(join(dir, cssFile)), stdio: ['pipe', 'pipe', 'inherit'] });
  await writeFile(join(dir, cssFile), css);
  const link = new RegExp(`(href="\\./${cssFile.replace('.', '\\.')}"[^>]*?integrity=")[^"]*(")`);
  if (!link.test(html)) throw new Error(`index.html has no integrity for ${cssFile}`);
  html = html.replace(link, `$1sha384-${createHash('sha384').update(css).digest('base64')}$2`);
}

// The catalogs, without the indentation their sources keep for translators (release builds):
// 0.1 KB gzip of a first visit's two files, in English.
if (release) {
  for (const lang of await readdir(join(dir, 'locales'))) {
    for (const file of await readdir(join(dir, 'locales', lang))) {
      const path = join(dir, 'locales', lang, file);
      await writeFile(path, JSON.stringify(JSON.parse(await readFile(path, 'utf8'))));
    }
  }
}

const staged = await readdir(dir);
if (staged.includes('signer.js') && staged.includes('signer_bg.wasm')) {
  const glue = await readFile(join(dir, 'signer.js'));
  const wasm = await readFile(join(dir, 'signer_bg.wasm'));
  const h = createHash('sha256').update(glue).update(wasm).digest('hex').slice(0, 16);
  await rename(join(dir, 'signer.js'), join(dir, `signer-${h}.js`));
  await rename(join(dir, 'signer_bg.wasm'), join(dir, `signer-${h}_bg.wasm`));
  // A failed start is thrown again outside the promise, so the page sees the worker's `error`.
  // The instance's exports stay reachable (`self.signer`), for the benchmark to read its memory.
  await writeFile(join(dir, `signer-${h}-worker.js`),
    `importScripts('./signer-${h}.js');\n` +
    `wasm_bindgen({ module_or_path: './signer-${h}_bg.wasm' })\n` +
    `  .then((exports) => { self.signer = exports; }, (e) => setTimeout(() => { throw e; }));\n`);
  html = html.replace(/<html([^>]*?)(?: data-signer="[^"]*")?>/, `<html$1 data-signer="./signer-${h}-worker.js">`);
} else if (!/data-signer="\.\/signer-[0-9a-f]{16}-worker\.js"/.test(html)) {
  throw new Error('the signer worker (signer.js, signer_bg.wasm) is missing from the build');
}
// index.html, minified (release builds): its inline scripts by esbuild (before their hashes are
// taken below), the indentation between its tags. 0.15 KB gzip.
if (release) {
  html = html.replace(/(<script(?: type="module")?>)([\s\S]*?)(<\/script>)/g, (all, open, body, close) =>
    // A script on one line is minified already (this hook ran before): left as it is, so that
    // running again gives the same file.
    !body.trim().includes('\n') ? all : open + execFileSync('esbuild', ['--minify', '--loader=js', ...(open.includes('module') ? ['--format=esm'] : []), '--log-level=warning'],
      { input: body, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] }).trim() + close);
  html = html.replace(/>\s*\n\s*</g, '><');
}
html = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
const hashes = [...html.matchAll(/<script(?: [^>]*)?>([\s\S]*?)<\/script>/g)]
  .filter((m) => m[1].trim() !== '')
  .map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
const csp = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
html = html.replace(/<meta charset="utf-8">/, `<meta charset="utf-8">\n    <meta http-equiv="Content-Security-Policy" content="${csp}">`);
await writeFile(indexPath, html);

async function walk(d) {
  const out = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...await walk(p));
    else out.push(p);
  }
  return out;
}
const files = (await walk(dir)).map((p) => relative(dir, p).split('\\').join('/')).filter((f) => f !== 'sw.js').sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update('\0').update(await readFile(join(dir, f)));
const build = hash.digest('hex').slice(0, 16);
const template = await readFile(join(root, 'sw', 'sw.template.js'), 'utf8');
const list = JSON.stringify(['./', ...files.map((f) => `./${f}`)]);
let sw = template.replace('__BUILD__', build).replace('__FILES__', list);
// Minified in release builds (0.4 KB gzip of a first visit). A classic script: its top-level
// names (BUILD, FILES) stay as they are.
if (release) {
  sw = execFileSync('esbuild', ['--minify', '--loader=js', '--log-level=warning'],
    { input: sw, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
}
await writeFile(join(dir, 'sw.js'), sw);
console.log(`post_build: ${split.modules} split-off module(s); CSP with ${hashes.length} script hash(es); sw.js caches ${files.length + 1} files as build ${build}`);
