// WCAG 2.1 AA: two independent rule engines (axe-core, and IBM's Equal Access engine) on every
// page of the app in English and Arabic, every in-page link's target, and a keyboard-only run that
// answers the required questions and signs the reply without touching the mouse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openApp, q, goToSection, seedDraft, COMPLETE, startApp } from './harness.mjs';
import { axe, ace, brokenLinks, tabTo } from './a11y.mjs';

const app = startApp();

// Follow-ups open, rows present and problems shown, so axe sees every kind of control.
const SEEDED = {
  ...COMPLETE,
  S2: { choice: { selected: ['party'] } }, S3: { choice: { selected: ['untoc'] } },
  A2: { choice: { selected: ['yes'] } },
  E1: { choice: { selected: ['yes'] } },
  E1a: { rows: [{ key: 0, fields: { title: { text: 'Criminal Code' } } }] },
  C4: { rows: [{ key: 0, fields: { year: { number: { value: '2024' } } } }] },
  H3: { text: 'not an email' },
};

for (const locale of ['en-GB', 'ar']) {
  test(`axe and IBM's engine find no violation, and every in-page link has its target, on any page (${locale})`, async () => {
    const context = await app.browser.newContext({ locale });
    const page = await openApp(context, app.server.url);
    await seedDraft(page, SEEDED);
    await page.click('button.check-answers');
    const found = [];
    for (const s of ['S', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']) {
      await goToSection(page, s);
      found.push(...(await axe(page)).map((v) => `section ${s}: axe: ${v}`));
      found.push(...(await ace(page)).map((v) => `section ${s}: IBM: ${v}`));
      found.push(...(await brokenLinks(page)).map((v) => `section ${s}: no target: ${v}`));
    }
    for (const [link, ready] of [['.still-to-answer-link', '#still-to-answer'], ['.export-link', '#export-title'],
      ['.print-link', '#print-title'], ['.open-submission-link', '#submission-title'], ['.open-drafts', '#drafts-title'],
      ['.handoffs-link', '#handoffs-title']]) {
      await page.click(link);
      await page.waitForSelector(ready);
      found.push(...(await axe(page)).map((v) => `${link}: axe: ${v}`));
      found.push(...(await ace(page)).map((v) => `${link}: IBM: ${v}`));
      found.push(...(await brokenLinks(page)).map((v) => `${link}: no target: ${v}`));
    }
    assert.deepEqual(found, []);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}

const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return { tag: e.tagName, type: e.type, value: e.value, checked: e.checked };
});

/** Picks an option of a radio group with the arrow keys (radios select as focus moves). */
async function radio(page, id, value) {
  await tabTo(page, `${q(id)} input[type="radio"]`);
  for (let i = 0; i < 20; i++) {
    const f = await focused(page);
    if (f.value === value) {
      if (!f.checked) await page.keyboard.press('Space');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`${id}: no option ${value}`);
}

/** Ticks one box of a multiple choice with Tab and Space. */
async function tick(page, id, value) {
  await tabTo(page, `${q(id)} input[type="checkbox"][value="${value}"]`);
  await page.keyboard.press('Space');
}

async function type(page, id, text, control = 'input, textarea') {
  await tabTo(page, `${q(id)} :is(${control})`);
  await page.keyboard.type(text);
}

/** Goes to the next section with its button (Enter), as a keyboard user does. */
async function next(page, section) {
  await tabTo(page, '.section-pager button.next');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-section-view="${section}"] .intro`);
  // The focus moves on the next frame; the questions may be drawn before it.
  await page.waitForFunction((id) => document.activeElement?.id === id, `section-${section}`, { timeout: 5_000 }).catch(() => {});
  assert.equal(await page.evaluate(() => document.activeElement.id), `section-${section}`, 'focus moves to the section heading');
}

test('keyboard only: skip link, every required answer, then sign and export', async () => {
  const context = await app.browser.newContext({ locale: 'en-US', acceptDownloads: true });
  const page = await openApp(context, app.server.url);

  // The first Tab reaches the skip link; Enter moves focus into the questionnaire.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  assert.ok(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== 'none'), 'focus is visible');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');

  // S: the State by typing its name in the closed list, then radios and dates.
  await tabTo(page, `${q('S1')} select`);
  await page.keyboard.type('France');
  assert.equal(await page.inputValue(`${q('S1')} select`), 'FRA');
  await radio(page, 'S2', 'signatory');
  // A date field takes its parts typed in a row (month, day, year in en-US).
  await type(page, 'S4', '01012024', 'input[id$="-from"]');
  await type(page, 'S4', '12312025', 'input[id$="-to"]');
  await radio(page, 'S5', 'en');
  await next(page, 'A');
  await radio(page, 'A2', 'no');
  await type(page, 'A6', 'National action plan against organized crime, 2024–2028.');
  await next(page, 'B');
  await radio(page, 'B1', 'no');
  await radio(page, 'B2', 'no');
  await next(page, 'C');
  await radio(page, 'C1', 'yes');
  await radio(page, 'C2', 'no');
  await radio(page, 'C3', 'not_possible');
  await next(page, 'D');
  await next(page, 'E');
  await radio(page, 'E1', 'no');
  await radio(page, 'E8', 'no');
  await next(page, 'F');
  await radio(page, 'F1', 'no');
  await radio(page, 'F5', 'no');
  await tick(page, 'F6', 'none');
  await radio(page, 'F7', 'no');
  await tick(page, 'F9', 'none');
  await radio(page, 'F10', 'no');
  await next(page, 'G');
  await next(page, 'H');
  await type(page, 'H1', 'A. Official');
  await type(page, 'H2', 'Director');
  await type(page, 'H3', 'a.official@justice.example.gov');
  await type(page, 'H4', '11272026', 'input[type="date"]');
  await radio(page, 'H5', 'publish');
  await tabTo(page, `${q('H6')} input[type="checkbox"]`);
  await page.keyboard.press('Space');

  // Nothing is left to answer; the navigation's export link, then the signing key and the file.
  await tabTo(page, '.export-link', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-export]');
  const open = await page.locator('[data-export="blocked"] [data-open-question]').evaluateAll((els) => els.map((e) => e.dataset.openQuestion));
  assert.deepEqual(open, [], 'nothing is left to answer');
  await tabTo(page, 'button.create-key');
  await page.keyboard.press('Enter');
  await tabTo(page, 'button.sign-export');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(download.suggestedFilename(), `FRA-art32-${new Date().toISOString().slice(0, 10)}.json`);
  const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(doc.answers.S4, { from: '2024-01-01', to: '2025-12-31' });
  assert.equal(doc.answers.H4, '2026-11-27');
  assert.deepEqual(page.errors, []);
  await context.close();
});

// 360 px phones, and 200 % zoom (a 1280 px window at 200 % lays out 640 CSS px at scale 2):
// nothing may need sideways scrolling, in a left-to-right and a right-to-left language.
for (const [locale, width, scale] of [['en-GB', 360, 1], ['ar', 360, 1], ['en-GB', 640, 2], ['ar', 640, 2]]) {
  test(`no sideways scrolling at ${width} px, scale ${scale} (${locale})`, async () => {
    const context = await app.browser.newContext({ locale, viewport: { width, height: 800 }, deviceScaleFactor: scale });
    const page = await openApp(context, app.server.url);
    await seedDraft(page, SEEDED);
    await page.click('button.check-answers');
    const wide = [];
    for (const s of ['S', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']) {
      await goToSection(page, s);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (over > 0) wide.push(`section ${s}: ${over} px too wide`);
    }
    for (const [link, ready] of [['.export-link', '#export-title'], ['.print-link', '#print-title'], ['.open-drafts', '#drafts-title']]) {
      await page.click(link);
      await page.waitForSelector(ready);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (over > 0) wide.push(`${link}: ${over} px too wide`);
    }
    assert.deepEqual(wide, []);
    await context.close();
  });
}
