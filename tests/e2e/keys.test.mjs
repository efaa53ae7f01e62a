// Know who signed (issue 23), as a focal point and the secretariat do it: the key's registration
// sheet printed to PDF and read back (English and Arabic), a list of registered keys made with
// the `art32` tool and imported, and a key replaced in the app, which its old key vouches for.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ace, axe, tabTo } from './a11y.mjs';
import { COMPLETE, goToSection, openApp, q, ROOT, seedDraft, signWithNewKey, startApp } from './harness.mjs';

const app = startApp();
let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'art32-keys-'));
});

const text = (v) => ({ text: v });
const choice = (v) => ({ choice: { selected: [v] } });
// A complete reply whose primary focal point (A3) is named.
const REPLY = {
  ...COMPLETE,
  A2: choice('yes'),
  A3: {
    rows: [
      { key: 0, fields: { role: choice('alternate'), name: text('B. Deputy'), institution: text('Ministry of the Interior') } },
      { key: 1, fields: { role: choice('primary'), name: text('Amélie Official'), title: text('Head of Treaty Unit'), institution: text('Ministry of Justice') } },
    ],
  },
};
const SPELLING = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'alfa', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];

async function violations(page, where) {
  return [...(await axe(page)).map((v) => `${where}: axe: ${v}`), ...(await ace(page)).map((v) => `${where}: IBM: ${v}`)];
}

/** Runs the `art32` tool: its exit status and output. */
function art32(...args) {
  const run = spawnSync('cargo', ['run', '--quiet', '--bin', 'art32', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, out: run.stdout + run.stderr };
}

/** A PDF's number of pages and its text (NFKC: Arabic presentation forms become letters). */
function pdfText(path) {
  const script = 'import sys, unicodedata, pypdf\n'
    + 'r = pypdf.PdfReader(sys.argv[1])\n'
    + 'print(len(r.pages))\n'
    + 'print(unicodedata.normalize("NFKC", "\\n".join(p.extract_text() for p in r.pages)))';
  const [pages, ...lines] = execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }).split('\n');
  return { pages: Number(pages), text: lines.join('\n') };
}

/** Opens the export page of the stored reply and creates a key; resolves to its id. */
async function newKey(page) {
  await page.click('.export-link');
  await page.waitForSelector('#export-title');
  await page.click('button.create-key');
  await page.waitForSelector('.key-panel .fingerprint[data-key-id]');
  return page.getAttribute('.key-panel .fingerprint', 'data-key-id');
}

async function signAndSave(page, name) {
  await page.waitForSelector('[data-export="ready"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.sign-export')]);
  const file = join(dir, name);
  await download.saveAs(file);
  return file;
}

for (const [locale, words] of [
  ['en-GB', { title: 'Registration of a signing key', state: 'France', signature: 'Signature and official stamp' }],
  ['ar', { title: 'تسجيل مفتاح توقيع', state: 'فرنسا', signature: 'التوقيع والختم الرسمي' }],
]) {
  test(`the registration sheet prints the State, the focal point and the key in words (${locale})`, async () => {
    const context = await app.browser.newContext({ locale });
    const page = await openApp(context, app.server.url);
    await seedDraft(page, REPLY);
    const keyId = await newKey(page);
    // By keyboard: the button opens the sheet, whose title takes the focus.
    await tabTo(page, 'button.register-key');
    const before = page.requests.length;
    await page.keyboard.press('Enter');
    await page.waitForSelector('.sheet-key .fingerprint');
    await page.waitForFunction(() => document.activeElement?.id === 'registration-title');
    // The sheet is drawn by the export page's code; the QR code's encoder comes with it only.
    await page.waitForSelector('.sheet-qr img');
    const fetched = page.requests.slice(before).filter((p) => /^\/split_/.test(p));
    assert.deepEqual(fetched.map((p) => p.replace(/-[0-9a-f]+\.wasm$/, '')), ['/split_qr_code']);
    assert.equal(await page.getAttribute('.sheet-key .fingerprint', 'data-key-id'), keyId);
    assert.equal(await page.inputValue('#sheet-name'), 'Amélie Official', 'the primary focal point, not the alternate');
    assert.equal(await page.inputValue('#sheet-office'), 'Head of Treaty Unit, Ministry of Justice');
    const spoken = keyId.slice(0, 16).split('').map((d) => SPELLING[parseInt(d, 16)]);
    const lines = await page.$$eval('.sheet-words li', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
    assert.deepEqual(lines, [0, 1, 2, 3].map((g) => `${keyId.slice(g * 4, g * 4 + 4)} ${spoken.slice(g * 4, g * 4 + 4).join(' ')}`));
    // The QR code: an SVG image of dark modules (64 lowercase hex digits are bytes to a QR code:
    // version 5 at level M, 37 modules, and a margin of 4), which the browser has drawn.
    const svg = decodeURIComponent((await page.getAttribute('.sheet-qr img', 'src')).replace(/^data:image\/svg\+xml,/, ''));
    assert.ok(svg.includes('viewBox="-4 -4 45 45"'), svg.slice(0, 160));
    assert.ok(/<path d="(M\d+,\d+h1v1h-1z)+"\/>/.test(svg), 'the dark modules, one square each');
    assert.ok(await page.$eval('.sheet-qr img', (img) => img.complete && img.naturalWidth > 0));
    assert.deepEqual(await violations(page, `registration sheet (${locale})`), []);
    if (locale === 'ar') {
      assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
      const label = await page.locator('.sheet-facts dt').first().boundingBox();
      const value = await page.locator('.sheet-facts dd').first().boundingBox();
      assert.ok(label.x > value.x, 'the labels stand at the right');
      await page.locator('section.registration-sheet').screenshot({ path: join(dir, 'registration-sheet-ar.png') });
    }
    // Printed to PDF and read back: one page, with everything the secretariat checks.
    await page.emulateMedia({ media: 'print' });
    const pdf = join(dir, `registration-${locale}.pdf`);
    await writeFile(pdf, await page.pdf({ format: 'A4' }));
    const { pages, text: printedText } = pdfText(pdf);
    assert.equal(pages, 1, 'the sheet is one page');
    const printed = printedText.replace(/\s+/g, ' ');
    // Word by word: the text of a right-to-left page comes out of the PDF in visual order.
    for (const expected of [...`${words.title} ${words.state} ${words.signature}`.split(' '), 'Amélie Official', 'Ministry of Justice',
      ...keyId.match(/.{4}/g), ...spoken]) {
      assert.ok(printed.includes(expected), `${locale}: the PDF has “${expected}”`);
    }
    assert.ok(!printed.includes('B. Deputy'));
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}

test('a key on the secretariat\'s list is registered, another is not, and a replaced key is registered through its statement', async () => {
  const context = await app.browser.newContext();
  const page = await openApp(context, app.server.url);
  await seedDraft(page, COMPLETE);
  const keyId = await newKey(page);
  const first = await signAndSave(page, 'first.json');
  assert.equal(JSON.parse(await readFile(first, 'utf8')).rotations, undefined);
  // The same reply re-signed by another key, as anyone could.
  const other = join(dir, 'other-key.json');
  await writeFile(other, signWithNewKey(JSON.parse(await readFile(first, 'utf8'))));

  // The secretariat registers the key the sheet names, and signs its list.
  const list = join(dir, 'trust-list.json');
  const signedList = join(dir, 'trust-list.signed.json');
  const secretariatKey = join(dir, 'secretariat.key');
  const made = art32('trust', 'keygen', secretariatKey);
  assert.equal(made.status, 0, made.out);
  const secretariat = made.out.match(/key_id=([0-9a-f]{64})/)[1];
  assert.equal(art32('trust', 'init', '--list', list).status, 0);
  assert.equal(art32('trust', 'add', 'FRA', keyId, '--since', '2026-01-01', '--list', list).status, 0);
  assert.equal(art32('trust', 'sign', '--key', secretariatKey, '--list', list, '-o', signedList).status, 0);

  // Imported in "Open a submission", its key confirmed once.
  await page.click('.open-submission-link');
  await page.waitForSelector('.registered-keys');
  await page.setInputFiles('#trust-file', signedList);
  await page.click('button.trust-confirm-key');
  await page.waitForSelector('.trust-status[data-list="1"]');
  await page.setInputFiles('#submission-file', first);
  await page.waitForSelector('.standing[data-standing="registered"]');
  assert.match(await page.textContent('.standing'), /registered to France/);
  await page.setInputFiles('#submission-file', other);
  await page.waitForSelector('.standing[data-standing="unregistered"]');

  // The focal point replaces the key; the old one vouches for the new.
  await page.click('.export-link');
  await page.waitForSelector('#export-title');
  await page.click('.key-tools summary');
  assert.equal(await page.isChecked('#vouch'), true, 'vouching is the default');
  page.once('dialog', (d) => d.accept());
  await page.click('button.replace-key');
  await page.waitForFunction((old) => {
    const id = document.querySelector('.key-panel .fingerprint')?.dataset.keyId;
    return id && id !== old;
  }, keyId);
  const newKeyId = await page.getAttribute('.key-panel .fingerprint', 'data-key-id');
  assert.match(await page.textContent('.key-note'), /without a new registration/);
  assert.equal(await page.getAttribute('.key-health', 'data-backup'), 'none', 'the new key has no backup yet');
  const second = await signAndSave(page, 'second.json');
  const statements = JSON.parse(await readFile(second, 'utf8')).rotations;
  assert.equal(statements.length, 1);
  assert.deepEqual([statements[0].state, statements[0].old_key_id, statements[0].new_key_id], ['FRA', keyId, newKeyId]);
  assert.equal(statements[0].signature.key_id, keyId, 'signed by the old key');

  await page.click('.open-submission-link');
  await page.waitForSelector('.trust-status[data-list="1"]');
  await page.setInputFiles('#submission-file', second);
  await page.waitForSelector('.standing[data-standing="registered"]');
  assert.match(await page.textContent('.standing'), /through 1 key change/);

  // Outside the browser, the tool and the Python verifier agree.
  const cli = art32('verify', '--trust', signedList, '--secretariat', secretariat, second);
  assert.equal(cli.status, 0, cli.out);
  assert.match(cli.out, /through 1 key rotation/);
  assert.equal(art32('verify', '--trust', signedList, other).status, 3);
  const py = spawnSync('python3', [join(ROOT, 'scripts/verify_submission.py'), second, '--trust', signedList, '--secretariat', secretariat], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stdout + py.stderr);
  assert.match(py.stdout, /registered to FRA through 1 key rotation/);

  // Replacing again without a State to name changes nothing.
  await goToSection(page, 'S');
  await page.selectOption(`${q('S1')} select`, '');
  await page.click('.export-link');
  await page.waitForSelector('.key-panel .fingerprint[data-key-id]');
  await page.click('.key-tools summary');
  page.once('dialog', (d) => d.accept());
  await page.click('button.replace-key');
  await page.waitForFunction(() => /question S1/.test(document.querySelector('.key-note')?.textContent ?? ''));
  assert.equal(await page.getAttribute('.key-panel .fingerprint', 'data-key-id'), newKeyId);
  assert.deepEqual(page.errors, []);
  await context.close();
});
