// The print view: Chromium's print-to-PDF of a filled reply, in English and in Arabic, read back as
// text. The answers, the State, the open required questions and the page numbers must be there.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, seedDraft, COMPLETE, startApp } from './harness.mjs';

const app = startApp();
let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'art32-print-'));
});

const row = (key, fields) => ({ key, fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { text: v }])) });
// A reply with legislation rows (a table), and H1 left open (a required question still to answer).
const REPLY = {
  ...COMPLETE,
  E1: { choice: { selected: ['yes'] } },
  E1a: { rows: [row(0, { title: 'Criminal Code', provisions: 'Art. 434-15' }), row(1, { title: 'Law 2019-222', provisions: 'Art. 12' })] },
  A6: { text: 'National action plan against organized crime, 2024–2028.' },
};
delete REPLY.H1;

/** The PDF of the print view, as text (NFKC: Arabic presentation forms become letters). */
async function printedText(locale) {
  const context = await app.browser.newContext({ locale });
  const page = await openApp(context, app.server.url);
  await seedDraft(page, REPLY);
  await page.click('.print-link');
  await page.waitForSelector('.print-item[data-question="E1a"] table');
  await page.emulateMedia({ media: 'print' });
  const pdf = join(dir, `reply-${locale}.pdf`);
  await writeFile(pdf, await page.pdf({ format: 'A4' }));
  assert.deepEqual(page.errors, []);
  await context.close();
  const script = 'import sys, unicodedata, pypdf\n'
    + 'r = pypdf.PdfReader(sys.argv[1])\n'
    + 'print(len(r.pages))\n'
    + 'print(unicodedata.normalize("NFKC", "\\n".join(p.extract_text() for p in r.pages)))';
  const out = execFileSync('python3', ['-c', script, pdf], { encoding: 'utf8' });
  const [pages, ...lines] = out.split('\n');
  return { pages: Number(pages), text: lines.join('\n') };
}

for (const [locale, words] of [
  ['en-GB', { state: 'France', required: 'Required: not yet answered', section: 'Certification' }],
  ['ar', { state: 'فرنسا', required: 'إلزامي', section: 'اعتماد' }],
]) {
  test(`print to PDF holds the reply (${locale})`, async () => {
    const { pages, text } = await printedText(locale);
    const flat = text.replace(/\s+/g, ' ');
    if (process.env.ART32_DEBUG) console.log(flat);
    assert.ok(pages >= 2, `a full reply takes several pages (${pages})`);
    for (const answer of ['National action plan against organized crime', 'Criminal Code', 'Art. 434-15', 'Law 2019-222',
      'a.official@justice.example.gov', 'Director']) {
      // Compared without spaces: a narrow table cell may break "2019-222" over two lines.
      const bare = (t) => t.replace(/\s+/g, '');
      assert.ok(bare(flat).includes(bare(answer)), `${locale}: the PDF has the answer “${answer}”`);
    }
    assert.ok(flat.includes(words.state), `${locale}: the State is in the header`);
    assert.ok(flat.includes(words.required), `${locale}: the open required question is marked`);
    assert.ok(flat.includes(words.section), `${locale}: section titles are in the language`);
    // "1 / 4"; the text of a right-to-left page comes out of the PDF in visual order ("4 / 1").
    assert.ok(flat.includes(`1 / ${pages}`) || flat.includes(`${pages} / 1`), `${locale}: the first page is numbered`);
    assert.ok(flat.includes(`${pages} / ${pages}`), `${locale}: the last page is numbered`);
    // The State heads every page, not only the first.
    assert.equal(flat.split(words.state).length - 1 >= pages, true, `${locale}: the header repeats on each page`);
    // The rest of the app does not print.
    assert.ok(!flat.includes('Skip to the questionnaire') && !flat.includes('Save a copy'), `${locale}: no page chrome`);
  });
}
