// Accessibility checks shared by the end-to-end tests: two independent rule engines (axe-core,
// and IBM's Equal Access engine), in-page links' targets, and moving by keyboard.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
// IBM's Equal Access engine (accessibility-checker-engine): its own rules, written apart from
// axe's, harmonised with the W3C's ACT rules. Its "IBM_Accessibility" policy covers WCAG 2.2 AA
// and more; the test fails on every violation it reports.
const ACE = await readFile(require.resolve('accessibility-checker-engine/ace.js'), 'utf8');
// Rules switched off, each with its reason (none so far).
const ACE_OFF = new Map([]);

/** Runs axe on the page as it is; returns the violations as readable lines. */
export async function axe(page) {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`
    + ` — ${v.nodes[0].failureSummary.replace(/\s+/g, ' ')}`);
}

/** Runs IBM's engine on the page as it is; returns its violations as readable lines. */
export async function ace(page) {
  if (!(await page.evaluate(() => 'ace' in window))) await page.evaluate(ACE);
  const results = await page.evaluate(async () => {
    const report = await new window.ace.Checker().check(document, ['IBM_Accessibility']);
    return report.results
      .filter((r) => r.value[0] === 'VIOLATION' && r.value[1] === 'FAIL')
      .map((r) => ({ rule: r.ruleId, where: r.path.dom, message: r.message }));
  });
  return results.filter((r) => !ACE_OFF.has(r.rule)).map((r) => `${r.rule}: ${r.where} — ${r.message}`);
}

/** The links shown whose target is a place on this page that does not exist. */
export function brokenLinks(page) {
  return page.evaluate(() => {
    const here = new URL(location.href);
    return [...document.querySelectorAll('a[href]')]
      .filter((a) => a.getClientRects().length > 0)
      .filter((a) => {
        const to = new URL(a.href);
        if (to.origin + to.pathname + to.search !== here.origin + here.pathname + here.search) return false;
        const id = decodeURIComponent(to.hash.slice(1));
        return id === '' || document.getElementById(id) === null;
      })
      .map((a) => `${a.getAttribute('href')} (${a.textContent.trim().slice(0, 40)})`);
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches, as a keyboard user moves. */
export async function tabTo(page, selector, { back = false, max = 300 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}
