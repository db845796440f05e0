import { test, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { accessible, api, base, connect, shoot } from './helpers.mjs';

/** A receiver the test runs on 127.0.0.1 (the demo server allows private receivers). */
async function receiver() {
  const got = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, got, close: () => server.close() };
}

const signed = (d, secret) => d.headers['x-webhook-signature']
  === 'sha256=' + createHmac('sha256', secret).update(`${d.headers['x-webhook-timestamp']}.${d.body}`).digest('hex');

test('the project webhook: set, its secret shown once, tested, logged, deleted', async ({ page }) => {
  const r = await receiver();
  await connect(page, '/webhooks');
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  // the core's URL rule answers before anything is sent
  await page.getByLabel('Receiver URL').first().fill('ftp://example.com/x');
  await expect(page.locator('#project-url-input-note')).toContainText('http://');
  await page.getByLabel('Receiver URL').first().fill(r.url);
  await page.getByRole('button', { name: 'Save (makes a new secret)' }).click();
  const secret = page.locator('[data-secret]');
  await expect(secret).toHaveText(/^whsec_[0-9a-f]{64}$/);
  const stored = (await api('/v1/webhooks')).body;
  await expect(secret).toHaveText(stored.secret);
  await expect(page.getByRole('button', { name: 'Copy secret' })).toBeVisible();
  await expect(page.locator('[data-field="project-url"]')).toHaveText(r.url);

  await page.getByRole('button', { name: 'Send a test' }).click();
  await expect(page.getByText('Test delivered: the receiver answered 200.')).toBeVisible();
  await expect.poll(() => r.got.length).toBe(1);
  expect(signed(r.got[0], stored.secret)).toBe(true);
  expect(JSON.parse(r.got[0].body).test).toBe(true);
  // the log lists it
  const row = page.locator('table.deliveries tbody tr').filter({ hasText: '(test)' }).first();
  await expect(row).toContainText('delivered');
  await expect(row).toContainText('200');

  await shoot(page, 'webhooks');
  await accessible(page, 'webhooks');

  await page.getByRole('button', { name: 'Delete' }).first().click();
  await expect(page.getByText('None set:')).toBeVisible();
  expect((await api('/v1/webhooks')).body).toBeNull();
  r.close();
});

test("an agent's webhook: created, disabled, tested and deleted", async ({ page }) => {
  const r = await receiver();
  const support = (await api('/api/v1/agents?per_page=100')).body.data.find((a) => a.name === 'Support Line');
  await connect(page, `/webhooks?agent=${support.id}`);
  await expect(page.getByLabel('Agent', { exact: true })).toHaveValue(support.id);
  await page.getByLabel('Name', { exact: true }).fill('CRM');
  await page.locator('#wh-url').fill(r.url);
  await page.getByLabel('Signing secret (optional; never shown again)').fill('crm-secret');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expect(page.getByText('Webhook created successfully: CRM (active).')).toBeVisible();
  const row = page.locator('table.webhooks tbody tr').filter({ hasText: 'CRM' });
  await expect(row).toContainText('event_phone_call_ended');

  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('disabled');
  await row.getByRole('button', { name: 'Test' }).click();
  await expect(page.getByText('Test webhook sent successfully')).toBeVisible();
  await expect.poll(() => r.got.length).toBe(1);
  expect(signed(r.got[0], 'crm-secret')).toBe(true);
  expect(JSON.parse(r.got[0].body).event).toBe('webhook.test');

  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row).toContainText('active');
  // its deliveries, the test among them
  await row.getByRole('button', { name: 'Deliveries' }).click();
  await expect(page.getByRole('heading', { name: 'Deliveries to CRM' })).toBeVisible();
  await expect(page.locator('table.deliveries tbody tr').filter({ hasText: 'webhook.test (test)' })).toContainText('delivered');
  await shoot(page, 'webhooks-agent');
  await accessible(page, 'webhooks-agent');
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(page.locator('table.webhooks tbody tr').filter({ hasText: 'CRM' })).toHaveCount(0);
  const left = (await api(`/api/v1/agents/${support.id}/webhooks`)).body.data.webhooks;
  expect(left).toEqual([]);
  r.close();
});

test('a read-only token sees the webhooks and may change none', async ({ page }) => {
  await page.goto(`${base()}/#token=${process.env.DIALBACK_READONLY_TOKEN}`);
  await expect(page.getByText('read-only token')).toBeVisible();
  await page.goto(`${base()}/webhooks`);
  await expect(page.getByRole('note').first()).toContainText('This token is read-only');
  await expect(page.getByRole('button', { name: 'Save (makes a new secret)' })).toBeDisabled();
});
