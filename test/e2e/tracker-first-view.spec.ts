/**
 * The tracker's first view comes in the HTML (issue 14, lcp23: LCP < 1.5 s on slow 4G). A clinic of its own, the
 * database clock held on today: two walk-ins waiting, the second one's private link. With JavaScript disabled the
 * patient still reads their ticket and place in line, in Arabic, right to left — the server rendered them. With
 * JavaScript the browser hydrates that markup (no hydration error in the console, no second status request) and
 * the page stays live: the first walk-in leaves the line and the place shown becomes 1 without a reload.
 */
import { createHash } from 'node:crypto';
import { expect, test, type ConsoleMessage } from '@playwright/test';
import { uiAr } from '../../src/i18n/locales/ui/ar';
import { LIVE, holdClinicDay, newContext, newOwnerClinic, pinDatabaseClock, serviceRest } from './helpers';

const sha = (token: string) => `\\x${createHash('sha256').update(token).digest('hex')}`;

test('the tracker shows its visit without JavaScript, then hydrates and stays live (ar, RTL)', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'ar', mobile: true });
  const page = await ctx.newPage();
  const { clinicId } = await newOwnerClinic(page, 'firstview', 'عيادة العرض الأول');
  const { today, at } = await holdClinicDay(page);
  try {
    const [queue] = await serviceRest(page, 'POST', 'queues', { clinic_id: clinicId, day: today });
    const patients = await serviceRest(page, 'POST', 'patients', [
      { clinic_id: clinicId, full_name: 'أمينة الأولى', preferred_language: 'ar' },
      { clinic_id: clinicId, full_name: 'سلمى الثانية', preferred_language: 'ar' },
    ]);
    const token = `e2e-first-view-${crypto.randomUUID()}`;
    const entries = await serviceRest(
      page,
      'POST',
      'queue_entries',
      patients.map((p, i) => ({
        queue_id: queue!['id'],
        clinic_id: clinicId,
        patient_id: p['id'],
        kind: 'walk_in',
        status: 'waiting',
        ticket_number: i + 1,
        order_key: i + 1,
        checked_in_at: at,
        tracking_token_hash: sha(i === 1 ? token : `${token}-first`),
      })),
    );

    // the server's estimator stores these visits' waits a moment after they arrive (debounced, then a Deno call),
    // and that store touches the queue row: a tracker already open then rightly reads its status again. Wait for
    // it, so the page below meets a settled queue (s30: one status read on a cold stack, where it came late)
    await expect
      .poll(
        async () =>
          (
            await serviceRest(
              page,
              'GET',
              `queue_entry_estimates?queue_id=eq.${String(queue!['id'])}&select=entry_id`,
            )
          ).length,
        { timeout: 30_000 },
      )
      .toBe(2);

    // JavaScript off: what the server rendered is all there is
    const bare = await browser.newContext({
      javaScriptEnabled: false,
      locale: 'ar-MA',
      viewport: { width: 390, height: 844 },
    });
    const still = await bare.newPage();
    await still.goto(`/t/${token}`);
    await expect(still.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(still.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(still.getByTestId('tracker-ticket')).toBeVisible();
    await expect(still.getByTestId('tracker-ticket')).toHaveText(/002/);
    await expect(still.getByTestId('tracker-position')).toHaveText('2');
    await expect(still.getByText('عيادة العرض الأول')).toBeVisible();
    await expect(still.getByText(uiAr.status.waiting).first()).toBeVisible();
    // the server's buttons wait for the page's script: a tap on them before hydration went nowhere (fin28b: a
    // phone's "30 min late" tap lost, no toast, no note)
    const stillLate = still.getByTestId('tracker-late-by');
    await expect(stillLate.getByRole('button')).toHaveCount(4);
    for (const b of await stillLate.getByRole('button').all()) await expect(b).toBeDisabled();
    await bare.close();

    // JavaScript on: hydrated, not re-rendered; no second status request; live
    const problems: string[] = [];
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const statusReads: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/rpc/get_tracker_view')) statusReads.push(r.url());
    });
    // the ticket's element as the HTML parser made it: hydration keeps it, a fresh render would replace it
    await page.addInitScript(() => {
      const w = window as unknown as { firstTicket?: Element };
      new MutationObserver((_, obs) => {
        const el = document.querySelector('[data-testid="tracker-ticket"]');
        if (el) {
          w.firstTicket = el;
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const joined = page.waitForResponse((r) => r.url().includes('/rest/v1/queues?') && r.ok());
    await page.goto(`/t/${token}`);
    await expect(page.getByTestId('tracker-position')).toHaveText('2');
    await joined; // subscribed, and the version checked: the page is live
    for (const b of await page.getByTestId('tracker-late-by').getByRole('button').all())
      await expect(b).toBeEnabled();
    expect(statusReads).toEqual([]);
    expect(
      await page.evaluate(() => {
        const first = (window as unknown as { firstTicket?: Element }).firstTicket;
        return !!first && first === document.querySelector('[data-testid="tracker-ticket"]');
      }),
    ).toBe(true);
    expect(problems).toEqual([]);

    // the first walk-in leaves the line (the queue's version moves): the place shown follows, no reload
    await serviceRest(page, 'PATCH', `queue_entries?id=eq.${String(entries[0]!['id'])}`, {
      status: 'cancelled',
    });
    const [{ version }] = (await serviceRest(
      page,
      'GET',
      `queues?select=version&id=eq.${String(queue!['id'])}`,
    )) as [{ version: number }];
    await serviceRest(page, 'PATCH', `queues?id=eq.${String(queue!['id'])}`, { version: version + 1 });
    await expect(page.getByTestId('tracker-position')).toHaveText('1', LIVE);
    expect(problems).toEqual([]);
  } finally {
    await pinDatabaseClock(page, null);
    await ctx.close();
  }
});
