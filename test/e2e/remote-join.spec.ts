/**
 * Issue 17: "join today's queue from my phone" (a virtual walk-in). A clinic that takes remote joins (its
 * own, built here through the service role with clinics.remote_join_cap = 3, so no other spec's queue is
 * touched) offers it on its page; a patient signs in with their phone, gives their name, joins in one tap
 * and lands on the tracker of their new ticket: waiting, first in line. When the desk closes the day's
 * intake, the page stops offering it. The demo clinic (remote joins off) does not show it at all.
 * Nothing depends on the hour: the join is judged on the clinic's today (its cap, intake, closed dates) and
 * its opening hours, here 00:00-24:00 every day.
 */
import { expect, test } from '@playwright/test';
import { joinEn as joinUi } from '../../src/i18n/locales/ui/join.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { LIVE, lastOtp, newContext, otpMark, serviceRest } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const PHONE = '0600000261';
const SLUG = 'file-du-jour-e2e';
const ui = { ...uiEn, booking: bookingEn };

test('a patient joins a clinic’s queue of today from its page and follows the new ticket on the tracker', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  const [clinic] = await serviceRest(page, 'POST', 'clinics', {
    slug: SLUG,
    name: 'Cabinet File du Jour',
    ticket_prefix: 'R',
    remote_join_cap: 3,
  });
  const clinicId = String(clinic!.id);
  // open all day, every day (00:00-24:00): remote joins are taken during opening hours only, and this test
  // must not depend on the hour it runs at
  await serviceRest(
    page,
    'POST',
    'working_hours',
    [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
      clinic_id: clinicId,
      weekday,
      starts_at: '00:00',
      ends_at: '24:00',
    })),
  );
  // what the page will be told (anyone may ask): open, 3 places
  const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
    supabaseAnonKey: string;
  };
  const asked = await page.request.post('/rest/v1/rpc/get_remote_join', {
    headers: { apikey: supabaseAnonKey, authorization: `Bearer ${supabaseAnonKey}` },
    data: { p_clinic_id: clinicId },
  });
  expect(await asked.json()).toEqual({ open: true, reason: null, remaining: 3 });

  // the demo clinic does not take remote joins: nothing is offered there
  await page.goto('/c/cabinet-anfa');
  await expect(page.getByRole('heading', { name: ui.booking.title })).toBeVisible(LIVE);
  await expect(page.getByRole('heading', { name: joinUi.title })).toHaveCount(0);

  // signed out: the card sends the visitor to sign in, and back to the clinic's page
  await page.goto(`/c/${SLUG}`);
  const card = page.getByRole('region', { name: joinUi.title });
  await expect(card).toBeVisible(LIVE);
  await expect(card.getByTestId('remote-left')).toHaveText(joinUi.left.replace('{{count}}', '3'));
  await card.getByRole('link', { name: joinUi.signIn }).click();
  await page.getByLabel(ui.auth.phone).fill(PHONE);
  const sent = await otpMark(page, PHONE);
  await page.getByRole('button', { name: ui.auth.sendCode }).click();
  await page.getByLabel(ui.auth.code).fill(await lastOtp(page, PHONE, sent));
  await page.getByRole('button', { name: ui.auth.verify }).click();
  await page.waitForURL((u) => u.pathname === `/c/${SLUG}`);

  // signed in, unknown to this clinic: the name, then one tap
  const join = card.getByRole('button', { name: joinUi.join });
  await expect(join).toBeVisible(LIVE);
  await card.getByLabel(ui.booking.yourName).fill('Yasmine Idrissi');
  await join.click();

  // the tracker of the new ticket: the clinic's first of the day, waiting, first in line
  await page.waitForURL((u) => u.pathname.startsWith('/t/'), LIVE);
  await expect(page.getByTestId('tracker-ticket')).toHaveText('R-001', LIVE);
  await expect(page.getByTestId('tracker-status')).toHaveText(ui.status.waiting);
  await expect(page.getByTestId('tracker-position')).toHaveText('1');

  // one place used; then the desk closes the day's intake and the page stops offering it
  await page.goto(`/c/${SLUG}`);
  await expect(card.getByTestId('remote-left')).toHaveText(joinUi.left.replace('{{count}}', '2'), LIVE);
  await serviceRest(page, 'PATCH', `queues?clinic_id=eq.${clinicId}`, {
    intake_closed_at: new Date().toISOString(),
  });
  await page.reload();
  await expect(page.getByRole('heading', { name: ui.booking.title })).toBeVisible(LIVE);
  await expect(card).toHaveCount(0);
  await ctx.close();
});
