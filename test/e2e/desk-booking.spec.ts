/**
 * Issue 17: a receptionist takes phone calls and books from the desk — "Book a visit" on the staff dashboard.
 * A new caller (phone …47) gets a slot of a slotted visit type; another (…48) a place in a FLUID visit type's
 * day line (a type made fluid for this spec through the service REST, archived at the end). Both are then found
 * by the desk's patient search with the booked ticket, and both confirmation SMS are in the
 * owner's message log (the server's sweep sends it).
 *
 * Any hour: the bookings are for days after today (the clinic's today from its server clock, pinned with the
 * whole suite by QUEUEMED_FAKE_NOW / page.clock — `npm run test:e2e:night`), so a run near the clinic's midnight
 * finds the same free slots and places as one at noon.
 */
import { expect, test } from '@playwright/test';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { dashEn } from '../../src/i18n/locales/ui/dash.en';
import { en } from '../../src/i18n/locales/en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { recordsEn } from '../../src/i18n/locales/ui/records.en';
import { LOGINS, letterTag, newContext, serviceRest, signIn, sweepUntilLogged } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const ui = { ...uiEn, admin: adminEn, dash: dashEn, records: recordsEn, booking: bookingEn };

test('a receptionist books a slotted visit and a fluid place for callers on the phone; both are found at the desk', async ({
  browser,
}) => {
  const run = letterTag();
  const ctx = await newContext(browser, { lang: 'en' });
  const desk = await ctx.newPage();
  await signIn(desk, LOGINS.reception);
  await expect(desk.getByTestId('dashboard')).toBeVisible();

  const [clinic] = await serviceRest(desk, 'GET', 'clinics?slug=eq.cabinet-anfa&select=id');
  const [fluidType] = await serviceRest(desk, 'POST', 'appointment_types', {
    clinic_id: clinic!.id,
    name: `Vaccination ${run}`,
    duration_minutes: 20,
    booking_mode: 'fluid',
  });

  try {
    const dialog = desk.getByRole('dialog', { name: ui.records.bookTitle });
    // the toast of this caller (the previous one's may still show)
    const book = async (name: string) => {
      await dialog.getByRole('button', { name: ui.records.bookConfirm }).click();
      const toast = desk.getByText(new RegExp(`^Booked A-\\d{3} for ${name},`));
      await expect(toast).toBeVisible();
      await expect(dialog).toBeHidden();
      return (await toast.textContent())!.match(/A-\d{3}/)![0];
    };

    // 1 · a new caller, slotted "Consultation": a day after today, a free slot
    await desk.getByRole('button', { name: ui.dash.bookVisit }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel(ui.records.bookPhone)).toBeFocused();
    // a malformed phone is refused on its field before anything is written
    await dialog.getByLabel(ui.records.bookPhone).fill('06 12 ab');
    await dialog.getByLabel(ui.records.bookName).fill(`سلمى ${run}`);
    await dialog.getByLabel(ui.records.bookType).selectOption({ label: 'Consultation · 15 min' });
    const days = dialog.getByRole('group', { name: ui.booking.step2 }).getByRole('button');
    await expect(days.nth(1)).toBeVisible();
    // a day the other booking specs leave alone (they take the fortnight's last three and the fifth from last)
    await days.nth(Math.max(1, (await days.count()) - 6)).click();
    await dialog.getByTestId('slots').getByRole('button').nth(5).click();
    await dialog.getByRole('button', { name: ui.records.bookConfirm }).click();
    await expect(dialog.getByRole('alert')).toHaveText(en.errors['PHONE.INVALID']);
    await dialog.getByLabel(ui.records.bookPhone).fill('06 12 00 04 47');
    const slotTicket = await book(`سلمى ${run}`);

    // 2 · another caller, the fluid type: a day's place, no time
    await desk.getByRole('button', { name: ui.dash.bookVisit }).click();
    await dialog.getByLabel(ui.records.bookPhone).fill('0612000448');
    await dialog.getByLabel(ui.records.bookName).fill(`Desk Fluid ${run}`);
    await dialog.getByLabel(ui.records.bookType).selectOption({ label: `Vaccination ${run} · 20 min` });
    const fluidDays = dialog.getByTestId('fluid-days').getByRole('button');
    await expect(fluidDays.nth(1)).toBeVisible();
    await expect(dialog.getByTestId('slots')).toHaveCount(0);
    await fluidDays.nth(1).click();
    const fluidTicket = await book(`Desk Fluid ${run}`);

    // both are where the desk finds its patients, with the booked ticket
    await desk.getByRole('button', { name: ui.dash.findPatient }).click();
    const search = desk.getByTestId('patient-search');
    for (const [name, ticket] of [
      [`سلمى ${run}`, slotTicket],
      [`Desk Fluid ${run}`, fluidTicket],
    ] as const) {
      await search.getByLabel(ui.records.searchLabel).fill(name);
      const found = search.getByRole('listitem').filter({ hasText: name });
      await expect(found).toHaveCount(1);
      await expect(found).toContainText(ticket);
    }

    // the confirmation SMS, sent by the server's sweep
    const ownerCtx = await newContext(browser, { lang: 'en' });
    const owner = await ownerCtx.newPage();
    await signIn(owner, LOGINS.owner, '/admin');
    // both callers are confirmed (tickets count per day: two days may both have A-001, so by name too)
    for (const [name, ticket] of [
      [`سلمى ${run}`, slotTicket],
      [`Desk Fluid ${run}`, fluidTicket],
    ] as const) {
      const confirmation = owner
        .getByRole('listitem')
        .filter({ hasText: ui.admin.kinds.booking_confirmed })
        .filter({ hasText: ticket })
        .filter({ hasText: name });
      await sweepUntilLogged(owner, ui.admin.tabs.budget, confirmation);
    }
    await ownerCtx.close();
  } finally {
    await serviceRest(desk, 'PATCH', `appointment_types?id=eq.${String(fluidType!.id)}`, { active: false });
    await ctx.close();
  }
});
