/**
 * Clinic admin: the owner edits queue rules and split-day hours (seen at once on the public clinic page
 * in another browser), and a template with an unknown variable is refused with a translated message. The team
 * (issue 17): an invitation joins a doctor; a member with visits is offered Deactivate, not removed; Resend.
 */
import { expect, test, type Page } from '@playwright/test';
import { LOGINS, newContext, signIn } from './helpers';

test('owner edits rules, split-day hours and templates; the public page follows; bad templates are refused', async ({
  browser,
}) => {
  const ownerCtx = await newContext(browser);
  const publicCtx = await newContext(browser);
  const owner = await ownerCtx.newPage();
  const visitor = await publicCtx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');

  // queue rules: grace period 12 minutes, saved and read back after a reload
  await owner.getByRole('tab', { name: 'Queue rules' }).click();
  await owner.getByLabel('Grace period (minutes)').fill('12');
  // the rules form's Save (the tab also holds the remote-join form with its own Save)
  await owner.getByRole('form', { name: 'Queue rules' }).getByRole('button', { name: 'Save' }).click();
  await expect(owner.getByTestId('toast-ok')).toContainText('Saved');
  await owner.reload();
  await owner.getByRole('tab', { name: 'Queue rules' }).click();
  await expect(owner.getByLabel('Grace period (minutes)')).toHaveValue('12');

  // hours: Saturday gets an afternoon too (a split day)
  await dismissToasts(owner);
  await owner.getByRole('tab', { name: 'Hours' }).click();
  await owner.getByRole('button', { name: 'Add hours — Saturday' }).click();
  await expect(owner.getByTestId('hours-6').locator('input[type=time]')).toHaveCount(4);
  await owner.getByRole('button', { name: 'Save' }).click();
  await expect(owner.getByTestId('toast-ok')).toContainText('Saved');
  await visitor.goto('/c/cabinet-anfa');
  await expect(visitor.locator('dd').nth(5)).toHaveText('09:00–13:00 · 15:00–19:00');

  // templates: live preview and segments; an unknown variable is refused with the translated message
  await owner.getByRole('tab', { name: 'SMS templates' }).click();
  const body = owner.getByLabel('Text');
  // the tab also holds the reminders form with its own Save: this is the templates editor's
  const saveTemplate = owner
    .locator('section')
    .filter({ has: owner.getByRole('heading', { name: 'SMS templates', exact: true }) })
    .getByRole('button', { name: 'Save' });
  // the preview is the sender's own rendering: "room {room}" already names the room, so it reads
  // "room 2" (what the patient receives), and a bare "{room}" reads "Salle 2"
  await body.fill('{patient_name}, ticket {ticket}: room {room}. {doctor_mood}');
  await expect(owner.getByTestId('template-preview')).toContainText('Amine Tazi, ticket A-014: room 2.');
  await expect(owner.getByTestId('template-segments')).toContainText('1 SMS · GSM-7');
  await saveTemplate.click();
  await expect(owner.getByTestId('toast-error')).toContainText(
    'The message uses a variable that does not exist.',
  );
  await body.fill('{patient_name}, votre tour : {room}.');
  await expect(owner.getByTestId('template-preview')).toContainText('Amine Tazi, votre tour : Salle 2.');
  // the hours' "Saved" toast may still be up: close it, so the toast checked next is this save's own
  await dismissToasts(owner);
  await saveTemplate.click();
  await expect(owner.getByTestId('toast-ok')).toContainText('Saved');

  for (const c of [ownerCtx, publicCtx]) await c.close();
});

test('an invalid opening-hours entry is refused with a message naming the day; the hours are unchanged and the form keeps what was typed', async ({
  browser,
}) => {
  const ownerCtx = await newContext(browser);
  const publicCtx = await newContext(browser);
  const owner = await ownerCtx.newPage();
  const visitor = await publicCtx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');
  await owner.getByRole('tab', { name: 'Hours' }).click();
  const week = async () => {
    await visitor.goto('/c/cabinet-anfa');
    await expect(visitor.locator('dd').first()).not.toBeEmpty();
    return visitor.locator('dd').allInnerTexts();
  };
  const before = await week();
  expect(before[0]).toBe('09:00–13:00 · 15:00–19:00'); // Monday

  // Saturday ending 08:00: this used to erase the whole week (the booking page said "closed" every day)
  const saturdayTo = owner.getByTestId('hours-6').getByLabel('Saturday To').first();
  await saturdayTo.fill('08:00');
  await owner.getByRole('button', { name: 'Save' }).click();
  await expect(owner.getByTestId('hours-error')).toHaveText('Saturday: a range must end after it starts.');
  await expect(owner.getByTestId('toast-ok')).toHaveCount(0);
  await expect(saturdayTo).toHaveValue('08:00');
  expect(await week()).toEqual(before);

  // fixed in the form, it saves
  await saturdayTo.fill('12:00');
  await expect(owner.getByTestId('hours-error')).toHaveCount(0);
  await owner.getByRole('button', { name: 'Save' }).click();
  await expect(owner.getByTestId('toast-ok')).toContainText('Saved');
  expect((await week())[5]).toMatch(/^09:00–12:00/);
  for (const c of [ownerCtx, publicCtx]) await c.close();
});

test('a doctor joins through an invitation: owner invites, the doctor signs up, accepts and runs the queue', async ({
  browser,
}) => {
  const ownerCtx = await newContext(browser);
  const newcomerCtx = await newContext(browser, { lang: 'fr' });
  const owner = await ownerCtx.newPage();
  const newcomer = await newcomerCtx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');
  await owner.getByRole('tab', { name: 'Team' }).click();
  const email = `nouveau.${Date.now()}@example.test`;
  // the invite form is named by its heading: its "Room" is told apart from each member's "Room of …" field
  const inviteForm = owner.getByRole('form', { name: 'Invite a team member' });
  await inviteForm.getByLabel('Name', { exact: true }).fill('Dr Yasmine Nouveau');
  await inviteForm.getByLabel('Email').fill(email);
  await inviteForm.getByLabel('Room', { exact: true }).fill('4');
  await inviteForm.getByRole('button', { name: 'Create invitation' }).click();
  const link = (await owner.getByTestId('invite-link').innerText()).trim();
  expect(link).toMatch(/\/invite\/\w+/);

  await newcomer.goto(new URL(link).pathname);
  await newcomer.getByRole('link', { name: 'Se connecter' }).click();
  await newcomer.getByRole('button', { name: 'Créer un compte' }).click();
  await newcomer.getByLabel('Nom complet').fill('Yasmine Nouveau');
  await newcomer.getByLabel('E-mail').fill(email);
  await newcomer.getByLabel('Mot de passe').fill('a-strong-password-1');
  await newcomer.locator('form button[type=submit]').click();
  await newcomer.getByRole('button', { name: 'Accepter l’invitation' }).click();
  await expect(newcomer.getByRole('heading', { name: 'File du jour' })).toBeVisible();
  // the name is isolated (FSI…PDI) so a right-to-left or mixed name never reorders the line
  await expect(newcomer.getByText(/^Connecté : \u2068?Dr Yasmine Nouveau\u2069?$/)).toBeVisible();

  await owner.reload();
  await owner.getByRole('tab', { name: 'Team' }).click();
  await expect(owner.getByText('Dr Yasmine Nouveau')).toBeVisible();
  // the room given in the invitation is the new member's room
  await expect(owner.getByLabel('Room of Dr Yasmine Nouveau')).toHaveValue('4');
  for (const c of [ownerCtx, newcomerCtx]) await c.close();
});

test('the team: a doctor with visits is not removed but offered Deactivate; an invitation is resent under a new link', async ({
  browser,
}) => {
  const ownerCtx = await newContext(browser);
  const owner = await ownerCtx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');
  await owner.getByRole('tab', { name: 'Team' }).click();

  // Dr Salma Benali has seen patients today (seed): remove_member refuses, the dialog says why
  await owner.getByRole('button', { name: 'Remove Dr Salma Benali' }).click();
  const dialog = owner.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(dialog).toContainText('This member has visits on record, so they cannot be removed.');
  await expect(dialog.getByRole('button', { name: 'Deactivate instead' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(owner.getByRole('dialog')).toHaveCount(0);
  await expect(owner.getByText('Dr Salma Benali')).toBeVisible();

  // an invitation, then Resend: a new link in its row (the first one stops working)
  const inviteForm = owner.getByRole('form', { name: 'Invite a team member' });
  await inviteForm.getByLabel('Name', { exact: true }).fill('Dr Renvoi');
  await inviteForm.getByLabel('Email').fill(`renvoi.${Date.now()}@example.test`);
  await inviteForm.getByRole('button', { name: 'Create invitation' }).click();
  const first = (await owner.getByTestId('invite-link').innerText()).trim();
  await owner.getByRole('button', { name: 'Resend the invitation of Dr Renvoi' }).click();
  await expect(owner.getByTestId('toast-ok')).toContainText('New link ready');
  const row = owner.locator('[data-testid^="invitation-"]', { hasText: 'Dr Renvoi' }).first();
  const second = (await row.locator('[data-testid^="invitation-link-"]').innerText()).trim();
  expect(second).toMatch(/\/invite\/\w+/);
  expect(second).not.toBe(first);
  // leave no pending invitation behind for the other specs
  await owner.getByRole('button', { name: 'Revoke the invitation of Dr Renvoi' }).click();
  await owner.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(owner.getByTestId('toast-ok').filter({ hasText: 'Invitation revoked' })).toBeVisible();
  await ownerCtx.close();
});

/** Closes every toast on the page (each has a close button) and waits until none is left. */
async function dismissToasts(page: Page) {
  const toasts = page.locator('[data-testid^="toast-"]');
  while ((await toasts.count()) > 0) {
    // a toast may close on its own meanwhile; then the loop just looks again
    await toasts
      .first()
      .getByRole('button')
      .click({ timeout: 1_000 })
      .catch(() => undefined);
  }
  await expect(toasts).toHaveCount(0);
}
