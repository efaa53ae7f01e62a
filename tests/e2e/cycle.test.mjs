// The next cycle: last cycle's signed reply (questionnaire version 2) starts this cycle's draft
// (version 3); every carried answer is marked until reviewed, one section is reviewed in one
// click and two answers are changed; "What changed" shows them; the export asks first, names
// how many were not reviewed, and writes `previous`; the independent Python verifier accepts
// the new file, and `art32 diff` and "Open a submission" compare it with the old one.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ace, axe, tabTo } from './a11y.mjs';
import { chooseLanguage, openApp, q, ROOT, goToSection, seedDraft, signWithNewKey, startApp, startFromPrevious, storedAnswerWhen } from './harness.mjs';

const app = startApp();
let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'art32-cycle-'));
});

const OLD_TEXT = 'Too few specialized prosecutors; a training plan was adopted in 2025.';
const A6_OLD = 'National action plan against organized crime, 2024–2028.';
const A6_NEW = 'National action plan against organized crime, 2024–2028. Reviewed in 2026.';

/**
 * Last cycle's reply as the version 2 app signed it: D2a not yet split in two, F10's option
 * still `considering`; signed with Node's own Ed25519, as any outside tool could.
 */
function lastCycle(signedAt) {
  const one = (selected) => ({ selected });
  const doc = {
    format: 'untoc-art32-submission',
    format_version: 1,
    questionnaire: { id: 'untoc-art32', version: 2 },
    state: 'FRA',
    language: 'en',
    generated_at: signedAt,
    app_version: '0.9.0',
    answers: {
      S1: one('FRA'), S2: one('signatory'), S4: { from: '2022-01-01', to: '2023-12-31' }, S5: one('en'),
      A2: one('no'), A6: A6_OLD, B1: one('no'), B2: one('no'), C1: one('yes'), C2: one('no'), C3: one('not_possible'),
      D2: one(['resources']), D2a: OLD_TEXT,
      E1: one('no'), E8: one('no'), F1: one('no'), F5: one('no'), F6: one(['none']), F7: one('no'), F9: one(['none']),
      F10: one('considering'),
      H1: 'A. Official', H2: 'Director', H3: 'a.official@justice.example.gov', H4: '2024-03-01', H5: one('publish'), H6: true,
    },
  };
  return signWithNewKey(doc, signedAt);
}

/** Runs the `art32` tool: its exit status and standard output. */
function art32(...args) {
  const run = spawnSync('cargo', ['run', '--quiet', '--bin', 'art32', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, out: run.stdout + run.stderr };
}

async function violations(page, where) {
  return [...(await axe(page)).map((v) => `${where}: axe: ${v}`), ...(await ace(page)).map((v) => `${where}: IBM: ${v}`)];
}

test('the next cycle starts from the last signed reply, is reviewed, and says what changed', async () => {
  const old = join(dir, 'FRA-art32-2024.json');
  await writeFile(old, lastCycle('2024-03-01T09:30:00Z'));
  // The file itself is valid for the independent verifier.
  execFileSync('python3', [join(ROOT, 'scripts/verify_submission.py'), old]);

  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  // A draft of this cycle's own, left as it is: starting from the old reply makes a new one.
  await seedDraft(page, { A6: { text: 'Untouched draft' } }, 'mine');

  // A file that is not a valid signed reply changes nothing and says why.
  const tampered = join(dir, 'tampered.json');
  await writeFile(tampered, (await readFile(old, 'utf8')).replace('Too few', 'Enough'));
  await startFromPrevious(page, tampered);
  await page.waitForSelector('.notice >> text=signature');
  assert.equal(await page.locator('.carried-notice').count(), 0);
  assert.equal(await page.locator('.draft-list tbody tr').count(), 1);

  // The real one: a new draft, at the first section, every carried answer marked.
  await startFromPrevious(page, old);
  await page.waitForSelector('.carried-notice');
  await page.waitForSelector(`${q('S1')} .carried-mark[data-carried="not-reviewed"]`);
  const notReviewed = async () => Number(await page.getAttribute('.carried-notice', 'data-not-reviewed'));
  const carried = await notReviewed();
  assert.ok(carried >= 20, `carried answers marked: ${carried}`);
  assert.match(await page.textContent('.carried-notice'), /1 March 2024|01\/03\/2024|2024/);
  assert.equal(await storedAnswerWhen(page, 'F10', (a) => a?.choice?.selected?.[0] === 'under_consideration')
    .then((a) => a.choice.selected[0]), 'under_consideration', 'the renamed option is carried');

  // Section S reviewed in one click (by keyboard: Tab to it, Enter).
  const inS = await page.locator('[data-section-view="S"] .carried-mark[data-carried="not-reviewed"]').count();
  assert.equal(inS, 4);
  await tabTo(page, 'button.review-section');
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => Number(document.querySelector('.carried-notice')?.dataset.notReviewed) === n, carried - inS);
  assert.equal(await page.locator('[data-section-view="S"] .carried-mark[data-carried="reviewed"]').count(), inS);
  // One answer of section A: "Still correct".
  await goToSection(page, 'A');
  await page.click(`${q('A2')} button.still-correct`);
  await page.waitForSelector(`${q('A2')} .carried-mark[data-carried="reviewed"]`);
  const markViolations = await violations(page, 'form with carried marks');
  // Two answers changed: a text, and D2's split half.
  await page.fill(`${q('A6')} textarea`, A6_NEW);
  await page.waitForSelector(`${q('A6')} .carried-mark[data-carried="changed"]`);
  await goToSection(page, 'D');
  await page.fill(`${q('D2c')} textarea`, 'Two posts were filled in 2026.');
  await page.waitForSelector(`${q('D2c')} .carried-mark[data-carried="changed"]`);
  await page.waitForFunction((n) => Number(document.querySelector('.carried-notice')?.dataset.notReviewed) === n, carried - inS - 3);

  // "What changed": the two changes, the text word by word; D2b and D2c are new in version 3.
  await page.click('button.open-what-changed');
  await page.waitForSelector('#what-changed');
  await page.waitForFunction(() => document.activeElement?.id === 'what-changed');
  const changed = await page.$$eval('section.what-changed [data-changed]', (els) => els.map((e) => e.dataset.changed));
  assert.deepEqual(changed, ['A6', 'D2c']);
  assert.equal((await page.textContent('[data-changed="A6"] ins')).trim(), 'Reviewed in 2026.');
  assert.equal(await page.locator('[data-changed="A6"] del').count(), 0, 'nothing of the old text was removed');
  assert.match(await page.textContent('[data-changed="D2c"] .side.old'), /Too few specialized prosecutors/);
  assert.deepEqual(await page.$$eval('[data-changes="D"] [data-list="new"] [data-question]', (els) => els.map((e) => e.dataset.question)), ['D2b', 'D2c']);
  assert.equal(await page.locator('[data-changes="S"] [data-list="reviewed"] li').count(), inS);
  assert.match(await page.textContent('.carried-count'), new RegExp(`not yet reviewed: ${carried - inS - 3}`));
  const changesViolations = await violations(page, 'What changed');

  // The same page in Arabic, right to left.
  await chooseLanguage(page, 'ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl' && /تغيّر/.test(document.querySelector('#what-changed')?.textContent ?? ''));
  const box = await page.locator('[data-changed="A6"] .side.old').boundingBox();
  const boxNew = await page.locator('[data-changed="A6"] .side.new').boundingBox();
  assert.ok(box.x > boxNew.x, 'the last reply stands at the right, first in reading order');
  await page.locator('section.what-changed').screenshot({ path: join(dir, 'what-changed-ar.png') });
  await chooseLanguage(page, 'en');

  // The print view marks the answers changed since the last reply.
  await page.click('.print-link');
  await page.waitForSelector('.print-now');
  assert.deepEqual(await page.$$eval('.print-item:has(.changed-mark)', (els) => els.map((e) => e.dataset.question)), ['A6', 'D2c']);

  // Sign and export: a confirmation names the answers not reviewed; declining changes nothing.
  await page.click('.export-link');
  await page.waitForSelector('#export-title');
  await page.click('button.create-key');
  await page.waitForSelector('[data-export="ready"]');
  const asked = [];
  page.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
  await page.click('button.sign-export');
  await page.waitForFunction(() => true);
  assert.equal(asked.length, 1);
  assert.match(asked[0], new RegExp(`^${carried - inS - 3} carried answers have not been reviewed`));
  assert.equal(await page.locator('#receipt-title').count(), 0, 'nothing was signed');
  page.once('dialog', (d) => d.accept());
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.sign-export')]);
  const neu = join(dir, 'FRA-art32-2026.json');
  await download.saveAs(neu);
  const doc = JSON.parse(await readFile(neu, 'utf8'));
  assert.equal(doc.previous.sha256, createHash('sha256').update(await readFile(old)).digest('hex'));
  assert.equal(doc.previous.signed_at, '2024-03-01T09:30:00Z');
  assert.equal(doc.previous.questionnaire_version, 2);
  assert.deepEqual(doc.previous.changed, ['A6', 'D2c']);
  const verified = execFileSync('python3', [join(ROOT, 'scripts/verify_submission.py'), neu], { encoding: 'utf8' });
  assert.match(verified, /OK|valid/i);

  // The secretariat's tool: what changed, and that the new file names the old as its previous.
  const diff = art32('diff', old, neu);
  assert.equal(diff.status, 0, diff.out);
  assert.match(diff.out, /NEW declares OLD as its previous reply/);
  assert.match(diff.out, /A6/);
  const json = JSON.parse(art32('diff', old, neu, '--json').out);
  assert.deepEqual(json.changes.map((c) => c.question), ['A6', 'D2c']);

  // "Open a submission" compares the two files the same way.
  await page.click('.open-submission-link');
  await page.setInputFiles('#submission-file', neu);
  await page.waitForSelector('[data-verdict="valid"]');
  assert.equal(await page.locator('[data-answer="A6"] .changed-mark').count(), 1, 'changed since the last reply, marked');
  assert.equal(await page.locator('[data-answer="S1"] .changed-mark').count(), 0);
  await page.setInputFiles('#compare-file', old);
  await page.waitForSelector('.comparison');
  assert.match(await page.textContent('.comparison .declared'), /names this file as its previous reply/);
  assert.deepEqual(await page.$$eval('.comparison [data-changed]', (els) => els.map((e) => e.dataset.changed)), ['A6', 'D2c']);
  const compareViolations = await violations(page, 'comparison');

  // The draft of this cycle that was there before is untouched.
  const mine = await page.evaluate(() => JSON.parse(localStorage.getItem('untoc-art32/draft/mine')).answers.A6);
  assert.deepEqual(mine, { text: 'Untouched draft' });
  assert.deepEqual([...markViolations, ...changesViolations, ...compareViolations], []);
  await context.close();
});

test('a carried list of cases is marked changed when a field of one of its rows changes, and the notice counts it', async () => {
  const one = (selected) => ({ selected });
  const cases = [0, 1].map((i) => ({ reference: `Case ${i + 1}/2023`, court: 'Regional Court', date: '2023-03-14',
    summary: 'The accused threatened a witness to obtain false testimony.', url: `https://courts.example.gov/decisions/${i}` }));
  const file = join(dir, 'FRA-art32-2024-cases.json');
  await writeFile(file, signWithNewKey({
    format: 'untoc-art32-submission', format_version: 1, questionnaire: { id: 'untoc-art32', version: 2 },
    state: 'FRA', language: 'en', generated_at: '2024-03-01T09:00:00Z', app_version: '0.9.0',
    answers: { S1: one('FRA'), E1: one('yes'), E10: cases },
  }, '2024-03-01T09:30:00Z'));
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await startFromPrevious(page, file);
  await page.waitForSelector('.carried-notice');
  const notReviewed = async () => Number(await page.getAttribute('.carried-notice', 'data-not-reviewed'));
  const before = await notReviewed();
  await goToSection(page, 'E');
  await page.waitForSelector(`${q('E10')} .carried-mark[data-carried="not-reviewed"]`);
  await page.fill(`${q('E10')} li.row[data-row="1"] [data-field="summary"] textarea`, 'The accused bribed a witness.');
  await page.waitForSelector(`${q('E10')} .carried-mark[data-carried="changed"]`, { timeout: 5_000 });
  await page.waitForFunction((n) => Number(document.querySelector('.carried-notice')?.dataset.notReviewed) === n, before - 1);
  // Back as it was: carried again, and not yet reviewed.
  await page.fill(`${q('E10')} li.row[data-row="1"] [data-field="summary"] textarea`, cases[1].summary);
  await page.waitForSelector(`${q('E10')} .carried-mark[data-carried="not-reviewed"]`, { timeout: 5_000 });
  await page.waitForFunction((n) => Number(document.querySelector('.carried-notice')?.dataset.notReviewed) === n, before);
  await context.close();
});
