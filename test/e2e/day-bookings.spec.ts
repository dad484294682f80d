/**
 * Issue 17: the staff see a later day's bookings. A patient (phone …52) books a visit on the clinic page for the
 * next day the clinic opens after today (tomorrow unless the clinic is closed then); the reception opens
 * "Bookings" on the desk — it opens on tomorrow by the clinic's clock — and finds the visit there with its time,
 * ticket, patient, visit type and status; cancels it with a reason after the confirmation; the patient's My visits
 * shows it cancelled.
 *
 * Any hour: the day is the clinic's own (its today from the server's clock, pinned with the whole suite by
 * QUEUEMED_FAKE_NOW / page.clock under `npm run test:e2e:night`), always after today — and held still for the
 * spec (holdClinicDay: the database's clock pinned at the spec's first instant, released at the end). It read
 * "today" once and then expected the desk's Bookings to open on today + 1: a clinic midnight passing between
 * (a run at 23:59, or the night run's 23:30 + the suite's elapsed time) made "tomorrow" the booked day's next.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { addDays, formatCalendarDay } from '../../src/components/format';
import { dashEn } from '../../src/i18n/locales/ui/dash.en';
import { recordsEn } from '../../src/i18n/locales/ui/records.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import {
  LIVE,
  LOGINS,
  holdClinicDay,
  letterTag,
  newContext,
  pinDatabaseClock,
  signIn,
  signInByPhone,
} from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const PHONE = '0600000252';
const ui = { ...uiEn, booking: bookingEn };

test('a visit booked for a later day is in the desk’s Bookings, cancelled from there; the patient sees it cancelled', async ({
  browser,
}) => {
  const run = letterTag();
  const name = `Yasmine Demain ${run}`;
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  const { today } = await holdClinicDay(page);
  try {
    await bookAndCancel(browser, page, name, today);
  } finally {
    await pinDatabaseClock(page, null);
    await ctx.close();
  }
});

async function bookAndCancel(browser: Browser, page: Page, name: string, today: string): Promise<void> {
  await signInByPhone(page, PHONE, '/c/cabinet-anfa');

  // 1 · the patient books the first day after today that the booking page offers (tomorrow unless closed)
  const type = page.getByRole('button', { name: /^Consultation/ });
  await type.click();
  await expect(type).toHaveAttribute('aria-pressed', 'true');
  const days = page.getByRole('group', { name: `2 · ${ui.booking.step2}` }).getByRole('button');
  await expect(days.first()).toBeVisible(LIVE);
  const offered = (await days.allTextContents()).map((s) => s.trim());
  const day = [1, 2, 3, 4, 5, 6, 7]
    .map((n) => addDays(today, n))
    .find((d) => offered.includes(formatCalendarDay(d, 'en')))!;
  expect(day, `a day after ${today} among ${offered.join(', ')}`).toBeDefined();
  const dayLabel = formatCalendarDay(day, 'en');
  await days.filter({ hasText: dayLabel }).click();
  const slot = page.getByTestId('slots').getByRole('button').nth(4);
  await expect(slot).toBeVisible(LIVE);
  const time = (await slot.textContent())!.trim();
  await slot.click();
  await page.getByLabel(ui.booking.yourName).fill(name);
  await page.getByRole('button', { name: new RegExp(ui.booking.confirm) }).click();
  await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible(LIVE);
  const ticket = (await page
    .getByText(/A-\d{3}/)
    .first()
    .textContent())!.match(/A-\d{3}/)![0];

  // 2 · the reception: "Bookings" opens on tomorrow by the clinic's clock; the booked day's list has the visit
  const deskCtx = await newContext(browser, { lang: 'en' });
  const desk = await deskCtx.newPage();
  await signIn(desk, LOGINS.reception);
  await expect(desk.getByTestId('dashboard')).toBeVisible();
  await desk.getByRole('button', { name: dashEn.bookings }).click();
  const view = desk.getByTestId('day-bookings');
  // exact: "Day" is also inside the list's label "Bookings of Thursday …" (strict mode met both once it loaded)
  const dayField = view.getByLabel(recordsEn.daysDay, { exact: true });
  await expect(dayField).toHaveValue(addDays(today, 1), LIVE);
  if (day !== addDays(today, 1)) await dayField.fill(day);
  const list = view.getByRole('list', { name: recordsEn.daysList.replace('{{day}}', dayLabel) });
  const visit = list.getByRole('listitem').filter({ hasText: name });
  await expect(visit).toHaveCount(1, LIVE);
  for (const text of [time, ticket, 'Consultation', ui.status.scheduled])
    await expect(visit).toContainText(text);

  // 3 · cancel it: the confirmation asks for a reason
  await visit
    .getByRole('button', {
      name: recordsEn.daysCancel.replace('{{name}}', name).replace('{{ticket}}', ticket),
    })
    .click();
  const dialog = desk.getByRole('dialog', { name: recordsEn.desk.cancelTitle.replace('{{ticket}}', ticket) });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(recordsEn.desk.reason).fill('Le médecin est absent ce jour-là');
  await dialog.getByRole('button', { name: dashEn.actions.cancel }).click();
  await expect(desk.getByTestId('toast-ok').filter({ hasText: `Visit ${ticket} cancelled` })).toBeVisible(
    LIVE,
  );
  await expect(dialog).toBeHidden();
  await expect(visit).toContainText(ui.status.cancelled, LIVE);
  await expect(visit.getByRole('button')).toHaveCount(0);

  // 4 · the patient's My visits: the visit is among the past ones, cancelled
  await page.goto('/me');
  const past = page.getByRole('region', { name: visitsEn.past }).getByRole('listitem');
  await expect(past.filter({ hasText: ticket })).toContainText(ui.status.cancelled, LIVE);
  await expect(
    page.getByRole('region', { name: visitsEn.upcoming }).getByRole('listitem').filter({ hasText: ticket }),
  ).toHaveCount(0);
  await deskCtx.close();
}
