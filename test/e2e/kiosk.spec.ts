/**
 * kiosk17: the tablet is paired by a receptionist (who is signed out of it right after) and runs on its kiosk
 * device token; a patient checks in with the ticket AND the last 4 digits of their phone — a wrong answer says
 * "not found", the right one checks in. Unpairing it from the staff screen stops it at once.
 * Issue 15.5: the kiosk at the entrance is a patient screen, not the staff app — no "Queue" tab, no "Sign out",
 * no "Signed in as", no link out of it — and it starts over by itself after each patient: the success screen
 * goes back to an empty form after 10 seconds (Playwright's clock moves the time; nothing waits for real).
 * The test books its own visit a few minutes from now (inserted with the service role), so it passes at any
 * hour. English on a desktop-sized tablet, Arabic on a phone-sized one.
 */
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { ar } from '../../src/i18n/locales/ar';
import { en } from '../../src/i18n/locales/en';
import { kioskAr } from '../../src/i18n/locales/ui/kiosk.ar';
import { kioskEn } from '../../src/i18n/locales/ui/kiosk.en';
import {
  CLOCK_OFFSET_MS,
  LOGINS,
  clinicNow,
  expectAccessible,
  newContext,
  serverDayOf,
  serviceRoleKey,
  signIn,
} from './helpers';
import { pairKiosk } from './kioskPairing';

async function rest(page: Page, method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown) {
  const key = serviceRoleKey();
  const res = await page.request.fetch(`/rest/v1/${path}`, {
    method,
    headers: {
      apikey: key,
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      prefer: 'return=representation',
    },
    ...(data ? { data } : {}),
  });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return (await res.json()) as Record<string, unknown>[];
}

/** A booked visit of today's queue a few minutes from now (inside the check-in window). */
async function bookedSoon(page: Page, ticketNumber: number): Promise<{ ticket: string; entryId: string }> {
  const clinic = (await (
    await page.request.post('/rest/v1/rpc/get_public_clinic', {
      headers: { apikey: serviceRoleKey(), authorization: `Bearer ${serviceRoleKey()}` },
      data: { p_slug: 'cabinet-anfa' },
    })
  ).json()) as { id: string };
  const [queue] = await rest(
    page,
    'GET',
    // today's queue (later days have queues too once other suites book ahead)
    `queues?select=id,day&clinic_id=eq.${clinic.id}&day=eq.${await serverDayOf(page)}`,
  );
  const [patient] = await rest(page, 'POST', 'patients', {
    clinic_id: clinic.id,
    full_name: 'Kenza Kiosque',
    // this session's e2e phones end in 53: the kiosk asks for the last 4 digits, 0053
    phone: `+2126${ticketNumber}00053`,
    preferred_language: 'fr',
  });
  const slot = clinicNow() + 10 * 60_000;
  const [entry] = await rest(page, 'POST', 'queue_entries', {
    queue_id: queue!.id,
    clinic_id: clinic.id,
    patient_id: patient!.id,
    kind: 'booked',
    status: 'scheduled',
    ticket_number: ticketNumber,
    order_key: slot / 1000,
    slot_start: new Date(slot).toISOString(),
    slot_end: new Date(slot + 15 * 60_000).toISOString(),
    tracking_token_hash: `\\x${createHash('sha256').update(`e2e-kiosk-${ticketNumber}-${slot}`).digest('hex')}`,
  });
  return { ticket: `A-${ticketNumber}`, entryId: String(entry!.id) };
}

/**
 * The visit this test checked in leaves the day's line again (cancelled), so the suites after it — the
 * morning's board shows the next eight tickets — find the queue as the seed made it.
 */
async function leaveTheLine(page: Page, entryId: string): Promise<void> {
  await rest(page, 'PATCH', `queue_entries?id=eq.${entryId}`, {
    status: 'cancelled',
    cancelled_at: new Date(clinicNow()).toISOString(),
    cancel_reason: 'e2e kiosk test done',
  });
}

const CASES = [
  { lang: 'en', ui: { ...en, kiosk: kioskEn }, mobile: false, ticketNumber: 951 },
  { lang: 'ar', ui: { ...ar, kiosk: kioskAr }, mobile: true, ticketNumber: 952 },
] as const;

for (const c of CASES) {
  test(`the kiosk has no way into the staff app and starts over 10 s after each patient (${c.lang}, ${c.mobile ? 'phone' : 'desktop'})`, async ({
    browser,
  }, testInfo) => {
    const ctx = await newContext(browser, { lang: c.lang, mobile: c.mobile });
    if (CLOCK_OFFSET_MS === 0) await ctx.clock.install({ time: clinicNow() });
    const kiosk = await ctx.newPage();
    const ui = c.ui;
    await pairKiosk(kiosk, ui.kiosk, `e2e kiosk ${c.lang} ${c.ticketNumber}`);
    const input = kiosk.getByLabel(ui.kiosk.ticket);
    const digits = kiosk.getByLabel(ui.kiosk.digits);
    await expect(input).toBeVisible();

    // nothing leads out of the kiosk
    await expect(kiosk.getByRole('link', { name: ui.nav.dashboard })).toHaveCount(0);
    await expect(kiosk.getByRole('link', { name: ui.nav.admin })).toHaveCount(0);
    await expect(kiosk.getByRole('button', { name: ui.nav.signOut })).toHaveCount(0);
    await expect(kiosk.getByTestId('signed-in-as')).toHaveCount(0);
    await expect(kiosk.locator('a[href="/"], a[href="/staff"], a[href="/admin"]')).toHaveCount(0);
    // the patient still picks their language
    await expect(kiosk.getByRole('group', { name: ui.app.language })).toBeVisible();
    // the paired kiosk's own screen (the staff side is in a11y-screens)
    await expectAccessible(kiosk, `kiosk paired ${c.lang}`);

    const { ticket, entryId } = await bookedSoon(kiosk, c.ticketNumber);
    // a wrong answer: the same "not found" as for an unknown ticket, nobody is checked in
    await input.fill(ticket);
    await digits.fill('1234');
    await kiosk.getByRole('button', { name: ui.kiosk.submit }).click();
    await expect(kiosk.getByRole('alert')).toHaveText(ui.kiosk.notFound);
    await digits.fill('0053');
    await kiosk.getByRole('button', { name: ui.kiosk.submit }).click();
    const done = kiosk.getByTestId('kiosk-done');
    await expect(done).toContainText(ticket);
    await testInfo.attach(`kiosk: checked in (${c.lang})`, {
      body: await kiosk.screenshot(),
      contentType: 'image/png',
    });

    // ten seconds later (the page's clock, moved by the test) the next patient finds an empty form
    await kiosk.clock.runFor(10_000);
    await expect(done).toHaveCount(0);
    await expect(input).toBeVisible();
    await expect(input).toHaveValue('');
    await expect(digits).toHaveValue('');
    await testInfo.attach(`kiosk: ready for the next patient (${c.lang})`, {
      body: await kiosk.screenshot(),
      contentType: 'image/png',
    });
    await leaveTheLine(kiosk, entryId);

    // the receptionist unpairs it from the staff screen (another browser): the kiosk stops at once
    const staffCtx = await newContext(browser, { lang: c.lang });
    const staff = await staffCtx.newPage();
    await signIn(staff, LOGINS.reception, '/kiosk');
    const mine = staff
      .getByTestId('kiosk-device')
      .filter({ hasText: `e2e kiosk ${c.lang} ${c.ticketNumber}` });
    await mine.getByRole('button', { name: ui.kiosk.revoke }).click();
    await expect(mine).toContainText(ui.kiosk.revoked);
    await unpairAll(staff);
    await kiosk.reload();
    await expect(kiosk.getByRole('alert')).toHaveText(ui.kiosk.notPaired);
    await expect(kiosk.getByLabel(ui.kiosk.ticket)).toHaveCount(0);
    await staffCtx.close();
    await ctx.close();
  });
}

/** The suites after this one find no paired kiosk left over (a clinic pairs at most 20). */
async function unpairAll(page: Page): Promise<void> {
  await rest(page, 'PATCH', 'kiosk_devices?revoked_at=is.null', {
    revoked_at: new Date(clinicNow()).toISOString(),
  });
}
