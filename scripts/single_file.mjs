// Makes one self-contained HTML file from a release build: CSS, icon, JS glue and wasm inlined,
// with its own Content-Security-Policy. It opens from disk (file://) with no server, for
// distribution by email or USB stick. No service worker there: the file itself is the offline copy.
//
//   node scripts/single_file.mjs [dist] [out.html]

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const out = process.argv[3] ?? 'dist-single/untoc-art32-questionnaire.html';
const files = await readdir(dist);
const pick = (re) => {
  const f = files.find((x) => re.test(x));
  if (!f) throw new Error(`no file matching ${re} in ${dist}`);
  return join(dist, f);
};
// The form's styles and those of the pages fetched later, which the web build fetches apart.
const css = `${await readFile(pick(/^app-.*\.css$/), 'utf8')}\n${await readFile(pick(/^pages-.*\.css$/), 'utf8')}`;
const icon = (await readFile(pick(/^icon\.svg$/))).toString('base64');
const wasm = (await readFile(pick(/^untoc-art32-[0-9a-f]+_bg\.wasm$/))).toString('base64');
const glueFile = files.find((x) => /^untoc-art32-[0-9a-f]+\.js$/.test(x));
// The signer's worker starts from a blob: address made here, with its wasm inside.
const signerGlue = await readFile(pick(/^signer-[0-9a-f]+\.js$/), 'utf8');
const signerWasm = (await readFile(pick(/^signer-[0-9a-f]+_bg\.wasm$/))).toString('base64');
const signerSource = `${signerGlue}
wasm_bindgen({ module_or_path: Uint8Array.from(atob(${JSON.stringify(signerWasm)}), (c) => c.charCodeAt(0)) })
  .catch((e) => setTimeout(() => { throw e; }));
`;

// The glue is an ES module that imports the loader of the lazy pages (a module per
// page, the split step of scripts/build.mjs); esbuild bundles both into the page's one script. In the
// loader, each module's bytes replace its fetch (fetch does not work from file://).
const work = await mkdtemp(join(tmpdir(), 'single-file-'));
let script;
try {
  await writeFile(join(work, glueFile), await readFile(join(dist, glueFile)));
  const loaderFile = files.find((x) => /^pages-[0-9a-f]+\.js$/.test(x));
  if (loaderFile) {
    let loader = await readFile(join(dist, loaderFile), 'utf8');
    const fetches = [...loader.matchAll(/fetch\(new URL\("\.\/([^"]+\.wasm)",\s*import\.meta\.url\)\)/g)];
    if (fetches.length === 0) throw new Error('the page loader fetches no module');
    for (const [call, file] of fetches) {
      const b64 = (await readFile(join(dist, file))).toString('base64');
      loader = loader.replace(call, `Promise.resolve(new Response(Uint8Array.from(atob("${b64}"), (c) => c.charCodeAt(0)), ` +
        `{ headers: { 'content-type': 'application/wasm' } }))`);
    }
    if (loader.includes('import.meta')) throw new Error('the page loader still refers to its own address');
    await writeFile(join(work, loaderFile), loader);
  }
  await writeFile(join(work, 'entry.js'), `import init from './${glueFile}';
document.documentElement.dataset.signer = URL.createObjectURL(
  new Blob([${JSON.stringify(signerSource)}], { type: 'text/javascript' }));
await init({ module_or_path: Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0)) });
`);
  execFileSync('esbuild', [join(work, 'entry.js'), '--bundle', '--format=esm', '--minify', '--log-level=warning', '--log-override:duplicate-object-key=silent',
    `--outfile=${join(work, 'out.js')}`], { stdio: 'inherit' });
  script = await readFile(join(work, 'out.js'), 'utf8');
} finally {
  await rm(work, { recursive: true, force: true });
}
// Nothing may close the inline script early, and nothing may be left to fetch.
if (/<\/script/i.test(script)) throw new Error('the bundled script contains </script');
if (/(^|[;}])\s*(import|export)\b/.test(script)) throw new Error('an import or export is left in the bundled script');
// Every language travels inside the page, as JSON data blocks the app reads before any fetch
// (fetch does not work from file://). `<` is escaped so no text can close the element.
const locales = [];
for (const lang of (await readdir(join(dist, 'locales'))).sort()) {
  for (const part of ['ui', 'start', 'questionnaire', 'pages']) {
    const text = (await readFile(join(dist, 'locales', lang, `${part}.json`), 'utf8')).replace(/</g, '\\u003c');
    locales.push(`<script type="application/json" id="locale-${lang}-${part}">${text}</script>`);
  }
}
const sha = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
const csp = [
  "default-src 'none'",
  `script-src 'wasm-unsafe-eval' ${sha(script)}`,
  `style-src ${sha(css)}`,
  'img-src data:',
  'worker-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
const html = `<!doctype html>
<html lang="en" dir="ltr">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light">
    <title>Article 32 questionnaire</title>
    <link rel="icon" href="data:image/svg+xml;base64,${icon}">
    <style>${css}</style>
    <script type="module">${script}</script>
  </head>
  <body>
    ${locales.join('\n    ')}
    <noscript>This questionnaire needs JavaScript and WebAssembly. 本调查表需要 JavaScript 和 WebAssembly。</noscript>
  </body>
</html>
`;
await writeFile(out, html);
console.log(`single file: ${out} (${html.length} bytes)`);
