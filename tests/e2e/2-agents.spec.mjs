import { test, expect } from '@playwright/test';
import { accessible, agents, connect, shoot } from './helpers.mjs';

test('the list shows every agent with direction, numbers and callback role', async ({ page }) => {
  await connect(page, '/agents');
  const all = await agents();
  const rows = page.locator('table.agents tbody tr');
  await expect(rows).toHaveCount(all.length);
  for (const a of all) {
    const row = rows.filter({ has: page.getByRole('rowheader', { name: a.name, exact: true }) });
    await expect(row).toContainText(a.direction);
    await expect(row).toContainText(a.current_status);
    await expect(row).toContainText(a.label ?? a.name);
    for (const n of a.phone_numbers) await expect(row).toContainText(n.number);
  }
  const handler = all.find((a) => a.callback_config);
  const source = all.find((a) => a.id === handler.callback_config.source_agent_ids[0]);
  const row = (name) => rows.filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  await expect(row(handler.name)).toContainText(`Takes callbacks for ${source.name}`);
  await expect(row(source.name)).toContainText(`Callbacks go to ${handler.name}`);

  // the filters live in the URL; typing keeps the focus in the box
  const search = page.getByLabel('Search agents');
  await search.pressSequentially('outb');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('outb');
  await expect(page).toHaveURL(/q=outb/);
  await expect(rows).toHaveCount(all.filter((a) => a.name.toLowerCase().includes('outb')).length);
  await search.fill('');
  await page.getByLabel('Show').selectOption('inbound');
  await expect(page).toHaveURL(/direction=inbound/);
  await expect(rows).toHaveCount(all.filter((a) => a.direction === 'inbound').length);
  await page.reload();
  await expect(rows).toHaveCount(all.filter((a) => a.direction === 'inbound').length);
  await shoot(page, 'agents');
  await accessible(page, 'agents');
});

test('create, rename and renumber an agent; the server\'s refusals land on the field', async ({ page }) => {
  await connect(page, '/agents');
  await expect(page.locator('table.agents')).toBeVisible();
  const form = page.locator('form[aria-labelledby="new-agent"]');
  await form.getByLabel('Name', { exact: true }).fill('Winback Outbound');
  await form.getByLabel(/Phone numbers/).fill('415 555 0140');
  await form.getByRole('button', { name: 'Create agent' }).click();
  // the core's parser, in the browser: nothing was sent
  await expect(form.locator('#new-numbers-errors')).toContainText('INVALID_PHONE_NUMBER');
  expect((await agents()).some((a) => a.name === 'Winback Outbound')).toBe(false);

  await form.getByLabel(/Phone numbers/).fill('+1 415 555 0140');
  await expect(form.locator('#new-numbers-errors')).toBeEmpty();
  await form.getByRole('button', { name: 'Create agent' }).click();
  await expect(form.getByText('Created Winback Outbound.')).toBeVisible();
  const row = page.locator('table.agents tbody tr').filter({ hasText: 'Winback Outbound' });
  await expect(row).toContainText('+14155550140');
  const created = (await agents()).find((a) => a.name === 'Winback Outbound');
  expect(created).toMatchObject({ direction: 'outbound', current_status: 'draft' });
  expect(created.phone_numbers.map((n) => n.number)).toEqual(['+14155550140']);

  // a number another agent owns: only the server knows; its answer lands under the numbers
  await page.getByRole('button', { name: 'Edit Winback Outbound' }).click();
  const edit = page.locator('form[aria-labelledby="edit-agent"]');
  await edit.getByLabel('Name', { exact: true }).fill('Winback Campaign');
  await edit.getByLabel(/Phone numbers/).fill('+14155550140\n+14155550100');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.locator('#edit-numbers-errors')).toContainText('NUMBER_ALREADY_ASSIGNED');
  await shoot(page, 'agents-refused');

  await edit.getByLabel(/Phone numbers/).fill('+14155550140\n+14155550141');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('table.agents tbody tr').filter({ hasText: 'Winback Campaign' }))
    .toContainText('+14155550141');
  const renamed = (await agents()).find((a) => a.id === created.id);
  expect(renamed.name).toBe('Winback Campaign');
  expect(renamed.phone_numbers.map((n) => n.number)).toEqual(['+14155550140', '+14155550141']);

  // publishing is recorded and shown
  await page.getByRole('button', { name: 'Edit Winback Campaign' }).click();
  await edit.getByLabel(/Published/).check();
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('table.agents tbody tr').filter({ hasText: 'Winback Campaign' })).toContainText('published');
  expect((await agents()).find((a) => a.id === created.id).current_status).toBe('published');
});
