/**
 * Issue 17, F7 at the desk: a receptionist books a caller a place in a FLUID visit type's line with a chosen
 * doctor, as for a slotted type. A clinic of its own (open 09:00–17:00 every day) with Dr Alami, on leave on one
 * day of the fortnight the dialog lists: choosing her leaves that day out of the days offered (it is offered for
 * "any doctor"), and the place booked is in her line (the visit's doctor, read back as the service role). The
 * clinic's day is held still (database clock pinned) so the listed days do not move.
 */
import { expect, test } from '@playwright/test';
import { dashEn } from '../../src/i18n/locales/ui/dash.en';
import { recordsEn } from '../../src/i18n/locales/ui/records.en';
import {
  LIVE,
  addDoctor,
  holdClinicDay,
  letterTag,
  newContext,
  newOwnerClinic,
  openEveryDay,
  pinDatabaseClock,
  randomMobile,
  serviceRest,
  signIn,
} from './helpers';

test('F7 at the desk: a fluid place with a chosen doctor — her leave day not offered, the place in her line', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const desk = await ctx.newPage();
  const { email, clinicId } = await newOwnerClinic(desk, 'deskfluid', 'Cabinet Desk Fluide');
  const { today } = await holdClinicDay(desk);
  try {
    const alami = await addDoctor(desk, clinicId, 'Dr Alami');
    await openEveryDay(desk, clinicId, '09:00', '17:00');
    const run = letterTag();
    await serviceRest(desk, 'POST', 'appointment_types', {
      clinic_id: clinicId,
      name: `Vaccin ${run}`,
      duration_minutes: 20,
      booking_mode: 'fluid',
    });
    const leaveDay = new Date(Date.parse(`${today}T12:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    await serviceRest(desk, 'POST', 'practitioner_leave', {
      clinic_id: clinicId,
      practitioner_id: alami,
      from_day: leaveDay,
      to_day: leaveDay,
    });

    await signIn(desk, email);
    await desk.getByRole('button', { name: dashEn.bookVisit }).click();
    const dialog = desk.getByRole('dialog', { name: recordsEn.bookTitle });
    await expect(dialog).toBeVisible(LIVE);
    const phone = randomMobile();
    await dialog.getByLabel(recordsEn.bookPhone).fill(phone);
    await dialog.getByLabel(recordsEn.bookName).fill(`سلمى ${run}`);
    await dialog.getByLabel(recordsEn.bookType).selectOption({ label: `Vaccin ${run} · 20 min` });
    const days = dialog.getByTestId('fluid-days').getByRole('button');
    await expect(days.nth(3)).toBeVisible(LIVE);
    const anyDoctor = await days.allTextContents();

    // Dr Alami: the same choice as for a slotted type; her leave day is gone, every other day stays
    await dialog.getByLabel(recordsEn.bookPractitioner).selectOption({ label: 'Dr Alami' });
    await expect(days).toHaveCount(anyDoctor.length - 1, LIVE);
    const hers = await days.allTextContents();
    expect(anyDoctor.filter((d) => !hers.includes(d))).toHaveLength(1);

    await days.nth(1).click();
    await dialog.getByRole('button', { name: recordsEn.bookConfirm }).click();
    await expect(desk.getByText(new RegExp(`^Booked A-\\d{3} for سلمى ${run},`))).toBeVisible(LIVE);
    await expect(dialog).toBeHidden();
    const visits = await serviceRest(
      desk,
      'GET',
      `queue_entries?clinic_id=eq.${clinicId}&select=practitioner_id,slot_start,status`,
    );
    expect(visits).toEqual([{ practitioner_id: alami, slot_start: null, status: 'scheduled' }]);
  } finally {
    await pinDatabaseClock(desk, null);
    await ctx.close();
  }
});
