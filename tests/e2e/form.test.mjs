// A focal point fills the questionnaire in the release build, as a person would.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, q, goToSection, chooseLanguage, seedDraft, startApp, storedAnswer, storedAnswerWhen, COMPLETE } from './harness.mjs';

const app = startApp();


test('the release build boots and shows every section', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  assert.equal(await page.locator('.section-nav li').count(), 9);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('h1'), /Article 32/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('answer, follow-up, repeatable rows, language switch and reload keep everything', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);

  // A choice that reveals a follow-up, and the follow-up answered.
  assert.equal(await page.isVisible(q('S3')), false, 'S3 waits for S2');
  await page.check(`${q('S2')} input[value="party"]`);
  await page.waitForSelector(`${q('S3')}:not([hidden])`);
  await page.check(`${q('S3')} input[value="untoc"]`);
  await page.check(`${q('S3')} input[value="tip"]`);

  // Choices keep their values when the language changes; only the words change.
  const s1 = `${q('S1')} select`;
  const chosenText = () => page.$eval(s1, (el) => el.selectedOptions[0]?.textContent);
  const partyLabel = () => page.textContent(`${q('S2')} label[for$="-o0"]`);
  const ticked = () => page.locator(`${q('S2')} input:checked, ${q('S3')} input:checked`).evaluateAll((els) => els.map((e) => e.value));
  await page.selectOption(s1, 'FRA');
  assert.equal(await partyLabel(), 'State party');
  await chooseLanguage(page, 'zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh');
  assert.equal(await page.inputValue(s1), 'FRA');
  assert.equal(await chosenText(), '法国');
  assert.equal(await partyLabel(), '缔约国');
  assert.deepEqual(await ticked(), ['party', 'untoc', 'tip']);
  await chooseLanguage(page, 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await chosenText(), 'France');
  assert.equal(await partyLabel(), 'State party');
  assert.deepEqual(await ticked(), ['party', 'untoc', 'tip']);

  // A text question.
  await goToSection(page, 'A');
  const a6 = `${q('A6')} textarea`;
  await page.fill(a6, 'National plan against organized crime 2024–2028, adopted by decree 12/2024.');

  // Three repeatable rows, then the middle one removed.
  for (const name of ['Ministry of Justice', 'Ministry of Interior', 'Financial Intelligence Unit']) {
    await page.click(`${q('A5')} button.add-row`);
    const rows = page.locator(`${q('A5')} li.row`);
    const last = rows.nth((await rows.count()) - 1);
    await last.locator('[data-field="name"] input').fill(name);
  }
  assert.equal(await page.locator(`${q('A5')} li.row`).count(), 3);
  // A row just added is rendered in its first frame (`.added`: not skipped while out of view);
  // once painted it is like the others, and the focus is in it.
  await page.click(`${q('A5')} button.add-row`);
  await page.waitForFunction((sel) => {
    const last = [...document.querySelectorAll(sel)].pop();
    return last.className === 'row' && document.activeElement === last.querySelector('input');
  }, `${q('A5')} li.row`);
  await page.click(`${q('A5')} li.row[data-row="3"] button.remove-row`);
  await page.click(`${q('A5')} li.row[data-row="1"] button.remove-row`);
  const names = () => page.locator(`${q('A5')} li.row [data-field="name"] input`).evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(await names(), ['Ministry of Justice', 'Financial Intelligence Unit']);
  assert.deepEqual(
    await page.locator(`${q('A5')} li.row`).evaluateAll((els) => els.map((e) => e.dataset.row)),
    ['0', '1'],
    'rows are renumbered',
  );
  assert.deepEqual(
    await page.locator(`${q('A5')} li.row > fieldset > legend`).allTextContents(),
    ['Item 1', 'Item 2'],
    'and so are their legends',
  );
  assert.equal(await page.locator(`${q('A5')} li.row[data-row="1"] button.remove-row`).textContent(), 'Remove item 2');

  // Switch to Chinese and back: the interface changes, the answers do not.
  await chooseLanguage(page, 'zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh');
  assert.match(await page.textContent('h1'), /调查表/);
  assert.equal(await page.inputValue(a6), 'National plan against organized crime 2024–2028, adopted by decree 12/2024.');
  await chooseLanguage(page, 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');

  // Reload: everything is still there.
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  await page.reload();
  await page.waitForSelector(q('S1'));
  await page.waitForSelector(`${q('S3')}:not([hidden])`);
  assert.equal(await page.inputValue(s1), 'FRA');
  assert.equal(await page.isChecked(`${q('S2')} input[value="party"]`), true);
  assert.equal(await page.isChecked(`${q('S3')} input[value="tip"]`), true);
  await goToSection(page, 'A');
  assert.match(await page.inputValue(a6), /decree 12\/2024/);
  // The rows' code may still be on its way when the section's introduction is drawn.
  await page.waitForSelector(`${q('A5')} li.row[data-row="1"]`);
  assert.deepEqual(await names(), ['Ministry of Justice', 'Financial Intelligence Unit']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a stored draft\'s typed answers are checked as soon as it is read', async () => {
  // The form's own code has no check of addresses or numbers (no question of the first section
  // takes one): the code that reads drafts brings it. Counted before any other part is fetched.
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  const stillToAnswer = async () => Number((await page.textContent('.still-to-answer-link')).match(/\((\d+)\)/)[1]);
  const fetched = () => page.requests.filter((p) => /^\/split_(?!draft_reader)/.test(p));
  await seedDraft(page, { H3: { text: 'focal.point@mfa.gov.example' } });
  const valid = await stillToAnswer();
  await seedDraft(page, { H3: { text: 'focal.point-at-mfa' } });
  assert.equal(await stillToAnswer(), valid + 1, 'the invalid address is still to answer');
  assert.deepEqual(fetched(), [], 'only the code that reads drafts was fetched');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an invalid email is explained in place and listed as still to answer', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  await goToSection(page, 'H');
  await page.fill(`${q('H3')} input[type="email"]`, 'focal.point-at-mfa');
  assert.equal(await page.locator(`${q('H3')} .field-error`).count(), 0, 'no message while typing');
  await page.keyboard.press('Tab');
  const message = page.locator(`${q('H3')} .field-error`);
  await message.waitFor();
  assert.match(await message.textContent(), /email address/);
  const input = page.locator(`${q('H3')} input[type="email"]`);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  const describedBy = await input.getAttribute('aria-describedby');
  assert.ok(describedBy.split(' ').includes(await message.getAttribute('id')), 'the message is tied to the field');

  await page.click('.still-to-answer-link');
  const item = page.locator('[data-open-question="H3"]');
  await item.waitFor();
  assert.match(await item.textContent(), /email address/);
  // The button goes back to the question and focuses it.
  await item.locator('button').click();
  await page.waitForFunction(() => document.activeElement?.closest('[data-question]')?.dataset.question === 'H3');

  // In Chinese the message is in Chinese.
  await chooseLanguage(page, 'zh');
  assert.match(await page.locator(`${q('H3')} .field-error`).textContent(), /电子邮件/);
  await context.close();
});

test('"other" asks to specify, in a question and in a row; the text is kept only while "other" is chosen', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  await goToSection(page, 'A');
  assert.equal(await page.$(`${q('A1')} .other-specify`), null, 'no box before "other" is ticked');
  await page.check(`${q('A1')} input[value="other"]`);
  await page.fill(`${q('A1')} .other-specify input`, 'A regional review');
  await storedAnswerWhen(page, 'A1', (a) => a?.choice?.other === 'A regional review');
  assert.equal(await page.getAttribute(`${q('A1')} .other-specify input`, 'aria-required'), 'true');
  // Another option beside it keeps the text; unticking "other" drops the box and the text.
  await page.check(`${q('A1')} input[value="omnibus"]`);
  assert.equal(await page.inputValue(`${q('A1')} .other-specify input`), 'A regional review');
  await page.uncheck(`${q('A1')} input[value="other"]`);
  await page.waitForSelector(`${q('A1')} .other-specify`, { state: 'detached' });
  await storedAnswerWhen(page, 'A1', (a) => a?.choice && !a.choice.other && a.choice.selected.join() === 'omnibus');
  // In a row of a repeatable question, too.
  await page.click(`${q('A7')} button.add-row`);
  const kind = `${q('A7')} li.row [data-field="kind"]`;
  await page.check(`${kind} input[value="other"]`);
  await page.fill(`${kind} .other-specify input`, 'A decree');
  const a7 = await storedAnswerWhen(page, 'A7', (a) => a?.rows?.[0]?.fields?.kind?.choice?.other === 'A decree');
  assert.deepEqual(a7.rows[0].fields.kind.choice.selected, ['other']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a click on the control below a required field just left lands, though the field\'s problem then shows above it', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  await goToSection(page, 'A');
  // A new row puts the focus in its first field, the required title, left empty.
  await page.click(`${q('A7')} button.add-row`);
  const field = (f) => `${q('A7')} li.row [data-field="${f}"]`;
  await page.waitForFunction(() => document.activeElement?.id === 'q-A7-r0-title');
  // Its place within the row (the page may scroll to it for the click).
  const place = () => page.$eval(`${field('kind')} input[value="legislative"]`,
    (e) => e.getBoundingClientRect().top - e.closest('li.row').getBoundingClientRect().top);
  const before = await place();
  // One press on a choice below: it leaves the title, whose "required" appears and pushes the
  // choice down, only once the press is over.
  await page.click(`${field('kind')} input[value="legislative"]`);
  assert.equal(await page.isChecked(`${field('kind')} input[value="legislative"]`), true, 'the click was not lost');
  await page.waitForSelector(`${field('title')} .field-error`);
  assert.ok(await place() > before, 'the message did move the choice down, after the click');
  // Leaving by keyboard shows the problem at once, as before.
  await page.focus(`${field('provisions')} input`);
  await page.keyboard.press('Tab');
  await page.waitForSelector(`${field('provisions')} .field-error`);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('leaving a field shows its own problems only; another draft starts with none shown', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  // Two rows, each without its required reference.
  const row = (i) => ({ key: i, fields: { summary: { text: 'A witness was threatened.' } } });
  await seedDraft(page, { E10: { rows: [row(0), row(1)] } });
  await goToSection(page, 'E');
  const field = (i, f) => `${q('E10')} li.row[data-row="${i}"] [data-field="${f}"]`;
  await page.focus(`${field(1, 'reference')} input`);
  await page.keyboard.press('Tab');
  await page.waitForSelector(`${field(1, 'reference')} .field-error`);
  assert.equal(await page.locator(`${q('E10')} .field-error`).count(), 1, 'only the field left shows its problem');
  // The first section's State, left empty, says it is required; a new draft shows no problem yet.
  await goToSection(page, 'S');
  await page.focus(`${q('S1')} select`);
  await page.keyboard.press('Tab');
  await page.waitForSelector(`${q('S1')} .field-error`);
  await page.click('.open-drafts');
  await page.click('button.new-draft');
  await page.waitForSelector(`${q('S1')} select`);
  await page.waitForFunction(() => !document.querySelector('[data-question="S1"] .field-error'));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('"Check my answers" lists every open required question with a link', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  await page.click('button.check-answers');
  await page.waitForSelector('[data-open-question="S1"]');
  const open = await page.locator('[data-open-question]').evaluateAll((els) => els.map((e) => e.dataset.openQuestion));
  for (const id of ['S1', 'S2', 'S4', 'A2', 'A6', 'H6']) assert.ok(open.includes(id), `${id} is listed`);
  assert.ok(!open.includes('S3'), 'hidden follow-ups are not listed');
  // Errors are now shown next to every field of the section visited.
  await page.locator('[data-open-question="S4"] button').click();
  await page.waitForSelector(`${q('S4')} .field-error`);
  await context.close();
});

test('a link to an open repeatable question focuses its first control, though its rows\' code arrives only then', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  // A2 "yes" opens A3 (at least one row): section A has not been opened in this page.
  await seedDraft(page, { A2: { choice: { selected: ['yes'] } } });
  assert.equal(await page.$('.repeat-group'), null);
  await page.click('button.check-answers');
  await page.locator('[data-open-question="A3"] button').click();
  await page.waitForFunction(() => document.activeElement?.matches('[data-question="A3"] button.add-row'));
  await context.close();
});

test('the certification date is today\'s when section H is first opened, and stays as the user sets it', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await goToSection(page, 'A');
  assert.equal(await storedAnswer(page, 'H4'), undefined, 'nothing is filled before the question is shown');
  await goToSection(page, 'H');
  assert.equal(await page.inputValue(`${q('H4')} input`), today);
  await storedAnswerWhen(page, 'H4', (a) => a?.text === today);
  // The user's date is kept: across sections and a reload, it is never put back to today.
  await page.fill(`${q('H4')} input`, '2026-01-15');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  await goToSection(page, 'A');
  await goToSection(page, 'H');
  await page.reload();
  await page.waitForSelector(q('S1'));
  await goToSection(page, 'H');
  assert.equal(await page.inputValue(`${q('H4')} input`), '2026-01-15');
  assert.deepEqual(await storedAnswer(page, 'H4'), { text: '2026-01-15' });
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('after "Check my answers", each row shows its own problems, and they follow what is typed', async () => {
  const context = await app.browser.newContext({ locale: 'en-GB' });
  const page = await openApp(context, app.server.url);
  const row = (i, url) => ({ key: i, fields: { reference: { text: `Case ${i}` }, summary: { text: 'A witness was threatened.' }, url: { text: url } } });
  await seedDraft(page, { ...COMPLETE, E10: { rows: [row(0, 'courts.example.gov/0'), row(1, 'courts.example.gov/1'), row(2, 'https://courts.example.gov/2')] } });
  await page.click('button.check-answers');
  await goToSection(page, 'E');
  const rowErrors = () => page.evaluate(() => [...document.querySelectorAll('[data-question="E10"] li.row')]
    .map((li) => li.querySelectorAll('.field-error').length));
  const rowField = (i, f) => `${q('E10')} li.row[data-row="${i}"] [data-field="${f}"]`;
  await page.waitForFunction(() => document.querySelectorAll('[data-question="E10"] .field-error').length === 2);
  assert.deepEqual(await rowErrors(), [1, 1, 0]);
  // Mending row 2's address clears its problem only; emptying row 3's summary shows one there.
  await page.fill(`${rowField(1, 'url')} input`, 'https://courts.example.gov/1');
  await page.waitForFunction(() => document.querySelectorAll('[data-question="E10"] .field-error').length === 1);
  assert.deepEqual(await rowErrors(), [1, 0, 0]);
  await page.fill(`${rowField(2, 'summary')} textarea`, '');
  await page.waitForSelector(`${rowField(2, 'summary')} .field-error`);
  assert.deepEqual(await rowErrors(), [1, 0, 1]);
  // Typing that changes no problem leaves them all where they are.
  await page.fill(`${rowField(0, 'summary')} textarea`, 'A witness was threatened, then bribed.');
  await page.waitForSelector('.save-status[data-save-state="saved"]');
  assert.deepEqual(await rowErrors(), [1, 0, 1]);
  assert.match(await page.textContent(`${rowField(0, 'url')} .field-error`), /http/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
