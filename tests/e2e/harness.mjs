// Shared test harness: a static server for the built app on 127.0.0.1 and a headless Chromium.
// The server serves only files under the given folder, with the MIME types browsers require.

import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants } from 'node:zlib';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = process.env.ART32_DIST ?? join(ROOT, 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

const ENCODERS = {
  br: (body) => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => promisify(gzip)(body, { level: 9 }),
};

/** The encoding to send for an Accept-Encoding header: brotli if accepted, else gzip, else none. */
function pickEncoding(header = '') {
  const accepted = new Set(header.split(',').map((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    return params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)) ? null : name.trim();
  }));
  return ['br', 'gzip'].find((e) => accepted.has(e));
}

/**
 * Serves `dir` on 127.0.0.1 at a free port; resolves to { url, close, requests, setRoot }.
 * `setRoot` swaps the folder served, as deploying a new version does.
 * With `compress: true` it answers as real static servers do: brotli (quality 11) when the request
 * accepts `br`, else gzip (-9) when it accepts `gzip`, with `Vary: Accept-Encoding`; each file is
 * compressed once per version of it on disk and kept in memory. By default, bodies go as they are.
 */
export async function serve(dir = DIST, { compress = false } = {}) {
  const requests = [];
  const compressed = new Map(); // "encoding file" -> { body, encoded: Promise<Buffer> }
  let root = dir;
  const server = createServer(async (req, res) => {
    const dir = root;
    requests.push(req.url);
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
      if (!compress) {
        res.writeHead(200, headers);
        res.end(body);
        return;
      }
      const encoding = pickEncoding(req.headers['accept-encoding']);
      let sent = body;
      if (encoding) {
        // Compressed once per encoding and content (a file changed on disk is compressed again).
        const key = `${encoding} ${file}`;
        if (!compressed.get(key)?.body.equals(body)) compressed.set(key, { body, encoded: ENCODERS[encoding](body) });
        sent = await compressed.get(key).encoded;
        headers['content-encoding'] = encoding;
      }
      res.writeHead(200, { ...headers, vary: 'Accept-Encoding', 'content-length': sent.length });
      res.end(sent);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  // A test that fails before it closes its server must not keep the whole run waiting.
  server.unref();
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    setRoot: (d) => { root = d; },
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

const CHROMIUM = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
    '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage',
  ],
};

/** A headless Chromium (Debian's), with flags that work as root in a closed network. */
export async function launch() {
  return chromium.launch(CHROMIUM);
}

/** A browser profile kept in `dir` (not incognito), as a person's browser is. */
export async function launchProfile(dir) {
  return chromium.launchPersistentContext(dir, CHROMIUM);
}

/** Opens the app in a fresh context and waits until the form is on screen. Fails on any page error. */
export async function openApp(context, url, { lang = 'en-GB' } = {}) {
  const page = await context.newPage();
  page.errors = [];
  // What the page itself asked for (the service worker's own fetches are not the page's).
  page.requests = [];
  page.on('request', (r) => page.requests.push(new URL(r.url()).pathname));
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('[data-question="S1"]', { timeout: 30_000 });
  return page;
}

/** Picks a language in the menu and waits until the page is in it (its catalog may be fetched). */
export async function chooseLanguage(page, tag) {
  await page.selectOption('#language', tag);
  await page.waitForFunction((t) => document.documentElement.lang === t, tag);
}

export const q = (id) => `[data-question="${id}"]`;

/** Opens a section from the navigation, as a person does. */
export async function goToSection(page, id) {
  await page.click(`.section-nav [data-section="${id}"] button`);
  // The introduction comes with the questions (after the rest of the wording, the first time).
  await page.waitForSelector(`[data-section-view="${id}"] .intro`);
}

const choice = (...selected) => ({ choice: { selected } });
/** Answers to every required question that keep follow-ups closed, as a draft stores them. */
export const COMPLETE = {
  S1: choice('FRA'), S2: choice('signatory'), S4: { period: { from: '2024-01-01', to: '2025-12-31' } }, S5: choice('en'),
  A2: choice('no'), A6: { text: 'National action plan against organized crime, 2024–2028.' },
  B1: choice('no'), B2: choice('no'), C1: choice('yes'), C2: choice('no'), C3: choice('not_possible'),
  E1: choice('no'), E8: choice('no'), F1: choice('no'), F5: choice('no'), F6: choice('none'), F7: choice('no'),
  F9: choice('none'), F10: choice('no'), H1: { text: 'A. Official' }, H2: { text: 'Director' },
  H3: { text: 'a.official@justice.example.gov' }, H4: { text: '2026-11-27' }, H5: choice('publish'), H6: { confirm: true },
};

/**
 * `n` rows of E10 (cases of obstruction of justice) as stored, each with its five text fields
 * filled; with `problems`, each address lacks its scheme, a problem in every row.
 */
export function caseRows(n, { problems = false } = {}) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push({ key: i, fields: {
      reference: { text: `Case ${i + 1}/2025` },
      court: { text: 'Regional Court' },
      date: { text: '2025-03-14' },
      summary: { text: 'The accused threatened a witness to obtain false testimony. '.repeat(4) },
      url: { text: `${problems ? '' : 'https://'}courts.example.gov/decisions/${i}` },
    } });
  }
  return rows;
}

/** Stores a draft with these answers as the current one and reloads the app on it. */
export async function seedDraft(page, answers, id = 'seed') {
  await page.evaluate(({ answers, id }) => {
    const d = { format: 'untoc-art32-draft', questionnaire: 'untoc-art32', version: 2, id, name: 'Seed',
      revision: 1, saved_at: '2026-01-01T00:00:00Z', changes_since_file: 0, lang: 'en', answers };
    localStorage.setItem(`untoc-art32/draft/${id}`, JSON.stringify(d));
    localStorage.removeItem(`untoc-art32/rev/${id}`);
    localStorage.setItem('untoc-art32/current', id);
  }, { answers, id });
  await page.reload();
  await page.waitForSelector(q('S1'));
}

/** The open draft's answer to question `id`, as stored (`undefined` when it has none). */
export async function storedAnswer(page, id) {
  return page.evaluate((id) => {
    const current = localStorage.getItem('untoc-art32/current');
    return JSON.parse(localStorage.getItem(`untoc-art32/draft/${current}`) ?? '{}').answers?.[id];
  }, id);
}

/** Waits (up to 30 s) until the stored answer to `id` passes `check`, as autosave catches up; returns it. */
export async function storedAnswerWhen(page, id, check) {
  for (const end = Date.now() + 30_000; ;) {
    const answer = await storedAnswer(page, id);
    if (check(answer)) return answer;
    if (Date.now() > end) throw new Error(`the stored answer to ${id} is still ${JSON.stringify(answer)}`);
    await page.waitForTimeout(50);
  }
}

/**
 * For a test file: a server of the release build and a browser, started before its tests and
 * closed after them. Read them as `app.server` and `app.browser` inside the tests.
 */
export function startApp() {
  const app = {};
  before(async () => {
    app.server = await serve();
    app.browser = await launch();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/** Median, p95 and max of a benchmark's times (the p95 of 20 runs is the slowest but one). */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

/** RFC 8785 for documents of strings, safe integers, booleans, null, arrays and objects. */
export function jcs(v) {
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Signs a submission document (its `signature` member replaced) with a fresh Ed25519 key of
 * Node's own, as any outside tool could; the file's text.
 */
export function signWithNewKey(doc, signedAt = '2026-11-27T12:00:00Z') {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  doc.signature = { algorithm: 'Ed25519', canonicalization: 'RFC8785', public_key: raw.toString('base64url'),
    key_id: createHash('sha256').update(raw).digest('hex'), signed_at: signedAt };
  doc.signature.value = sign(null, Buffer.from(jcs(doc)), privateKey).toString('base64url');
  return JSON.stringify(doc);
}

/**
 * Last cycle's reply as the version 2 app wrote it, with `rows` cases in E10, signed in 2024 with
 * Node's own Ed25519: the file that "Start from a previous reply" reads. The file's text.
 */
export function lastCycleFile(rows) {
  const one = (selected) => ({ selected });
  const cases = [];
  for (let i = 0; i < rows; i++) {
    cases.push({ reference: `Case ${i + 1}/2023`, court: 'Regional Court', date: '2023-03-14',
      summary: 'The accused threatened a witness to obtain false testimony. '.repeat(4).trim(),
      url: `https://courts.example.gov/decisions/${i}` });
  }
  const doc = {
    format: 'untoc-art32-submission', format_version: 1, questionnaire: { id: 'untoc-art32', version: 2 },
    state: 'FRA', language: 'en', generated_at: '2024-03-01T09:00:00Z', app_version: '0.9.0',
    answers: {
      S1: one('FRA'), S2: one('signatory'), S4: { from: '2022-01-01', to: '2023-12-31' }, S5: one('en'),
      A2: one('no'), A6: 'National action plan against organized crime, 2024–2028.', B1: one('no'), B2: one('no'),
      C1: one('yes'), C2: one('no'), C3: one('not_possible'), D2: one(['resources']), D2a: 'Too few prosecutors.',
      E1: one('no'), E8: one('no'), E10: cases, F1: one('no'), F5: one('no'), F6: one(['none']), F7: one('no'),
      F9: one(['none']), F10: one('considering'),
      H1: 'A. Official', H2: 'Director', H3: 'a.official@justice.example.gov', H4: '2024-03-01', H5: one('publish'), H6: true,
    },
  };
  return signWithNewKey(doc, '2024-03-01T09:30:00Z');
}

/** Opens the hand-offs page from the form. */
export async function openHandoffs(page) {
  await page.click('.handoffs-link');
  await page.waitForSelector('#handoffs-title');
}

/**
 * Starts a new draft from a previous reply's file ("Start from a previous reply", on the drafts
 * page). Waits for nothing after: the file may be refused.
 */
export async function startFromPrevious(page, file) {
  await page.click('.open-drafts');
  await page.waitForSelector('#drafts-title');
  await page.setInputFiles('#previous-reply-file', file);
}

/**
 * On the hand-offs page, hands `section` out to `label` and saves the request file at `path`;
 * the path.
 */
export async function writeRequest(page, section, label, path) {
  await page.fill('#handoff-label', label);
  await page.check(`#hand-s-${section}`);
  return download(page, 'button.write-request', path);
}

/** A contributor opens a request file: its part opens at its questions, under its notice. */
export async function openRequest(page, file) {
  await openHandoffs(page);
  await page.setInputFiles('#request-file', file);
  await page.waitForSelector('.part-notice');
}

/** Saves the file a click on `selector` downloads at `path`; the path. */
export async function download(page, selector, path) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  await file.saveAs(path);
  return path;
}
