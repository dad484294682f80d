/**
 * Issue 17: a patient's whole FLUID journey, the way a patient reaches it (phone …45). The clinic page → a
 * place in a day's line (a visit type made fluid for this spec through the service REST, archived at the end)
 * → My visits shows it → "Another day" moves it (the dialog never offers the visit's own day, and the server
 * refuses a forged same-day move with BOOKING.RESCHEDULE_SAME_DAY) → on that day the reception's dashboard shows
 * the patient in the line → the patient's own check-in before the day opens is refused with the
 * QUEUE.CHECK_IN_TOO_EARLY message and the time it opens (F5), and accepted once the window is open.
 *
 * Any hour: the days are the clinic's own (from ITS today, from the server) and after today, and the clinic's day
 * is held still from the start (holdClinicDay: the database's clock pinned at the spec's first instant, so a
 * midnight passing mid-run — 23:59, or the night run's 23:30 + the suite's elapsed time — cannot turn "today"
 * under the spec; it read today once and broke when it did); "that day's
 * morning" is acted out by pinning the database's clock (the local stack's /dev/clock → private.pinned_clock,
 * what the clinic's today, the check-in rule and the dashboard's day read), released at the end. The browsers
 * keep the suite's clock (QUEUEMED_FAKE_NOW's page.clock under `npm run test:e2e:night`): every screen here
 * takes the clinic's today and times from the server, and a browser moved days ahead would see its session's
 * token as expired.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import {
  LIVE,
  LOGINS,
  clinicInstant,
  holdClinicDay,
  letterTag,
  newContext,
  pinDatabaseClock,
  row,
  serviceRest,
  signIn,
  signInByPhone,
} from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const PHONE = '0600000245';
const ui = { ...uiEn, booking: bookingEn };

/** The patient's own session token (what the app's supabase-js holds), for a forged request. */
async function accessToken(page: Page): Promise<string> {
  // the app's supabase-js keeps its session under src/services/composition/authStorageKey.ts's key
  const raw = await page.evaluate(() => localStorage.getItem('queuemed.auth'));
  expect(raw, 'the patient is signed in on this page').not.toBeNull();
  return (JSON.parse(raw!) as { access_token: string }).access_token;
}

test('a patient takes a fluid place, moves it to another day, is in that day’s line, and checks in once the day opens (F5)', async ({
  browser,
}) => {
  const run = letterTag();
  const name = `Nadia Fluide ${run}`;
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  // the clinic's day held still from here (the database's clock pinned at this instant): "today" below stays
  // the clinic's today until the spec moves the clock to the visit's morning; released in the finally
  const { today } = await holdClinicDay(page);
  try {
    await journey(browser, page, run, name, today);
  } finally {
    await pinDatabaseClock(page, null);
    await ctx.close();
  }
});

async function journey(
  browser: Browser,
  page: Page,
  run: string,
  name: string,
  today: string,
): Promise<void> {
  await signInByPhone(page, PHONE, '/me');
  const [clinic] = await serviceRest(page, 'GET', 'clinics?slug=eq.cabinet-anfa&select=id');
  const [type] = await serviceRest(page, 'POST', 'appointment_types', {
    clinic_id: clinic!.id,
    name: `Vaccin ${run}`,
    duration_minutes: 20,
    booking_mode: 'fluid',
  });
  const deskCtx = await newContext(browser, { lang: 'en' });
  try {
    // the clinic's fluid days as the server lists them (the page shows the same list, from the clinic's today)
    const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
      supabaseAnonKey: string;
    };
    const listed = (await (
      await page.request.post('/rest/v1/rpc/get_fluid_days', {
        headers: { apikey: supabaseAnonKey, 'content-type': 'application/json' },
        data: {
          p_clinic_id: clinic!.id,
          p_from: today,
          p_to: new Date(Date.parse(`${today}T12:00:00Z`) + 13 * 86_400_000).toISOString().slice(0, 10),
          p_appointment_type_id: type!.id,
        },
      })
    ).json()) as { day: string }[];
    // two days after today (the first listed may be today itself)
    const [fromIso, toIso] = [listed[3]!.day, listed[1]!.day];
    expect(fromIso > today && toIso > today).toBe(true);

    // 1 · the clinic page: the fluid type offers days with places, no times; take a place for one of them
    await page.goto('/c/cabinet-anfa');
    await page.getByRole('button', { name: new RegExp(`Vaccin ${run}`) }).click();
    const days = page.getByTestId('fluid-days').getByRole('button');
    await expect(days).toHaveCount(listed.length, LIVE);
    await expect(page.getByTestId('slots')).toHaveCount(0);
    const fromDay = (await days.nth(3).locator('span').first().textContent())!.trim();
    const toDay = (await days.nth(1).locator('span').first().textContent())!.trim();
    await days.nth(3).click();
    await page.getByLabel(ui.booking.yourName).fill(name);
    await page.getByRole('button', { name: ui.booking.takePlace.replace('{{day}}', fromDay) }).click();
    await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible(LIVE);
    const firstTicket = (await page
      .getByText(/A-\d{3}/)
      .first()
      .textContent())!.match(/A-\d{3}/)![0];

    // 2 · My visits: the place, its day, no time
    await page.goto('/me');
    const upcoming = page.getByRole('region', { name: visitsEn.upcoming }).getByRole('listitem');
    await expect(upcoming).toHaveCount(1, LIVE);
    await expect(upcoming).toContainText(firstTicket);
    await expect(upcoming).toContainText(visitsEn.fluidDay.replace('{{day}}', fromDay));

    // 3 · "Another day": the visit's own day is not offered; move to the other day
    await upcoming.getByRole('button', { name: visitsEn.moveDay }).click();
    const dialog = page.getByRole('dialog', { name: visitsEn.rescheduleTitle });
    const offered = dialog.getByTestId('fluid-days').getByRole('button');
    await expect(offered.filter({ hasText: toDay })).toHaveCount(1, LIVE);
    await expect(offered.filter({ hasText: fromDay })).toHaveCount(0);
    await offered.filter({ hasText: toDay }).click();
    await dialog
      .getByRole('button', { name: `${visitsEn.rescheduleConfirm} · ${toDay}`, exact: true })
      .click();
    const moved = page.getByTestId('toast-ok').filter({ hasText: `Moved to ${toDay} — ticket` });
    await expect(moved).toBeVisible(LIVE);
    await expect(dialog).toBeHidden(LIVE);
    const ticket = (await moved.textContent())!.match(/A-\d{3}/)![0];
    await expect(upcoming).toHaveCount(1, LIVE);
    await expect(upcoming).toContainText(visitsEn.fluidDay.replace('{{day}}', toDay));
    const past = page.getByRole('region', { name: visitsEn.past }).getByRole('listitem');
    await expect(past.filter({ hasText: firstTicket })).toContainText(ui.status.cancelled, LIVE);

    // a forged move to the day the visit is already on (the dialog never offers it) is refused, coded
    const token = await accessToken(page);
    const asPatient = { apikey: supabaseAnonKey, authorization: `Bearer ${token}` };
    const mine = (await (
      await page.request.get('/rest/v1/queue_entries?select=id&status=eq.scheduled&fluid=eq.true', {
        headers: asPatient,
      })
    ).json()) as { id: string }[];
    expect(mine).toHaveLength(1);
    const same = await page.request.post('/rest/v1/rpc/reschedule_fluid_place', {
      headers: { ...asPatient, 'content-type': 'application/json' },
      data: { p_entry_id: mine[0]!.id, p_day: toIso },
    });
    expect(same.status()).toBe(422);
    expect(await same.text()).toContain('BOOKING.RESCHEDULE_SAME_DAY');
    await page.reload();
    await expect(upcoming).toContainText(visitsEn.fluidDay.replace('{{day}}', toDay), LIVE);

    // 4 · that day, 07:00 on the clinic's clock (it opens at 09:00; check-in 60 minutes before)
    await pinDatabaseClock(page, await clinicInstant(page, toIso, '07:00'));
    const desk = await deskCtx.newPage();
    await signIn(desk, LOGINS.reception);
    await expect(desk.getByTestId('dashboard')).toBeVisible();
    await expect(row(desk, ticket)).toContainText(name, LIVE);
    await expect(row(desk, ticket)).toContainText(ui.status.scheduled);

    // the patient's own check-in is refused before the window opens, with the time it opens
    await page.reload();
    const visit = upcoming.filter({ hasText: ticket });
    await visit.getByRole('button', { name: visitsEn.checkIn }).click();
    // a place in the line has no appointment: the message says the window opens with the clinic's day
    await expect(page.getByTestId('toast-error')).toHaveText(
      /Check-in for your place in the line opens at 08:00, shortly before the clinic opens\./,
    );
    await expect(visit).toContainText(ui.status.scheduled);

    // 08:30: the window is open — checked in, waiting; the desk sees it without a reload
    await pinDatabaseClock(page, await clinicInstant(page, toIso, '08:30'));
    await visit.getByRole('button', { name: visitsEn.checkIn }).click();
    await expect(page.getByTestId('toast-ok').filter({ hasText: visitsEn.checkedIn })).toBeVisible(LIVE);
    await expect(visit).toContainText(ui.status.waiting, LIVE);
    await expect(row(desk, ticket)).toContainText(ui.status.waiting, LIVE);
  } finally {
    await serviceRest(page, 'PATCH', `appointment_types?id=eq.${String(type!.id)}`, { active: false });
    await deskCtx.close();
  }
}
