// Benchmark of merging a part back into a reply, in headless Chromium on the release build: the
// reply has 200 cases in E10, section E is handed out, and the part comes back with the same 200
// rows and one answer changed. Timed to the next painted frame (the next animation frame, then a
// task), as a person sees it:
// - open the part: from the file input's `change` to the merge's summary painted; this reads
//   the file, checks its signature in the signer's worker, reads it against the questionnaire
//   and plans the three-way merge of 200 rows against the base;
// - apply it: from the click to "Undo this merge" painted, the reply changed on screen;
// - undo it: from the click to the reply as it was, stored.
// Prints median and p95; asserts nothing.
//
//   node tests/e2e/bench_merge.mjs   (after `node scripts/build.mjs`; scripts/bench.sh runs it)
//
// BENCH_MERGE_RUNS merges [20] (after one not counted, which starts the signer).

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseRows, download, serve, launch, openApp, openHandoffs, openRequest, q, COMPLETE, DIST, stats, storedAnswerWhen, writeRequest } from './harness.mjs';

const ROWS = 200;
const RUNS = Number(process.env.BENCH_MERGE_RUNS ?? 20);

/** The focal point's reply: `COMPLETE` with `ROWS` cases in E10, as the app stores it. */
function reply() {
  const rows = caseRows(ROWS);
  return { format: 'untoc-art32-draft', questionnaire: 'untoc-art32', version: 2, id: 'bench', name: 'Benchmark',
    revision: 1, saved_at: '2026-01-01T00:00:00Z', changes_since_file: 0, lang: 'en', answers: { ...COMPLETE, E10: { rows } } };
}

/**
 * In the page: `window.__timed` resolves, after `event` on an element matching `target`, with
 * ms until `ready` holds (`{ shown: selector }`, or `{ unanswered: id }` in the stored reply) and
 * until the next painted frame after it.
 */
function timeUntil({ event, target, ready }) {
  window.__timed = new Promise((resolve, reject) => {
    document.addEventListener(event, (e) => {
      if (!e.target.matches(target)) return;
      const t0 = performance.now();
      const check = () => (ready.shown ? document.querySelector(ready.shown) != null
        : JSON.parse(localStorage.getItem('untoc-art32/draft/bench')).answers[ready.unanswered] === undefined);
      const poll = () => {
        if (performance.now() - t0 > 60_000) return reject(new Error(`${JSON.stringify(ready)} never held`));
        if (!check()) return setTimeout(poll, 0);
        const done = performance.now() - t0;
        requestAnimationFrame(() => setTimeout(() => resolve({ done, painted: performance.now() - t0 }), 0));
      };
      queueMicrotask(poll);
    }, { capture: true, once: true });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'art32-bench-merge-'));
const server = await serve(DIST, { compress: true });
const browser = await launch();
try {
  // The focal point hands section E out.
  const fpContext = await browser.newContext();
  const fp = await openApp(fpContext, server.url);
  await fp.evaluate((draft) => {
    localStorage.setItem('untoc-art32/draft/bench', JSON.stringify(draft));
    localStorage.setItem('untoc-art32/current', 'bench');
  }, reply());
  await fp.reload();
  await fp.waitForSelector(q('S1'));
  await openHandoffs(fp);
  await fp.click('button.create-key');
  const request = await writeRequest(fp, 'E', 'Ministry of Justice', join(dir, 'request.json'));

  // The Ministry answers it in a browser of its own and returns the part: 200 rows, E11 changed.
  const mojContext = await browser.newContext();
  const moj = await openApp(mojContext, server.url);
  await openRequest(moj, request);
  await moj.waitForSelector(`${q('E10')} li.row[data-row="${ROWS - 1}"]`, { timeout: 60_000 });
  await moj.fill(`${q('E11')} textarea`, 'Written by the Ministry of Justice.');
  await storedAnswerWhen(moj, 'E11', (a) => a?.text === 'Written by the Ministry of Justice.');
  await moj.click('.return-part-link');
  await moj.waitForSelector('.return-part');
  await moj.click('button.create-key');
  await moj.waitForSelector('.part-issuer:not(:empty)');
  const part = await download(moj, 'button.return-part', join(dir, 'part.json'));
  await mojContext.close();

  // The focal point opens it, applies it and undoes it, again and again.
  const open = [];
  const apply = [];
  const undo = [];
  for (let i = 0; i <= RUNS; i++) {
    if (await fp.$('.merge-summary')) throw new Error('the last summary is still on screen');
    await fp.evaluate(timeUntil, { event: 'change', target: '#part-file', ready: { shown: '.merge-summary' } });
    await fp.setInputFiles('#part-file', part);
    const opened = await fp.evaluate(() => window.__timed);
    await fp.evaluate(timeUntil, { event: 'click', target: 'button.apply-merge', ready: { shown: 'button.undo-merge' } });
    await fp.click('button.apply-merge');
    const applied = await fp.evaluate(() => window.__timed);
    await storedAnswerWhen(fp, 'E11', (a) => a?.text === 'Written by the Ministry of Justice.');
    await fp.evaluate(timeUntil, { event: 'click', target: 'button.undo-merge', ready: { unanswered: 'E11' } });
    await fp.click('button.undo-merge');
    const undone = await fp.evaluate(() => window.__timed);
    if (i === 0) continue; // the first starts the signer's worker
    open.push(opened.painted);
    apply.push(applied.painted);
    undo.push(undone.done);
  }
  await fpContext.close();

  const rows = [
    [`open a part of ${ROWS} rows: read, verify, plan, summary painted`, stats(open)],
    ['apply the merge, to the painted frame', stats(apply)],
    ['undo it, to the reply stored', stats(undo)],
  ];
  console.log(`\nMerging a part back into a reply of ${ROWS} rows (E10), ms`);
  const head = ['', 'runs', 'median', 'p95', 'max'];
  const all = [head, ...rows.map(([label, s]) => [label, s.n, ...[s.median, s.p95, s.max].map((x) => x.toFixed(1))].map(String))];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  for (const r of all) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  const [, s] = rows[0];
  console.log(`\nSummary: open and verify a ${ROWS}-row part, ${s.median.toFixed(1)} / ${s.p95.toFixed(1)} ms (median / p95); goal under 50 ms: ${s.p95 < 50 ? 'yes' : s.median < 50 ? 'at the median' : 'NO'}`);
} finally {
  await browser.close();
  await server.close();
}
