import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';
import { accessible, api, connect, downloaded, parseCsv, shoot } from './helpers.mjs';

const { DateTime } = createRequire(import.meta.url)('luxon');

/** The period's bounds by an independent implementation (Luxon, ISO weeks from Monday). */
function bounds(period, zone) {
  const now = DateTime.now().setZone(zone);
  const start = now.startOf(period);
  const end = start.plus({ [`${period}s`]: 1 }).minus({ seconds: 1 });
  const utc = (t) => t.toUTC().toISO({ suppressMilliseconds: true }).replace('.000', '');
  const local = (t) => t.toFormat('yyyy-MM-dd HH:mm:ss');
  return { utcStart: utc(start), utcEnd: utc(end), localStart: local(start), localEnd: local(end) };
}

async function expectBounds(page, period, zone) {
  const b = bounds(period, zone);
  await expect(page.locator('[data-bound="utc-start"]')).toHaveText(b.utcStart);
  await expect(page.locator('[data-bound="utc-end"]')).toHaveText(b.utcEnd);
  await expect(page.locator('[data-bound="local-start"]')).toHaveText(b.localStart);
  await expect(page.locator('[data-bound="local-end"]')).toHaveText(b.localEnd);
}

async function expectRows(page, period, zone) {
  const { body } = await api(`/v1/usage/by-agent?period=${period}&tz=${encodeURIComponent(zone)}`);
  const rows = page.locator('table.usage tbody tr');
  await expect(rows).toHaveCount(body.data.length);
  for (const r of body.data) {
    const row = rows.filter({ has: page.getByRole('rowheader', { name: r.isOrphan ? `${r.agentName} (no agent)` : r.agentName, exact: true }) });
    await expect(row.locator('td').nth(0)).toHaveText(String(r.messages));
    await expect(row.locator('td').nth(1)).toHaveText(String(r.calls));
  }
  return body;
}

test('period and zone switch the bounds and the rows, and stay in the URL', async ({ page }) => {
  await connect(page, '/usage');
  // default: this month in the browser's zone (UTC here)
  await expect(page.getByLabel('Time zone')).toHaveValue('UTC');
  await expectBounds(page, 'month', 'UTC');
  await expectRows(page, 'month', 'UTC');

  await page.getByLabel('Period').selectOption('week');
  await page.getByLabel('Time zone').fill('Asia/Kathmandu');
  await page.getByLabel('Time zone').press('Enter');
  await expect(page).toHaveURL(/period=week/);
  await expect(page).toHaveURL(/tz=Asia%2FKathmandu/);
  await expectBounds(page, 'week', 'Asia/Kathmandu');
  await expectRows(page, 'week', 'Asia/Kathmandu');

  await page.getByLabel('Period').selectOption('year');
  await page.getByLabel('Time zone').fill('America/New_York');
  await page.getByLabel('Time zone').press('Enter');
  await expectBounds(page, 'year', 'America/New_York');
  const body = await expectRows(page, 'year', 'America/New_York');
  // the Unassigned row is marked, and totals add up
  await expect(page.locator('tr.orphan')).toHaveCount(body.data.filter((r) => r.isOrphan).length);
  const total = body.data.reduce((n, r) => n + r.calls, 0);
  await expect(page.locator('table.usage tfoot td').nth(1)).toHaveText(String(total));
  await expect(page.locator('figure.bars li')).toHaveCount(body.data.length);
  // a year month by month (a year has more days than daily usage serves)
  await expect(page.getByRole('heading', { name: 'Month by month' })).toBeVisible();
  const { body: monthly } = await api(`/v1/usage/monthly?months=${DateTime.now().setZone('America/New_York').month}&tz=America%2FNew_York`);
  await expect(page.locator('figure.timechart svg rect.s1')).toHaveCount(monthly.data.length);

  await page.reload();
  await expectBounds(page, 'year', 'America/New_York');
  await shoot(page, 'usage');
  await accessible(page, 'usage');
});

test('an unknown zone is named; sorting and CSV export', async ({ page }) => {
  await connect(page, '/usage?period=month&tz=Mars%2FOlympus');
  await expect(page.locator('#tz-note')).toContainText('Mars/Olympus');
  // the user's input is wrong, not the server's answer
  await expect(page.getByText('Nothing was asked yet').first()).toBeVisible();
  await expect(page.getByText('not understood')).toHaveCount(0);

  await page.goto(`${process.env.DIALBACK_URL}/usage?period=month&tz=UTC`);
  const { body } = await api('/v1/usage/by-agent?period=month&tz=UTC');
  await page.getByRole('button', { name: 'Messages' }).click();
  const byMessages = [...body.data].sort((a, b) => b.messages - a.messages);
  await expect(page.locator('table.usage tbody tr').first().locator('td').first())
    .toHaveText(String(byMessages[0].messages));
  await expect(page.getByRole('columnheader', { name: 'Messages' })).toHaveAttribute('aria-sort', 'descending');

  const csv = await downloaded(page, () => page.getByRole('link', { name: 'Export CSV' }).click());
  expect(csv.name).toBe('usage-month-UTC.csv');
  const rows = parseCsv(csv.text);
  expect(rows[0]).toEqual(['agent_id', 'agent_name', 'messages', 'calls', 'total_seconds']);
  expect(rows.slice(1)).toEqual(body.data.map((r) => [r.agentId ?? '', r.agentName, String(r.messages), String(r.calls), String(r.totalSeconds)]));
});

test('the bounds follow the time zone rules the server answers by, and name them', async ({ page }) => {
  // America/Vancouver stays on UTC-7 from November 2026 under tzdata 2026f; under 2025b it
  // went back to UTC-8, so December began an hour later
  await page.clock.setFixedTime(new Date('2026-12-05T12:00:00Z'));
  const here = await (await fetch(`${process.env.DIALBACK_URL}/healthz`)).json();
  await connect(page, '/usage?period=month&tz=America%2FVancouver');
  await expect(page.locator('[data-tzdata]')).toHaveText(`Time zone rules: IANA tzdata ${here.tzdata}`);
  await expect(page.locator('[data-bound="utc-start"]')).toHaveText('2026-12-01T07:00:00Z');
  await expect(page.locator('[data-bound="local-start"]')).toHaveText('2026-12-01 00:00:00');

  // a server started with --tzdata on 2025b's files: its console fetches that table
  const older = await (await fetch(`${process.env.DIALBACK_OLDER_URL}/healthz`)).json();
  expect(older.tzdata).toBe('2025b');
  await page.goto(`${process.env.DIALBACK_OLDER_URL}/#token=${process.env.DIALBACK_OLDER_TOKEN}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto(`${process.env.DIALBACK_OLDER_URL}/usage?period=month&tz=America%2FVancouver`);
  await expect(page.locator('[data-tzdata]')).toHaveText('Time zone rules: IANA tzdata 2025b');
  await expect(page.locator('[data-bound="utc-start"]')).toHaveText('2026-12-01T08:00:00Z');
  await expect(page.locator('[data-bound="local-start"]')).toHaveText('2026-12-01 00:00:00');
});
