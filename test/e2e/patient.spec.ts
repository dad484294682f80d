/** A patient on their phone: signs in with an SMS code, books, sees the visit in "My visits" and cancels it. */
import { expect, test } from '@playwright/test';
import { lastOtp, newContext, otpMark } from './helpers';

test('patient books, finds the visit under My visits and cancels it within the notice window', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { mobile: true, lang: 'fr' });
  const phone = await ctx.newPage();
  await phone.goto('/sign-in?as=patient&next=/c/cabinet-anfa');
  await phone.getByLabel('Téléphone mobile').fill('06 00 00 01 00');
  // an earlier suite texted the same phone: the code read is the one this click sends
  const sent = await otpMark(phone, '212600000100');
  await phone.getByRole('button', { name: 'Recevoir un code' }).click();
  await expect(phone.getByText('Nous avons envoyé un code au 06 00 00 01 00.')).toBeVisible();
  await phone.getByLabel('Code reçu par SMS').fill(await lastOtp(phone, '212600000100', sent));
  await phone.getByRole('button', { name: 'Vérifier et continuer' }).click();
  await phone.waitForURL('**/c/cabinet-anfa');

  // the last bookable day of the fortnight keeps this visit clear of the other suites
  const days = phone.getByRole('group', { name: '2 · Jour' }).getByRole('button');
  await expect(days.first()).toBeVisible();
  await days.last().click();
  const slot = phone.getByTestId('slots').getByRole('button').last();
  await expect(slot).toBeVisible();
  await slot.click();
  await phone.getByRole('button', { name: /Confirmer le rendez-vous/ }).click();
  await expect(phone.getByRole('heading', { name: /Rendez-vous confirmé/ })).toBeVisible();

  await phone.goto('/me');
  const upcoming = phone.getByRole('region', { name: 'À venir' }).getByRole('listitem');
  await expect(upcoming.first()).toBeVisible();
  const before = await upcoming.count();
  await upcoming.last().getByRole('button', { name: 'Annuler' }).click();
  await phone.getByRole('dialog').getByRole('button', { name: 'Annuler la visite' }).click();
  await expect(phone.getByTestId('toast-ok')).toContainText('Visite annulée');
  await expect(upcoming).toHaveCount(before - 1);
  await expect(phone.getByRole('region', { name: 'Passées' })).toContainText('Annulé');
  await ctx.close();
});
