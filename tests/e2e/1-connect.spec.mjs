import { test, expect } from '@playwright/test';
import { accessible, base, connect, shoot, token } from './helpers.mjs';

test('the printed link connects, and the token leaves the address bar', async ({ page }) => {
  const started = Date.now();
  await page.goto(`${base()}/#token=${token()}`);
  await expect(page.getByRole('heading', { name: 'Connect' })).toBeVisible();
  // time to first render: navigation start to the app's first heading, measured by the page
  const firstRender = await page.evaluate(() => performance.now());
  console.log(`first render: ${Math.round(firstRender)} ms after navigation start (${Date.now() - started} ms wall)`);
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
