// Offline after one visit, updates that keep drafts, the one-file edition, and no request to
// anyone but the page's own origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, launch, launchProfile, openApp, q, DIST, ROOT, goToSection, COMPLETE, seedDraft, chooseLanguage } from './harness.mjs';

let browser, tmp;
before(async () => {
  browser = await launch();
  tmp = await mkdtemp(join(tmpdir(), 'art32-offline-'));
});
after(async () => {
  await browser?.close();
});

/** "Save a copy to a file", then "Sign and export" of a complete reply: both download a file. */
async function saveCopyAndSignedExport(page) {
  const [copy] = await Promise.all([page.waitForEvent('download'), page.click('button.save-to-file')]);
  assert.match(copy.suggestedFilename(), /art32-draft/);
  await page.click('.export-link');
  await page.click('button.create-key');
  const [signed] = await Promise.all([page.waitForEvent('download'), page.click('button.sign-export')]);
  assert.match(signed.suggestedFilename(), /^FRA-art32-/);
}

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 });
}


test('after one visit, the app works with the network off: answer, autosave, export', async () => {
  const server = await serve();
  const context = await browser.newContext();
  const page = await openApp(context, server.url);
  await controlled(page);
  await seedDraft(page, COMPLETE);

  await context.setOffline(true);
  const before = server.requests.length;
  await page.reload();
  await page.waitForSelector(q('S1'));
  assert.equal(server.requests.length, before, 'the reload reached no server');
  await goToSection(page, 'A');
  await page.fill(`${q('A6')} textarea`, 'Typed offline.');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  assert.match(await page.evaluate(() => localStorage.getItem('untoc-art32/draft/seed')), /Typed offline\./);
  // A language never opened online comes from the service worker's cache.
  await chooseLanguage(page, 'ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await chooseLanguage(page, 'en');
  assert.equal(server.requests.length, before, 'nothing reached the server');
  await saveCopyAndSignedExport(page);
  assert.deepEqual(page.errors, []);
  await context.close();
  await server.close();
});

test('a new version prompts for an update, and the draft opens in it', async () => {
  const a = join(tmp, 'a');
  const b = join(tmp, 'b');
  await cp(DIST, a, { recursive: true });
  await cp(DIST, b, { recursive: true });
  // Version B differs in a file without a content hash in its name (hashed files are covered by
  // subresource integrity, so they cannot be edited in place).
  const manifest = JSON.parse(await readFile(join(b, 'manifest.webmanifest'), 'utf8'));
  manifest.description += ' Version B.';
  await writeFile(join(b, 'manifest.webmanifest'), JSON.stringify(manifest));
  execFileSync('node', [join(ROOT, 'scripts/build.mjs'), `--restamp=${b}`]);

  const server = await serve(a);
  const context = await browser.newContext();
  const page = await openApp(context, server.url);
  await controlled(page);
  await goToSection(page, 'A');
  await page.fill(`${q('A6')} textarea`, 'Written in version A.');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  const cachesA = await page.evaluate(() => caches.keys());

  server.setRoot(b);
  await page.reload();
  await page.waitForSelector('.update-notice', { timeout: 30_000 });
  await page.click('button.apply-update');
  await page.waitForFunction((old) => caches.keys().then((k) => k.length === 1 && k[0] !== old[0]), cachesA, { timeout: 30_000 });
  await page.waitForSelector(q('S1'));
  assert.match(await page.evaluate(() => fetch('manifest.webmanifest').then((r) => r.text())), /Version B\./, 'version B is in control');
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(`${q('A6')} textarea`), 'Written in version A.');
  await context.close();
  await server.close();
});

test('the one-file edition opens from disk, and keeps answers across a reload', async () => {
  const file = join(tmp, 'art32.html');
  execFileSync('node', [join(ROOT, 'scripts/single_file.mjs'), DIST, file]);
  const context = await browser.newContext();
  const page = await openApp(context, pathToFileURL(file).href);
  await goToSection(page, 'A');
  await page.fill(`${q('A6')} textarea`, 'Typed in the file edition.');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  await page.reload();
  await page.waitForSelector(q('S1'));
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(`${q('A6')} textarea`), 'Typed in the file edition.');
  // Every language travels inside the file (fetch does not work from file://).
  for (const tag of ['ar', 'zh', 'fr', 'ru', 'es', 'en']) await chooseLanguage(page, tag);
  assert.equal(await page.getAttribute('html', 'data-catalog-from'), 'page');
  // Drafts to a file and the signed export work there too.
  await seedDraft(page, COMPLETE);
  await saveCopyAndSignedExport(page);
  assert.deepEqual(page.errors, []);
  await context.close();
});

/**
 * A copy of the build without one split module (`split_<name>-<hash>.wasm`), as on a first visit
 * cut off before the service worker kept everything. Each call makes a copy of its own.
 */
async function buildWithout(name) {
  const module = (await readdir(DIST)).find((f) => new RegExp(`^split_${name}-[0-9a-f]{8}\\.wasm$`).test(f));
  assert.ok(module, `the build has ${name} as a module of its own`);
  return buildWithoutFile(module);
}

/** A copy of the build without one of its files (a path inside it). */
async function buildWithoutFile(file) {
  const broken = await mkdtemp(join(tmp, 'without-'));
  await cp(DIST, broken, { recursive: true });
  await rm(join(broken, file));
  return broken;
}

/**
 * The app served from `root` by a server of its own, in a context without a service worker (so
 * every fetch reaches that server). Both are closed after the test, even when an assertion
 * fails, so a failure cannot leave the run hanging.
 */
async function openBroken(t, root, options = {}) {
  const server = await serve(root);
  const context = await browser.newContext({ serviceWorkers: 'block', ...options });
  t.after(async () => { await context.close(); await server.close(); });
  return { server, context, page: await openApp(context, server.url) };
}

test('a page whose code cannot be fetched says so in the reader\'s language; "Try again" opens it; answers stay', async () => {
  const server = await serve(await buildWithout('export_page'));
  const context = await browser.newContext();
  const page = await openApp(context, server.url);
  await goToSection(page, 'A');
  await page.fill(`${q('A6')} textarea`, 'Kept while a page fails to open.');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  await chooseLanguage(page, 'es');
  await page.click('.export-link');
  await page.waitForSelector('.page-failed');
  assert.match(await page.textContent('.page-failed'), /No se pudo abrir esta página.*Sus respuestas están a salvo/s);
  // The message takes the focus, so it is in view even when the link was far down the page.
  await page.waitForFunction(() => document.activeElement?.id === 'page-failed');
  assert.equal(await page.$('button.create-key'), null);
  // Connected again, to the whole build: "Try again" opens the page and moves focus to its title.
  server.setRoot(DIST);
  await page.click('.page-failed button.retry');
  await page.waitForSelector('button.create-key');
  await page.waitForFunction(() => document.activeElement?.id === 'export-title');
  assert.equal(await page.$('.page-failed'), null);
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(`${q('A6')} textarea`), 'Kept while a page fails to open.');
  // The only errors are the failed fetch's own.
  assert.deepEqual(page.errors.filter((e) => !/404|split_export_page|WebAssembly|Failed to load resource/.test(e)), []);
  await context.close();
  await server.close();
});

test('when the loader of the lazy parts cannot be fetched, a page says so; "Try again" opens it', async (t) => {
  // The loader is not part of a first visit: the glue imports it with the first lazy part.
  const loader = (await readdir(DIST)).find((f) => /^pages-[0-9a-f]{8}\.js$/.test(f));
  assert.ok(loader, 'the build has a loader of its lazy modules');
  if ((await readFile(join(DIST, 'index.html'), 'utf8')).includes(`href="./${loader}"`)) {
    // Built without the defer step (--plain): the loader comes with the glue, as the app does.
    t.skip('built without the defer step');
    return;
  }
  const { server, page } = await openBroken(t, await buildWithoutFile(loader));
  await page.selectOption(`${q('S1')} select`, 'FRA');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  await page.click('.open-drafts');
  await page.waitForSelector('.page-failed');
  server.setRoot(DIST);
  await page.click('.page-failed button.retry');
  await page.waitForSelector('.draft-list');
  assert.equal(await page.$('.page-failed'), null);
  await goToSection(page, 'S');
  assert.equal(await page.inputValue(`${q('S1')} select`), 'FRA');
  assert.deepEqual(page.errors.filter((e) => !/404|pages-|Failed to load resource|dynamically imported module/.test(e)), []);
});

test('rows whose code cannot be fetched say so in the reader\'s language; the rest of the section works; "Try again" brings them', async (t) => {
  const { server, page } = await openBroken(t, await buildWithout('repeat_group'));
  await chooseLanguage(page, 'fr');
  await goToSection(page, 'A');
  // Each group keeps its number and label, and says what happened; nothing steals the focus.
  await page.waitForSelector(`${q('A5')} .rows-failed`);
  await page.waitForSelector(`${q('A7')} .rows-failed`);
  assert.match(await page.textContent(`${q('A5')} .rows-label`), /^A5 \S/);
  assert.match(await page.textContent(`${q('A5')} .rows-failed`), /Les lignes de cette question n’ont pas pu être ouvertes.*Vos réponses sont en sécurité/s);
  assert.notEqual(await page.evaluate(() => document.activeElement?.className), 'retry');
  // The other questions of the section are answered and saved meanwhile.
  await page.fill(`${q('A6')} textarea`, 'Kept while the rows fail to open.');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  // Connected again: "Try again" on one group brings the rows of both; a row is added.
  server.setRoot(DIST);
  await page.click(`${q('A5')} .rows-failed button.retry`);
  await page.click(`${q('A5')} button.add-row`);
  await page.waitForSelector(`${q('A5')} .row`);
  await page.waitForSelector(`${q('A7')} button.add-row`);
  assert.equal(await page.$('.rows-failed'), null);
  assert.equal(await page.inputValue(`${q('A6')} textarea`), 'Kept while the rows fail to open.');
  assert.deepEqual(page.errors.filter((e) => !/404|split_repeat_group|WebAssembly|Failed to load resource/.test(e)), []);
});

test('drafts whose reading code cannot be fetched stop the start with a message, and stay as they were', async (t) => {
  const { server, page } = await openBroken(t, await buildWithout('draft_reader'));
  // A first visit has no draft to read: the form starts without that code, and saves.
  await page.selectOption(`${q('S1')} select`, 'FRA');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  const stored = () => page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('untoc-art32/draft/')));
  const before = await stored();
  assert.equal(before.length, 1);
  // Opened again, the draft must be read first: the page says the questionnaire could not start
  // (rather than show an empty form), and the draft is untouched.
  await page.reload();
  await page.waitForSelector('#boot-failed:not([hidden])');
  assert.match(await page.textContent('#boot-failed'), /could not start/);
  assert.equal(await page.$(q('S1')), null);
  assert.deepEqual(await stored(), before);
  // Connected again to the whole build: the draft opens.
  server.setRoot(DIST);
  await page.reload();
  await page.waitForSelector(q('S1'));
  assert.equal(await page.inputValue(`${q('S1')} select`), 'FRA');
  assert.deepEqual(page.errors.filter((e) => !/404|split_draft_reader|WebAssembly|Failed to load resource/.test(e)), []);
});

test('a conflict found before the code that reads drafts could be fetched is explained; "Try again" brings its choices', async (t) => {
  const { server, page } = await openBroken(t, await buildWithout('draft_reader'));
  // A first visit: no draft to read, so that code is not here.
  await page.selectOption(`${q('S1')} select`, 'FRA');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  // Another tab writes a newer revision (in this document: no storage event), and this tab's
  // next save finds it.
  await page.evaluate(() => {
    const key = `untoc-art32/draft/${localStorage.getItem('untoc-art32/current')}`;
    const d = JSON.parse(localStorage.getItem(key));
    d.revision += 1;
    localStorage.setItem(key, JSON.stringify(d));
    localStorage.setItem(key.replace('/draft/', '/rev/'), String(d.revision));
  });
  await page.selectOption(`${q('S1')} select`, 'DEU');
  // The choices' code cannot be fetched: the lock is explained, with "Try again".
  await page.waitForSelector('.lock-notice button.retry');
  assert.match(await page.textContent('.lock-notice'), /changed in another tab or window/);
  assert.equal(await page.isDisabled(`${q('S1')} select`), true, 'nothing is saved over the newer revision');
  assert.equal(await page.inputValue(`${q('S1')} select`), 'DEU', 'the edit stays on screen');
  // Connected again: the choices come, and "keep mine" keeps this tab's answers as a new draft.
  server.setRoot(DIST);
  await page.click('.lock-notice button.retry');
  await page.click('.lock-notice[data-lock="conflict"] button.keep-mine');
  await page.waitForSelector('.lock-notice', { state: 'detached' });
  const kept = await page.evaluate(() => Object.entries(localStorage)
    .filter(([k]) => k.startsWith('untoc-art32/draft/')).map(([, v]) => JSON.parse(v).answers.S1?.choice?.selected?.[0]).sort());
  assert.deepEqual(kept, ['DEU', 'FRA']);
  assert.deepEqual(page.errors.filter((e) => !/404|split_draft_reader|WebAssembly|Failed to load resource/.test(e)), []);
});

test('rows that could not be fetched arrive by themselves when the browser is back online', async (t) => {
  const { server, context, page } = await openBroken(t, await buildWithout('repeat_group'));
  await goToSection(page, 'C');
  await page.waitForSelector(`${q('C4')} .rows-failed`);
  // The connection drops and comes back, and the whole build is there again: no click needed.
  server.setRoot(DIST);
  await context.setOffline(true);
  await context.setOffline(false);
  await page.waitForSelector(`${q('C4')} button.add-row`);
  assert.equal(await page.$('.rows-failed'), null);
  assert.deepEqual(page.errors.filter((e) => !/404|split_repeat_group|WebAssembly|Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e)), []);
});

test('a section whose wording cannot be fetched says so; the first section works; "Try again" brings its questions', async (t) => {
  const { server, page } = await openBroken(t, await buildWithoutFile('locales/fr/questionnaire.json'), { locale: 'fr-FR' });
  // The first screen has all it needs.
  await page.selectOption(`${q('S1')} select`, 'FRA');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  await goToSectionHeading(page, 'A');
  await page.waitForSelector('[data-section-view="A"] .section-failed');
  assert.match(await page.textContent('.section-failed'), /Les questions de cette section n’ont pas pu être ouvertes.*Vos réponses sont en sécurité/s);
  // Its heading is there, and has the focus; no key shows raw.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'section-A');
  assert.doesNotMatch(await page.textContent('main'), /\b(q|sec|opt)\.[A-Za-z0-9_]+\./);
  // A lazy page waits for the same wording, and says so too.
  await page.click('.still-to-answer-link');
  await page.waitForSelector('.page-failed');
  await goToSectionHeading(page, 'A');
  // Connected again, to the whole build: "Try again" brings the questions, in French.
  server.setRoot(DIST);
  await page.click('.section-failed button.retry');
  await page.waitForSelector(`[data-section-view="A"] .intro`);
  assert.match(await page.textContent(`${q('A6')} label`), /\S/);
  assert.equal(await page.$('.section-failed'), null);
  await goToSection(page, 'S');
  assert.equal(await page.inputValue(`${q('S1')} select`), 'FRA');
  assert.deepEqual(page.errors.filter((e) => !/404|questionnaire\.json|Failed to load resource/.test(e)), []);
});

/** Opens a section whose questions may not come: waits for its heading only. */
async function goToSectionHeading(page, id) {
  await page.click(`.section-nav [data-section="${id}"] button`);
  await page.waitForSelector(`[data-section-view="${id}"] h2`);
}

test('leaving a page while its code is on its way breaks nothing, and the page opens later', async () => {
  const server = await serve();
  // No service worker, so that the test's slow route sees the fetch of the page's code.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  let release;
  const held = new Promise((ok) => { release = ok; });
  await context.route(/split_export_page-[0-9a-f]+\.wasm$/, async (route) => { await held; await route.continue(); });
  const page = await openApp(context, server.url);
  await page.click('.export-link');
  await page.waitForSelector('.page-loading');
  await goToSection(page, 'A');
  release();
  await page.waitForResponse(/split_export_page-/);
  await page.waitForTimeout(300);
  assert.equal(await page.$('section.export, button.create-key, .page-loading'), null, 'nothing of the page left behind');
  assert.ok(await page.isVisible(q('A6')));
  await page.click('.export-link');
  await page.waitForSelector('button.create-key');
  assert.deepEqual(page.errors, []);
  await context.close();
  await server.close();
});

test('a whole session talks only to its own origin, and the CSP reports nothing', async () => {
  const server = await serve();
  const context = await browser.newContext();
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await openApp(context, server.url);
  await controlled(page);
  await seedDraft(page, COMPLETE);
  await goToSection(page, 'A');
  await page.fill(`${q('A6')} textarea`, 'A full session.');
  await chooseLanguage(page, 'zh');
  await chooseLanguage(page, 'en');
  await page.click('button.open-drafts');
  await page.click('.export-link');
  await page.click('button.create-key');
  await Promise.all([page.waitForEvent('download'), page.click('button.sign-export')]);
  await page.reload();
  await page.waitForSelector(q('S1'));
  const foreign = urls.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.ok(urls.length > 3, 'requests were recorded');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.match(await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content'), /default-src 'none'/);
  assert.deepEqual(page.errors, []);
  await context.close();
  await server.close();
});

test('the app can be installed: manifest, icon and offline support pass Chromium\'s checks', async () => {
  const server = await serve();
  const context = await launchProfile(join(tmp, 'profile'));
  const page = await openApp(context, server.url);
  await controlled(page);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  const { errors } = await cdp.send('Page.getAppManifest');
  assert.deepEqual(errors, []);
  await context.close();
  await server.close();
});
