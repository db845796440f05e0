import { test, expect } from '@playwright/test';
import { accessible, base, shoot } from './helpers.mjs';

const synced = () => process.env.DIALBACK_SYNCED_TOKEN;

async function sources() {
  const r = await fetch(`${base()}/api/v1/sources`, { headers: { Authorization: `Bearer ${synced()}` } });
  return (await r.json()).data;
}

test('a source: listed, synced now, its agents show where they came from', async ({ page }) => {
  await page.goto(`${base()}/#token=${synced()}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto(`${base()}/sources`);
  await expect(page.getByRole('heading', { name: 'Sources', level: 1 })).toBeVisible();
  const [source] = await sources();
  const row = page.locator(`tr[data-source="${source.id}"]`);
  await expect(row.locator('th')).toHaveText(`talkover${source.base_url}`);
  await expect(row).toContainText('never');

  await row.getByRole('button', { name: /^Sync now/ }).click();
  await expect(page.getByText(`Syncing ${source.base_url} now.`)).toBeVisible();
  // the list reads itself again until the run is over
  await expect(row.locator('td[data-label="Last sync"]')).toHaveText(/^\d{4}-\d\d-\d\dT/, { timeout: 30_000 });
  const [after] = await sources();
  expect(after.last_error).toBeNull();
  expect(after.calls).toBeGreaterThan(0);
  await expect(row.locator('td[data-label="Calls"]')).toHaveText(String(after.calls));
  await expect(row.locator('td[data-label="Agents"]')).toHaveText(String(after.agents));
  await accessible(page, 'sources');
  await shoot(page, 'sources');

  // every agent of this environment came from the source, and says so
  await page.getByRole('link', { name: 'Agents' }).click();
  const origins = page.locator('table.agents [data-origin="talkover"]');
  await expect(origins).toHaveCount(after.agents);
  await expect(origins.first()).toContainText('from talkover · ');
});
