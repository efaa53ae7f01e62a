// Where the time of adding a row and of a keystroke goes, on the renderer's main thread:
// scripting (JavaScript and wasm), style, layout, paint and the rest of the frame, from a trace of
// Chromium's performance panel (the DevTools protocol's Tracing domain), averaged per event.
//
//   ART32_DIST=dist node tests/e2e/profile.mjs
//
// It prints a table; nothing is asserted (times are reported, not tested). With
// ART32_PROFILE_DETAIL=1 it also lists the trace slices with the most self time. Run it on an
// idle machine: anything else running shows up in every figure.

import { caseRows, launch, openApp, serve, seedDraft, DIST, q } from './harness.mjs';

const ROWS = 200;
const EVENTS = 30;

/** Trace event names by what they are, as the performance panel groups them. */
const GROUPS = {
  scripting: ['FunctionCall', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'v8.callFunction', 'V8.Execute'],
  style: ['UpdateLayoutTree', 'RecalculateStyles', 'ScheduleStyleRecalculation'],
  layout: ['Layout', 'UpdateLayerTree'],
  paint: ['Paint', 'PrePaint', 'Layerize', 'PaintImage', 'CompositeLayers', 'Commit'],
};

/** Runs `act` under a trace; returns the main thread's time per group, ms per event. */
async function traced(page, act) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'v8', 'disabled-by-default-v8.gc', 'blink', 'cc'] },
  });
  await act();
  await cdp.send('Tracing.end');
  await done;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const own = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
  // Self time of each slice (its duration less its children's), to the group of the nearest
  // slice, itself or an ancestor, that has one: a task's wrapper counts as "other" only for the
  // time none of its parts account for.
  own.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const totals = Object.fromEntries([...Object.keys(GROUPS), 'other'].map((g) => [g, 0]));
  const groupOf = (e) => Object.entries(GROUPS).find(([, names]) => names.includes(e.name))?.[0];
  const stack = [];
  const byName = {};
  const close = (until) => {
    while (stack.length && stack[stack.length - 1].end <= until) {
      const s = stack.pop();
      const self = Math.max(0, s.dur - s.children) / 1000;
      totals[s.group] += self;
      byName[s.name] = (byName[s.name] ?? 0) + self;
    }
  };
  for (const e of own) {
    close(e.ts);
    const parent = stack[stack.length - 1];
    if (parent) parent.children += e.dur;
    stack.push({ end: e.ts + e.dur, dur: e.dur, children: 0, name: e.name, group: groupOf(e) ?? parent?.group ?? 'other' });
  }
  close(Infinity);
  await cdp.detach();
  if (process.env.ART32_PROFILE_DETAIL) {
    const top = Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(top.map(([n, ms]) => `    ${n}: ${(ms / EVENTS).toFixed(2)}`).join('\n'));
  }
  return Object.fromEntries(Object.entries(totals).map(([g, ms]) => [g, ms / EVENTS]));
}

const server = await serve(process.env.ART32_DIST ?? DIST);
const browser = await launch();
try {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, server.url);
  await seedDraft(page, { E1: { choice: { selected: ['yes'] } }, E10: { rows: caseRows(ROWS) } }, 'profile');
  await page.click('.section-nav [data-section="E"] :is(a, button)');
  await page.waitForSelector(`${q('E10')} li.row[data-row="${ROWS - 1}"]`, { timeout: 60_000 });
  const add = await traced(page, () => page.evaluate(async (n) => {
    // A frame, then a task: the frame is painted.
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const button = document.querySelector('[data-question="E10"] button.add-row');
    for (let i = 0; i < n; i++) {
      button.click();
      await frame();
      await frame();
    }
  }, EVENTS));
  // As a person types: into the field in view, with the focus (rows out of view are not drawn).
  await page.evaluate(async (sel) => {
    const el = document.querySelector(sel);
    el.focus();
    el.scrollIntoView({ block: 'center' });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))));
  }, `${q('E10')} li.row[data-row="100"] textarea`);
  const key = await traced(page, () => page.evaluate(async ({ n, sel }) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const el = document.querySelector(sel);
    for (let i = 0; i < n; i++) {
      el.value = `${el.value.slice(0, 40)} k${i}`;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
      await frame();
    }
  }, { n: EVENTS, sel: `${q('E10')} li.row[data-row="100"] textarea` }));
  const fmt = (t) => Object.entries(t).map(([g, ms]) => `${g} ${ms.toFixed(2)}`).join(', ');
  console.log(`Main thread per event, ms (${EVENTS} events, ${ROWS} rows in E10; the two frames after each included):`);
  console.log(`  add a row:  ${fmt(add)}; total ${Object.values(add).reduce((a, b) => a + b, 0).toFixed(2)}`);
  console.log(`  keystroke:  ${fmt(key)}; total ${Object.values(key).reduce((a, b) => a + b, 0).toFixed(2)}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
