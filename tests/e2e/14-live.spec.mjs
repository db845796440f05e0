import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessible, api, base, shoot, token } from './helpers.mjs';

// The console's live link: calls appear in the Live panel and move the Overview with no
// reload; a server restart shows "reconnecting" and resumes after the last event id; a hidden
// tab pauses the stream.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.DIALBACK_BIN ?? path.join(root, 'target/release/dialback');
const badge = (page) => page.locator('header .link-state');
const card = (page, key) => page.locator(`[data-card="${key}"] .big`);
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** A callback agent of the demo, its number, and one of its sources. */
async function callbackPair(call) {
  const agents = (await call('/api/v1/agents?per_page=100')).body.data;
  const handler = agents.find((a) => a.callback_config && a.phone_numbers.length);
  return { line: handler.phone_numbers[0].number, source: handler.callback_config.source_agent_ids[0], handler };
}

/** An outbound call from the source to a new contact, then the contact calling back now. */
async function callback(call, { line, source }, contact) {
  const at = (s) => new Date(Date.now() - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const out = await call('/api/v1/calls', { method: 'POST', body: { direction: 'outbound', agent_id: source, to: contact, started_at: at(600), status: 'no-answer' } });
  expect(out.status).toBe(201);
  const back = await call('/api/v1/calls', { method: 'POST', body: { direction: 'inbound', from: contact, to: line, started_at: at(5), status: 'completed', duration_seconds: 42 } });
  expect(back.status).toBe(201);
  return back.body.data;
}

test('a recorded call appears in the Live panel and moves the Overview to the API\'s answer, with no reload', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${base()}/#token=${token()}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(badge(page)).toHaveAttribute('data-link', 'live');
  await expect(card(page, 'received')).toHaveText(/\d+/);
  let reloaded = false;
  page.on('framenavigated', () => { reloaded = true; });

  const pair = await callbackPair(api);
  const contact = `+1415555${String(Date.now()).slice(-4)}`;
  const recorded = await callback(api, pair, contact);
  expect(recorded.routing.outcome).toBe('matched');
  const started = Date.now();
  const panel = page.locator('section.live');
  const row = panel.locator('tbody tr').first();
  await expect(row).toHaveAttribute('data-code', 'MATCHED', { timeout: 1000 });
  await expect(row.locator('td[data-label="Callback agent"]')).toHaveText(pair.handler.name);
  await expect(row.locator('td[data-label="Reason"]')).toContainText(recorded.routing.explanation);
  // the Overview's figures are now exactly the API's answer for its 30 days (UTC here)
  const stats = (await api(`/api/v1/callback-agents/stats?start_date=${daysAgo(29)}&end_date=${today()}&tz=UTC`)).body.data;
  await expect(card(page, 'received')).toHaveText(String(stats.total_callbacks_received), { timeout: 1000 });
  await expect(card(page, 'answered')).toHaveText(String(stats.callbacks_answered), { timeout: 1000 });
  expect(Date.now() - started).toBeLessThan(2000);
  expect(reloaded).toBe(false);

  // a keyboard reader of the daily chart keeps the focus and the day being read while the
  // numbers move under it (a refresh redraws in place; it once rebuilt the section)
  const todays = async () => (await api(`/api/v1/callback-agents/stats?start_date=${today()}&end_date=${today()}&tz=UTC`))
    .body.data.total_callbacks_received;
  const before = await todays();
  const chart = page.locator('figure.timechart').first();
  await chart.locator('.frame').focus();
  await expect(chart.locator('.tip')).toContainText(`${today()}: ${before} received`);
  await page.keyboard.press('ArrowLeft');
  await expect(chart.locator('.tip')).toContainText(`${daysAgo(1)}: `);

  // only the unmatched: a call from a number no source called
  const stranger = await api('/api/v1/calls', { method: 'POST', body: { direction: 'inbound', from: '+19995550123', to: pair.line, started_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), status: 'completed', duration_seconds: 5 } });
  expect(stranger.body.data.routing.outcome).toBe('unmatched');
  await expect(card(page, 'received')).toHaveText(String(stats.total_callbacks_received + 1));
  await expect(chart.locator('.frame')).toBeFocused();
  await expect(chart.locator('.tip')).toContainText(`${daysAgo(1)}: `);
  await page.keyboard.press('ArrowRight');
  await expect(chart.locator('.tip')).toContainText(`${today()}: ${before + 1} received`);
  await expect(panel.locator('tbody tr').first()).not.toHaveAttribute('data-code', 'MATCHED');
  await panel.getByLabel('Only unmatched').check();
  await expect(panel.locator('tbody tr[data-code="MATCHED"]')).toHaveCount(0);
  await expect(panel.locator('tbody tr').first()).toBeVisible();
  await accessible(page, 'live');
  await shoot(page, 'live');
});

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `serve --demo` the first time; then plain `serve` on the same file, as an operator
 * restarts it (a second `--demo` would replace the demo's token). */
async function serve(db, port, demo) {
  const server = spawn(bin, ['serve', ...(demo ? ['--demo'] : []), '--db', db, '--listen', `127.0.0.1:${port}`, '--static', path.join(root, 'web/dist')],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let printed = '';
  const token = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start:\n${printed}`)), 60_000);
    server.stdout.on('data', (chunk) => {
      printed += chunk;
      const m = demo ? printed.match(/#token=(talq_[A-Za-z0-9_-]+)/) : printed.match(/listening on/);
      if (m) { clearTimeout(timer); resolve(demo ? m[1] : null); }
    });
  });
  server.stdout.resume();
  const exited = new Promise((resolve) => server.on('exit', resolve));
  return { token, stop: async () => { server.kill('SIGTERM'); await exited; } };
}

test('a server restart shows reconnecting, then resumes after the last event; a hidden tab pauses', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'dialback-live-'));
  const db = path.join(dir, 'live.db');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let server = await serve(db, port, true);
  const tok = server.token;
  const call = async (p, { method = 'GET', body } = {}) => {
    const r = await fetch(url + p, { method, headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  };
  const streams = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/events')) streams.push(r.headers()['last-event-id'] ?? null); });
  try {
    await page.goto(`${url}/#token=${tok}`);
    await expect(badge(page)).toHaveAttribute('data-link', 'live');
    const pair = await callbackPair(call);
    await callback(call, pair, '+14155550777');
    const rows = page.locator('section.live tbody tr');
    await expect(rows).toHaveCount(1);

    await server.stop();
    await expect(badge(page)).toHaveAttribute('data-link', 'reconnecting');
    await expect(badge(page)).toHaveText('Reconnecting…');
    server = await serve(db, port, false);
    // recorded as the server comes back, before (or while) the console reconnects
    await callback(call, pair, '+14155550778');
    await expect(badge(page)).toHaveAttribute('data-link', 'live', { timeout: 20_000 });
    await expect(rows).toHaveCount(2);
    await expect(rows.first().locator('td[data-label="Caller"]')).toContainText('555');
    // the reconnection asked for what came after the last event it had read
    expect(streams.length).toBeGreaterThanOrEqual(2);
    expect(streams[streams.length - 1]).toMatch(/^\d+$/);

    // hidden: the stream closes; shown again: it resumes, with what happened meanwhile
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect(badge(page)).toHaveAttribute('data-link', 'paused');
    await callback(call, pair, '+14155550779');
    await page.waitForTimeout(500);
    await expect(rows).toHaveCount(2);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect(badge(page)).toHaveAttribute('data-link', 'live');
    await expect(rows).toHaveCount(3);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
