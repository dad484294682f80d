/**
 * Issue 20: the owner turns appointment reminders on from the admin page (60 minutes before), and the
 * server's notification sweep — run here as the stack's timer or Supabase's schedule runs it; the e2e server
 * keeps its own timer off — sends the reminder of a visit booked within that window, in simulation mode: the
 * owner finds it in the message log, once, even after a second sweep. The visit is built (service role) 30
 * minutes after the clinic's own now, so the test passes at any hour; it leaves the line after, and the
 * setting is turned off again.
 */
import { expect, test, type Page } from '@playwright/test';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { en } from '../../src/i18n/locales/en';
import { errorsEn } from '../../src/i18n/locales/errors.en';
import { LOGINS, clinicNow, newContext, serviceRest, serviceRoleKey, signIn } from './helpers';

const ui = { ...en, admin: adminEn };
const TICKET = 921; // far above the day's walk-ins (checkin-window.spec uses 901, clinicClock.spec 913)
const NAME = 'Salma Rappel';

async function sweep(page: Page): Promise<void> {
  const key = serviceRoleKey();
  const res = await page.request.post('/functions/v1/notification-sweep', {
    headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    data: {},
  });
  expect(res.status()).toBe(200);
}

/** A booked visit of the latest queue, its slot 30 minutes after the clinic's now, for a patient with a phone. */
async function bookedSoon(page: Page): Promise<string> {
  const [clinic] = await serviceRest(page, 'GET', 'clinics?select=id&slug=eq.cabinet-anfa');
  const [queue] = await serviceRest(
    page,
    'GET',
    `queues?select=id&clinic_id=eq.${clinic!.id}&order=day.desc&limit=1`,
  );
  const [patient] = await serviceRest(page, 'POST', 'patients', {
    clinic_id: clinic!.id,
    full_name: NAME,
    phone: '+212600000921',
    preferred_language: 'en',
  });
  const slotMs = clinicNow() + 30 * 60_000;
  const [entry] = await serviceRest(page, 'POST', 'queue_entries', {
    queue_id: queue!.id,
    clinic_id: clinic!.id,
    patient_id: patient!.id,
    kind: 'booked',
    status: 'scheduled',
    ticket_number: TICKET,
    order_key: slotMs / 1000,
    slot_start: new Date(slotMs).toISOString(),
    slot_end: new Date(slotMs + 15 * 60_000).toISOString(),
  });
  return String(entry!.id);
}

async function openLog(owner: Page): Promise<void> {
  await owner.reload();
  await owner.getByRole('tab', { name: ui.admin.tabs.budget }).click();
}

test('the owner sets reminders to 60 minutes; the sweep sends the reminder of a visit within the window, once', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const owner = await ctx.newPage();
  await signIn(owner, LOGINS.owner, '/admin');
  await owner.getByRole('tab', { name: ui.admin.tabs.templates }).click();
  // the reminders form: the one holding the toggle (the templates editor below has its own Save)
  const section = owner.locator('form').filter({ has: owner.getByRole('checkbox') });
  const toggle = owner.getByRole('checkbox', { name: ui.admin.reminders.on });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  const minutes = owner.getByLabel(ui.admin.reminders.minutes);
  // out of range: named on the form in the admin's language, nothing stored
  await minutes.fill('3000');
  await section.getByRole('button', { name: ui.common.save }).click();
  await expect(owner.getByTestId('reminder-error')).toHaveText(errorsEn.errors['REMINDER.INVALID_MINUTES']);
  await minutes.fill('60');
  await section.getByRole('button', { name: ui.common.save }).click();
  await expect(owner.getByTestId('reminder-error')).toHaveCount(0);
  await expect(owner.getByText(ui.admin.saved).first()).toBeVisible();
  const [clinic] = await serviceRest(
    owner,
    'GET',
    'clinics?select=reminder_minutes_before&slug=eq.cabinet-anfa',
  );
  expect(clinic!.reminder_minutes_before).toBe(60);

  const entryId = await bookedSoon(owner);
  try {
    const reminder = owner
      .getByRole('listitem')
      .filter({ hasText: ui.admin.kinds.appointment_reminder })
      .filter({ hasText: NAME });
    await sweep(owner);
    await openLog(owner);
    await expect(reminder).toHaveCount(1);
    await expect(reminder).toContainText('simulated');
    await expect(reminder).toContainText(/reminder of your appointment on \d{2}\/\d{2} \d{2}:\d{2}/);
    await expect(reminder).toContainText('A-921');

    // a second sweep owes nothing more: still one reminder
    await sweep(owner);
    await openLog(owner);
    await expect(owner.getByRole('listitem').filter({ hasText: NAME }).first()).toBeVisible();
    await expect(reminder).toHaveCount(1);
  } finally {
    await serviceRest(owner, 'PATCH', `queue_entries?id=eq.${entryId}`, {
      status: 'cancelled',
      cancelled_at: new Date(clinicNow()).toISOString(),
      cancel_reason: 'e2e test done',
    });
    await serviceRest(owner, 'PATCH', 'clinics?slug=eq.cabinet-anfa', { reminder_minutes_before: null });
    await ctx.close();
  }
});
