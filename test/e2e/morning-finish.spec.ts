/**
 * Issue 15, the morning's last items: the patient's cancel dialog states the clinic's own cancellation notice
 * (not a fixed 120 minutes), and the waiting-room board's QR code opens the clinic's PUBLIC address (deployment
 * config PUBLIC_URL → /config.json `publicUrl`) or, when none is configured and the screen runs on localhost,
 * shows no QR code and says why. Each test builds its own state (service role) and passes at any hour.
 */
import { expect, test, type Page } from '@playwright/test';
import { ar } from '../../src/i18n/locales/ar';
import { en } from '../../src/i18n/locales/en';
import { dashAr } from '../../src/i18n/locales/ui/dash.ar';
import { dashEn } from '../../src/i18n/locales/ui/dash.en';
import { visitsAr } from '../../src/i18n/locales/ui/visits.ar';
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { LIVE, LOGINS, clinicNow, newContext, screenshot, serverDayOf, serviceRest, signIn } from './helpers';

/** A visit built for a test leaves the day's line again, so the suites after it find the seed's queue. */
async function leaveTheLine(page: Page, entryId: string): Promise<void> {
  await serviceRest(page, 'PATCH', `queue_entries?id=eq.${entryId}`, {
    status: 'cancelled',
    cancelled_at: new Date(clinicNow()).toISOString(),
    cancel_reason: 'e2e test done',
  });
}

/** A waiting walk-in of today's queue, followed by its own tracking link `token`. */
async function waitingVisit(page: Page, ticketNumber: number, token: string): Promise<string> {
  const clinic = await clinicRow(page);
  const day = await serverDayOf(page);
  const [queue] = await serviceRest(page, 'GET', `queues?select=id&clinic_id=eq.${clinic.id}&day=eq.${day}`);
  const [patient] = await serviceRest(page, 'POST', 'patients', {
    clinic_id: clinic.id,
    full_name: `Late Patient ${ticketNumber}`,
    preferred_language: 'fr',
  });
  const [entry] = await serviceRest(page, 'POST', 'queue_entries', {
    queue_id: queue!.id,
    clinic_id: clinic.id,
    patient_id: patient!.id,
    kind: 'walk_in',
    status: 'waiting',
    ticket_number: ticketNumber,
    order_key: clinicNow() / 1000 + 3600,
    checked_in_at: new Date(clinicNow()).toISOString(),
    tracking_token_hash: `\\x${createHash('sha256').update(token).digest('hex')}`,
  });
  return String(entry!.id);
}

async function clinicRow(page: Page): Promise<{ id: string; settings: Record<string, unknown> }> {
  const [c] = await serviceRest(page, 'GET', 'clinics?select=id,settings&slug=eq.cabinet-anfa');
  return c as { id: string; settings: Record<string, unknown> };
}

test('My visits: the cancel dialog states the clinic’s own cancellation notice (ar, phone)', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'ar', mobile: true });
  const page = await ctx.newPage();
  const clinic = await clinicRow(page);
  const before = clinic.settings.min_cancel_notice_minutes;
  // a notice other than the default 120, set by the clinic
  await serviceRest(page, 'PATCH', `clinics?id=eq.${clinic.id}`, {
    settings: { ...clinic.settings, min_cancel_notice_minutes: 45 },
  });
  try {
    // a scheduled visit of the demo patient (Amine) later today, built for this test
    const [patient] = await serviceRest(
      page,
      'GET',
      `patients?select=id&clinic_id=eq.${clinic.id}&full_name=eq.Amine%20Tazi&user_id=not.is.null`,
    );
    const day = await serverDayOf(page);
    const [queue] = await serviceRest(
      page,
      'GET',
      `queues?select=id&clinic_id=eq.${clinic.id}&day=eq.${day}`,
    );
    const slot = clinicNow() + 3 * 60 * 60_000;
    const [entry] = await serviceRest(page, 'POST', 'queue_entries', {
      queue_id: queue!.id,
      clinic_id: clinic.id,
      patient_id: patient!.id,
      kind: 'booked',
      status: 'scheduled',
      ticket_number: 871,
      order_key: slot / 1000,
      slot_start: new Date(slot).toISOString(),
      slot_end: new Date(slot + 15 * 60_000).toISOString(),
    });

    await signIn(page, LOGINS.patient, '/me');
    const visit = page
      .getByRole('region', { name: visitsAr.upcoming })
      .getByRole('listitem')
      .filter({ hasText: 'A-871' });
    await visit.getByRole('button', { name: visitsAr.cancel, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(visitsAr.cancelBody.replace('{{minutes}}', '45'));
    await expect(dialog).not.toContainText('120');
    await dialog.getByRole('button', { name: ar.common.close }).click();
    await expect(dialog).toBeHidden();
    await leaveTheLine(page, String(entry!.id));
  } finally {
    await serviceRest(page, 'PATCH', `clinics?id=eq.${clinic.id}`, {
      settings: { ...clinic.settings, min_cancel_notice_minutes: before ?? 120 },
    });
    await ctx.close();
  }
});

test('board on localhost without a public address: no QR code of its own address, and the caption says why (en)', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  await page.goto('/board/cabinet-anfa');
  const qr = page.getByTestId('board-qr');
  await expect(qr.getByTestId('board-qr-note')).toHaveText(en.board.qrNotConfigured);
  await expect(qr.getByRole('img')).toHaveCount(0);
  await expect(qr).not.toContainText('127.0.0.1');
  await ctx.close();
});

test('board with PUBLIC_URL: the QR code opens the clinic’s booking page at that address (ar, and en)', async ({
  browser,
}) => {
  for (const lang of ['ar', 'en'] as const) {
    const ctx = await newContext(browser, { lang });
    const page = await ctx.newPage();
    // the deployment's config as a host with PUBLIC_URL serves it
    await page.route('**/config.json', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as Record<string, unknown>;
      await route.fulfill({ json: { ...body, publicUrl: 'https://queue.cabinet-anfa.example/' } });
    });
    await page.goto('/board/cabinet-anfa');
    const t = lang === 'ar' ? ar : en;
    const img = page.getByTestId('board-qr').getByRole('img', { name: t.board.scan });
    await expect(img).toHaveAttribute('data-qr-url', 'https://queue.cabinet-anfa.example/c/cabinet-anfa');
    await expect(img.locator('svg')).toHaveCount(1);
    await expect(page.getByTestId('board-qr-url')).toHaveText(
      'https://queue.cabinet-anfa.example/c/cabinet-anfa',
    );
    await expect(page.getByTestId('board-qr-note')).toHaveCount(0);
    // the code itself encodes that address: the same modules as the qrcode library draws for it
    const expected = await QRCode.toString('https://queue.cabinet-anfa.example/c/cabinet-anfa', {
      type: 'svg',
      margin: 1,
    });
    const modules = [...expected.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]).pop();
    await expect(img.locator('svg path').last()).toHaveAttribute('d', modules!);
    await ctx.close();
  }
});

for (const c of [
  { lang: 'en', ui: { ...en, dash: dashEn }, mobile: false, ticket: 873, first: 20, other: 45 },
  { lang: 'ar', ui: { ...ar, dash: dashAr }, mobile: true, ticket: 874, first: 30, other: 15 },
] as const) {
  test(`running late (${c.lang}${c.mobile ? ', phone' : ', desktop'}): by how much, confirmed, shown to the desk, undone`, async ({
    browser,
  }) => {
    const ctx = await newContext(browser, { lang: c.lang, mobile: c.mobile });
    const phone = await ctx.newPage();
    const token = `e2e-running-late-${c.ticket}-${clinicNow()}`;
    const entryId = await waitingVisit(phone, c.ticket, token);
    const desk = await (await newContext(browser, { lang: c.lang })).newPage();
    try {
      await phone.goto(`/t/${token}`);
      const by = phone.getByTestId('tracker-late-by');
      await expect(by).toContainText(c.ui.tracker.lateBy);
      await by
        .getByRole('button', {
          name: c.ui.tracker.lateMinutes.replace('{{minutes}}', String(c.first)),
          exact: true,
        })
        .click();
      // confirmed, and the tracker says by how much and until when
      await expect(phone.getByTestId('toast-ok')).toContainText(c.ui.tracker.lateDone);
      const note = phone.getByTestId('tracker-late');
      await expect(note).toContainText(c.ui.tracker.lateDone);
      await expect(phone.getByTestId('tracker-late-until')).toContainText(
        c.ui.tracker.lateUntil.split('{{minutes}}')[0]! + String(c.first),
      );
      await expect(by).toHaveCount(0);

      // the desk sees the amount
      await signIn(desk, LOGINS.reception);
      const deskRow = desk.getByTestId(`row-A-${c.ticket}`);
      await expect(deskRow).toContainText(
        `${c.ui.dash.late} · ${c.ui.tracker.lateMinutes.replace('{{minutes}}', String(c.first))}`,
        LIVE,
      );

      // undo: the note is gone on the phone and at the desk
      await note.getByRole('button', { name: c.ui.tracker.lateUndo }).click();
      await expect(phone.getByTestId('toast-ok').last()).toContainText(c.ui.tracker.lateUndone);
      await expect(note).toHaveCount(0);
      await expect(deskRow).not.toContainText(c.ui.dash.late, LIVE);

      // another amount: out of range (the label says 5–180) is refused on the spot, a valid one is sent
      const other = by.getByLabel(c.ui.tracker.lateOther);
      await other.fill('3');
      await by.getByRole('button', { name: c.ui.tracker.lateSend }).click();
      await expect(other).toHaveAttribute('aria-invalid', 'true');
      await other.fill(String(c.other));
      await by.getByRole('button', { name: c.ui.tracker.lateSend }).click();
      await expect(phone.getByTestId('tracker-late-until')).toContainText(
        c.ui.tracker.lateUntil.split('{{minutes}}')[0]! + String(c.other),
      );
      await expect(deskRow).toContainText(
        `${c.ui.dash.late} · ${c.ui.tracker.lateMinutes.replace('{{minutes}}', String(c.other))}`,
        LIVE,
      );
      await screenshot(phone, `running-late-${c.lang}`);
    } finally {
      await leaveTheLine(phone, entryId);
      await desk.context().close();
      await ctx.close();
    }
  });
}
