// Benchmark of the next cycle, in headless Chromium on the release build: last cycle's signed
// reply (questionnaire version 2) has 200 cases in E10. Timed to the next painted frame (the next
// animation frame, then a task), as a person sees it:
// - carry it forward: from the file input's `change` ("Start from a previous reply") to the new
//   draft's notice painted; this reads the file, checks its signature in the signer's worker,
//   carries it to version 3, stores the new draft and shows its first section, marked;
// - "What changed": from the click on the notice's button to the view painted, which compares
//   every answer (the 200 rows among them) with the previous reply's.
// Prints median and p95; asserts nothing.
//
//   node tests/e2e/bench_cycle.mjs   (after `node scripts/build.mjs`; scripts/bench.sh runs it)
//
// BENCH_CYCLE_RUNS runs [20] (after one not counted, which starts the signer).

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, openApp, q, DIST, lastCycleFile, startFromPrevious, stats } from './harness.mjs';

const ROWS = 200;
const RUNS = Number(process.env.BENCH_CYCLE_RUNS ?? 20);

/**
 * In the page: `window.__timed` resolves, after `event` on an element matching `target`, with
 * ms until `shown` is on screen and until the next painted frame after it.
 */
function timeUntil({ event, target, shown }) {
  window.__timed = new Promise((resolve, reject) => {
    document.addEventListener(event, (e) => {
      if (!e.target.matches(target)) return;
      const t0 = performance.now();
      const poll = () => {
        if (performance.now() - t0 > 60_000) return reject(new Error(`${shown} never shown`));
        if (document.querySelector(shown) == null) return setTimeout(poll, 0);
        const done = performance.now() - t0;
        requestAnimationFrame(() => setTimeout(() => resolve({ done, painted: performance.now() - t0 }), 0));
      };
      queueMicrotask(poll);
    }, { capture: true, once: true });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'art32-bench-cycle-'));
const file = join(dir, 'FRA-art32-2024.json');
await writeFile(file, lastCycleFile(ROWS));
const server = await serve(DIST, { compress: true });
const browser = await launch();
try {
  const context = await browser.newContext();
  const page = await openApp(context, server.url);
  const carry = [];
  const changes = [];
  for (let i = 0; i <= RUNS; i++) {
    // Only the draft on screen is kept: every run makes a new one of some 200 KB.
    await page.evaluate(() => {
      const current = localStorage.getItem('untoc-art32/current');
      for (const k of Object.keys(localStorage)) {
        if (/^untoc-art32\/(draft|rev)\//.test(k) && !k.endsWith(`/${current}`)) localStorage.removeItem(k);
      }
    });
    await page.evaluate(timeUntil, { event: 'change', target: '#previous-reply-file', shown: `${q('S1')} .carried-mark` });
    await startFromPrevious(page, file);
    const c = await page.evaluate(() => window.__timed);
    await page.evaluate(timeUntil, { event: 'click', target: 'button.open-what-changed', shown: 'section.what-changed [data-changes="E"]' });
    await page.click('button.open-what-changed');
    const w = await page.evaluate(() => window.__timed);
    if (i > 0) {
      carry.push(c.painted);
      changes.push(w.painted);
    }
  }
  const row = (name, xs) => {
    const s = stats(xs);
    return `| ${name} | ${s.n} | ${s.median.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} |`;
  };
  console.log(`\nThe next cycle, ${ROWS} rows, to the next painted frame (ms)\n`);
  console.log('| | runs | median | p95 | max |\n|---|---|---|---|---|');
  console.log(row('carry a signed reply forward (verify, carry, store, show)', carry));
  console.log(row('"What changed" shown', changes));
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
