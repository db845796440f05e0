import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { accessible, api, connect, downloaded, parseCsv, shoot } from './helpers.mjs';

const rate = (part, whole) => (whole === 0 ? '–' : `${(Math.round((part * 1000) / whole) / 10).toFixed(1)}%`);

test('the cards, chart, table and CSV equal the API for the chosen range', async ({ page }) => {
  await connect(page, '/stats?range=90d&tz=America/New_York');
  const from = await page.getByLabel('From').inputValue();
  const to = await page.getByLabel('To').inputValue();
  const { body } = await api(`/api/v1/callback-agents/stats?start_date=${from}&end_date=${to}&tz=America/New_York`);
  const s = body.data;
  expect(s.total_callbacks_received).toBeGreaterThan(0);
  const card = (name) => page.locator(`[data-card="${name}"]`);
  await expect(card('received')).toContainText(String(s.total_callbacks_received));
  await expect(card('answered')).toContainText(`${s.callbacks_answered}answered (${rate(s.callbacks_answered, s.total_callbacks_received)})`);
  await expect(card('unmatched')).toContainText(`${s.callbacks_unmatched}unmatched (${rate(s.callbacks_unmatched, s.total_callbacks_received)})`);
  await expect(page.locator('.warning')).toHaveCount(0);
  await expect(page.locator('figure.bars li')).toHaveCount(s.callbacks_by_source_agent.length);
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(s.callbacks_by_source_agent.length);
  for (const [i, r] of s.callbacks_by_source_agent.entries()) {
    await expect(rows.nth(i)).toContainText(r.name);
    await expect(rows.nth(i).locator('td').first()).toHaveText(String(r.count));
  }

  const csv = await downloaded(page, () => page.getByRole('link', { name: 'Export CSV' }).click());
  expect(csv.name).toBe(`callbacks-${from}-${to}.csv`);
  expect(parseCsv(csv.text)).toEqual([
    ['source_agent_id', 'source_agent_name', 'callbacks'],
    ...s.callbacks_by_source_agent.map((r) => [r.source_agent_id, r.name, String(r.count)]),
  ]);
  await shoot(page, 'stats');
  await accessible(page, 'stats');
});

test('presets and custom dates live in the URL; a bad range is explained', async ({ page }) => {
  await connect(page, '/stats?tz=UTC');
  await page.getByLabel('Range').selectOption('7d');
  await expect(page).toHaveURL(/range=7d/);
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  await expect(page.getByLabel('From')).toHaveValue(weekAgo);
  await expect(page.getByLabel('To')).toHaveValue(today);

  await page.getByLabel('Range').selectOption('month');
  await expect(page.getByLabel('From')).toHaveValue(`${today.slice(0, 8)}01`);

  // picking a day switches to a custom range, kept in the URL
  await page.getByLabel('From').fill('2026-01-10');
  await expect(page).toHaveURL(/range=custom/);
  await expect(page).toHaveURL(/start=2026-01-10/);
  await page.getByLabel('To').fill('2026-01-05');
  await expect(page.getByText('INVALID_DATE_RANGE')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('From')).toHaveValue('2026-01-10');
  await expect(page.getByText('INVALID_DATE_RANGE')).toBeVisible();
});

test('a response that does not add up (the seed\'s own example) is flagged', async ({ page }) => {
  // the seed's documented example, as if a hosted API had answered it: our server never would
  const seed = readFileSync(new URL('../fixtures/seeds/talkover_callback_stats_response.json', import.meta.url), 'utf8');
  await page.route('**/api/v1/callback-agents/stats?**', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: seed }));
  await connect(page, '/stats');
  const warning = page.locator('.warning');
  await expect(warning).toContainText('This response does not add up');
  await expect(warning).toContainText('TOTALS_MISMATCH');
  await expect(warning).toContainText('PERIOD_MISMATCH');
  await expect(page.locator('[data-card="received"]')).toContainText('184');
  await shoot(page, 'stats-inconsistent');
});
