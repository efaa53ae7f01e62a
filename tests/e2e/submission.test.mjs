// Sign and export in the browser, verification outside it, and opening submissions in the app.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseLanguage, openApp, q, ROOT, DIST, goToSection, serve, signWithNewKey, startApp } from './harness.mjs';

const app = startApp();
let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'art32-sub-'));
});


/** Answers every required question, choosing answers that keep follow-ups closed. */
async function fillRequired(page) {
  const radio = (id, value) => page.check(`${q(id)} input[value="${value}"]`);
  await goToSection(page, 'S');
  await page.selectOption(`${q('S1')} select`, 'FRA');
  await radio('S2', 'signatory');
  await page.fill(`${q('S4')} input[id$="-from"]`, '2024-01-01');
  await page.fill(`${q('S4')} input[id$="-to"]`, '2025-12-31');
  await page.selectOption(`${q('S5')} select`, 'en').catch(() => radio('S5', 'en'));
  await goToSection(page, 'A');
  await radio('A2', 'no');
  await page.fill(`${q('A6')} textarea`, 'National action plan against organized crime, 2024–2028.');
  await goToSection(page, 'B');
  await radio('B1', 'no');
  await radio('B2', 'no');
  await goToSection(page, 'C');
  await radio('C1', 'yes');
  await radio('C2', 'no');
  await radio('C3', 'not_possible');
  await goToSection(page, 'E');
  await radio('E1', 'no');
  await radio('E8', 'no');
  await goToSection(page, 'F');
  await radio('F1', 'no');
  await radio('F5', 'no');
  await radio('F6', 'none');
  await radio('F7', 'no');
  await radio('F9', 'none');
  await radio('F10', 'no');
  await goToSection(page, 'H');
  await page.fill(`${q('H1')} input`, 'A. Official');
  await page.fill(`${q('H2')} input`, 'Director, Ministry of Justice');
  await page.fill(`${q('H3')} input`, 'a.official@justice.example.gov');
  await page.fill(`${q('H4')} input`, '2026-11-27');
  await radio('H5', 'publish');
  await page.check(`${q('H6')} input[type="checkbox"]`);
}

async function openExport(page) {
  await page.click('.export-link');
  await page.waitForSelector('#export-title');
}

/** Opens the export page, creates a key and opens the key tools; resolves to the key's id. */
async function newKeyWithTools(page) {
  await openExport(page);
  await page.click('button.create-key');
  const keyId = await page.getAttribute('.fingerprint', 'data-key-id');
  await page.click('.key-tools summary');
  return keyId;
}

/** Types a backup passphrase, and again to confirm it. */
async function typeBackupPassphrase(page, passphrase) {
  await page.fill('#backup-pass', passphrase);
  await page.fill('#backup-pass2', passphrase);
}

async function openSubmission(page, path) {
  await page.click('.open-submission-link');
  await page.setInputFiles('#submission-file', path);
  await page.waitForSelector('[data-verdict]');
  return page.getAttribute('[data-verdict]', 'data-verdict');
}

test('export is blocked until the reply is complete, then signs a file that outside tools verify', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await openExport(page);
  await page.waitForSelector('[data-export="blocked"]');
  assert.ok(await page.locator('[data-export="blocked"] [data-open-question="S1"]').count() > 0, 'what is missing is listed');
  assert.equal(await page.isDisabled('button.sign-export'), true);

  await fillRequired(page);
  await openExport(page);
  await page.click('button.create-key');
  const keyId = await page.getAttribute('.fingerprint', 'data-key-id');
  assert.match(keyId, /^[0-9a-f]{64}$/);
  assert.match(await page.textContent('.fingerprint'), /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/, 'grouped for reading aloud');
  await page.waitForSelector('[data-export="ready"]');
  assert.match(await page.textContent('.summary'), /France/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.sign-export')]);
  assert.match(download.suggestedFilename(), /^FRA-art32-\d{4}-\d{2}-\d{2}\.json$/);
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const text = await readFile(file, 'utf8');
  const doc = JSON.parse(text);
  assert.equal(doc.signature.key_id, keyId);
  assert.equal(doc.state, 'FRA');
  assert.equal(doc.answers.A6, 'National action plan against organized crime, 2024–2028.');
  assert.equal(doc.answers.S3, undefined, 'hidden questions are left out');

  // The receipt names the file and its SHA-256.
  const sha = createHash('sha256').update(text).digest('hex');
  assert.equal(await page.textContent('.receipt-sha256'), sha);

  // Outside verification: this project's CLI and the Python script.
  const cli = spawnSync('cargo', ['run', '--quiet', '--bin', 'art32', '--', 'verify', file], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, /^OK /);
  execFileSync('python3', [join(ROOT, 'scripts/verify_submission.py'), file]);

  // One answer edited in the file: invalid everywhere.
  const tampered = join(dir, 'tampered.json');
  await writeFile(tampered, text.replace('2024–2028', '2024–2029'));
  const bad = spawnSync('cargo', ['run', '--quiet', '--bin', 'art32', '--', 'verify', tampered], { cwd: ROOT, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.notEqual(spawnSync('python3', [join(ROOT, 'scripts/verify_submission.py'), tampered]).status, 0);
  assert.equal(await openSubmission(page, tampered), 'invalid');

  // The genuine file opens as valid, with its key and answers, and can be continued as a draft.
  assert.equal(await openSubmission(page, file), 'valid');
  assert.equal((await page.textContent('.verdict .fingerprint')).replaceAll(' ', ''), keyId);
  // Valid is not "registered": with no list of registered keys, the page says it cannot tell.
  assert.match(await page.textContent('.verdict .owner-unknown'), /cannot tell whether this key belongs to France/);
  assert.match(await page.textContent('[data-answer="A6"]'), /2024–2028/);
  await page.click('button.continue-draft');
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(`${q('A6')} textarea`), 'National action plan against organized crime, 2024–2028.');

  // A file that is not a submission at all.
  const junk = join(dir, 'junk.json');
  await writeFile(junk, '{"format":"something else"}');
  assert.equal(await openSubmission(page, junk), 'malformed');
  // The verdict is in the reader's language; the checker's precise reason follows, marked as English.
  assert.equal(await page.getAttribute('.verify-detail span', 'lang'), 'en');
  assert.match(await page.textContent('.verify-detail span'), /format/);
  await chooseLanguage(page, 'es');
  assert.match(await page.textContent('[data-verdict]'), /No es una respuesta firmada/);
  assert.match(await page.textContent('.verify-detail'), /^Detalle técnico \(en inglés\):/);
  await chooseLanguage(page, 'en');
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** Runs the `art32` tool; its standard output. */
function art32(...args) {
  const run = spawnSync('cargo', ['run', '--quiet', '--bin', 'art32', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, `art32 ${args.join(' ')}: ${run.stdout}${run.stderr}`);
  return run.stdout;
}

test('the secretariat\'s list, imported once its key is confirmed, tells a registered key from another', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await fillRequired(page);
  await openExport(page);
  await page.click('button.create-key');
  const keyId = await page.getAttribute('.fingerprint', 'data-key-id');
  await page.waitForSelector('[data-export="ready"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.sign-export')]);
  const file = join(dir, `registered-${download.suggestedFilename()}`);
  await download.saveAs(file);
  // The same reply signed by someone else's key.
  const other = join(dir, 'other-key.json');
  await writeFile(other, signWithNewKey(JSON.parse(await readFile(file, 'utf8'))));

  // The secretariat registers the State's key and signs its list, with the command-line tool.
  const list = join(dir, 'trust-list.json');
  const signed = join(dir, 'trust-list.signed.json');
  const secretariat = art32('trust', 'keygen', join(dir, 'secretariat.key')).match(/key_id=([0-9a-f]{64})/)[1];
  art32('trust', 'init', '--list', list);
  art32('trust', 'add', 'FRA', keyId, '--since', '2026-01-01', '--list', list);
  art32('trust', 'sign', '--key', join(dir, 'secretariat.key'), '--list', list, '-o', signed);

  await page.click('.open-submission-link');
  await page.waitForSelector('.registered-keys');
  assert.match(await page.textContent('.trust-status'), /No list of registered keys/);
  // Valid, but whose key it is cannot be told yet.
  assert.equal(await openSubmission(page, file), 'valid');
  assert.match(await page.textContent('.owner-unknown'), /cannot tell/);
  // The first list is trusted only once its key's fingerprint is confirmed.
  await page.setInputFiles('#trust-file', signed);
  await page.waitForSelector('.trust-confirm');
  assert.equal(await page.getAttribute('.trust-confirm .fingerprint', 'data-key-id'), secretariat);
  await page.click('button.trust-confirm-key');
  await page.waitForSelector('.trust-status[data-list="1"]');
  // The file shown is re-checked against the list: registered, in words.
  await page.waitForSelector('.standing[data-standing="registered"]');
  assert.match(await page.textContent('.standing'), /Registered: this key is registered to France/);
  assert.equal(await openSubmission(page, other), 'valid');
  await page.waitForSelector('.standing[data-standing="unregistered"]');
  assert.match(await page.textContent('.standing'), /not on the secretariat’s list/);

  // A list signed by another key, or a tampered one, changes nothing.
  const impostor = join(dir, 'impostor.signed.json');
  art32('trust', 'keygen', join(dir, 'impostor.key'));
  art32('trust', 'sign', '--key', join(dir, 'impostor.key'), '--list', list, '-o', impostor);
  await page.setInputFiles('#trust-file', impostor);
  await page.waitForFunction(() => /not signed by the secretariat/.test(document.querySelector('.trust-note')?.textContent ?? ''));
  const tampered = join(dir, 'tampered-list.json');
  await writeFile(tampered, (await readFile(signed, 'utf8')).replace('"FRA"', '"DEU"'));
  await page.setInputFiles('#trust-file', tampered);
  await page.waitForFunction(() => /not a valid list/.test(document.querySelector('.trust-note')?.textContent ?? ''));
  assert.equal(await page.getAttribute('.trust-status', 'data-list'), '1');
  // Remembered: another visit of the page still knows the list.
  await goToSection(page, 'A');
  await page.click('.open-submission-link');
  await page.waitForSelector('.trust-status[data-list="1"]');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('answers in an opened file are shown as text: nothing in them runs', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  await fillRequired(page);
  await openExport(page);
  await page.click('button.create-key');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.sign-export')]);
  const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
  doc.answers.A6 = '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned = 2; alert(2)">';
  doc.answers.B1a = ['javascript:window.__pwned=3', 'https://laws.example.gov/criminal-code'];
  doc.answers.H1 = '"><svg onload=alert(4)>';
  delete doc.signature;
  const evil = join(dir, 'evil.json');
  await writeFile(evil, signWithNewKey(doc));

  assert.equal(await openSubmission(page, evil), 'valid', 'validly signed by some key');
  assert.match(await page.textContent('[data-answer="A6"]'), /<script>window.__pwned = 1/);
  assert.equal(await page.locator('.submitted-answers script, .submitted-answers img, .submitted-answers svg').count(), 0);
  const links = await page.locator('[data-answer="B1a"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['https://laws.example.gov/criminal-code'], 'only the https address is a link');
  assert.match(await page.textContent('[data-answer="B1a"]'), /javascript:window.__pwned=3/);
  await page.locator('[data-answer="B1a"] li', { hasText: 'javascript:' }).click();
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);
  await context.close();
});

test('the signing key is backed up to a protected file and restored on another computer', async () => {
  const first = await app.browser.newContext();
  const a = await openApp(first, app.server.url);
  const keyId = await newKeyWithTools(a);
  // A new key has no backup: the page says so before anything is signed, and what losing it means.
  await a.waitForSelector('.key-health[data-backup="none"]');
  assert.match(await a.textContent('.key-health'), /no backup yet/);
  assert.match(await a.textContent('.key-panel'), /register a new one/);
  await typeBackupPassphrase(a, 'short');
  await a.click('button.backup-key');
  assert.match(await a.textContent('.key-note'), /at least 12/);
  await typeBackupPassphrase(a, 'a long passphrase for the key');
  const [download] = await Promise.all([a.waitForEvent('download'), (async () => {
    await a.click('button.backup-key');
    // Busy, it says so, and keeps the focus where the user is.
    assert.equal(await a.getAttribute('button.backup-key', 'aria-disabled'), 'true');
    assert.equal(await a.evaluate(() => document.activeElement.className), 'backup-key');
  })()]);
  assert.equal(await a.evaluate(() => document.activeElement.className), 'backup-key');
  await a.waitForFunction(() => !document.querySelector('button.backup-key').hasAttribute('aria-disabled'));
  const pem = join(dir, download.suggestedFilename());
  await download.saveAs(pem);
  assert.match(await readFile(pem, 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  // Now it has one, dated; and it is remembered.
  await a.waitForSelector('.key-health[data-backup="yes"]');
  assert.match(await a.textContent('.key-health'), new RegExp(`Last backup of this key: .*${new Date().getUTCFullYear()}`));
  await goToSection(a, 'A');
  await openExport(a);
  await a.waitForSelector('.key-health[data-backup="yes"]');
  await first.close();

  const second = await app.browser.newContext(); // another computer: empty storage
  const b = await openApp(second, app.server.url);
  assert.notEqual(await newKeyWithTools(b), keyId);
  await b.setInputFiles('#restore-file', pem);
  await b.fill('#restore-pass', 'a wrong passphrase entirely');
  await b.click('button.restore-key');
  await b.waitForFunction(() => /does not open/.test(document.querySelector('.key-note')?.textContent ?? ''));
  b.once('dialog', (d) => d.accept()); // confirm replacing the key this browser had
  await b.setInputFiles('#restore-file', pem);
  await b.fill('#restore-pass', 'a long passphrase for the key');
  await b.click('button.restore-key');
  await b.waitForFunction((id) => document.querySelector('.fingerprint')?.dataset.keyId === id, keyId, { timeout: 30_000 });
  // Opened from its backup file: this key has a backup here too.
  await b.waitForSelector('.key-health[data-backup="yes"]');
  await second.close();
});

test('when the signer cannot start, the page says so in the reader\'s language and keeps the answers', async () => {
  // A copy of the build whose signer wasm is missing, as after an interrupted update.
  const broken = join(dir, 'broken-dist');
  await cp(DIST, broken, { recursive: true });
  const wasm = (await readdir(broken)).find((f) => /^signer-[0-9a-f]+_bg\.wasm$/.test(f));
  await rm(join(broken, wasm));
  const server = await serve(broken);
  const context = await app.browser.newContext();
  const page = await openApp(context, server.url);
  await goToSection(page, 'A');
  await page.fill(`${q('A6')} textarea`, 'Kept whatever the signer does.');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  await openExport(page);
  await page.click('button.create-key');
  await page.waitForFunction(() => /signing part of the app could not start/.test(document.querySelector('.key-note')?.textContent ?? ''));
  assert.equal(await page.$('.fingerprint'), null);
  // In French too, and opening a submission says the same.
  await chooseLanguage(page, 'fr');
  await page.click('.open-submission-link');
  await page.setInputFiles('#submission-file', { name: 'reply.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "untoc-art32-submission"}') });
  await page.waitForSelector('[data-verdict="malformed"]');
  assert.match(await page.textContent('[data-verdict]'), /module de signature/);
  await goToSection(page, 'A');
  assert.equal(await page.inputValue(`${q('A6')} textarea`), 'Kept whatever the signer does.');
  await context.close();
  await server.close();
});

test('leaving the export page while the worker protects or opens the key breaks nothing', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await newKeyWithTools(page);
  await typeBackupPassphrase(page, 'a long passphrase for the key');
  const started = Date.now();
  await page.click('button.backup-key');
  assert.match(await page.textContent('.key-note'), /Protecting the key/);
  await goToSection(page, 'A'); // while the worker derives the key from the passphrase
  // The backup finishes with nobody to show it to; the file is still saved.
  const download = await page.waitForEvent('download', { timeout: 30_000 });
  const derivation = Date.now() - started;
  const pem = join(dir, `left-${download.suggestedFilename()}`);
  await download.saveAs(pem);
  // The same while a backup is being opened: its reply reads the key of a page that is gone.
  await openExport(page);
  await page.click('.key-tools summary');
  await page.setInputFiles('#restore-file', pem);
  await page.fill('#restore-pass', 'a long passphrase for the key');
  await page.click('button.restore-key');
  await goToSection(page, 'A');
  await page.waitForTimeout(3 * derivation + 1000);
  await page.fill(`${q('A6')} textarea`, 'Typed after leaving the export page.');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  await openExport(page);
  await page.waitForSelector('.fingerprint');
  assert.deepEqual(page.errors, []);
  await context.close();
});
