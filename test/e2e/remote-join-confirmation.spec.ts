/**
 * Issue 17: a patient who joins today's queue remotely gets a confirmation with their tracking link — sent by
 * the server's notification sweep (run here as the stack's timer or Supabase's schedule runs it), in simulation
 * mode, never by the patient's browser. The clinic's owner finds exactly one "Remote join confirmed" message in
 * the admin message log, with the new ticket and the tracker's link; sweeping again sends nothing more.
 * A clinic of its own (a fresh owner, open 00:00-24:00 every day), so nothing depends on the hour and no other
 * spec's clinic is touched.
 */
import { expect, test } from '@playwright/test';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { joinEn } from '../../src/i18n/locales/ui/join.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import {
  LIVE,
  newContext,
  newOwnerClinic,
  serviceRest,
  signIn,
  signInByPhone,
  sweepOwedNow,
  sweepUntilLogged,
} from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const ui = { ...uiEn, booking: bookingEn };

const PHONE = '0600000223';

test('a remote join is confirmed by the server: one message in the owner’s log, with the ticket and the tracking link', async ({
  browser,
}) => {
  const ownerCtx = await newContext(browser, { lang: 'en' });
  const owner = await ownerCtx.newPage();
  const { email, clinicId, slug } = await newOwnerClinic(owner, 'remote-sms', 'Cabinet Confirmation');
  await serviceRest(
    owner,
    'POST',
    'working_hours',
    [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
      clinic_id: clinicId,
      weekday,
      starts_at: '00:00',
      ends_at: '24:00',
    })),
  );
  await serviceRest(owner, 'PATCH', `clinics?id=eq.${clinicId}`, { remote_join_cap: 3 });

  // the patient joins from the clinic's page and lands on the tracker
  const patientCtx = await newContext(browser, { lang: 'en' });
  const page = await patientCtx.newPage();
  await signInByPhone(page, PHONE, `/c/${slug}`);
  const card = page.getByRole('region', { name: joinEn.title });
  await expect(card.getByRole('button', { name: joinEn.join })).toBeVisible(LIVE);
  await card.getByLabel(ui.booking.yourName).fill('Salma Remote');
  await card.getByRole('button', { name: joinEn.join }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/t/'), LIVE);
  const token = new URL(page.url()).pathname.split('/t/')[1]!;
  expect(token).toMatch(/^[0-9a-f]{64}$/);
  const ticket = (await page.getByTestId('tracker-ticket').textContent())!.trim();
  expect(ticket).toMatch(/^[A-Z]+-\d{3}$/);

  // the owner's message log: the confirmation arrives once the server's sweep has run
  await signIn(owner, email, '/admin');
  const confirmation = owner
    .getByRole('listitem')
    .filter({ hasText: adminEn.kinds.remote_join_confirmed })
    .filter({ hasText: ticket });
  await sweepUntilLogged(owner, adminEn.tabs.budget, confirmation);
  await expect(confirmation).toContainText('Salma Remote');
  await expect(confirmation).toContainText(`/t/${token}`);
  await expect(confirmation).toContainText('simulated');

  // sweeping again sends nothing more
  await sweepOwedNow(owner);
  await owner.reload();
  await owner.getByRole('tab', { name: adminEn.tabs.budget }).click();
  await expect(owner.getByRole('listitem').filter({ hasText: ticket }).first()).toBeVisible(LIVE);
  await expect(confirmation).toHaveCount(1);
  await patientCtx.close();
  await ownerCtx.close();
});
