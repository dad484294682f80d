/**
 * Issues 20 / 15.4: a patient books online — and the confirmation is the server's to send. The patient's
 * browser sends nothing; the server's notification sweep (run here as the stack's timer or Supabase's
 * schedule runs it; the e2e server keeps its own timer off) sends the booking confirmation, in simulation
 * mode, and the owner finds it in the admin message log with the visit's ticket, its tracking link and the
 * cancel link.
 */
import { expect, test } from '@playwright/test';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { LOGINS, newContext, signIn, signInByPhone, sweepOwedNow, sweepUntilLogged } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const PHONE = '0600000231';

test('an online booking is confirmed by the server: the confirmation is in the admin message log, with the tracking and cancel links', async ({
  browser,
}) => {
  const ui = { ...uiEn, admin: adminEn, booking: bookingEn };
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  await signInByPhone(page, PHONE, '/c/cabinet-anfa');

  await page.getByRole('button', { name: /Échographie/ }).click();
  const days = page.getByRole('group', { name: `2 · ${ui.booking.step2}` }).getByRole('button');
  await expect(days.first()).toBeVisible();
  // a day the other booking specs leave alone (they take the fortnight's last three)
  await days.nth(Math.max(0, (await days.count()) - 5)).click();
  await page.getByTestId('slots').getByRole('button').nth(2).click();
  await page.getByLabel(ui.booking.yourName).fill('Yasmine Bennani');
  await page.getByRole('button', { name: new RegExp(ui.booking.confirm) }).click();
  await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible();
  const ticket = (await page
    .getByText(/A-\d{3}/)
    .first()
    .textContent())!.match(/A-\d{3}/)![0];
  const trackLink = await page.locator('a[href*="/t/"]').first().getAttribute('href');
  expect(trackLink).toMatch(/\/t\/[0-9a-f]{64}$/);
  const token = trackLink!.split('/t/')[1]!;

  // the owner's message log: the confirmation arrives once the server's sweep has run (swept without the
  // default ~20 s the sweep leaves every event to a browser that might send it itself: no browser sends this one)
  const ownerCtx = await newContext(browser, { lang: 'en' });
  const owner = await ownerCtx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');
  const confirmation = owner
    .getByRole('listitem')
    .filter({ hasText: ui.admin.kinds.booking_confirmed })
    .filter({ hasText: ticket });
  await sweepUntilLogged(owner, ui.admin.tabs.budget, confirmation);
  await expect(confirmation).toContainText('Yasmine Bennani');
  await expect(confirmation).toContainText(`/t/${token}`);
  await expect(confirmation).toContainText('To cancel:');
  await expect(confirmation).toContainText('/me');
  await expect(confirmation).toContainText('simulated');

  // sweeping again sends nothing more
  await sweepOwedNow(owner);
  await owner.reload();
  await owner.getByRole('tab', { name: ui.admin.tabs.budget }).click();
  await expect(owner.getByRole('listitem').filter({ hasText: ticket }).first()).toBeVisible();
  await expect(confirmation).toHaveCount(1);
  await ownerCtx.close();
  await ctx.close();
});
