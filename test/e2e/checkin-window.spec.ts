/**
 * Issue 15.6: check-in is refused earlier than the clinic's check_in_window_minutes before the slot, with a
 * message that says from when it opens; the owner sets the window in the Rules tab. The test builds its own
 * visit (a booked patient whose slot is 3 hours from now, inserted with the service role), so it passes at
 * any hour, and leaves it scheduled (it never enters the line) and the window at its default.
 */
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { kioskAr } from '../../src/i18n/locales/ui/kiosk.ar';
import { LOGINS, clinicNow, newContext, serverDayOf, serviceRoleKey, signIn } from './helpers';
import { pairKiosk } from './kioskPairing';

const TICKET = 901;

async function rest(page: Page, method: 'GET' | 'POST', path: string, data?: unknown) {
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

/** A booked visit of today's queue whose slot is 3 hours away (too early to check in by default). */
async function bookedLater(page: Page): Promise<{ ticket: string; token: string }> {
  const clinic = (await (
    await page.request.post('/rest/v1/rpc/get_public_clinic', {
      headers: { apikey: serviceRoleKey(), authorization: `Bearer ${serviceRoleKey()}` },
      data: { p_slug: 'cabinet-anfa' },
    })
  ).json()) as { id: string };
  const [queue] = await rest(
    page,
    'GET',
    // today's queue (later days have queues too once another suite booked ahead, e.g. booking-flow)
    `queues?select=id,day&clinic_id=eq.${clinic.id}&day=eq.${await serverDayOf(page)}`,
  );
  const [patient] = await rest(page, 'POST', 'patients', {
    clinic_id: clinic.id,
    full_name: 'Salim Avance',
    // the kiosk asks for the phone's last 4 digits (kiosk17); this session's e2e phones end in 53
    phone: '+212690100053',
    preferred_language: 'fr',
  });
  const slot = clinicNow() + 3 * 60 * 60_000;
  const token = `e2e-check-in-window-${slot}`;
  await rest(page, 'POST', 'queue_entries', {
    queue_id: queue!.id,
    clinic_id: clinic.id,
    patient_id: patient!.id,
    kind: 'booked',
    status: 'scheduled',
    ticket_number: TICKET,
    order_key: slot / 1000,
    slot_start: new Date(slot).toISOString(),
    slot_end: new Date(slot + 15 * 60_000).toISOString(),
    tracking_token_hash: `\\x${createHash('sha256').update(token).digest('hex')}`,
  });
  return { ticket: `A-${TICKET}`, token };
}

test('check-in too early is refused with the time it opens; the owner sets the window in the Rules tab', async ({
  browser,
}, testInfo) => {
  const ownerCtx = await newContext(browser);
  const kioskCtx = await newContext(browser);
  const owner = await ownerCtx.newPage();
  const kiosk = await kioskCtx.newPage();
  const { ticket } = await bookedLater(owner);

  // The kiosk refuses a visit 3 hours away and says from when check-in opens (default: 60 minutes before).
  await pairKiosk(kiosk);
  await kiosk.getByLabel('Ticket code').fill(ticket);
  await kiosk.getByLabel('Last 4 digits of your phone').fill('0053');
  await kiosk.getByRole('button', { name: 'Check in' }).click();
  await expect(kiosk.getByTestId('toast-error')).toHaveText(
    /Check-in opens 60 minutes before the appointment time\. Please check in from then\./,
  );
  await expect(kiosk.getByTestId('kiosk-done')).toHaveCount(0);
  await testInfo.attach('kiosk: too early (en)', {
    body: await kiosk.screenshot(),
    contentType: 'image/png',
  });

  // The owner finds the window in the Rules tab and changes it; the database applies the clinic's value.
  await signIn(owner, LOGINS.owner, '/admin');
  await owner.getByRole('tab', { name: 'Queue rules' }).click();
  const field = owner.getByLabel('Check-in opens (minutes before the appointment)');
  await expect(field).toHaveValue('60');
  await field.fill('45');
  // the rules form's Save (the tab also holds the remote-join form with its own Save)
  await owner.getByRole('form', { name: 'Queue rules' }).getByRole('button', { name: 'Save' }).click();
  await expect(owner.getByTestId('toast-ok')).toContainText('Saved');
  await owner.reload();
  await owner.getByRole('tab', { name: 'Queue rules' }).click();
  await expect(owner.getByLabel('Check-in opens (minutes before the appointment)')).toHaveValue('45');

  // In Arabic, with the clinic's new window (the plural form Arabic uses for 45).
  await kiosk.getByRole('button', { name: 'AR', exact: true }).click();
  await kiosk.getByLabel(kioskAr.ticket).fill(ticket);
  await kiosk.getByLabel(kioskAr.digits).fill('0053');
  await kiosk.getByRole('button', { name: 'تسجيل الوصول' }).click();
  await expect(kiosk.getByTestId('toast-error').last()).toHaveText(
    /يبدأ تسجيل الوصول قبل وقت الموعد بـ45 دقيقة/,
  );
  await expect(kiosk.getByTestId('kiosk-done')).toHaveCount(0);
  await testInfo.attach('kiosk: too early (ar)', {
    body: await kiosk.screenshot(),
    contentType: 'image/png',
  });

  // back to the default for the suites that follow
  await owner.getByLabel('Check-in opens (minutes before the appointment)').fill('60');
  await owner.getByRole('form', { name: 'Queue rules' }).getByRole('button', { name: 'Save' }).click();
  await expect(owner.getByTestId('toast-ok').last()).toContainText('Saved');
  for (const c of [ownerCtx, kioskCtx]) await c.close();
});
