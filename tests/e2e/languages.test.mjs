// Six languages: only the one in use loads on the first visit; Arabic runs right to left;
// dates and numbers follow the language while answers stay canonical.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, q, goToSection, seedDraft, COMPLETE, chooseLanguage, startApp } from './harness.mjs';

const app = startApp();

const localeRequests = (page) => page.requests.filter((u) => u.includes('locales/')).map((u) => u.replace(/^\//, ''));

test('the first visit loads only the browser’s language; another loads when chosen', async () => {
  const context = await app.browser.newContext({ locale: 'ar-EG' });
  const page = await openApp(context, app.server.url);
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  // Of it, what the first screen needs: the interface, the sections' titles, the first section.
  assert.deepEqual(localeRequests(page).sort(), ['locales/ar/start.json', 'locales/ar/ui.json']);
  // index.html starts fetching them before the app's wasm, and the app's own fetches are served
  // by those requests: one request each.
  const loads = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => [new URL(e.name).pathname.replace(/^\/untoc-art32-\w+_bg\.wasm$/, 'wasm'), e.startTime]));
  const started = Object.fromEntries(loads);
  assert.ok(started['/locales/ar/ui.json'] <= started.wasm && started['/locales/ar/start.json'] <= started.wasm,
    `catalogs requested before the wasm: ${JSON.stringify(started)}`);
  assert.deepEqual(loads.map(([path]) => path).filter((p) => p.includes('locales/')).sort(),
    ['/locales/ar/start.json', '/locales/ar/ui.json']);

  // The menu lists the six UN languages by their own names, before any is loaded.
  const names = await page.locator('#language option').allTextContents();
  assert.deepEqual(names, ['العربية', '中文', 'English', 'Français', 'Русский', 'Español']);

  await chooseLanguage(page, 'fr');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.match(await page.textContent('h1'), /Questionnaire/);
  assert.ok(localeRequests(page).includes('locales/fr/ui.json'));
  assert.ok(!localeRequests(page).some((u) => /locales\/(zh|en|ru|es)\//.test(u)), 'no other language was fetched');

  // The choice is remembered over a reload, whatever the browser prefers, and that language's
  // catalogs are the ones index.html fetches ahead of the app.
  page.requests.length = 0;
  await page.reload();
  await page.waitForSelector(q('S1'));
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.deepEqual(localeRequests(page).sort(), ['locales/fr/start.json', 'locales/fr/ui.json']);

  // The rest of the wording comes with the first other section, once; from then on, another
  // language comes whole, so the section on screen never waits.
  await goToSection(page, 'A');
  await goToSection(page, 'B');
  await page.click('.still-to-answer-link');
  await page.waitForSelector('[data-open-question="S1"]', { state: 'attached' });
  assert.deepEqual(localeRequests(page).sort(), ['locales/fr/pages.json', 'locales/fr/questionnaire.json', 'locales/fr/start.json', 'locales/fr/ui.json']);
  await goToSection(page, 'C');
  await chooseLanguage(page, 'es');
  assert.match(await page.textContent('[data-section-view="C"] .intro'), /[áéíóúñ]/);
  assert.deepEqual(localeRequests(page).filter((u) => u.includes('/es/')).sort(),
    ['locales/es/pages.json', 'locales/es/questionnaire.json', 'locales/es/start.json', 'locales/es/ui.json']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('every language shows its own wording for every section, with no key left raw', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  for (const lang of ['ar', 'zh', 'en', 'fr', 'ru', 'es']) {
    await chooseLanguage(page, lang);
    for (const s of ['S', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']) {
      await goToSection(page, s);
      const text = await page.textContent('main');
      const raw = text.match(/\b(ui|err|q|opt|sec|f|b)\.[A-Za-z0-9_]+\.[a-z_.]+/);
      assert.equal(raw, null, `${lang} ${s}: a message key is shown instead of text: ${raw}`);
    }
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('Arabic reads right to left, with addresses and numbers left to right inside', async () => {
  const context = await app.browser.newContext({ locale: 'ar' });
  const page = await openApp(context, app.server.url);
  await seedDraft(page, { ...COMPLETE, E1: { choice: { selected: ['yes'] } } });

  // The navigation sits on the right and the main column on its left.
  const nav = await page.locator('.section-nav').boundingBox();
  const main = await page.locator('main').boundingBox();
  assert.ok(nav.x > main.x, `navigation is at the right in RTL (nav ${nav.x}, main ${main.x})`);

  // Email and URL fields stay left to right; free text follows what is typed.
  await goToSection(page, 'H');
  assert.equal(await page.getAttribute(`${q('H3')} input`, 'dir'), 'ltr');
  assert.equal(await page.evaluate((s) => getComputedStyle(document.querySelector(s)).direction, `${q('H3')} input`), 'ltr');
  assert.equal(await page.getAttribute(`${q('H1')} input`, 'dir'), 'auto');

  // Labels start at the right edge of their card.
  const card = await page.locator(q('H1')).boundingBox();
  const label = await page.locator(`${q('H1')} label`).first().boundingBox();
  assert.ok(card.x + card.width - (label.x + label.width) < 40, 'the label hugs the right edge');

  // The "next" arrow points left, the way Arabic reads.
  await goToSection(page, 'A');
  assert.match(await page.textContent('.section-pager .next'), /←/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('dates and numbers show in the language, while the draft keeps them canonical', async () => {
  const context = await app.browser.newContext({ locale: 'fr-FR' });
  const page = await openApp(context, app.server.url);
  await seedDraft(page, { ...COMPLETE, C4: { rows: [{ key: 1, fields: { year: { number: { value: '2024' } }, extradition_sent: { number: { value: '12345' } } } }] } });
  await page.click('.print-link');
  await page.waitForSelector('#print-title');
  const s4 = await page.textContent(`.print-item[data-question="S4"] dd`);
  assert.match(s4, /1(er)? janvier 2024/, s4);
  assert.match(s4, /31 décembre 2025/, s4);
  const row = await page.textContent(`.print-item[data-question="C4"] tbody tr`);
  assert.match(row, /2024/, 'a year is not grouped');
  assert.match(row, /12\s345/, `a count is grouped the French way: ${row}`);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('untoc-art32/draft/seed')).answers.S4);
  assert.deepEqual(stored, { period: { from: '2024-01-01', to: '2025-12-31' } });
  assert.deepEqual(page.errors, []);
  await context.close();
});
