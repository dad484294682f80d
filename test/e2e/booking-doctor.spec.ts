/**
 * Issue 17 (doctor20): a patient chooses a doctor on the booking page. A clinic of its own (open 09:00–17:00 every
 * day) with two doctors who offer the consultation; Dr Alami works 09:00–11:00 only. The patient sees Dr Alami's
 * slots only (the morning's first ones of the clinic's), books one, the confirmation and My visits name the doctor.
 * The database still decides: a doctor who stopped offering the type, or who went on leave, while the page was
 * open is refused through the screen with the coded message (BOOKING.PRACTITIONER_NOT_OFFERED, PRACTITIONER.ON_LEAVE).
 * Days are the clinic's own from ITS today (the picker's last days of the fortnight), so any hour passes.
 */
import { expect, test } from '@playwright/test';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import { errorsEn } from '../../src/i18n/locales/errors.en';
import {
  LIVE,
  addDoctor,
  newContext,
  newOwnerClinic,
  pickDoctor,
  randomMobile,
  serverDayOf,
  serviceRest,
  signInByPhone,
} from './helpers';

const errors = errorsEn.errors;

test('a patient chooses a doctor: only their slots, the booking names them; the database refuses a stale choice', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  const { clinicId, slug } = await newOwnerClinic(page, 'doctor', 'Cabinet Doctor');
  const alami = await addDoctor(page, clinicId, 'Dr Alami');
  const bennani = await addDoctor(page, clinicId, 'Dr Bennani');
  const weekdays = [0, 1, 2, 3, 4, 5, 6];
  await serviceRest(
    page,
    'POST',
    'working_hours',
    weekdays.map((weekday) => ({ clinic_id: clinicId, weekday, starts_at: '09:00', ends_at: '17:00' })),
  );
  await serviceRest(
    page,
    'POST',
    'practitioner_hours',
    weekdays.map((weekday) => ({
      clinic_id: clinicId,
      practitioner_id: alami,
      weekday,
      starts_at: '09:00',
      ends_at: '11:00',
    })),
  );
  const [type] = await serviceRest(page, 'POST', 'appointment_types', {
    clinic_id: clinicId,
    name: 'Consultation',
    duration_minutes: 30,
    booking_mode: 'slotted',
    practitioner_ids: [alami, bennani],
  });
  const typeId = String(type!.id);

  // a phone of this run: the patient is new to this clinic
  const phone = randomMobile();
  await signInByPhone(page, phone, `/c/${slug}`);

  const doctors = page.getByRole('group', { name: bookingEn.doctorLegend });
  const days = page.getByRole('group', { name: `2 · ${bookingEn.step2}` }).getByRole('button');
  const slots = page.getByTestId('slots').getByRole('button');
  /** The free times shown for a doctor (or any) on the nth-last day of the picker. */
  const timesOf = async (doctor: string, fromEnd: number): Promise<string[]> => {
    await pickDoctor(page, doctor);
    await expect(days.first()).toBeVisible(LIVE);
    const day = days.nth((await days.count()) - fromEnd);
    await day.click();
    await expect(day).toHaveAttribute('aria-pressed', 'true');
    await expect(slots.first()).toBeVisible(LIVE);
    return (await slots.allTextContents()).map((s) => s.trim());
  };

  // "any doctor" and the two doctors who offer the consultation
  await expect(doctors.getByRole('button')).toHaveText([bookingEn.anyDoctor, 'Dr Alami', 'Dr Bennani'], LIVE);
  const anyTimes = await timesOf(bookingEn.anyDoctor, 1);
  const alamiTimes = await timesOf('Dr Alami', 1);
  // Dr Alami's mornings only: the first of the clinic's times of that day, fewer than the clinic's
  expect(alamiTimes.length).toBeGreaterThan(0);
  expect(alamiTimes.length).toBeLessThan(anyTimes.length);
  expect(anyTimes.slice(0, alamiTimes.length)).toEqual(alamiTimes);

  // book Dr Alami's first time: the confirmation and My visits name the doctor
  await slots.first().click();
  await page.getByLabel(bookingEn.yourName).fill('Karim Alaoui');
  await page.getByRole('button', { name: new RegExp(bookingEn.confirm) }).click();
  await expect(page.getByRole('heading', { name: bookingEn.success })).toBeVisible(LIVE);
  await expect(page.getByTestId('booked-doctor')).toHaveText(`${bookingEn.withDoctor} Dr Alami`);
  await page.goto('/me');
  const upcoming = page.getByRole('region', { name: visitsEn.upcoming }).getByRole('listitem');
  await expect(upcoming).toHaveCount(1, LIVE);
  await expect(upcoming.getByTestId('visit-doctor')).toHaveText(`${visitsEn.doctor} Dr Alami`, LIVE);

  // Dr Bennani chosen, a time picked — then the clinic takes the consultation from him: the database refuses
  await page.goto(`/c/${slug}`);
  await timesOf('Dr Bennani', 2);
  await slots.first().click();
  await serviceRest(page, 'PATCH', `appointment_types?id=eq.${typeId}`, { practitioner_ids: [alami] });
  await page.getByRole('button', { name: new RegExp(bookingEn.confirm) }).click();
  await expect(
    page.getByTestId('toast-error').filter({ hasText: errors['BOOKING.PRACTITIONER_NOT_OFFERED'] }),
  ).toBeVisible(LIVE);
  await expect(page.getByRole('heading', { name: bookingEn.success })).toBeHidden();

  // he offers it again; a time picked — then he goes on leave for the fortnight: refused, and no time left
  await serviceRest(page, 'PATCH', `appointment_types?id=eq.${typeId}`, {
    practitioner_ids: [alami, bennani],
  });
  await page.goto(`/c/${slug}`);
  await timesOf('Dr Bennani', 3);
  await slots.first().click();
  const today = await serverDayOf(page);
  const shift = (d: string, n: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  await serviceRest(page, 'POST', 'practitioner_leave', {
    clinic_id: clinicId,
    practitioner_id: bennani,
    from_day: shift(today, -1),
    to_day: shift(today, 20),
  });
  await page.getByRole('button', { name: new RegExp(bookingEn.confirm) }).click();
  await expect(
    page.getByTestId('toast-error').filter({ hasText: errors['PRACTITIONER.ON_LEAVE'] }),
  ).toBeVisible(LIVE);
  await expect(page.getByText(bookingEn.noSlots)).toBeVisible(LIVE);
  // still one visit, with Dr Alami
  await page.goto('/me');
  await expect(upcoming).toHaveCount(1, LIVE);
  await expect(upcoming.getByTestId('visit-doctor')).toHaveText(`${visitsEn.doctor} Dr Alami`);
  await ctx.close();
});
