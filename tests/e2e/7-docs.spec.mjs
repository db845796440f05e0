// The console against a server that speaks only the documented shapes: every request goes to
// two made-up hosts, and Playwright answers each with the documentation's own examples
// (tests/fixtures/docs and seeds), as a real Talkover and AgentPhone would. The console must
// show that data, flag what does not add up, and never break or silently drop anything.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessible, connect, shoot } from './helpers.mjs';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const read = (name) => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));
const TALKOVER = 'http://talkover.test';
const AGENTPHONE = 'http://agentphone.test';
const TOKEN = 'talq_your_environment_token_here';

/** What the documented server answers, by method and path. */
function answer(method, url) {
  const u = new URL(url);
  const p = u.pathname;
  if (method !== 'GET') return [404, { success: false, message: 'Not found' }];
  if (p === '/api/v1/agents') {
    // the example is page 1 of 3; the other pages hold no one else
    const page = read('docs/talkover_list_agents_response.json');
    if (u.searchParams.get('page') !== '1') page.data = [];
    return [200, page];
  }
  if (p === '/api/v1/callback-agents') return [200, read('docs/talkover_list_callback_agents_response.json')];
  if (p === '/api/v1/callback-agents/stats') return [200, read('seeds/talkover_callback_stats_response.json')];
  if (p.startsWith('/api/v1/callback-agents/')) return [200, read('docs/talkover_get_callback_agent_response.json')];
  if (p === '/api/v1/phone-numbers') return [200, read('docs/talkover_list_phone_numbers_response.json')];
  if (p === '/api/v1/calls') return [200, read('docs/talkover_list_calls_response.json')];
  if (p === '/v1/usage/by-agent') return [200, read('seeds/agentphone_usage_by_agent_response.json')];
  if (p === '/v1/usage/daily') return [200, read('docs/agentphone_usage_daily_guide.json')];
  if (p === '/v1/usage/monthly') return [200, read('docs/agentphone_usage_monthly_reference.json')];
  if (p === '/v1/usage') return [200, read('docs/agentphone_usage_guide.json')];
  return [404, { success: false, message: 'Not found' }];
}

async function documentedServers(page) {
  const asked = [];
  for (const host of [TALKOVER, AGENTPHONE]) {
    await page.route(`${host}/**`, async (route) => {
      const request = route.request();
      const cors = {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      };
      if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      asked.push(`${request.method()} ${new URL(request.url()).pathname}`);
      const [status, body] = answer(request.method(), request.url());
      return route.fulfill({ status, headers: cors, contentType: 'application/json', body: JSON.stringify(body) });
    });
  }
  await connect(page, '/connect');
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByLabel('Talkover API base URL').fill(TALKOVER);
  await page.getByLabel('AgentPhone API base URL').fill(AGENTPHONE);
  await page.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(page.getByText(`Talkover API (${TALKOVER}): connected`)).toBeVisible();
  await expect(page.getByText(`AgentPhone API (${AGENTPHONE}): connected`)).toBeVisible();
  return asked;
}

test('agents and callback roles from the documented examples are shown, none dropped', async ({ page }) => {
  await documentedServers(page);
  await page.getByRole('link', { name: 'Agents' }).click();
  const rows = page.locator('table.agents tbody tr');
  // the agent list's agent, and the callback agent only the callback list names
  await expect(rows).toHaveCount(2);
  const bot = rows.filter({ has: page.getByRole('rowheader', { name: /SupportBot/ }) });
  await expect(bot).toContainText('Customer Support Agent');
  await expect(bot).toContainText('+1234567890');
  await expect(bot).toContainText('published');
  const handler = rows.filter({ has: page.getByRole('rowheader', { name: /Callback Handler/ }) });
  await expect(handler).toContainText('Takes callbacks for unknown agent agent-uuid-2, unknown agent agent-uuid-3');
  // the docs' placeholder ids cannot run the rules here: said, not hidden
  await expect(page.getByRole('note')).toContainText('agent-uuid-1');
  await shoot(page, 'docs-agents');
  await accessible(page, 'docs-agents');

  await page.getByRole('link', { name: 'Callback routing' }).click();
  const select = page.getByLabel('Callback agent (inbound)');
  await expect(select.locator('option', { hasText: 'Callback Handler (takes callbacks)' })).toHaveCount(1);
  await expect(select.locator('option', { hasText: 'SupportBot' })).toHaveCount(1);
});

test('stats and usage from the documented examples are shown and checked', async ({ page }) => {
  await documentedServers(page);
  await page.goto(`${process.env.DIALBACK_URL}/stats?range=custom&start=2024-01-01&end=2024-01-31&tz=UTC`);
  for (const n of ['184', '142', '12']) await expect(page.locator('main')).toContainText(n);
  await expect(page.getByRole('row', { name: /Sales Outbound/ })).toContainText('110');
  // the documented example does not add up, and the console says so
  await expect(page.getByRole('alert')).toContainText('TOTALS_MISMATCH');
  await shoot(page, 'docs-stats');

  await page.goto(`${process.env.DIALBACK_URL}/usage?period=month&tz=America%2FNew_York`);
  for (const name of ['Support Agent Alpha', 'Sales Agent Beta']) {
    await expect(page.getByRole('rowheader', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('rowheader', { name: 'Unassigned (no agent)' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('PERIOD_BOUNDS_MISMATCH');
  // the daily example's two days are drawn
  await expect(page.locator('figure.timechart svg rect.s1')).toHaveCount(2);
  await shoot(page, 'docs-usage');
});
