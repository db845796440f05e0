import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { accessible, base, connect, shoot, shots, token } from './helpers.mjs';

test('the printed link connects, and the token leaves the address bar', async ({ page }) => {
  await page.goto(`${base()}/#token=${token()}`);
  await expect(page.getByRole('heading', { name: 'Connect' })).toBeVisible();
  // time to first render, as the page measured it (ms after navigation start): the app
  // mounted (index.html's mark), and the first paint with content
  const timing = await page.evaluate(() => ({
    mounted: performance.getEntriesByName('dialback:mounted')[0]?.startTime,
    firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    bytes: performance.getEntriesByType('resource').reduce((n, r) => n + r.encodedBodySize, 0),
  }));
  expect(timing.mounted).toBeGreaterThan(0);
  console.log(`first render on localhost: mounted ${timing.mounted.toFixed(0)} ms, first contentful paint ${timing.firstContentfulPaint?.toFixed(0)} ms`);
  mkdirSync(shots, { recursive: true });
  writeFileSync(`${shots}/../first-render.json`, JSON.stringify(timing, null, 2));
  expect(page.url()).not.toContain('token');
  expect(await page.evaluate(() => sessionStorage.getItem('dialback.token'))).toBe(token());
  expect(await page.evaluate(() => localStorage.getItem('dialback.token'))).toBeNull();

  await page.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(page.getByText(/Connected: the server answered and lists 5 agents/)).toBeVisible();
  await shoot(page, 'connect');
  await accessible(page, 'connect');
});

test('a wrong token is refused in plain words, a malformed one before any request', async ({ page }) => {
  await connect(page);
  const input = page.getByLabel('API token');
  await input.fill('bearer abc');
  await expect(page.getByText('TOKEN_PREFIX')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save and test connection' })).toBeDisabled();

  await input.fill('talq_this-token-was-never-issued');
  await page.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(page.getByText(/refused the token \(401\)/)).toBeVisible();
  // the other pages say so too, with a way to retry
  await page.getByRole('link', { name: 'Usage' }).click();
  await expect(page.getByRole('alert').first()).toContainText('refused the token (401)');
  await expect(page.getByRole('button', { name: 'Retry' }).first()).toBeVisible();
  await shoot(page, 'wrong-token');
});

test('an unreachable server is named as such', async ({ page }) => {
  await connect(page);
  await page.getByLabel('Talkover API base URL').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(page.getByText(/Could not reach http:\/\/127.0.0.1:9/)).toBeVisible();
});
