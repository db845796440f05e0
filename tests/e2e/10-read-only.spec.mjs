import { test, expect } from '@playwright/test';
import { accessible, agents, base, shoot } from './helpers.mjs';

const readOnly = () => process.env.DIALBACK_READONLY_TOKEN;

test('a read-only token sees everything, and every write control says why it is disabled', async ({ page }) => {
  await page.goto(`${base()}/#token=${readOnly()}`);
  await expect(page.getByText('read-only token')).toBeVisible();
  await page.getByRole('link', { name: 'Connect', exact: true }).click();
  await page.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(page.getByText('Token “dashboards”', { exact: false })).toContainText('read-only, environment “demo”, no expiry');

  // the agents are all there; creating and saving are not offered
  await page.goto(`${base()}/agents`);
  const all = await agents();
  await expect(page.locator('table.agents tbody tr')).toHaveCount(all.length);
  await expect(page.getByRole('button', { name: 'Create agent' })).toBeDisabled();
  await expect(page.getByRole('note').first()).toContainText('This token is read-only');
  await page.locator('table.agents tbody tr').first().getByRole('button', { name: /Edit/ }).click();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();

  const handler = all.find((a) => a.callback_config);
  await page.goto(`${base()}/callbacks?agent=${handler.id}`);
  await expect(page.getByRole('button', { name: 'Save callback routing' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Remove callback role' })).toBeDisabled();
  await expect(page.getByRole('note').first()).toContainText('without --read-only');
  await shoot(page, 'read-only');
  await accessible(page, 'read-only');

  // and the server agrees: the same write is refused with Talkover's code
  const refused = await fetch(`${base()}/api/v1/agents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${readOnly()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Sneaky', direction: 'inbound' }),
  });
  expect(refused.status).toBe(403);
  expect((await refused.json()).code).toBe('UNAUTHORIZED');
});

test('a token that may write is shown as such and its controls stay enabled', async ({ page }) => {
  await page.goto(`${base()}/#token=${process.env.DIALBACK_TOKEN}`);
  await expect(page.getByText('read-write token')).toBeVisible();
  await page.goto(`${base()}/agents`);
  await expect(page.getByRole('button', { name: 'Create agent' })).toBeEnabled();
  await expect(page.getByText('This token is read-only')).toHaveCount(0);
});
