/**
 * Issue 17: an owner turns "join today's queue from a phone" on from the app (Admin → Queue rules: the daily
 * cap and an arrival window), a patient on the clinic's page sees the card, joins, and their tracker asks them
 * to be at the clinic by join time + the window; the owner turns it off and the page says it is not offered.
 * A clinic of its own (a fresh owner account, created through create_clinic as the app's sign-up does), open
 * 00:00-24:00 every day, so nothing depends on the hour and no other spec's clinic is touched.
 */
import { expect, test } from '@playwright/test';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { en } from '../../src/i18n/locales/en';
import { joinEn } from '../../src/i18n/locales/ui/join.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { LIVE, lastOtp, newContext, newOwnerClinic, otpMark, serviceRest, signIn } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const ui = { ...uiEn, booking: bookingEn };

const PHONE = '0600000263';

test('an owner turns remote joins on with a cap and an arrival window; a patient joins and is told when to arrive; turned off, the page says so', async ({
  browser,
}) => {
  const owner = await newContext(browser, { lang: 'en' });
  const admin = await owner.newPage();
  // a fresh owner and their clinic, open all day
  const { email, clinicId, slug } = await newOwnerClinic(admin, 'remote-admin', 'Cabinet Téléphone');
  await serviceRest(
    admin,
    'POST',
    'working_hours',
    [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
      clinic_id: clinicId,
      weekday,
      starts_at: '00:00',
      ends_at: '24:00',
    })),
  );

  // the owner: Admin → Queue rules → on, 5 a day, 30 minutes to arrive
  await signIn(admin, email, '/admin');
  await admin.getByRole('tab', { name: adminEn.tabs.rules }).click();
  const form = admin.getByRole('form', { name: adminEn.remoteJoin.title });
  await expect(admin.getByTestId('remote-join-setting')).toHaveText(adminEn.remoteJoin.isOff, LIVE);
  await form.getByLabel(adminEn.remoteJoin.on).check();
  await form.getByLabel(adminEn.remoteJoin.cap).fill('5');
  await form.getByLabel(adminEn.remoteJoin.arrival).fill('30');
  await form.getByRole('button', { name: en.common.save }).click();
  await expect(admin.getByTestId('remote-join-setting')).toHaveText(
    adminEn.remoteJoin.isOn.replace('{{count}}', '5'),
    LIVE,
  );

  // a patient on the clinic's page: the card, sign in by phone, the name, one tap
  const patient = await newContext(browser, { lang: 'en' });
  const page = await patient.newPage();
  await page.goto(`/c/${slug}`);
  const card = page.getByRole('region', { name: joinEn.title });
  await expect(card.getByTestId('remote-left')).toHaveText(joinEn.left.replace('{{count}}', '5'), LIVE);
  await card.getByRole('link', { name: joinEn.signIn }).click();
  await page.getByLabel(ui.auth.phone).fill(PHONE);
  const sent = await otpMark(page, PHONE);
  await page.getByRole('button', { name: ui.auth.sendCode }).click();
  await page.getByLabel(ui.auth.code).fill(await lastOtp(page, PHONE, sent));
  await page.getByRole('button', { name: ui.auth.verify }).click();
  await page.waitForURL((u) => u.pathname === `/c/${slug}`);
  await card.getByLabel(ui.booking.yourName).fill('Omar Berrada');
  await card.getByRole('button', { name: joinEn.join }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/t/'), LIVE);
  await expect(page.getByTestId('tracker-status')).toHaveText(ui.status.waiting, LIVE);
  // "be at the clinic by HH:MM": the server's arrive_by (join time + 30 min), in the clinic's time
  const arriveBy = page.getByTestId('tracker-arrive-by');
  await expect(arriveBy).toBeVisible(LIVE);
  const [entry] = await serviceRest(
    admin,
    'GET',
    `queue_entries?clinic_id=eq.${clinicId}&select=arrive_by,created_at`,
  );
  const minutes = (Date.parse(String(entry!.arrive_by)) - Date.parse(String(entry!.created_at))) / 60_000;
  expect(Math.round(minutes)).toBe(30);
  await expect(arriveBy).toHaveText(/^Please be at the clinic by \d{1,2}:\d{2}/);

  // the owner turns it off: the page no longer offers it and says so
  await form.getByLabel(adminEn.remoteJoin.on).uncheck();
  await form.getByRole('button', { name: en.common.save }).click();
  await expect(admin.getByTestId('remote-join-setting')).toHaveText(adminEn.remoteJoin.isOff, LIVE);
  await page.goto(`/c/${slug}`);
  await expect(page.getByTestId('remote-join-closed')).toHaveText(joinEn.why.off, LIVE);
  await expect(page.getByRole('region', { name: joinEn.title })).toHaveCount(0);
  await owner.close();
  await patient.close();
});
