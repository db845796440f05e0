// What every spec needs: the server's URL and token (from global-setup.mjs), the API itself
// (to compare the console's numbers with), screenshots, and the accessibility check.
import { expect } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const shots = path.join(root, 'test-results/screenshots');

export const base = () => process.env.DIALBACK_URL;
export const token = () => process.env.DIALBACK_TOKEN;

/** `GET` (or another method with a JSON body) on the server, as JSON. */
export async function api(p, { method = 'GET', body } = {}) {
  const response = await fetch(base() + p, {
    method,
    headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function agents() {
  return (await api('/api/v1/agents?per_page=100')).body.data;
}

/** Opens the console the way a user does, with the link `serve --demo` prints (it lands on
 * the Overview), then goes to `route`. */
export async function connect(page, route = '/') {
  await page.goto(`${base()}/#token=${token()}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  if (route !== '/') {
    await page.goto(base() + route);
  }
}

/** Screenshots of the page as it is, at 1440 and 375 px wide, into test-results/screenshots. */
export async function shoot(page, name) {
  mkdirSync(shots, { recursive: true });
  const size = page.viewportSize();
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: 900 });
    // nothing may stick out sideways at either width (tables scroll inside themselves)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    // name the widest culprits, so a failure says what to fix
    const culprits = overflow > 0 ? await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(-3).map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.slice(0, 60)}`)) : [];
    expect(overflow, `${name} is wider than ${width} px: ${culprits.join(' | ')}`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}

/** axe-core on the page in light and dark: no serious or critical violation. */
let axe;
const axeSource = () => (axe ??= readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8'));

export async function accessible(page, name) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
      // evaluated through the DevTools protocol: the console's CSP forbids a <script> tag
      await page.evaluate(axeSource());
    }
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }));
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
    expect(bad, `${name} in ${scheme} mode`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (name) {
    mkdirSync(shots, { recursive: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(shots, `${name}-dark.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  }
}

/** The text of a download. */
export async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const stream = await download.createReadStream();
  let text = '';
  for await (const chunk of stream) text += chunk;
  return { name: download.suggestedFilename(), text };
}

/** CSV text into rows of fields (quoted fields with commas and quotes handled). */
export function parseCsv(text) {
  const rows = [];
  for (const line of text.split('\r\n').filter((l) => l !== '')) {
    const fields = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = '';
        i += 1;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2; }
          else if (line[i] === '"') { i += 1; break; }
          else { value += line[i]; i += 1; }
        }
        fields.push(value);
        i += 1;
      } else {
        const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
        fields.push(line.slice(i, end));
        i = end + 1;
      }
    }
    rows.push(fields);
  }
  return rows;
}
