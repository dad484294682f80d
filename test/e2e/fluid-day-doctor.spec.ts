/**
 * Session 22 (fluid22): F8 "fluid: an "any doctor" day needs a doctor who works that day" (docs/domain-rules.md).
 * A clinic of its own (open 09:00–17:00 every day) with Dr Alami, and a fluid visit type only Dr Alami offers (so the
 * owner, a doctor too, does not); Dr Alami is on leave on today + 3. The patient, with "any doctor", does not see
 * that day among the days offered — the days either side are there. Before, the day was offered (and bookable) for
 * "any doctor": a place in a line nobody serves. The clinic's day is held still (database clock pinned).
 */
import { expect, test } from '@playwright/test';
import { formatCalendarDay } from '../../src/components/format';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';
import {
  LIVE,
  addDoctor,
  holdClinicDay,
  letterTag,
  newContext,
  newOwnerClinic,
  openEveryDay,
  pickDoctor,
  pinDatabaseClock,
  randomMobile,
  serviceRest,
  signInByPhone,
} from './helpers';

test('F8 fluid: an "any doctor" day needs a doctor who works that day — the only doctor’s leave day is not offered', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  const { clinicId, slug } = await newOwnerClinic(page, 'fluidday', 'Cabinet Jour Fluide');
  const { today } = await holdClinicDay(page);
  try {
    const alami = await addDoctor(page, clinicId, 'Dr Alami');
    await openEveryDay(page, clinicId, '09:00', '17:00');
    const run = letterTag();
    await serviceRest(page, 'POST', 'appointment_types', {
      clinic_id: clinicId,
      name: `Vaccin ${run}`,
      duration_minutes: 20,
      booking_mode: 'fluid',
      practitioner_ids: [alami],
    });
    const plus = (n: number) =>
      new Date(Date.parse(`${today}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    await serviceRest(page, 'POST', 'practitioner_leave', {
      clinic_id: clinicId,
      practitioner_id: alami,
      from_day: plus(3),
      to_day: plus(3),
    });

    const phone = randomMobile();
    await signInByPhone(page, phone, `/c/${slug}`);
    await page.getByRole('button', { name: new RegExp(`Vaccin ${run}`) }).click();
    await pickDoctor(page, bookingEn.anyDoctor); // the days read next are "any doctor"'s
    const days = page.getByTestId('fluid-days').getByRole('button');
    const dayButton = (day: string) =>
      days.filter({ has: page.getByText(formatCalendarDay(day, 'en'), { exact: true }) });
    // the list is there (the days either side of the leave), and the leave day is not in it
    await expect(dayButton(plus(2))).toHaveCount(1, LIVE);
    await expect(dayButton(plus(4))).toHaveCount(1);
    await expect(dayButton(plus(3))).toHaveCount(0);
  } finally {
    await pinDatabaseClock(page, null);
    await ctx.close();
  }
});
