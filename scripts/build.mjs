// The release build, top to bottom: `node scripts/build.mjs [--no-<step>]... [--plain] [--strict]`.
//
// Trunk compiles both wasm binaries (the form and the signer's worker), copies the assets and
// writes index.html; it then calls this same program back as its post_build hook (Trunk.toml),
// which takes cargo's two wasm files through the steps below and rewrites Trunk's output with
// the result. Trunk's own wasm-bindgen output is replaced: the split step must come between the
// link and wasm-bindgen, and Trunk has no hook there.
//
// The steps, in order. Those marked optional are size work; each can be turned off by its flag,
// and `--plain` turns them all off, which gives a larger build that works the same (CI builds
// and boots it too). The required ones make the app what it is.
//
//   std        optional  compile the standard library with the app (cargo's build-std) and make
//                        a panic a trap (-Cpanic=immediate-abort): unstable options of rustc and
//                        cargo, allowed on stable by RUSTC_BOOTSTRAP
//   link-trim  optional  link without the exports of wasm-streams' classes (scripts/wasm-ld.sh):
//                        Leptos's server_fn brings them, this app never uses them
//   compile    required  Trunk runs cargo for both binaries (the form with `split-pages`)
//   split      required  wasm-split moves each lazy part of the form into a module of its own
//   bindgen    required  wasm-bindgen writes the JavaScript glue of the form and of the signer
//   optimise   optional  wasm-opt -Oz, on every module of both
//   defer      optional  the loader of the lazy modules leaves the first visit: the glue imports
//                        it when a lazy part is first needed (wasm-split's loader calls back
//                        through the function table; the glue does the same when it cannot come)
//   trim       optional  the form's glue loses wasm-streams' classes, and the wasm's imports get
//                        short names (scripts/trim_glue.mjs: wasm-bindgen's naming, by pattern);
//                        it minifies the glue itself first
//   minify     optional  esbuild on the glue, the loader, the stylesheet, index.html's scripts and
//                        the service worker; the catalogs without indentation
//   stamp      required  content-hashed names for the lazy modules and the signer, integrity
//                        hashes, the Content-Security-Policy, the service worker's file list
//
// Each step reports the gzip bytes it saved (the compile-time ones cannot be measured within
// one build: build with their flag to compare). An optional step that no longer applies, after
// an upgrade of a tool it depends on, is skipped with a warning that says why and what it used
// to save, and the build goes on to a working app; `--strict` makes that an error.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { dropExports, dropFromGlue, exportNames, importNames, shortenImports } from './trim_glue.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
// The hook may run with another target folder (below): the report's place is passed on.
const REPORT = process.env.ART32_BUILD_REPORT ?? join(TARGET, 'build-report.json');

/** The optional steps, with what each saved when last measured, gzip (docs/performance.md). */
const OPTIONAL = {
  std: { saved: '18 KB of a first visit' },
  'link-trim': { saved: '5.5 KB of a first visit' },
  optimise: { saved: '290 KB over every module and the signer' },
  defer: { saved: '1.3 KB of a first visit' },
  trim: { saved: '8.4 KB of a first visit' },
  minify: { saved: '3.9 KB' },
};
const COMPILE_TIME = ['std', 'link-trim'];

// ---------------------------------------------------------------------------------------------
// The command: flags, the compile-time steps, Trunk, the report.

async function main(args) {
  const off = new Set();
  let strict = false;
  let command = ['build'];
  const trunkArgs = [];
  for (const a of args) {
    if (a === '--plain') Object.keys(OPTIONAL).forEach((s) => off.add(s));
    else if (a === '--strict') strict = true;
    else if (a === '--serve') command = ['serve'];
    else if (a.startsWith('--dist=') || a.startsWith('--port=') || a.startsWith('--address=')) trunkArgs.push(a);
    else if (a.startsWith('--no-') && a.slice(5) in OPTIONAL) off.add(a.slice(5));
    else {
      console.error(`unknown argument ${a}\nusage: node scripts/build.mjs [--serve] [--dist=DIR] [--port=N] [--plain] [--strict] ${Object.keys(OPTIONAL).map((s) => `[--no-${s}]`).join(' ')}`);
      process.exit(2);
    }
  }
  await rm(REPORT, { force: true });
  const trunk = (off) => runTrunk([...command, '--release', ...trunkArgs], off, strict);
  let ok = trunk(off);
  const hookFailed = await readReport().then((r) => r?.failed, () => false);
  const tricks = COMPILE_TIME.filter((s) => !off.has(s));
  if (!ok && !hookFailed && !strict && tricks.length > 0) {
    // A compile that fails with the compile-time steps on may fail for their sake (a new rustc
    // that changed an unstable option): try once more without them.
    for (const s of tricks) warn(s, 'the compile failed with it on; building again without it', true);
    tricks.forEach((s) => off.add(s));
    ok = trunk(off);
  }
  if (!ok) process.exit(1);
}

/** Runs Trunk with the compile-time steps that are on; true if it succeeded. */
function runTrunk(args, off, strict) {
  const env = { ...process.env, ART32_BUILD_OFF: [...off].join(','), ART32_BUILD_STRICT: strict ? '1' : '', ART32_BUILD_REPORT: REPORT };
  // Set here and not in Cargo.toml: the tests' builds keep Rust's panic messages, which is how a
  // failing test says what failed. In the release build a panic is a trap ("unreachable" in the
  // console): the user sees what a panic showed before, nothing, and every answer is already in
  // storage, since each is saved as it is typed.
  if (!off.has('std')) {
    Object.assign(env, {
      RUSTC_BOOTSTRAP: '1',
      CARGO_UNSTABLE_BUILD_STD: 'std,panic_abort',
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: '-Zunstable-options -Cpanic=immediate-abort',
    });
  }
  if (!off.has('link-trim')) env.CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER = join(ROOT, 'scripts', 'wasm-ld.sh');
  // A separate target folder for each set of compile-time options: switching does not rebuild.
  const flavour = COMPILE_TIME.filter((s) => off.has(s)).map((s) => `no-${s}`).join('-');
  if (flavour) env.CARGO_TARGET_DIR = join(TARGET, flavour);
  return spawnSync('trunk', args, { cwd: ROOT, env, stdio: 'inherit' }).status === 0;
}

async function readReport() {
  return JSON.parse(await readFile(REPORT, 'utf8'));
}

function print(report, off) {
  console.log('\nstep        result    gzip saved  note');
  for (const s of COMPILE_TIME) {
    console.log(`${s.padEnd(11)} ${(off.has(s) ? 'off' : 'on').padEnd(9)} ${'-'.padStart(10)}  compile-time: compare with --no-${s} (last measured ${OPTIONAL[s].saved})`);
  }
  for (const r of report.steps) {
    console.log(`${r.step.padEnd(11)} ${r.result.padEnd(9)} ${(r.saved == null ? '-' : kb(r.saved)).padStart(10)}  ${r.note ?? ''}`);
  }
  console.log(`\nfirst visit without its language: ${kb(report.firstVisit)} gzip (${report.dir})`);
}

function warn(step, why, skipped) {
  console.warn(`\x1b[33mwarning: step "${step}" ${skipped ? 'skipped' : 'did nothing'}: ${why}; ` +
    `the build is larger by what it saved (last measured: ${OPTIONAL[step].saved}). ` +
    `Build with --no-${step} to silence this, or --strict to make it an error.\x1b[0m`);
}

// ---------------------------------------------------------------------------------------------
// The hook: every step after the link, on Trunk's staging folder.

async function afterLink(dir) {
  const release = process.env.TRUNK_PROFILE !== 'debug';
  // Run by Trunk directly (`trunk serve`, a bare `trunk build`): the compile-time steps were not
  // applied, and the size work after the link is done in release builds only.
  const off = new Set(process.env.ART32_BUILD_OFF !== undefined
    ? process.env.ART32_BUILD_OFF.split(',').filter(Boolean)
    : [...COMPILE_TIME, ...(release ? [] : ['optimise', 'trim', 'minify'])]);
  const strict = process.env.ART32_BUILD_STRICT === '1';
  const profile = release ? 'release' : 'debug';
  const cargoWasm = (bin) => join(TARGET, 'wasm32-unknown-unknown', profile, `${bin}.wasm`);
  const steps = [];
  const work = await mkdtemp(join(tmpdir(), 'art32-build-'));
  const b = {
    dir, work, release,
    html: await readFile(join(dir, 'index.html'), 'utf8'),
    form: null, modules: [], loader: null, loaderName: null, loaderDeferred: false, minify: !off.has('minify'),
    catalogs: (await walk(join(dir, 'locales'))).filter((f) => f.endsWith('.json')).sort(),
  };
  // index.html loads the form as Trunk named it (`untoc-art32-<hash>.js`): its files keep that name.
  b.form = b.html.match(/from\s*['"]\.\/(untoc-art32-[0-9a-f]+)\.js['"]/)?.[1];
  if (!b.form) throw new Error('index.html does not load the app (untoc-art32-<hash>.js)');

  const run = async (step, fn, { optional = false, files = () => [] } = {}) => {
    if (optional && off.has(step)) {
      steps.push({ step, result: 'off' });
      return;
    }
    const before = await gz(files());
    const snapshot = optional ? await keep(files()) : null;
    try {
      const note = await fn();
      steps.push({ step, result: 'done', saved: optional ? before - await gz(files()) : null, note });
    } catch (e) {
      if (!optional || strict) {
        steps.push({ step, result: 'failed', note: e.message });
        await writeReport({ steps, failed: true, dir, firstVisit: 0 });
        throw e;
      }
      await restore(snapshot);
      warn(step, e.message, true);
      steps.push({ step, result: 'skipped', note: e.message });
    }
  };

  try {
    const formWasm = () => [join(work, `${b.form}_bg.wasm`), ...b.modules.map((m) => join(work, m))];
    const signerWasm = () => [join(work, 'signer_bg.wasm')];
    const glue = () => [join(work, `${b.form}.js`), ...(b.loader ? [join(work, b.loader)] : [])];

    await run('split', () => split(b, cargoWasm('untoc-art32')));
    await run('bindgen', () => bindgen(b, cargoWasm('signer')));
    if (!off.has('link-trim') && release) {
      // The linker wrapper cannot tell whether it found what it was written for; this can.
      const exported = exportNames(await readFile(join(work, `${b.form}_bg.wasm`)));
      if (exported.some((e) => STREAM_EXPORT.test(e))) {
        const why = 'the wasm still exports wasm-streams\' classes';
        if (strict) throw new Error(`step "link-trim" did nothing: ${why}`);
        warn('link-trim', why, false);
      }
    }
    await run('optimise', () => { optimise(formWasm(), FORM_OPT); optimise(signerWasm(), []); }, { optional: true, files: () => [...formWasm(), ...signerWasm()] });
    // What it saves is the loader, out of a first visit, less what the glue gains.
    await run('defer', () => defer(b), { optional: true, files: () => b.loader ? [...glue().slice(0, b.loaderDeferred ? 1 : 2)] : [] });
    await run('trim', () => trim(b), { optional: true, files: () => [...formWasm(), ...glue()] });
    await run('minify', () => minify(b), { optional: true, files: () => [...glue(), join(work, 'signer.js'), ...cssAndCatalogs(b)] });
    await run('stamp', () => stamp(b));
    const report = { steps, failed: false, dir: relative(ROOT, process.env.TRUNK_DIST_DIR ?? dir), firstVisit: await gz(firstVisit(b)) };
    await writeReport(report);
    print(report, off);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const writeReport = async (report) => {
  await mkdir(dirname(REPORT), { recursive: true });
  await writeFile(REPORT, JSON.stringify(report, null, 2));
};

const PLACEHOLDER = '__wasm_split_placeholder__';
// What wasm-streams (through Leptos's server_fn) exports, and the app never uses.
const STREAM_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];
const STREAM_EXPORT = /^(__wbg_)?intounderlying(bytesource|sink|source)_/;
const ESM = ['--format=esm', '--log-override:duplicate-object-key=silent'];

/** split: the form's wasm, its lazy modules (`split_*`, `chunk_*`) and their loader, in `work`. */
async function split(b, input) {
  const wasm = await readFile(input);
  if (!wasm.includes(PLACEHOLDER)) {
    // Built without `split-pages` (the tests' builds): one wasm.
    await cp(input, join(b.work, `${b.form}.wasm`));
    return 'not built with split-pages: one module';
  }
  await mkdir(join(b.work, 'split'));
  sh('wasm-split-cli', [input, join(b.work, 'split'), '--out-name', b.form]);
  await rename(join(b.work, 'split', `${b.form}.wasm`), join(b.work, `${b.form}.wasm`));
  for (const f of await readdir(join(b.work, 'split'))) {
    if (/^(split|chunk)_.*\.wasm$/.test(f)) b.modules.push(f);
    await rename(join(b.work, 'split', f), join(b.work, f));
  }
  b.modules.sort();
  b.loader = '__wasm_split.js';
  const lazy = await gz(b.modules.map((m) => join(b.work, m)));
  return `${b.modules.length} lazy modules, ${kb(lazy)} gzip before optimising, out of a first visit`;
}

/** bindgen: the glue of the form (an ES module) and of the signer (a classic worker script). */
async function bindgen(b, signerInput) {
  const debug = b.release ? [] : ['--keep-debug'];
  sh('wasm-bindgen', ['--target=web', `--out-dir=${join(b.work, 'bindgen')}`, `--out-name=${b.form}`, '--no-typescript',
    // The lazy modules share the form's function table, which lld exports.
    ...(b.loader ? ['--keep-lld-exports'] : []), ...debug, join(b.work, `${b.form}.wasm`)]);
  sh('wasm-bindgen', ['--target=no-modules', `--out-dir=${join(b.work, 'bindgen')}`, '--out-name=signer', '--no-typescript',
    ...debug, signerInput]);
  for (const f of [`${b.form}.js`, `${b.form}_bg.wasm`, 'signer.js', 'signer_bg.wasm']) {
    await rename(join(b.work, 'bindgen', f), join(b.work, f));
  }
  if (b.loader) {
    const glue = await readFile(join(b.work, `${b.form}.js`), 'utf8');
    if (glue.includes(PLACEHOLDER)) throw new Error('a split point was left unresolved');
  }
}

// `--low-memory-unused` lets wasm-opt fold constant offsets into loads and stores, which holds
// when the first 1 KB of memory is never addressed: rustc's wasm target lays out the stack first
// (1 MB, growing down from its top, with the data above it), so only a stack 1 KB short of
// overflowing reaches it. The form's modules only: 0.75 KB gzip of a first visit.
const FORM_OPT = ['--low-memory-unused'];

/** optimise: wasm-opt -Oz, without the sections browsers ignore. */
function optimise(files, extra) {
  for (const f of files) {
    // wasm-opt warns about every module wasm-split wrote: it does not know one subsection of their
    // names (which -Oz drops anyway). Everything else it says is shown.
    const { status, stderr, error } = spawnSync('wasm-opt', ['-Oz', ...extra, '--strip-producers', '--strip-target-features', f, `--output=${f}`], { encoding: 'utf8' });
    const said = (stderr ?? '').split('\n').filter((l) => l && !/^warning: unknown name subsection with id 3 at \d+$/.test(l));
    if (said.length) console.error(said.join('\n'));
    if (error || status !== 0) throw new Error(`wasm-opt failed on ${f}: ${error ?? `exit status ${status}`}`);
  }
}

/**
 * defer: the glue stops importing the loader of the lazy modules (`__wasm_split.js`) statically,
 * so a first visit goes without it. Each function the wasm imports from it becomes a stub that
 * imports the loader and calls the function of the same name; if the loader cannot be fetched,
 * the stub reports the failure as the loader itself would (`callback(data, false)` through the
 * function table), so the lazy part shows "Try again".
 */
async function defer(b) {
  if (!b.loader) return 'no lazy modules';
  const loader = await readFile(join(b.work, b.loader), 'utf8');
  // What the stub copies from the loader: how it reports an outcome.
  const callback = '__indirect_function_table.get(callbackIndex)(callbackData, success)';
  if (!loader.includes(callback)) throw new Error('wasm-split\'s loader no longer reports through the function table as the stub does');
  const glueFile = join(b.work, `${b.form}.js`);
  let glue = await readFile(glueFile, 'utf8');
  const importLine = /^import \* as (\w+) from "\.\/__wasm_split\.js";?\n/gm;
  const names = [...glue.matchAll(importLine)].map((m) => m[1]);
  if (names.length === 0) throw new Error('the glue does not import the loader as expected');
  const functions = [...importNames(await readFile(join(b.work, `${b.form}_bg.wasm`)), './__wasm_split.js')];
  if (functions.length === 0 || functions.some((f) => !/^__wasm_split_load_\w+$/.test(f))) {
    throw new Error(`the wasm imports from the loader more than its load functions: ${functions}`);
  }
  const stubs = functions.map((f) => `  ${f}: (callbackIndex, callbackData) => lazyLoader().then(` +
    `(loader) => loader.${f}(callbackIndex, callbackData), ` +
    `() => wasm.${callback.replace('success', 'false')}),`);
  glue = glue.replace(importLine, '');
  glue = `const lazyLoader = () => import("./__wasm_split.js");\nconst lazyLoad = {\n${stubs.join('\n')}\n};\n` +
    names.map((n) => `const ${n} = lazyLoad;\n`).join('') + glue;
  if (!/^let wasm[,;]|^let [\w, ]*\bwasm\b/m.test(glue)) throw new Error('the glue keeps its instance elsewhere than `wasm`');
  await writeFile(glueFile, glue);
  b.loaderDeferred = true;
  return `${functions.length} load functions, the loader fetched with the first lazy part`;
}

/** trim: the form's glue without wasm-streams' classes; short names for what the wasm imports. */
async function trim(b) {
  const wasmFile = join(b.work, `${b.form}_bg.wasm`);
  const glueFile = join(b.work, `${b.form}.js`);
  let wasm = await readFile(wasmFile);
  let glue = await readFile(glueFile, 'utf8');
  const notes = [];
  if (exportNames(wasm).some((e) => STREAM_EXPORT.test(e))) {
    // Linked without link-trim: the exports go here, their code stays (the function table keeps it).
    wasm = dropExports(wasm, (e) => STREAM_EXPORT.test(e));
    notes.push('dropped wasm-streams\' exports');
  }
  const module = `./${b.form}_bg.js`;
  glue = dropFromGlue(glue, STREAM_CLASSES, importNames(wasm, module));
  glue = esbuild(glue, ESM);
  b.glueMinified = true;
  ({ wasm, glue } = shortenImports(wasm, glue, module));
  await writeFile(wasmFile, wasm);
  await writeFile(glueFile, glue);
  return ['glue without wasm-streams\' classes', 'imports renamed', ...notes].join('; ');
}

/** minify: the form's glue and loader (ES modules: only local names change), the signer's glue, the stylesheet, index.html's scripts, the catalogs. */
async function minify(b) {
  for (const f of [...(b.glueMinified ? [] : [`${b.form}.js`]), ...(b.loader ? [b.loader] : [])]) {
    await writeFile(join(b.work, f), esbuild(await readFile(join(b.work, f), 'utf8'), ESM));
  }
  // A classic script: its top-level names (wasm_bindgen) stay.
  await writeFile(join(b.work, 'signer.js'), esbuild(await readFile(join(b.work, 'signer.js'), 'utf8')));
  const [css, ...catalogs] = cssAndCatalogs(b);
  await writeFile(css, esbuild(await readFile(css, 'utf8'), [], 'css'));
  for (const f of catalogs) await writeFile(f, JSON.stringify(JSON.parse(await readFile(f, 'utf8'))));
  b.html = b.html.replace(/(<script(?: type="module")?>)([\s\S]*?)(<\/script>)/g, (all, open, body, close) =>
    open + esbuild(body, open.includes('module') ? ['--format=esm'] : []).trim() + close);
  b.html = b.html.replace(/>\s*\n\s*</g, '><');
}

/** stamp: the build's files in place, named by content, with integrity hashes, CSP and the service worker's list. */
async function stamp(b) {
  const { dir, work } = b;
  const short = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  // Lazy modules and their loader, named by content: a browser never mixes modules of two builds.
  let loaderName = null;
  let loader = null;
  if (b.loader) {
    loader = await readFile(join(work, b.loader), 'utf8');
    for (const m of b.modules) {
      const bytes = await readFile(join(work, m));
      const hashed = `${m.replace(/\.wasm$/, '')}-${short(bytes)}.wasm`;
      if (!loader.includes(`"./${m}"`)) throw new Error(`the loader does not name ${m}`);
      loader = loader.split(`"./${m}"`).join(`"./${hashed}"`);
      await writeFile(join(dir, hashed), bytes);
    }
    loaderName = b.loaderName = `pages-${short(loader)}.js`;
    await writeFile(join(dir, loaderName), loader);
    let glue = await readFile(join(work, `${b.form}.js`), 'utf8');
    // Imported by name (`import * as`), or, deferred, by `import(...)`; the imports object keeps
    // the module's name as the wasm knows it.
    const named = /(from\s*|import\(\s*)(["'])\.\/__wasm_split\.js\2/g;
    if (!named.test(glue)) throw new Error('the glue does not import the loader');
    glue = glue.replace(named, `$1"./${loaderName}"`);
    await writeFile(join(work, `${b.form}.js`), glue);
  }
  // The form's glue and wasm, under Trunk's names: index.html loads them.
  // Trunk's links carry the integrity of the files it wrote: they get the new files' hashes.
  const withIntegrity = (file, bytes) => {
    const link = new RegExp(`(href="\\./${file.replace(/[.]/g, '\\.')}"[^>]*?integrity=")[^"]*(")`);
    if (!link.test(b.html)) throw new Error(`index.html has no integrity for ${file}`);
    b.html = b.html.replace(link, `$1${sha384(bytes)}$2`);
  };
  for (const f of [`${b.form}.js`, `${b.form}_bg.wasm`]) {
    const bytes = await readFile(join(work, f));
    await writeFile(join(dir, f), bytes);
    withIntegrity(f, bytes);
  }
  // The loader, unless deferred, is preloaded with the glue that imports it: no round trip of its own.
  if (loaderName && !b.loaderDeferred) {
    b.html = b.html.replace(/(<link rel="modulepreload" href="\.\/untoc-art32-[^>]*>)/,
      `$1<link rel="modulepreload" href="./${loaderName}" crossorigin="anonymous" integrity="${sha384(loader)}">`);
  }
  // The stylesheet (minified or not).
  const css = cssAndCatalogs(b)[0];
  withIntegrity(relative(dir, css), await readFile(css));
  // The lazy pages' stylesheet: named by content, added by the app from <html data-pages-css>
  // when the first of those pages opens.
  const pagesCss = await readFile(join(dir, 'pages.css'), 'utf8');
  const pagesCssName = `pages-${short(pagesCss)}.css`;
  await rm(join(dir, 'pages.css'));
  await writeFile(join(dir, pagesCssName), b.minify ? esbuild(pagesCss, [], 'css') : pagesCss);
  b.html = b.html.replace(/<html([^>]*?)(?: data-pages-css="[^"]*")?>/, `<html$1 data-pages-css="./${pagesCssName}">`);
  // The signer's worker: named by content, started by a loader whose address the app reads from
  // <html data-signer>. A failed start is thrown again outside the promise, so the page sees the
  // worker's `error`; the instance's exports stay reachable (`self.signer`) for the benchmark.
  const signerGlue = await readFile(join(work, 'signer.js'));
  const signerWasm = await readFile(join(work, 'signer_bg.wasm'));
  const h = createHash('sha256').update(signerGlue).update(signerWasm).digest('hex').slice(0, 16);
  await rm(join(dir, 'signer.js'), { force: true });
  await rm(join(dir, 'signer_bg.wasm'), { force: true });
  await writeFile(join(dir, `signer-${h}.js`), signerGlue);
  await writeFile(join(dir, `signer-${h}_bg.wasm`), signerWasm);
  await writeFile(join(dir, `signer-${h}-worker.js`),
    `importScripts('./signer-${h}.js');\n` +
    `wasm_bindgen({ module_or_path: './signer-${h}_bg.wasm' })\n` +
    `  .then((exports) => { self.signer = exports; }, (e) => setTimeout(() => { throw e; }));\n`);
  b.html = b.html.replace(/<html([^>]*?)(?: data-signer="[^"]*")?>/, `<html$1 data-signer="./signer-${h}-worker.js">`);
  // The Content-Security-Policy, with the hash of each inline script.
  b.html = b.html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  const hashes = [...b.html.matchAll(/<script(?: [^>]*)?>([\s\S]*?)<\/script>/g)]
    .filter((m) => m[1].trim() !== '')
    .map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  const csp = [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
    "style-src 'self'",
    // The registration sheet's QR code is an SVG image in a data: address.
    "img-src 'self' data:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
  b.html = b.html.replace(/<meta charset="utf-8">/, `<meta charset="utf-8">\n    <meta http-equiv="Content-Security-Policy" content="${csp}">`);
  await writeFile(join(dir, 'index.html'), b.html);
  const sw = await writeServiceWorker(dir, b.minify);
  return `CSP with ${hashes.length} script hash(es); sw.js caches ${sw.files} files as build ${sw.build}`;
}

/**
 * The service worker, with a build id derived from the contents of every file of the build, and
 * the list of those files beside it (`files-<build>.json`), which the worker fetches as it
 * installs: the list is needed for offline use, not for a first visit to become usable, so it is
 * fetched with the files it names rather than with `sw.js`.
 */
async function writeServiceWorker(dir, minified) {
  for (const f of await readdir(dir)) if (/^files-[0-9a-f]+\.json$/.test(f)) await rm(join(dir, f));
  const files = (await walk(dir)).map((p) => relative(dir, p).split('\\').join('/')).filter((f) => f !== 'sw.js').sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update('\0').update(await readFile(join(dir, f)));
  const build = hash.digest('hex').slice(0, 16);
  const template = await readFile(join(ROOT, 'sw', 'sw.template.js'), 'utf8');
  await writeFile(join(dir, `files-${build}.json`), JSON.stringify(['./', ...files.map((f) => `./${f}`)]));
  const sw = template.replace('__BUILD__', build);
  await writeFile(join(dir, 'sw.js'), minified ? esbuild(sw) : sw);
  return { files: files.length + 1, build };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function sh(cmd, args) {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

function esbuild(source, args = [], loader = 'js') {
  return execFileSync('esbuild', ['--minify', `--loader=${loader}`, '--log-level=warning', ...args],
    { input: source, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
}

const sha384 = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** The gzip -9 bytes of some files (missing ones count nothing). */
async function gz(files) {
  let n = 0;
  for (const f of files) n += await readFile(f).then((b) => gzipSync(b, { level: 9 }).length, () => 0);
  return n;
}

async function keep(files) {
  return Promise.all(files.map(async (f) => [f, await readFile(f).catch(() => null)]));
}

async function restore(snapshot) {
  for (const [f, bytes] of snapshot ?? []) if (bytes) await writeFile(f, bytes);
}

/** The stylesheet first, then every catalog file. */
function cssAndCatalogs(b) {
  const css = b.html.match(/href="\.\/(app-[0-9a-f]+\.css)"/)?.[1];
  if (!css) throw new Error('index.html links no stylesheet (app-<hash>.css)');
  return [join(b.dir, css), ...b.catalogs ?? []];
}

/** What a first visit downloads, but its language's catalogs. */
function firstVisit(b) {
  return [join(b.dir, 'index.html'), join(b.dir, 'sw.js'), ...cssAndCatalogs(b).slice(0, 1),
    join(b.dir, `${b.form}.js`), join(b.dir, `${b.form}_bg.wasm`), ...(b.loaderName && !b.loaderDeferred ? [join(b.dir, b.loaderName)] : [])];
}

async function walk(d) {
  const out = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...await walk(p));
    else out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Run by Trunk as its hook, or by a person (or a script) as the release command.

if (process.env.TRUNK_STAGING_DIR) {
  await afterLink(process.env.TRUNK_STAGING_DIR);
} else if (process.argv[2]?.startsWith('--restamp=')) {
  // A built folder whose files were changed (the update test deploys a "version B"): its service
  // worker's list and build id, again.
  await writeServiceWorker(process.argv[2].slice('--restamp='.length), true);
} else {
  await main(process.argv.slice(2));
}
