import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { accessible, base, connect, shoot, shots, token } from './helpers.mjs';

test('the printed link connects, lands on the Overview, and the token leaves the address bar', async ({ page }) => {
  await page.goto(`${base()}/#token=${token()}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // time to first render, as the page measured it (ms after navigation start): the app
  // mounted (index.html's mark), and the first paint with content
  // the paint entry is queued asynchronously: wait for it rather than read too early
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  const timing = await page.evaluate(() => ({
    mounted: performance.getEntriesByName('dialback:mounted')[0]?.startTime,
    firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    // the console's own files (not the API answers it then fetched), as sent: gzip
    bytes: performance.getEntriesByType('resource')
      .filter((r) => !/\/(api\/)?v1\//.test(new URL(r.name).pathname))
      .reduce((n, r) => n + r.encodedBodySize, 0),
    files: performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname),
  }));
  expect(timing.mounted).toBeGreaterThan(0);
  // the first download is within its budget: the other pages' modules are not in it
  expect(timing.bytes).toBeGreaterThan(100 * 1024);
  expect(timing.bytes).toBeLessThanOrEqual(400 * 1024);
  expect(timing.files.filter((f) => /\/(split_|chunk_)/.test(f))).toEqual([]);
  expect(timing.files).toContain('/dialback_web_bg.wasm');
  expect(timing.files).not.toContain('/favicon.ico');
  console.log(`first render on localhost: mounted ${timing.mounted.toFixed(0)} ms, first contentful paint ${timing.firstContentfulPaint.toFixed(0)} ms`);
  mkdirSync(shots, { recursive: true });
  writeFileSync(`${shots}/../first-render.json`, JSON.stringify(timing, null, 2));
  expect(page.url()).not.toContain('token');
  expect(await page.evaluate(() => sessionStorage.getItem('dialback.token'))).toBe(token());
  expect(await page.evaluate(() => localStorage.getItem('dialback.token'))).toBeNull();

  // a page outside the first download fetches its own module when first opened, and works
  const fetchedAgents = page.waitForResponse((r) => /\/split_agents_page\.wasm$/.test(r.url()));
  await page.getByRole('link', { name: 'Agents', exact: true }).click();
  expect((await fetchedAgents).status()).toBe(200);
  await expect(page.getByLabel('Search agents')).toBeVisible();

  // Connect is one link away, for switching servers and tokens
  await page.getByRole('link', { name: 'Connect', exact: true }).click();
  await page.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(page.getByText('Talkover API (this server): connected; it lists 5 agents.')).toBeVisible();
  await expect(page.getByText('AgentPhone API (this server): connected; it answers usage by agent.')).toBeVisible();
  await shoot(page, 'connect');
  await accessible(page, 'connect');
});

test('a page whose code cannot be downloaded says so, and opening it again brings it', async ({ page }) => {
  await connect(page);
  const statsModule = /\/split_stats_page\.wasm$/;
  await page.route(statsModule, (route) => route.abort());
  await page.getByRole('link', { name: 'Callback stats', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText("This page's code could not be downloaded");
  await expect(page.getByRole('button', { name: 'Reload' })).toBeVisible();
  // the console keeps working
  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // a failed download is not remembered: the next visit fetches it
  await page.unroute(statsModule);
  await page.getByRole('link', { name: 'Callback stats', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Callback stats' })).toBeVisible();
  await expect(page.locator('#console-stopped')).toHaveCount(0);
});

test('a wrong token is refused in plain words, a malformed one before any request', async ({ page }) => {
  await connect(page, '/connect');
  const input = page.getByLabel('API token');
  await input.fill('bearer abc');
  await expect(page.getByText('TOKEN_PREFIX')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save and test connection' })).toBeDisabled();

  await input.fill('talq_this-token-was-never-issued');
  await page.getByRole('button', { name: 'Save and test connection' }).click();
  for (const api of ['Talkover', 'AgentPhone']) {
    await expect(page.getByText(`${api} API (this server): The server refused the token (401)`, { exact: false })).toBeVisible();
  }
  // the other pages say so too, with a way to retry
  await page.getByRole('link', { name: 'Usage' }).click();
  await expect(page.getByRole('alert').first()).toContainText('refused the token (401)');
  await expect(page.getByRole('button', { name: 'Retry' }).first()).toBeVisible();
  await shoot(page, 'wrong-token');
});

test('an unreachable server is named as such', async ({ page }) => {
  await connect(page, '/connect');
  await page.getByLabel('Talkover API base URL').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(page.getByText(/Talkover API \(http:\/\/127.0.0.1:9\): Could not reach http:\/\/127.0.0.1:9/)).toBeVisible();
  // each API is tested on its own: the other one still answers
  await expect(page.getByText(/AgentPhone API \(this server\): connected/)).toBeVisible();
});

test('another server works when it allows this page (CORS), and says why not when it does not', async ({ page }) => {
  const other = (prefix) => ({ url: process.env[`${prefix}_URL`], token: process.env[`${prefix}_TOKEN`] });
  const useServer = async ({ url, token }) => {
    await page.getByLabel('API token').fill(token);
    await page.getByLabel('Talkover API base URL').fill(url);
    await page.getByLabel('AgentPhone API base URL').fill(url);
    await page.getByRole('button', { name: 'Save and test connection' }).click();
  };
  await connect(page, '/connect');
  // started with --allow-origin set to this console's origin
  const open = other('DIALBACK_OPEN');
  await useServer(open);
  await expect(page.getByText(`Talkover API (${open.url}): connected; it lists 5 agents.`)).toBeVisible();
  await expect(page.getByText(`AgentPhone API (${open.url}): connected; it answers usage by agent.`)).toBeVisible();
  // and the pages read from it: an agent only it has is listed
  const headers = { authorization: `Bearer ${open.token}`, 'content-type': 'application/json' };
  const created = await fetch(`${open.url}/api/v1/agents`, {
    method: 'POST', headers, body: JSON.stringify({ name: 'Only on the other server', direction: 'inbound' }),
  });
  expect(created.status).toBe(200);
  await page.getByRole('link', { name: 'Agents' }).click();
  await expect(page.getByRole('rowheader', { name: 'Only on the other server' })).toBeVisible();
  await expect(page.locator('table.agents tbody tr')).toHaveCount(6);
  // started without it: the browser blocks the answer, and the page says what to do
  await page.getByRole('link', { name: 'Connect' }).click();
  const closed = other('DIALBACK_CLOSED');
  await useServer(closed);
  for (const api of ['Talkover', 'AgentPhone']) {
    await expect(page.getByText(`${api} API (${closed.url}): Could not reach ${closed.url}`, { exact: false }))
      .toContainText('--allow-origin');
  }
});
