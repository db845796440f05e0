import { test, expect } from '@playwright/test';
import { base, connect } from './helpers.mjs';

test('the console is served with its security headers, and runs under its CSP', async ({ page }) => {
  const res = await page.request.get(`${base()}/`);
  const headers = res.headers();
  expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');

  // every page renders, and nothing on any of them is refused by the policy
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await connect(page, '/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.locator('figure.timechart svg')).toBeVisible();
  for (const [link, heading] of [['Connect', 'Connect'], ['Overview', 'Overview'],
    ['Agents', 'Agents'], ['Callback routing', 'Callback routing'],
    ['Simulator', 'Routing simulator'], ['Callback stats', 'Callback stats'], ['API', 'API reference'],
    ['Usage', 'Usage by agent']]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }
  // the charts draw (their bar widths are set through the CSSOM, which the CSP allows)
  await expect(page.locator('.fill').first()).toBeVisible();
  expect(await page.evaluate(() => window.__violations)).toEqual([]);
});

test('a page on another origin cannot frame the console', async ({ page }) => {
  await page.route('http://framer.test/', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>framer</title><iframe id="victim" src="${base()}/" width="800" height="600"></iframe>`,
  }));
  await page.goto('http://framer.test/');
  const victim = page.frames().find((f) => f.parentFrame() === page.mainFrame());
  // Chromium replaces a frame refused by frame-ancestors with its error page
  await expect.poll(() => victim.url()).toMatch(/^chrome-error:/);
  await expect(page.frameLocator('#victim').getByRole('heading', { name: 'Connect' })).toHaveCount(0);
});
