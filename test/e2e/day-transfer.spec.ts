/**
 * Issue 17, transfer: the reception transfers Amine (A-007, waiting for "any doctor") to Dr Julien Martin
 * (room 2). Without reloads, his tracker says room 2 with his place in Dr Martin's line, and the waiting-room
 * board shows A-007 under room 2. Transferred back to "any doctor" at the end, so the seeded morning is left
 * as it was (his order key never changed: he is second again).
 */
import { expect, test, type Page } from '@playwright/test';
import { LIVE, LOGINS, newContext, row, signIn } from './helpers';

const AMINE = 'A-007';

async function transfer(page: Page, to: string, reason: string) {
  await row(page, AMINE)
    .getByRole('button', { name: `More actions for ${AMINE}` })
    .click();
  await page.getByRole('menuitem', { name: 'Transfer' }).click();
  const dialog = page.getByRole('dialog', { name: `Transfer ${AMINE}` });
  await dialog.getByLabel('Transfer to').selectOption({ label: to });
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await expect(page.getByTestId('toast-ok').last()).toContainText(`${AMINE} transferred`);
}

test('a transfer is seen on the board and the tracker without reloads', async ({ browser }) => {
  const staff = await newContext(browser);
  const desk = await staff.newPage();
  await signIn(desk, LOGINS.reception);
  await expect(row(desk, AMINE)).toBeVisible();

  const phoneCtx = await newContext(browser, { mobile: true });
  const phone = await phoneCtx.newPage();
  await phone.goto('/t/demo-visit-amine');
  await expect(phone.getByTestId('tracker-ticket')).toHaveText(AMINE);
  await expect(phone.getByTestId('tracker-position')).toHaveText('2');
  await expect(phone.getByTestId('tracker-room')).toHaveCount(0);

  const tvCtx = await newContext(browser);
  const tv = await tvCtx.newPage();
  await tv.goto('/board/cabinet-anfa');
  await expect(tv.getByTestId('next-tickets')).toContainText(AMINE);
  await expect(tv.getByTestId(`next-room-${AMINE}`)).toHaveCount(0);

  // a reason is required: the dialog does not submit without one
  await row(desk, AMINE)
    .getByRole('button', { name: `More actions for ${AMINE}` })
    .click();
  await desk.getByRole('menuitem', { name: 'Transfer' }).click();
  const dialog = desk.getByRole('dialog', { name: `Transfer ${AMINE}` });
  await dialog.getByLabel('Transfer to').selectOption({ label: 'Dr Julien Martin · room 2' });
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(row(desk, AMINE)).not.toContainText('Dr Julien Martin');

  await transfer(desk, 'Dr Julien Martin · room 2', 'Asked for Dr Martin');
  await expect(row(desk, AMINE)).toContainText('Dr Julien Martin');
  await expect(phone.getByTestId('tracker-room')).toHaveText('You will be seen in room 2', LIVE);
  await expect(phone.getByTestId('tracker-position')).toHaveText('1', LIVE);
  await expect(tv.getByTestId(`next-room-${AMINE}`)).toHaveText('Room 2', LIVE);

  await transfer(desk, 'Any doctor', 'Back to the first free doctor');
  await expect(phone.getByTestId('tracker-room')).toHaveCount(0, LIVE);
  await expect(phone.getByTestId('tracker-position')).toHaveText('2', LIVE);
  await expect(tv.getByTestId(`next-room-${AMINE}`)).toHaveCount(0, LIVE);

  await Promise.all([staff.close(), phoneCtx.close(), tvCtx.close()]);
});
