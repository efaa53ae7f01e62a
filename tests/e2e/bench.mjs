// Benchmark: download size of the release build, and keystroke-to-saved times on a reply with
// 200 repeatable rows, in headless Chromium. Prints tables; asserts nothing (times vary by machine).
//
//   node tests/e2e/bench.mjs        (after `trunk build --release`; scripts/bench.sh does both)

import { readdir, readFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { serve, launch, openApp, q, DIST, COMPLETE } from './harness.mjs';

const ROWS = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 60);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}
const ms = (x) => x.toFixed(2).padStart(8);

async function sizes() {
  const rows = [];
  for (const f of (await readdir(DIST)).sort()) {
    if (!['.html', '.js', '.wasm', '.css'].includes(extname(f))) continue;
    const body = await readFile(join(DIST, f));
    rows.push([f, body.length, gzipSync(body, { level: 9 }).length,
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length]);
  }
  rows.push(['total', ...[1, 2, 3].map((i) => rows.reduce((a, r) => a + r[i], 0))]);
  console.log('\nFirst load, bytes');
  console.log(`${'file'.padEnd(46)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli 11'.padStart(9)}`);
  for (const [f, raw, gz, br] of rows) console.log(`${f.padEnd(46)} ${String(raw).padStart(9)} ${String(gz).padStart(9)} ${String(br).padStart(9)}`);
}

/** A stored draft with `ROWS` cases in E10, as the app would have written it. */
function bigDraft() {
  const rows = [];
  for (let i = 0; i < ROWS; i++) {
    rows.push({ key: i, fields: {
      reference: { text: `Case ${i + 1}/2025` },
      court: { text: 'Regional Court' },
      date: { text: '2025-03-14' },
      summary: { text: 'The accused threatened a witness to obtain false testimony. '.repeat(4) },
      url: { text: `https://courts.example.gov/decisions/${i}` },
    } });
  }
  return { format: 'untoc-art32-draft', questionnaire: 'untoc-art32', version: 2, id: 'bench', name: 'Benchmark',
    revision: 1, saved_at: '2026-01-01T00:00:00Z', changes_since_file: 0, lang: 'en', answers: { ...COMPLETE, E10: { rows } } };
}

/**
 * Types into `selector` and waits (by microtasks) until storage holds it. Returns the times from
 * the input event to the draft in storage, and of the autosave alone (serialize + write, the
 * app's `art32:autosave` User Timing measure).
 */
async function keystrokeToSaved(page, selector) {
  return page.evaluate(async ({ selector, runs }) => {
    const el = document.querySelector(selector);
    const times = [];
    const saves = [];
    for (let i = 0; i < runs; i++) {
      const marker = `k${i}z`;
      const t0 = performance.now();
      el.value = `${el.value.slice(0, 40)} ${marker}`;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      for (let spins = 0; ; spins++) {
        if (localStorage.getItem('untoc-art32/draft/bench').includes(marker)) break;
        if (spins > 100000) throw new Error('never saved');
        await new Promise((r) => (spins < 50 ? queueMicrotask(r) : setTimeout(r, 0)));
      }
      times.push(performance.now() - t0);
      saves.push(performance.getEntriesByName('art32:autosave')[0].duration);
    }
    return { times, saves };
  }, { selector, runs: RUNS });
}

const server = await serve();
const browser = await launch();
try {
  await sizes();
  const context = await browser.newContext();
  const page = await openApp(context, server.url);
  await page.evaluate((d) => {
    localStorage.setItem('untoc-art32/draft/bench', JSON.stringify(d));
    localStorage.setItem('untoc-art32/current', 'bench');
  }, bigDraft());
  await page.reload();
  await page.waitForSelector(q('S1'));
  const bytes = await page.evaluate(() => localStorage.getItem('untoc-art32/draft/bench').length);

  console.log(`\nKeystroke to saved in local storage, ${ROWS} rows in E10 (${bytes} bytes stored), ${RUNS} keystrokes, ms`);
  console.log(`${'where'.padEnd(46)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
  await page.click('.section-nav [data-section="A"] a');
  const typedA6 = await keystrokeToSaved(page, `${q('A6')} textarea`);
  const a = stats(typedA6.times);
  console.log(`${'A6 (another section)'.padEnd(46)} ${ms(a.median)} ${ms(a.p95)} ${ms(a.max)}`);
  const t0 = Date.now();
  await page.click('.section-nav [data-section="E"] a');
  await page.waitForSelector(`${q('E10')} li.row[data-row="${ROWS - 1}"]`);
  const open = Date.now() - t0;
  const typedE10 = await keystrokeToSaved(page, `${q('E10')} li.row[data-row="100"] [data-field="summary"] textarea`);
  const e = stats(typedE10.times);
  console.log(`${'E10 row 101 summary (200 rows on screen)'.padEnd(46)} ${ms(e.median)} ${ms(e.p95)} ${ms(e.max)}`);
  const save = stats([...typedA6.saves, ...typedE10.saves]);
  console.log(`${'of which one autosave (serialize + write)'.padEnd(46)} ${ms(save.median)} ${ms(save.p95)} ${ms(save.max)}`);
  console.log(`\nOpening section E with ${ROWS} rows: ${open} ms (one run, includes the click round trip)`);

  // Sign and export: build, canonicalize, sign and serialize happen in the click handler.
  await page.click('.export-link');
  await page.click('button.create-key');
  await page.waitForSelector('[data-export="ready"]');
  const sign = stats(await page.evaluate(async (runs) => {
    const button = document.querySelector('button.sign-export');
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      button.click();
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 0));
    }
    return times;
  }, Math.min(RUNS, 20)));
  console.log(`\nSign and export with ${ROWS} rows (build + RFC 8785 + Ed25519 + download), ms`);
  console.log(`${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
  console.log(`${ms(sign.median)} ${ms(sign.p95)} ${ms(sign.max)}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
