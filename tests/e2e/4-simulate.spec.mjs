import { test, expect } from '@playwright/test';
import { accessible, api, base, connect, shoot, token } from './helpers.mjs';

async function matchedCall() {
  const response = await fetch(`${base()}/api/v1/calls/export`, { headers: { Authorization: `Bearer ${token()}` } });
  const calls = (await response.text()).trim().split('\n').map((l) => JSON.parse(l));
  return calls.find((c) => c.routing?.outcome === 'matched');
}

test('a callback is explained in plain words, the same as the API says', async ({ page }) => {
  const call = await matchedCall();
  // the question the form will ask: the page runs in UTC, so the wall clock is the instant
  const at = call.created_at.slice(0, 19);
  const expected = (await api('/api/v1/routing/simulate', {
    method: 'POST', body: { from: call.from, to: call.to, at: call.created_at },
  })).body.data;
  expect(expected.outcome).toBe('matched');

  await connect(page, '/simulate');
  await page.getByLabel('Caller number').fill(call.from);
  await page.getByLabel('Dialed number').fill(call.to);
  await page.getByLabel(/^Time/).fill(at);
  await page.getByRole('button', { name: 'Simulate' }).click();
  await expect(page.getByRole('heading', { name: 'Routed as a callback' })).toBeVisible();
  await expect(page.locator('.explanation')).toHaveText(expected.explanation);
  expect(expected.explanation).toMatch(/^matched: .+ called this contact .+ ago/);
  await expect(page.getByText('MATCHED', { exact: true })).toBeVisible();
  // the question is in the URL: a reload (or a shared link) shows the same answer
  await expect(page).toHaveURL(/from=.*&to=.*&at=/);
  await page.reload();
  await expect(page.locator('.explanation')).toHaveText(expected.explanation);
  await shoot(page, 'simulate');
  await accessible(page, 'simulate');
});

test('bad input is caught before sending; an unowned number is not routed', async ({ page }) => {
  await connect(page, '/simulate');
  await page.getByLabel('Dialed number').fill('12');
  await page.getByRole('button', { name: 'Simulate' }).click();
  await expect(page.locator('#sim-to-errors')).toContainText('INVALID_PHONE_NUMBER');
  await expect(page.locator('.decision')).toHaveCount(0);

  await page.getByLabel('Caller number').fill('');
  await page.getByLabel('Dialed number').fill('+14155559999');
  await page.getByRole('button', { name: 'Simulate' }).click();
  await expect(page.getByRole('heading', { name: 'Not routed' })).toBeVisible();
  await expect(page.locator('.explanation')).toHaveText('not routed: no agent owns +14155559999');
});
