import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';
import path from 'node:path';
import { accessible, api, base, shoot, shots, token } from './helpers.mjs';

const { DateTime } = createRequire(import.meta.url)('luxon');

// the browser runs in New York, so "the last 30 days in the browser's zone" is not UTC's
const ZONE = 'America/New_York';
test.use({ timezoneId: ZONE });

/** The last `days` local days in `zone`, and the as many days before, by Luxon. */
function ranges(days, zone) {
  const today = DateTime.now().setZone(zone).startOf('day');
  const start = today.minus({ days: days - 1 });
  const iso = (d) => d.toISODate();
  return {
    now: { start: iso(start), end: iso(today) },
    before: { start: iso(start.minus({ days })), end: iso(start.minus({ days: 1 })) },
  };
}

const stats = async ({ start, end }, extra = '') => (await api(
  `/api/v1/callback-agents/stats?start_date=${start}&end_date=${end}&tz=${encodeURIComponent(ZONE)}${extra}`)).body.data;

const card = (page, key) => page.locator(`[data-card="${key}"] .big`);

test('the demo link lands on the Overview, whose numbers are the API\'s for the same days and zone', async ({ page }) => {
  test.setTimeout(90_000); // screenshots and axe at two widths, light and dark
  await page.goto(`${base()}/#token=${token()}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByLabel('Time zone')).toHaveValue(ZONE);

  const { now, before } = ranges(30, ZONE);
  const [current, daily, previous] = await Promise.all([stats(now), stats(now, '&group_by=day'), stats(before)]);
  await expect(page.getByText(`From ${now.start} to ${now.end}, both included.`)).toBeVisible();
  await expect(card(page, 'received')).toHaveText(String(current.total_callbacks_received));
  await expect(card(page, 'answered')).toHaveText(String(current.callbacks_answered));
  await expect(card(page, 'unmatched')).toHaveText(String(current.callbacks_unmatched));
  const delta = current.total_callbacks_received - previous.total_callbacks_received;
  const sign = delta > 0 ? '+' : '';
  await expect(page.locator('[data-card="received"] .compare'))
    .toContainText(delta === 0 ? 'same as the previous 30 days' : `${sign}${delta}`);

  // the daily series: every day, adding up to the ungrouped totals
  expect(daily.days).toHaveLength(30);
  const sum = (k) => daily.days.reduce((n, d) => n + d[k], 0);
  expect([sum('total_callbacks_received'), sum('callbacks_answered'), sum('callbacks_unmatched')])
    .toEqual([current.total_callbacks_received, current.callbacks_answered, current.callbacks_unmatched]);
  const chart = page.locator('figure.timechart').first();
  await expect(chart.locator('rect.hit')).toHaveCount(30);
  await expect(chart.getByRole('listitem')).toHaveText(['Matched', 'Unmatched', 'Answered']);
  // the table behind the chart is the API's days
  await chart.getByText('The numbers behind the chart').click();
  await expect(chart.locator('tbody tr')).toHaveCount(30);
  const last = daily.days[29];
  await expect(chart.locator('tbody tr').last()).toContainText(last.date);
  // values on keyboard focus: the last day first, then the arrow keys
  await chart.locator('.frame').focus();
  await expect(chart.locator('.tip')).toContainText(`${last.date}: ${last.total_callbacks_received} received`);
  await page.keyboard.press('ArrowLeft');
  await expect(chart.locator('.tip')).toContainText(daily.days[28].date);
  // and on hover
  await chart.locator('rect.hit').nth(3).hover();
  await expect(chart.locator('.tip')).toContainText(daily.days[3].date);

  // usage this month, summed by the core from the API's rows
  const usage = (await api(`/v1/usage/by-agent?period=month&tz=${encodeURIComponent(ZONE)}`)).body;
  await expect(card(page, 'calls')).toHaveText(String(usage.data.reduce((n, r) => n + r.calls, 0)));
  await expect(card(page, 'messages')).toHaveText(String(usage.data.reduce((n, r) => n + r.messages, 0)));
  const top = usage.data.filter((r) => !r.isOrphan && r.totalSeconds + r.calls + r.messages > 0)
    .sort((a, b) => b.totalSeconds - a.totalSeconds || b.calls - a.calls)[0];
  await expect(page.locator('table.top-agents tbody tr').first().getByRole('rowheader')).toHaveText(top.agentName);

  // the callback agents, each with a link to edit it
  const roles = (await api('/api/v1/callback-agents')).body.data;
  await expect(page.locator('ul.roles li')).toHaveCount(roles.length);
  await page.getByRole('link', { name: `Edit ${roles[0].name}'s callback routing` }).click();
  await expect(page).toHaveURL(new RegExp(`/callbacks\\?agent=${roles[0].id}`));
  await page.goBack();

  // the period lives in the URL
  await page.getByLabel('Period').selectOption('7');
  await expect(page).toHaveURL(/days=7/);
  await expect(chart.locator('rect.hit')).toHaveCount(7);
  const week = await stats(ranges(7, ZONE).now);
  await expect(card(page, 'received')).toHaveText(String(week.total_callbacks_received));
  await page.reload();
  await expect(page.locator('figure.timechart').first().locator('rect.hit')).toHaveCount(7);

  await page.getByLabel('Period').selectOption('30');
  await expect(chart.locator('rect.hit')).toHaveCount(30);
  await shoot(page, 'overview');
  await accessible(page, 'overview');
  await page.setViewportSize({ width: 375, height: 900 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'overview-375-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('against a server without group_by=day, the Overview shows the totals and says so', async ({ page }) => {
  // a real Talkover answers the documented shape: no `days`
  await page.route('**/api/v1/callback-agents/stats?*', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    delete body.data.days;
    await route.fulfill({ response, json: body });
  });
  await page.goto(`${base()}/#token=${token()}`);
  const { now } = ranges(30, ZONE);
  const current = await stats(now);
  await expect(card(page, 'received')).toHaveText(String(current.total_callbacks_received));
  await expect(page.locator('[data-fallback="totals"]')).toContainText('totals only');
  await expect(page.locator('figure.timechart')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await shoot(page, 'overview-fallback');
});

test('a new environment gets an Overview that says what to do first', async ({ page }) => {
  await page.goto(`${base()}/#token=${process.env.DIALBACK_EMPTY_TOKEN}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const start = page.locator('.getting-started');
  await expect(start.getByRole('heading', { name: 'Get started' })).toBeVisible();
  await expect(start.getByRole('link', { name: 'Agents' })).toHaveAttribute('href', '/agents');
  await expect(start.getByRole('link', { name: 'Callback routing' })).toHaveAttribute('href', '/callbacks');
  await expect(card(page, 'received')).toHaveText('0');
  await expect(page.locator('[data-card="received"] .compare')).toContainText('same as the previous 30 days');
  await expect(page.getByText('No agent has activity this month yet.')).toBeVisible();
  await expect(page.getByText('No callback agent yet.')).toBeVisible();
  // an empty period still reads as a chart: an axis, 30 days, no bars
  await expect(page.locator('figure.timechart rect.hit')).toHaveCount(30);
  await expect(page.locator('figure.timechart .tick').first()).toHaveText('0');
  await shoot(page, 'overview-empty');
  await accessible(page, 'overview-empty');
});

test('an unconnected console still opens on Connect', async ({ page }) => {
  await page.goto(`${base()}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Connect' })).toBeVisible();
});
