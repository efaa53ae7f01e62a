// One reply, many hands: a focal point hands sections out by file, three offices answer them in
// browsers of their own (one in Arabic, one with the one-file edition opened from disk), and
// their parts are merged back in another order, with a conflict shown and settled, an undo, a
// part returned twice and a tampered one; the signed reply names who answered what, the
// independent Python verifier accepts it, and the submission and print views list them.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ace, axe, tabTo } from './a11y.mjs';
import { chooseLanguage, DIST, download, openApp, openHandoffs, openRequest, q, ROOT, COMPLETE, goToSection, seedDraft, startApp, storedAnswer, storedAnswerWhen, writeRequest } from './harness.mjs';

const app = startApp();
let dir;
let oneFile;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'art32-handoff-'));
  const file = join(dir, 'art32.html');
  execFileSync('node', [join(ROOT, 'scripts/single_file.mjs'), DIST, file]);
  oneFile = pathToFileURL(file).href;
});

/** Saves the file a click downloads, in this test's folder; its path. */
function downloadHere(page, selector, name) {
  return download(page, selector, join(dir, name));
}

/** The focal point hands one section to an office: the request file's path. */
async function handOut(page, section, label) {
  const path = await writeRequest(page, section, label, join(dir, `request-${section}.json`));
  await page.waitForSelector(`.handoff-list tr[data-status="waiting"] >> text=${label}`);
  return path;
}

/** The same by keyboard alone: Tab to each control, type, Space to tick, Enter to write. */
async function handOutByKeyboard(page, section, label) {
  await tabTo(page, '#handoff-label');
  await page.keyboard.type(label);
  await tabTo(page, `#hand-s-${section}`);
  await page.keyboard.press('Space');
  await tabTo(page, 'button.write-request');
  const path = join(dir, `request-${section}.json`);
  const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  await file.saveAs(path);
  await page.waitForSelector(`.handoff-list tr[data-status="waiting"] >> text=${label}`);
  return path;
}

/** Both rule engines' violations on the page as it is, each line saying where. */
async function violations(page, where) {
  return [...(await axe(page)).map((v) => `${where}: axe: ${v}`), ...(await ace(page)).map((v) => `${where}: IBM: ${v}`)];
}

/**
 * An office, in a browser of its own, answers a request and returns its part: the part's path.
 * `url`: where it opens the app (the server's, or the one-file edition's `file:` address).
 */
async function answer(request, name, fill, { lang, url = app.server.url } = {}) {
  const context = await app.browser.newContext();
  const page = await openApp(context, url);
  if (lang) await chooseLanguage(page, lang);
  // The part opens at its questions, under a notice that says whose reply it is.
  await openRequest(page, request);
  await fill(page);
  await page.click('.return-part-link');
  await page.waitForSelector('.return-part');
  await page.click('button.create-key');
  await page.waitForSelector('.part-issuer:not(:empty)');
  assert.deepEqual(await violations(page, `${name}, return my part`), []);
  const path = await downloadHere(page, 'button.return-part', name);
  assert.deepEqual(page.errors, []);
  await context.close();
  return path;
}

/** Opens a part file in the focal point's hand-offs page; the summary or the refusal shows. */
async function openPart(page, path) {
  await page.setInputFiles('#part-file', path);
  await page.waitForSelector('.merge-summary, .merge-message');
}

test('sections handed to three offices come back as signed parts and merge, conflicts settled by a person', async () => {
  const context = await app.browser.newContext();
  const fp = await openApp(context, app.server.url);
  await seedDraft(fp, COMPLETE, 'reply');
  await openHandoffs(fp);
  await fp.click('button.create-key');
  const toJustice = await handOut(fp, 'E', 'Ministry of Justice');
  const toFiu = await handOut(fp, 'F', 'Financial Intelligence Unit');
  const toProsecution = await handOutByKeyboard(fp, 'C', 'Prosecution Service');

  // Meanwhile the focal point answers E11 too.
  await goToSection(fp, 'E');
  await fp.fill(`${q('E11')} textarea`, 'Written by the focal point.');
  await storedAnswerWhen(fp, 'E11', (a) => a?.text === 'Written by the focal point.');

  const justice = await answer(toJustice, 'part-E.json', async (page) => {
    // Only the questions handed out are shown.
    assert.equal(await page.isVisible(q('S1')), false);
    await page.waitForSelector(q('E11'));
    await page.fill(`${q('E11')} textarea`, 'Written by the Ministry of Justice.');
    await storedAnswerWhen(page, 'E11', (a) => a?.text === 'Written by the Ministry of Justice.');
  });
  const fiu = await answer(toFiu, 'part-F.json', async (page) => {
    await page.waitForSelector(q('F8'));
    await page.check(`${q('F8')} input[value="adequate"]`);
    await storedAnswerWhen(page, 'F8', (a) => a?.choice?.selected?.[0] === 'adequate');
    // Right to left: the notice's heading starts at its right edge (kept as a screenshot too).
    const notice = await page.locator('.part-notice').boundingBox();
    const heading = await page.locator('#part-notice-title').boundingBox();
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.ok(notice.x + notice.width - (heading.x + heading.width) < 40, 'the heading hugs the right edge');
    await page.locator('.part-notice').screenshot({ path: join(dir, 'part-notice-ar.png') });
  }, { lang: 'ar' });
  // The one-file edition, from disk: no server, no service worker.
  const prosecution = await answer(toProsecution, 'part-C.json', async (page) => {
    await page.waitForSelector(q('C7'));
    assert.equal(await page.isVisible(q('E11')), false);
    await page.check(`${q('C7')} input[value="yes"]`);
    await storedAnswerWhen(page, 'C7', (a) => a?.choice?.selected?.[0] === 'yes');
  }, { url: oneFile });

  // The parts come back in another order. The prosecution's, then the FIU's: taken, then
  // undone, then again.
  await openHandoffs(fp);
  await openPart(fp, prosecution);
  await fp.click('button.apply-merge');
  await storedAnswerWhen(fp, 'C7', (a) => a?.choice?.selected?.[0] === 'yes');
  await openPart(fp, fiu);
  assert.equal(await fp.locator('.merge-outcomes [data-outcome="taken"]').count(), 1);
  assert.equal(await storedAnswer(fp, 'F8'), undefined, 'nothing changes before the merge is applied');
  await fp.click('button.apply-merge');
  await storedAnswerWhen(fp, 'F8', (a) => a?.choice?.selected?.[0] === 'adequate');
  await fp.click('button.undo-merge');
  await storedAnswerWhen(fp, 'F8', (a) => a === undefined);
  await openPart(fp, fiu);
  await fp.click('button.apply-merge');
  await storedAnswerWhen(fp, 'F8', (a) => a?.choice?.selected?.[0] === 'adequate');

  // The Ministry's: both changed E11, a conflict; the reply cannot be signed meanwhile.
  await openPart(fp, justice);
  assert.equal(await fp.locator('.merge-outcomes [data-outcome="conflict"]').count(), 1);
  const found = await violations(fp, 'the merge summary');
  await fp.click('button.apply-merge');
  await fp.waitForSelector('.conflict[data-question="E11"]');
  found.push(...(await violations(fp, 'a conflict')));
  assert.deepEqual(found, []);
  assert.match(await fp.textContent('.conflict-ours'), /focal point/);
  assert.match(await fp.textContent('.conflict-theirs'), /Ministry of Justice/);
  assert.equal((await storedAnswer(fp, 'E11')).text, 'Written by the focal point.', 'a conflict keeps the reply as it was');
  await fp.click('.export-link');
  await fp.waitForSelector('[data-export="conflicts"]');
  assert.equal(await fp.isDisabled('button.sign-export'), true);
  await openHandoffs(fp);
  await fp.click('.conflict[data-question="E11"] button.take-theirs');
  await storedAnswerWhen(fp, 'E11', (a) => a?.text === 'Written by the Ministry of Justice.');
  assert.equal(await fp.locator('.conflict').count(), 0);

  // The same part again changes nothing; a tampered part is refused.
  const before = await fp.evaluate(() => localStorage.getItem(`untoc-art32/draft/${localStorage.getItem('untoc-art32/current')}`));
  await openPart(fp, justice);
  assert.match(await fp.textContent('.merge-message'), /merged already/);
  const tampered = join(dir, 'part-F-tampered.json');
  await writeFile(tampered, (await readFile(fiu, 'utf8')).replace('adequate', 'partial'));
  await openPart(fp, tampered);
  assert.match(await fp.textContent('.merge-message'), /changed after it was signed/);
  const after = await fp.evaluate(() => localStorage.getItem(`untoc-art32/draft/${localStorage.getItem('untoc-art32/current')}`));
  assert.equal(JSON.parse(after).revision, JSON.parse(before).revision, 'a refused part writes nothing');
  assert.equal(await fp.locator('.handoff-list tr[data-status="returned"]').count(), 3);

  // Signed: the submission says who supplied what, and the independent verifier accepts it.
  await fp.click('.export-link');
  await fp.waitForSelector('[data-export="ready"]');
  const signed = await downloadHere(fp, 'button.sign-export', 'reply.json');
  const doc = JSON.parse(await readFile(signed, 'utf8'));
  const byLabel = Object.fromEntries(doc.contributors.map((c) => [c.label, c.questions]));
  assert.deepEqual(byLabel, { 'Ministry of Justice': ['E11'], 'Financial Intelligence Unit': ['F8'], 'Prosecution Service': ['C7'] });
  const out = execFileSync('python3', [join(ROOT, 'scripts/verify_submission.py'), signed], { encoding: 'utf8' });
  assert.match(out, /OK/);

  // The print view and the read-only view of the signed file say it too.
  await fp.click('.print-link');
  await fp.waitForSelector('#print-title');
  assert.equal(await fp.locator('.print-page .contributors li').count(), 3);
  assert.match(await fp.textContent('.print-page .contributors'), /Ministry of Justice.*E11/);
  await fp.click('.open-submission-link');
  await fp.setInputFiles('#submission-file', signed);
  await fp.waitForSelector('[data-verdict="valid"]');
  const listed = await fp.locator('.contributors li').allTextContents();
  assert.equal(listed.length, 3);
  assert.ok(listed.some((l) => l.includes('Financial Intelligence Unit') && l.includes('F8')), listed.join(' | '));
  assert.deepEqual(fp.errors, []);
  await context.close();
});
