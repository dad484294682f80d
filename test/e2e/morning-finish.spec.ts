/**
 * Issue 15, the morning's last items: the patient's cancel dialog states the clinic's own cancellation notice
 * (not a fixed 120 minutes), and the waiting-room board's QR code opens the clinic's PUBLIC address (deployment
 * config PUBLIC_URL → /config.json `publicUrl`) or, when none is configured and the screen runs on localhost,
 * shows no QR code and says why. Each test builds its own state (service role) and passes at any hour.
 */
import { expect, test, type Page } from '@playwright/test';
import { ar } from '../../src/i18n/locales/ar';
import { en } from '../../src/i18n/locales/en';
import QRCode from 'qrcode';
import { LOGINS, clinicNow, newContext, serviceRest, signIn } from './helpers';

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
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Casablanca' }).format(
      new Date(clinicNow()),
    );
    const [queue] = await serviceRest(
      page,
      'GET',
      `queues?select=id&clinic_id=eq.${clinic.id}&day=eq.${day}`,
    );
    const slot = clinicNow() + 3 * 60 * 60_000;
    await serviceRest(page, 'POST', 'queue_entries', {
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
      .getByRole('region', { name: ar.visits.upcoming })
      .getByRole('listitem')
      .filter({ hasText: 'A-871' });
    await visit.getByRole('button', { name: ar.visits.cancel, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(ar.visits.cancelBody.replace('{{minutes}}', '45'));
    await expect(dialog).not.toContainText('120');
    await dialog.getByRole('button', { name: ar.common.close }).click();
    await expect(dialog).toBeHidden();
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
