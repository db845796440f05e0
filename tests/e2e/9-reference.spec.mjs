import { test, expect } from '@playwright/test';
import { accessible, base, connect, shoot } from './helpers.mjs';

test('the API reference lays out the served OpenAPI document, filterable', async ({ page }) => {
  const doc = await (await fetch(`${base()}/openapi.json`)).json();
  const count = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  await connect(page, '/');
  await page.getByRole('link', { name: 'API', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible();
  await expect(page.getByText(`${count} operations`)).toBeVisible();
  await expect(page.locator('ul.operations > li')).toHaveCount(count);

  await page.getByLabel('Filter operations').fill('usage/daily');
  await expect(page).toHaveURL(/q=usage%2Fdaily/);
  const daily = page.locator('ul.operations > li');
  await expect(daily).toHaveCount(1);
  await daily.getByText('/v1/usage/daily').click();
  await expect(daily.getByRole('rowheader', { name: 'days (query)' })).toBeVisible();
  await expect(daily.getByRole('row', { name: /days \(query\)/ })).toContainText('integer, from 1, to 365');
  await expect(daily).toContainText('422');
  await shoot(page, 'reference');
  await accessible(page, 'reference');

  await page.getByLabel('Filter operations').fill('no such thing');
  await expect(page.getByText('No operation matches this filter.')).toBeVisible();
});
