// Trunk post_build hook (also runnable by hand: TRUNK_STAGING_DIR=dir node scripts/post_build.mjs).
// 1. Adds a Content-Security-Policy to index.html, with the hash of each inline script Trunk wrote.
// 2. Writes sw.js from sw/sw.template.js with the list of every file of the build and a build id
//    derived from their contents, so content-hashed names and the cache name are always right.
// Idempotent: running it again on its own output gives the same result.

import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set');
const root = fileURLToPath(new URL('..', import.meta.url));

const indexPath = join(dir, 'index.html');
let html = await readFile(indexPath, 'utf8');
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
const list = JSON.stringify(['./', ...files.map((f) => `./${f}`)], null, 2);
await writeFile(join(dir, 'sw.js'), template.replace('__BUILD__', build).replace('__FILES__', list));
console.log(`post_build: CSP with ${hashes.length} script hash(es); sw.js caches ${files.length + 1} files as build ${build}`);
