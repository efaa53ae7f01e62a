// Drafts never lose a keystroke: reload, full storage, damaged storage, two tabs, files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, q, goToSection, startApp } from './harness.mjs';

const app = startApp();

const A6 = `${q('A6')} textarea`;


async function openDrafts(page) {
  await page.click('button.open-drafts');
  await page.waitForSelector('table.draft-list');
}

/** The stored drafts, parsed, keyed by id. */
async function storedDrafts(page) {
  return page.evaluate(() => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith('untoc-art32/draft/')) out[k.slice('untoc-art32/draft/'.length)] = JSON.parse(localStorage.getItem(k));
    }
    return out;
  });
}

test('typing then reloading at once keeps the text', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await goToSection(page, 'A');
  await page.fill(A6, 'Typed just before the reload');
  await page.reload(); // no wait at all
  await page.waitForSelector(q('S1'));
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(A6), 'Typed just before the reload');
  await context.close();
});

test('full storage: told, answers stay on screen, save to file works, saving resumes', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await goToSection(page, 'A');
  await page.fill(A6, 'Before the storage filled up');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  // Fill local storage to its quota.
  const filled = await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    let n = 0;
    try {
      for (; n < 1000; n++) localStorage.setItem(`filler-${n}`, chunk);
    } catch (e) {
      // Fill the remainder with smaller pieces.
      let small = 'y'.repeat(1024);
      for (let m = 0; m < 10000; m++) {
        try { localStorage.setItem(`filler-small-${m}`, small); } catch { if (small.length === 1) break; small = small.slice(0, small.length / 2); }
      }
      return e.name;
    }
    return 'never full';
  });
  assert.equal(filled, 'QuotaExceededError');

  await page.fill(A6, 'Before the storage filled up, and a long addition typed while it is full '.repeat(20));
  const status = page.locator('.save-status[data-save-state="failed"]');
  await status.waitFor();
  assert.match(await status.textContent(), /storage is full/);
  assert.match(await page.inputValue(A6), /typed while it is full/, 'the answer is still on screen');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.save-to-file')]);
  assert.match(download.suggestedFilename(), /^Reply-\d{4}-\d{2}-\d{2}-art32-draft-\d{4}-\d{2}-\d{2}\.json$/);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(saved.format, 'untoc-art32-draft');
  assert.match(saved.answers.A6.text, /typed while it is full/);

  // Space frees: the next change is saved.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler')) localStorage.removeItem(k);
  });
  await page.fill(A6, 'After space was freed');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  const drafts = await storedDrafts(page);
  assert.ok(Object.values(drafts).some((d) => d.answers.A6?.text === 'After space was freed'));
  await context.close();
});

test('a damaged stored draft: the app starts, the list names it, the raw value is kept', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await goToSection(page, 'A');
  await page.fill(A6, 'A good draft');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  const garbage = '{"format":"untoc-art32-draft","questionnaire":"untoc-art32","version":2,"answers":{"A6":{"te';
  await page.evaluate((g) => localStorage.setItem('untoc-art32/draft/damaged-one', g), garbage);
  await page.reload();
  await page.waitForSelector(q('S1'));
  assert.match(await page.textContent('.notice'), /Damaged drafts found in this browser: 1/);
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(A6), 'A good draft', 'the good draft still opens');
  await openDrafts(page);
  const row = page.locator('tr.damaged[data-draft="damaged-one"]');
  assert.match(await row.textContent(), /Damaged draft/);
  assert.equal(await page.evaluate(() => localStorage.getItem('untoc-art32/unreadable/damaged-one')), garbage);
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('button.save-raw').click()]);
  assert.equal(await readFile(await download.path(), 'utf8'), garbage);
  await context.close();
});

test('two tabs on one draft: both edits survive, a stale write never replaces a newer one', async () => {
  const context = await app.browser.newContext();
  const a = await openApp(context, app.server.url);
  await goToSection(a, 'A');
  await a.fill(A6, 'Written in tab A');
  await a.waitForSelector('.save-status[data-save-state="saved"]');

  const b = await openApp(context, app.server.url);
  await goToSection(b, 'A');
  assert.equal(await b.inputValue(A6), 'Written in tab A');
  await goToSection(b, 'H');
  await b.fill(`${q('H1')} input`, 'Name typed in tab B');
  await b.waitForSelector('.save-status[data-save-state="saved"]');

  // Tab A follows tab B's newer revision, then edits on top of it.
  await goToSection(a, 'H');
  await a.waitForFunction((sel) => document.querySelector(sel)?.value === 'Name typed in tab B', `${q('H1')} input`);
  await a.fill(`${q('H2')} input`, 'Position typed in tab A');
  await b.waitForFunction((sel) => document.querySelector(sel)?.value === 'Position typed in tab A', `${q('H2')} input`);
  let drafts = Object.values(await storedDrafts(a));
  assert.equal(drafts.length, 1);
  assert.equal(drafts[0].answers.A6.text, 'Written in tab A');
  assert.equal(drafts[0].answers.H1.text, 'Name typed in tab B');
  assert.equal(drafts[0].answers.H2.text, 'Position typed in tab A');

  // A write that raced with another one: tab A's copy is older than storage.
  const newer = await a.evaluate(() => {
    const key = `untoc-art32/draft/${localStorage.getItem('untoc-art32/current')}`;
    const d = JSON.parse(localStorage.getItem(key));
    d.revision += 5;
    d.answers.H1 = { text: 'Written elsewhere, newer' };
    // As another tab of the app writes: the draft and its revision key. Same document: no
    // storage event reaches tab A.
    localStorage.setItem(key, JSON.stringify(d));
    localStorage.setItem(key.replace('/draft/', '/rev/'), String(d.revision));
    return d.revision;
  });
  await a.fill(`${q('H2')} input`, 'Stale edit in tab A');
  await a.waitForSelector('.lock-notice[data-lock="conflict"]');
  assert.equal(await a.inputValue(`${q('H2')} input`), 'Stale edit in tab A', 'the stale edit stays on screen');
  drafts = Object.values(await storedDrafts(a));
  assert.equal(drafts.length, 1);
  assert.equal(drafts[0].revision, newer, 'the newer revision was not replaced');
  assert.equal(drafts[0].answers.H1.text, 'Written elsewhere, newer');
  assert.equal(await a.isDisabled(`${q('H2')} input`), true, 'the tab is read-only until the user chooses');

  // Keep both: tab A's answers become a new draft.
  await a.click('button.keep-mine');
  await a.waitForSelector('.lock-notice', { state: 'detached' });
  drafts = Object.values(await storedDrafts(a));
  assert.equal(drafts.length, 2);
  assert.ok(drafts.some((d) => d.answers.H2?.text === 'Stale edit in tab A' && d.name.startsWith('Copy of')));
  assert.ok(drafts.some((d) => d.answers.H1?.text === 'Written elsewhere, newer'));
  await context.close();
});

test('several named drafts: create, rename, duplicate, delete with undo', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await goToSection(page, 'A');
  await page.fill(A6, 'Reply of last year');
  await openDrafts(page);
  await page.click('tr.current button.rename-draft');
  await page.fill('tr.current form.rename input', 'Reply 2025');
  await page.click('tr.current form.rename button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('tr.current .draft-title')?.textContent === 'Reply 2025');

  await page.click('tr.current button.duplicate-draft');
  await page.waitForSelector('tr[data-draft] >> text=Copy of Reply 2025');
  await page.click('button.new-draft');
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(A6), '', 'a new draft is empty');
  await page.fill(A6, 'Reply of this year');
  await openDrafts(page);
  assert.equal(await page.locator('table.draft-list tbody tr').count(), 3);

  // Open last year's beside this year's.
  const last = page.locator('tr[data-draft]', { hasText: /^Reply 2025/ }).first();
  await last.locator('button.open-draft').click();
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(A6), 'Reply of last year');

  // Delete the copy, then undo.
  await openDrafts(page);
  await page.locator('tr[data-draft]', { hasText: 'Copy of Reply 2025' }).locator('button.delete-draft').click();
  await page.waitForSelector('p.undo');
  assert.equal(await page.locator('table.draft-list tbody tr').count(), 2);
  await page.click('button.undo-delete');
  await page.waitForFunction(() => document.querySelectorAll('table.draft-list tbody tr').length === 3);
  await context.close();
});

test('a draft goes to a file and comes back as a new draft; bad files change nothing', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await page.check(`${q('S2')} input[value="party"]`);
  await goToSection(page, 'A');
  await page.fill(A6, 'Carried on a USB stick');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.save-to-file')]);
  const text = await readFile(await download.path(), 'utf8');
  await page.waitForSelector('.backup-reminder[data-changes="0"]');

  // Later changes count towards the backup reminder.
  await page.fill(A6, 'Carried on a USB stick, then edited');
  await page.waitForSelector('.backup-reminder:not([data-changes="0"])');

  await openDrafts(page);
  const input = '#open-draft-file';
  const tooBig = join(await mkdtemp(join(tmpdir(), 'art32-')), 'huge.json');
  await writeFile(tooBig, Buffer.alloc(50 * 1024 * 1024, 0x20));
  const bad = [
    ['not json', 'notes.json', 'Dear colleague, please find attached', /not a readable draft/],
    ['truncated', 'cut.json', text.slice(0, text.length / 2), /not a readable draft/],
    ['another questionnaire', 'other.json', text.replace('"questionnaire":"untoc-art32"', '"questionnaire":"uncac-saq"'), /not a draft of the Article 32 questionnaire/],
    ['50 MB', 'huge.json', null, /too large/],
  ];
  for (const [what, name, content, message] of bad) {
    const file = content === null ? tooBig : { name, mimeType: 'application/json', buffer: Buffer.from(content) };
    await page.setInputFiles(input, file);
    const notice = page.locator('.notice[role="alert"] p');
    await notice.waitFor();
    assert.match(await notice.textContent(), message, what);
    assert.equal(await page.locator('table.draft-list tbody tr').count(), 1, `${what}: nothing added`);
    await page.click('.notice button');
  }

  await page.setInputFiles(input, { name: 'reply.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForSelector(`[data-section-view="S"]`);
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(A6), 'Carried on a USB stick');
  await goToSection(page, 'S');
  assert.equal(await page.isChecked(`${q('S2')} input[value="party"]`), true);
  const drafts = Object.values(await storedDrafts(page));
  assert.equal(drafts.length, 2, 'imported as a new draft, the original untouched');
  assert.ok(drafts.some((d) => d.answers.A6.text === 'Carried on a USB stick, then edited'));
  assert.ok(drafts.some((d) => d.answers.A6.text === 'Carried on a USB stick' && / \(from file\)$/.test(d.name)));
  await context.close();
});

test('an older draft file is migrated; a newer one opens read-only', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await openDrafts(page);
  const v1 = await readFile(new URL('../fixtures/draft-v1.json', import.meta.url));
  await page.setInputFiles('#open-draft-file', { name: 'old.json', mimeType: 'application/json', buffer: v1 });
  await goToSection(page, 'A');
  await page.waitForSelector(`${q('A4')}:not([hidden])`);
  assert.equal(await page.isChecked(`${q('A4')} input[value="secretariat_only"]`), true);

  const newer = JSON.parse(v1.toString());
  newer.version = 99;
  await openDrafts(page);
  await page.setInputFiles('#open-draft-file', { name: 'new.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(newer)) });
  await page.waitForSelector('.lock-notice[data-lock="newer"]');
  await goToSection(page, 'A');
  assert.equal(await page.isDisabled(A6), true);
  assert.equal(await page.inputValue(A6), 'Plan national 2024–2028');
  // Read-only, but readable throughout: the buttons to the next section work.
  assert.equal(await page.isDisabled('.section-pager button.next'), false);
  await page.click('.section-pager button.next');
  await page.waitForSelector('[data-section-view="B"] .intro');
  assert.equal(await page.isDisabled(`${q('B1')} input >> nth=0`), true);
  await context.close();
});
