/**
 * Issue 17: a patient reschedules from "My visits". Book (booking page) → Reschedule (the same slot picker,
 * the visit's own type) → My visits shows the new time with its new ticket, the old visit among the past
 * ones (cancelled) → the old slot is free again on the booking page, the new one is taken.
 * Days are the clinic's own (the picker lists its working days from ITS today, from the server), far in the
 * fortnight, so the test passes at any hour — and under QUEUEMED_FAKE_NOW.
 */
import { expect, test, type Page } from '@playwright/test';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import { LIVE, newContext, signInByPhone } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const PHONE = '0600000241';
const ui = { ...uiEn, booking: bookingEn };

/** The booking page's day buttons of one visit type. */
async function openBooking(page: Page) {
  await page.goto('/c/cabinet-anfa');
  const type = page.getByRole('button', { name: /Échographie/ });
  await type.click();
  await expect(type).toHaveAttribute('aria-pressed', 'true');
  const days = page.getByRole('group', { name: `2 · ${ui.booking.step2}` }).getByRole('button');
  await expect(days.first()).toBeVisible();
  return days;
}

/** The free slot times of a day on the booking page. */
async function freeTimes(page: Page, dayText: string): Promise<string[]> {
  const days = await openBooking(page);
  await days.filter({ hasText: dayText }).click();
  await expect(days.filter({ hasText: dayText })).toHaveAttribute('aria-pressed', 'true');
  const slots = page.getByTestId('slots').getByRole('button');
  await expect(slots.first()).toBeVisible(LIVE);
  return (await slots.allTextContents()).map((s) => s.trim());
}

test('a patient reschedules a booked visit from My visits; the old slot is free again', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  await signInByPhone(page, PHONE, '/c/cabinet-anfa');

  // book: a day other booking specs leave alone (they take the fortnight's last three and its fifth-last)
  const days = await openBooking(page);
  const count = await days.count();
  expect(count).toBeGreaterThanOrEqual(7);
  const fromDay = (await days.nth(count - 4).textContent())!.trim();
  const toDay = (await days.nth(count - 6).textContent())!.trim();
  await days.nth(count - 4).click();
  const slot = page.getByTestId('slots').getByRole('button').nth(7);
  await expect(slot).toBeVisible(LIVE);
  const fromTime = (await slot.textContent())!.trim();
  await slot.click();
  await page.getByLabel(ui.booking.yourName).fill('Karim Alaoui');
  await page.getByRole('button', { name: new RegExp(ui.booking.confirm) }).click();
  await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible(LIVE);
  const oldTicket = (await page
    .getByText(/A-\d{3}/)
    .first()
    .textContent())!.match(/A-\d{3}/)![0];
  expect(await freeTimes(page, fromDay)).not.toContain(fromTime);

  // My visits → Reschedule → another day and time
  await page.goto('/me');
  const upcoming = page.getByRole('region', { name: visitsEn.upcoming }).getByRole('listitem');
  // this patient's one visit (a new phone: nobody else's)
  await expect(upcoming).toHaveCount(1, LIVE);
  const visit = upcoming.filter({ hasText: oldTicket }).filter({ hasText: fromTime });
  await expect(visit).toHaveCount(1, LIVE);
  await visit.getByRole('button', { name: visitsEn.reschedule }).click();
  const dialog = page.getByRole('dialog', { name: visitsEn.rescheduleTitle });
  await expect(dialog).toBeVisible();
  const dialogDays = dialog.getByRole('group', { name: ui.booking.step2 }).getByRole('button');
  await dialogDays.filter({ hasText: toDay }).click();
  await expect(dialogDays.filter({ hasText: toDay })).toHaveAttribute('aria-pressed', 'true');
  const offered = dialog.getByTestId('slots').getByRole('button');
  await expect(offered.nth(8)).toBeVisible(LIVE);
  // a time other than the current one, so the lists below tell the two visits apart
  const times = (await offered.allTextContents()).map((s) => s.trim());
  const pick = times.findIndex((s, i) => i >= 8 && !s.includes(fromTime) && !fromTime.includes(s));
  const newSlot = offered.nth(pick);
  const toTime = times[pick]!;
  await newSlot.click();
  await dialog.getByRole('button', { name: new RegExp(`${visitsEn.rescheduleConfirm}.*${toTime}`) }).click();
  await expect(page.getByTestId('toast-ok').filter({ hasText: toTime })).toBeVisible(LIVE);
  await expect(dialog).toBeHidden(LIVE);

  // the new time (a ticket of its own day, a live link); the old visit is among the past ones, cancelled
  await expect(upcoming.filter({ hasText: fromTime })).toHaveCount(0, LIVE);
  await expect(upcoming).toHaveCount(1, LIVE);
  await expect(upcoming).toContainText(toTime);
  await expect(upcoming.getByRole('link', { name: visitsEn.track })).toHaveCount(1);
  const past = page.getByRole('region', { name: visitsEn.past }).getByRole('listitem');
  await expect(past).toHaveCount(1, LIVE);
  await expect(past).toContainText(fromTime);
  await expect(past).toContainText(oldTicket);
  await expect(past).toContainText(ui.status.cancelled);

  // the booking page: the old slot is free again, the new one is taken
  expect(await freeTimes(page, fromDay)).toContain(fromTime);
  expect(await freeTimes(page, toDay)).not.toContain(toTime);
  await ctx.close();
});
