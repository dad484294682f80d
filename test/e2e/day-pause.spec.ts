/**
 * Issue 17, pause and reopen. Amine is first transferred to Dr Julien Martin (room 2). The reception,
 * at Dr Martin's desk, pauses his calls: the board says room 2 is on a short break, Amine's tracker says his
 * doctor is on a break and he keeps his place, and Call next is refused with a message that says what to do.
 * Calls resume. Then the day is closed to new patients: the board and the tracker say so, a walk-in is
 * refused; reopened, the notices go away. Everything is undone at the end (named day-… to run before the
 * morning journey, which ends the day).
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

test('pause and reopen: the board and the tracker say so, the desk is refused while paused', async ({
  browser,
}) => {
  const staff = await newContext(browser);
  const desk = await staff.newPage();
  await signIn(desk, LOGINS.reception);
  await expect(row(desk, AMINE)).toBeVisible();
  await desk.getByLabel('Calling for').selectOption({ label: 'Dr Julien Martin — Room 2' });
  await transfer(desk, 'Dr Julien Martin · room 2', 'Asked for Dr Martin');

  const phoneCtx = await newContext(browser, { mobile: true });
  const phone = await phoneCtx.newPage();
  await phone.goto('/t/demo-visit-amine');
  await expect(phone.getByTestId('tracker-room')).toHaveText('You will be seen in room 2');
  await expect(phone.getByTestId('tracker-paused')).toHaveCount(0);
  const tvCtx = await newContext(browser);
  const tv = await tvCtx.newPage();
  await tv.goto('/board/cabinet-anfa');
  await expect(tv.getByTestId('next-tickets')).toContainText(AMINE);
  await expect(tv.getByTestId('board-pause')).toHaveCount(0);

  // pause: asks first, then the state is on every screen
  await desk.getByRole('button', { name: 'Pause calls — Dr Julien Martin' }).click();
  const pauseDialog = desk.getByRole('dialog', { name: 'Pause calls for Dr Julien Martin?' });
  await pauseDialog.getByLabel('Reason (optional)').fill('Lunch');
  await pauseDialog.getByRole('button', { name: 'Pause calls' }).click();
  await expect(desk.getByTestId('paused-desks')).toHaveText('Calls paused: Dr Julien Martin');
  await expect(tv.getByTestId('board-paused')).toHaveText('Room 2: short break — you keep your place', LIVE);
  await expect(phone.getByTestId('tracker-paused')).toHaveText(
    'Your doctor is on a short break. You keep your place.',
    LIVE,
  );
  await desk.getByRole('button', { name: /^Call next/ }).click();
  await expect(desk.getByTestId('toast-error').last()).toContainText(
    'Calling is paused for this doctor. Resume calling first.',
  );
  await expect(row(desk, AMINE)).toContainText('Waiting');

  await desk.getByRole('button', { name: 'Resume calls — Dr Julien Martin' }).click();
  await expect(desk.getByTestId('paused-desks')).toHaveCount(0);
  await expect(tv.getByTestId('board-paused')).toHaveCount(0, LIVE);
  await expect(phone.getByTestId('tracker-paused')).toHaveCount(0, LIVE);

  // closed to new patients
  await desk.getByRole('button', { name: 'Close to new patients' }).click();
  await desk
    .getByRole('dialog', { name: 'Close to new patients for today?' })
    .getByRole('button', { name: 'Close', exact: true })
    .click();
  await expect(desk.getByTestId('intake-closed')).toContainText('Closed to new patients since');
  await expect(tv.getByTestId('board-intake-closed')).toHaveText('No new patients today', LIVE);
  await expect(phone.getByTestId('tracker-intake-closed')).toHaveText(
    'The clinic takes no new patients today.',
    LIVE,
  );
  await desk.getByRole('button', { name: /^Add walk-in/ }).click();
  const walkIn = desk.getByRole('dialog', { name: 'Add a walk-in' });
  await walkIn.getByLabel('Patient name').fill('Too Late');
  await walkIn.getByRole('button', { name: 'Add to queue' }).click();
  await expect(desk.getByTestId('toast-error').last()).toContainText(
    'The queue takes no new patients today. Reopen it to add one.',
  );
  await walkIn.getByRole('button', { name: 'Cancel' }).click();
  await expect(desk.getByText('Too Late')).toHaveCount(0);

  await desk.getByRole('button', { name: 'Reopen to new patients' }).click();
  await expect(desk.getByTestId('intake-closed')).toHaveCount(0);
  await expect(tv.getByTestId('board-intake-closed')).toHaveCount(0, LIVE);
  await expect(phone.getByTestId('tracker-intake-closed')).toHaveCount(0, LIVE);

  await transfer(desk, 'Any doctor', 'Back to the first free doctor');
  await expect(phone.getByTestId('tracker-room')).toHaveCount(0, LIVE);
  await Promise.all([staff.close(), phoneCtx.close(), tvCtx.close()]);
});
