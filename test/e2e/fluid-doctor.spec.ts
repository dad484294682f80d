/**
 * Issue 17 (feat21a): F7 "fluid: a place with a chosen doctor is in that doctor's line" and the tracker's doctor.
 * A clinic of its own (open 09:00–17:00 every day) with two doctors and a fluid visit type every doctor offers; Dr
 * Alami is on leave on the last day the picker lists. The patient chooses Dr Alami: that day is not offered (it is
 * for "any doctor"), takes a place for another day, the confirmation names the doctor, and the tracker says
 * "Doctor: Dr Alami". The clinic's day is held still (database clock pinned) so the picker's days do not move.
 */
import { expect, test } from '@playwright/test';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';
import { dayEn } from '../../src/i18n/locales/ui/runningDay';
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

test('F7 fluid: a place in a chosen doctor’s line — their leave not offered, the confirmation and the tracker name them', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  const { clinicId, slug } = await newOwnerClinic(page, 'fluiddoc', 'Cabinet Fluide');
  const { today } = await holdClinicDay(page);
  try {
    const alami = await addDoctor(page, clinicId, 'Dr Alami');
    await addDoctor(page, clinicId, 'Dr Bennani');
    await openEveryDay(page, clinicId, '09:00', '17:00');
    const run = letterTag();
    await serviceRest(page, 'POST', 'appointment_types', {
      clinic_id: clinicId,
      name: `Vaccin ${run}`,
      duration_minutes: 20,
      booking_mode: 'fluid',
    });
    // Dr Alami's leave: the last day of the picker's fortnight (today + 13)
    const leaveDay = new Date(Date.parse(`${today}T12:00:00Z`) + 13 * 86_400_000).toISOString().slice(0, 10);
    await serviceRest(page, 'POST', 'practitioner_leave', {
      clinic_id: clinicId,
      practitioner_id: alami,
      from_day: leaveDay,
      to_day: leaveDay,
    });

    const phone = randomMobile();
    await signInByPhone(page, phone, `/c/${slug}`);
    await page.getByRole('button', { name: new RegExp(`Vaccin ${run}`) }).click();
    const doctors = page.getByRole('group', { name: bookingEn.doctorLegend });
    const days = page.getByTestId('fluid-days').getByRole('button');
    // "any doctor" and the clinic's doctors (the owner is one too, DR1): the same choice as a slotted type
    await expect(doctors.getByRole('button', { name: bookingEn.anyDoctor, exact: true })).toBeVisible(LIVE);
    await expect(days.first()).toBeVisible(LIVE);
    const anyCount = await days.count();
    const lastAny = (await days
      .nth(anyCount - 1)
      .locator('span')
      .first()
      .textContent())!.trim();
    await pickDoctor(page, 'Dr Alami');
    // the leave day is gone for Dr Alami, every other day stays
    await expect(days).toHaveCount(anyCount - 1, LIVE);
    await expect(days.filter({ hasText: lastAny })).toHaveCount(0);

    const pick = days.nth(1);
    const dayLabel = (await pick.locator('span').first().textContent())!.trim();
    await pick.click();
    await page.getByLabel(bookingEn.yourName).fill('Salma Fluide');
    await page.getByRole('button', { name: bookingEn.takePlace.replace('{{day}}', dayLabel) }).click();
    await expect(page.getByRole('heading', { name: bookingEn.success })).toBeVisible(LIVE);
    await expect(page.getByTestId('booked-doctor')).toHaveText(`${bookingEn.withDoctor} Dr Alami`);

    // the tracker (the private link, anyone holding it) names the doctor
    await page.getByRole('link', { name: bookingEn.openTracker }).click();
    await expect(page.getByTestId('tracker-doctor')).toHaveText(
      dayEn.tracker.doctor.replace('{{name}}', '\u2068Dr Alami\u2069'),
      LIVE,
    );
  } finally {
    await pinDatabaseClock(page, null);
    await ctx.close();
  }
});
