import { test, expect } from '@playwright/test';
import { accessible, agents, api, connect, shoot } from './helpers.mjs';

test('an outbound agent is not offered, and choosing one anyway is refused with the seed\'s message', async ({ page }) => {
  const all = await agents();
  const outbound = all.find((a) => a.direction === 'outbound');
  await connect(page, '/callbacks');
  const select = page.getByLabel('Callback agent (inbound)');
  await expect(select.locator(`option[value="${outbound.id}"]`)).toBeDisabled();
  await expect(page.getByText('Only inbound agents can take callbacks')).toBeVisible();

  // a shared link naming an outbound agent: the core says what the server would
  await page.goto(`${process.env.DIALBACK_URL}/callbacks?agent=${outbound.id}`);
  await expect(page.locator('#cb-agent-errors'))
    .toHaveText('Agent must have direction=inbound to serve as a callback (INVALID_AGENT_DIRECTION)');
  await page.getByRole('checkbox', { name: all.find((a) => a.direction === 'outbound' && a.id !== outbound.id).name }).check();
  await page.getByRole('button', { name: 'Save callback routing' }).click();
  await expect(page.getByText('Fix the problems shown above first.')).toBeVisible();
  expect((await agents()).find((a) => a.id === outbound.id).callback_config).toBeUndefined();
  await shoot(page, 'callbacks-refused');
});

test('configure, check live and remove a callback role', async ({ page }) => {
  const all = await agents();
  const support = all.find((a) => a.direction === 'inbound' && !a.callback_config);
  const sources = all.filter((a) => a.direction === 'outbound').slice(0, 2);
  await connect(page, '/callbacks');
  await page.getByLabel('Callback agent (inbound)').selectOption(support.id);
  await expect(page).toHaveURL(new RegExp(`agent=${support.id}`));

  // nothing picked yet: the core's code next to the sources
  await expect(page.locator('#cb-sources-errors')).toContainText('SOURCE_AGENT_IDS_REQUIRED');
  // the searchable multi-select
  await page.getByLabel('Filter sources').fill(sources[0].name.slice(0, 4).toLowerCase());
  await expect(page.locator('.choices:not(.inline) li')).toHaveCount(
    all.filter((a) => a.direction === 'outbound' && a.name.toLowerCase().includes(sources[0].name.slice(0, 4).toLowerCase())).length);
  await page.getByRole('checkbox', { name: sources[0].name }).check();
  await page.getByLabel('Filter sources').fill('');
  await page.getByRole('checkbox', { name: sources[1].name }).check();
  await expect(page.locator('#cb-sources-errors')).toBeEmpty();
  await expect(page.getByText('2 selected')).toBeVisible();

  await page.getByLabel('Lookback (days, optional)').fill('400');
  await expect(page.locator('#cb-lookback-errors'))
    .toHaveText('lookback_days must be an integer from 1 to 365, got 400 (INVALID_LOOKBACK_DAYS)');
  // the same words the server uses for the same body
  const server = await api(`/api/v1/agents/${support.id}/callback`, {
    method: 'POST', body: { source_agent_ids: sources.map((s) => s.id), lookback_days: 400 },
  });
  expect(server.status).toBe(422);
  expect(server.body.message).toBe('lookback_days must be an integer from 1 to 365, got 400');
  await page.getByLabel('Lookback (days, optional)').fill('14');
  await expect(page.locator('#cb-lookback-errors')).toBeEmpty();
  await shoot(page, 'callbacks');
  await accessible(page, 'callbacks');

  await page.getByRole('button', { name: 'Save callback routing' }).click();
  await expect(page.getByText(`Saved: ${support.name} now takes callbacks for 2 source agent(s).`)).toBeVisible();
  const saved = (await agents()).find((a) => a.id === support.id).callback_config;
  expect(saved).toEqual({ source_agent_ids: sources.map((s) => s.id), lookback_days: 14 });

  // a reload shows what is stored
  await page.reload();
  await expect(page.getByRole('checkbox', { name: sources[0].name })).toBeChecked();
  await expect(page.getByLabel('Lookback (days, optional)')).toHaveValue('14');

  // trigger statuses: set here, kept by a save that does not touch them
  await page.getByRole('checkbox', { name: 'no answer' }).check();
  await page.getByRole('checkbox', { name: 'voicemail' }).check();
  await page.getByRole('button', { name: 'Save callback routing' }).click();
  await expect(page.getByText(`Saved: ${support.name} now takes callbacks for 2 source agent(s).`)).toBeVisible();
  expect((await agents()).find((a) => a.id === support.id).callback_config.callback_trigger_statuses)
    .toEqual(['no_answer', 'voicemail']);
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'no answer' })).toBeChecked();
  await page.getByLabel('Lookback (days, optional)').fill('21');
  await page.getByRole('button', { name: 'Save callback routing' }).click();
  await expect.poll(async () => (await agents()).find((a) => a.id === support.id).callback_config)
    .toEqual({ source_agent_ids: sources.map((s) => s.id), lookback_days: 21, callback_trigger_statuses: ['no_answer', 'voicemail'] });

  await page.getByRole('button', { name: 'Remove callback role' }).click();
  await expect(page.getByRole('alertdialog')).toContainText(`Remove ${support.name}'s callback role?`);
  await page.getByRole('button', { name: 'Keep it' }).click();
  expect((await agents()).find((a) => a.id === support.id).callback_config).not.toBeNull();
  await page.getByRole('button', { name: 'Remove callback role' }).click();
  await page.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByText('Callback role removed')).toBeVisible();
  expect((await agents()).find((a) => a.id === support.id).callback_config).toBeUndefined();
});
