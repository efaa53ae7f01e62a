// Two builds side by side: a keystroke into a field in view, or a click on "Add", in each build's
// page in turn, so that the machine's drift between runs (larger than many changes) falls on both
// alike. Prints, per build, median / p95 ms from the event to the frame painted (dispatched at the
// start of a frame, as `bench.mjs` does), to the draft written to local storage, and to the end
// of the task after the frame, where the checks run again (problems, progress, a carried
// reply's marks).
//
//   ART32_DIST is not used: DISTS=dist-before,dist-after node tests/e2e/bench_ab.mjs
//   ROWS (200) rows in E10, the field typed in is the middle row's summary; RUNS (100) per build.
//   ACTION: `keystroke` (the default) or `add`, a click on E10's "Add", in view (each build then
//   has ROWS + RUNS rows).
//   DRAFT: the draft typed in, `reply` (the default: a reply of its own, ROWS rows in E10),
//   `cycle` (started from last cycle's signed reply of ROWS cases, which it keeps) or `part` (a
//   contributor's part of section E, handed out by the first build from a reply of ROWS cases).
//   STYLE: a style rule added to the second page only, to try one without a build.
//   ALONE=1: in the second page, the keystroke changes the field without the app being told (no
//   `input` event): the frame the browser alone draws for it, the floor under any build.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseRows, COMPLETE, lastCycleFile, launch, openApp, openHandoffs, openRequest, serve, seedDraft, startFromPrevious, q, stats, writeRequest } from './harness.mjs';

const DISTS = (process.env.DISTS ?? '').split(',').filter(Boolean);
if (DISTS.length < 2) throw new Error('DISTS: two or more build folders, separated by commas');
const ROWS = Math.max(1, Number(process.env.ROWS ?? 200));
const RUNS = Number(process.env.RUNS ?? 100);
const ADD = process.env.ACTION === 'add';
if (!ADD && (process.env.ACTION ?? 'keystroke') !== 'keystroke') throw new Error('ACTION: keystroke or add');
const ALONE = process.env.ALONE === '1';
if (ALONE && ADD) throw new Error('ALONE is for keystrokes');
const DRAFT = process.env.DRAFT ?? 'reply';
if (!['reply', 'cycle', 'part'].includes(DRAFT)) throw new Error('DRAFT: reply, cycle or part');
const DRAFTS = 'untoc-art32/draft/';
const dir = await mkdtemp(join(tmpdir(), 'art32-bench-ab-'));
let file;

/** Opens the draft typed in, in a new page of `server`'s build. */
async function openDraft(page, server) {
  if (DRAFT === 'reply') {
    await seedDraft(page, { E1: { choice: { selected: ['yes'] } }, E10: { rows: caseRows(ROWS) } }, 'ab');
  } else if (DRAFT === 'cycle') {
    if (!file) {
      file = join(dir, 'last.json');
      await writeFile(file, lastCycleFile(ROWS));
    }
    await startFromPrevious(page, file);
    await page.waitForSelector(`${q('S1')} .carried-mark`);
  } else {
    if (!file) {
      // The focal point, in the first build, hands section E out.
      const fp = await openApp(await browser.newContext(), server.url);
      await seedDraft(fp, { ...COMPLETE, E10: { rows: caseRows(ROWS) } }, 'fp');
      await openHandoffs(fp);
      await fp.click('button.create-key');
      file = await writeRequest(fp, 'E', 'Ministry of Justice', join(dir, 'request.json'));
      await fp.context().close();
    }
    await openRequest(page, file);
    return;
  }
  await page.click('.section-nav [data-section="E"] :is(a, button)');
}

const browser = await launch();
const servers = [];
const pages = [];
for (const dist of DISTS) {
  const server = await serve(dist);
  servers.push(server);
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
  if (process.env.STYLE && pages.length === 1) {
    await context.addInitScript((css) => document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = css;
      document.head.append(style);
    }), process.env.STYLE);
  }
  // Notes the time of every write of a draft, at the cost of a comparison of keys.
  await context.addInitScript((prefix) => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      setItem.call(this, k, v);
      if (k.startsWith(prefix)) window.__written = performance.now();
    };
  }, DRAFTS);
  const page = await openApp(context, server.url);
  await openDraft(page, server);
  const field = `${q('E10')} li.row[data-row="${Math.floor(ROWS / 2)}"] [data-field="summary"] textarea`;
  await page.waitForSelector(field, { timeout: 60_000, state: 'attached' });
  // As a person types: into the field in view, with the focus.
  await page.evaluate((field) => {
    const el = document.querySelector(field);
    el.focus();
    el.scrollIntoView({ block: 'center' });
  }, field);
  await page.waitForTimeout(300);
  pages.push({ page, field, alone: ALONE && pages.length === 1 });
}

async function act({ page, field, alone }, i) {
  return page.evaluate(async ({ field, i, add, alone }) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const button = document.querySelector('[data-question="E10"] button.add-row');
    // A person clicks the "Add" they see (the last row added took the focus, and the view).
    if (add) button.scrollIntoView({ block: 'center' });
    await frame();
    await frame();
    const el = document.querySelector(field);
    let t0;
    const { painted, checked } = await new Promise((r) => requestAnimationFrame(() => {
      // The first task after the frame; the app's checks, posted by the event, run after it.
      setTimeout(() => {
        const painted = performance.now() - t0;
        setTimeout(() => r({ painted, checked: performance.now() - t0 }), 0);
      }, 0);
      t0 = performance.now();
      if (add) {
        button.click();
      } else {
        el.value = `${el.value.slice(0, 40)} k${i}`;
        if (!alone) el.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }));
    if (alone) return { painted, stored: NaN, checked };
    if (!(window.__written >= t0)) throw new Error(`the ${add ? 'row' : 'keystroke'} was not stored`);
    const stored = window.__written - t0;
    // What an added row leaves for the frames after its own (the focus moves to it) is done
    // before the other build's turn.
    if (add) for (let f = 0; f < 3; f++) await frame();
    return { painted, stored, checked };
  }, { field, i, add: ADD, alone });
}

const results = DISTS.map(() => ({ painted: [], stored: [], checked: [] }));
for (let i = 0; i < RUNS; i++) {
  // Each build goes first every other time.
  const order = i % 2 ? [...pages.keys()].reverse() : [...pages.keys()];
  for (const j of order) {
    const { painted, stored, checked } = await act(pages[j], i);
    results[j].painted.push(painted);
    results[j].stored.push(stored);
    results[j].checked.push(checked);
  }
}
const fmt = (xs) => { const s = stats(xs); return `${s.median.toFixed(2)} / ${s.p95.toFixed(2)}`; };
const what = `${ADD ? `"Add" clicked, from ${ROWS} rows on` : `Keystroke, ${ROWS} rows, the field in view`}, draft: ${DRAFT}`;
console.log(`${what}, from a frame's start, ms (median / p95, ${RUNS} each):`);
DISTS.forEach((dist, j) => {
  const extra = j === 1 ? [process.env.STYLE && 'with STYLE', pages[j].alone && 'the page alone, the app not told'].filter(Boolean) : [];
  const stored = pages[j].alone ? '' : `, to stored ${fmt(results[j].stored)}`;
  const checked = pages[j].alone ? '' : `, to checked ${fmt(results[j].checked)}`;
  console.log(`  ${dist}${extra.length ? ` (${extra.join(', ')})` : ''}: to painted ${fmt(results[j].painted)}${stored}${checked}`);
});
await browser.close();
for (const server of servers) await server.close();
