/**
 * Issues 13 and 14: clinic times come from the server. These pages run in a Chromium whose own rules for
 * Africa/Casablanca disagree with the server's (`withWrongChromium`: Debian's ICU, +00 from late 2026, when the
 * database has tzdata < 2026c; Node's ICU, +01, when it has 2026c+). Every screen must still show clinic times
 * as the server computes them (get_clinic_clock, the database's zone data) — the oracle here too, never Node's
 * Intl, whose zone rules are of yet another release.
 */
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import {
  DESKTOP,
  LIVE,
  LOGINS,
  MOBILE,
  clinicNow,
  serverHHMM,
  serviceRest,
  signIn,
  withWrongChromium,
} from './helpers';

const ZONE = 'Africa/Casablanca';
/** The server's HH:mm of `iso` (asked through the suite's own page). */
const hhmm = async (oracle: Page, iso: string) => (await serverHHMM(oracle, [iso]))[0]!;
/** A browser whose rules disagree with the server's now (the probe instant). */
const wrongBrowser = async <T>(
  oracle: Page,
  baseURL: string,
  options: Parameters<typeof withWrongChromium>[3],
  fn: Parameters<typeof withWrongChromium<T>>[4],
): Promise<T> => {
  const probe = new Date(clinicNow()).toISOString();
  return withWrongChromium(baseURL, await hhmm(oracle, probe), probe, options, fn);
};
/** What this browser's own (wrong) rules say: must differ, else the test would prove nothing. */
const browserSays = (page: Page, iso: string) =>
  page.evaluate(
    ([i, tz]) =>
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(
        new Date(i),
      ),
    [iso, ZONE] as const,
  );

test('a browser with wrong Casablanca rules still shows the right slot times on the booking page', async ({
  baseURL,
  page: oracle,
}) => {
  await wrongBrowser(oracle, baseURL as string, {}, async (ctx) => {
    const page = await ctx.newPage();
    // pick a working day two or more days ahead (all of its slots are bookable), and read what the server sent
    const answers: Promise<unknown>[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/rest/v1/rpc/get_free_slots') && r.ok()) answers.push(r.json());
    });
    await page.goto('/c/cabinet-anfa');
    // the day step by its legend ("2 · …"): the demo clinic now lists its doctors as a step of their own, and the
    // second fieldset was the doctors' — the test picked the third DOCTOR for today, which has no slot left after the
    // clinic's hours (it failed every evening)
    const dayButtons = page
      .locator('fieldset')
      .filter({ has: page.locator('legend', { hasText: /^2 · / }) })
      .getByRole('button');
    await expect(dayButtons.nth(2)).toBeVisible();
    // the first day two or more steps ahead that has slots: which days the step lists depends on the hour (after the
    // clinic's hours today is gone, and a closed weekend day can then sit at the third place — it failed at 23:30
    // Casablanca). For each day clicked: wait until the slots shown are the newest free-slots answer (the page's
    // first load may still be answering when we click), then compare.
    let slots: string[] = [];
    const days = await dayButtons.count();
    for (let d = 2; d < days && slots.length === 0; d++) {
      const before = answers.length;
      await dayButtons.nth(d).click();
      await expect
        .poll(
          async () => {
            if (answers.length <= before && d > 2) return 'no answer';
            const last = answers[answers.length - 1];
            if (!last) return 'no answer';
            slots = ((await last) as { start: string }[]).map((s) => s.start);
            const shown = await page.getByTestId('slots').getByRole('button').allTextContents();
            return shown.length === slots.length ? 'same count' : 'differ';
          },
          { timeout: 30_000 },
        )
        .toBe('same count');
    }
    expect(slots.length).toBeGreaterThan(0);
    const expected = await serverHHMM(oracle, slots);
    expect(await browserSays(page, slots[0]!)).not.toBe(expected[0]);

    // the page shows the clinic's local times by the server's zone data, in the server's order
    await expect(page.getByTestId('slots').getByRole('button')).toHaveText(expected);
  });
});

test('a browser with wrong Casablanca rules still shows the right slot times on the desk', async ({
  baseURL,
  page: oracle,
}) => {
  await wrongBrowser(oracle, baseURL as string, { viewport: DESKTOP }, async (ctx) => {
    const page = await ctx.newPage();
    const queueRead = page.waitForResponse((r) => r.url().includes('/rest/v1/rpc/get_queue') && r.ok());
    await signIn(page, LOGINS.reception);
    const body = (await (await queueRead).json()) as { entries: { slot_start: string | null }[] };
    const slots = body.entries.map((e) => e.slot_start).filter((s): s is string => s !== null);
    expect(slots.length).toBeGreaterThan(0);
    const times = await serverHHMM(oracle, slots);
    expect(await browserSays(page, slots[0]!)).not.toBe(times[0]);

    // every slot time the desk shows is the server's clinic time of one of today's booked visits
    const shown = page.getByText(/^· Slot \d\d:\d\d$/);
    await expect(shown.first()).toBeVisible(LIVE);
    const expected = new Set(times.map((t) => `· Slot ${t}`));
    const texts = await shown.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(expected).toContain(text);
  });
});

const TICKET = 913;

/** A booked visit of today's queue, 2 hours ahead, with its own tracking link (built with the service role). */
async function bookedWithLink(page: Page): Promise<{ token: string; slot: string }> {
  const [clinic] = await serviceRest(page, 'GET', 'clinics?select=id&slug=eq.cabinet-anfa');
  const [queue] = await serviceRest(
    page,
    'GET',
    `queues?select=id&clinic_id=eq.${clinic!.id}&order=day.desc&limit=1`,
  );
  const [patient] = await serviceRest(page, 'POST', 'patients', {
    clinic_id: clinic!.id,
    full_name: 'Rania Horaire',
    preferred_language: 'fr',
  });
  const slotMs = clinicNow() + 2 * 60 * 60_000;
  const token = `e2e-clinic-clock-${slotMs}`;
  await serviceRest(page, 'POST', 'queue_entries', {
    queue_id: queue!.id,
    clinic_id: clinic!.id,
    patient_id: patient!.id,
    kind: 'booked',
    status: 'scheduled',
    ticket_number: TICKET, // far above the day's walk-ins (checkin-window.spec uses 901)
    order_key: slotMs / 1000,
    slot_start: new Date(slotMs).toISOString(),
    slot_end: new Date(slotMs + 15 * 60_000).toISOString(),
    tracking_token_hash: `\\x${createHash('sha256').update(token).digest('hex')}`,
  });
  return { token, slot: new Date(slotMs).toISOString() };
}

test("a browser with wrong Casablanca rules still shows the right slot time on the patient's tracker", async ({
  baseURL,
  page: oracle,
}) => {
  await wrongBrowser(oracle, baseURL as string, { viewport: MOBILE, isMobile: true }, async (ctx) => {
    const page = await ctx.newPage();
    const { token, slot } = await bookedWithLink(page);
    const expected = await hhmm(oracle, slot);
    expect(await browserSays(page, slot)).not.toBe(expected);
    await page.goto(`/t/${token}`);
    await expect(page.getByTestId('tracker')).toContainText(`Booked for ${expected}.`);
  });
});

test('a browser with wrong Casablanca rules still shows the clinic time on the waiting-room board', async ({
  baseURL,
  page: oracle,
}) => {
  await wrongBrowser(oracle, baseURL as string, {}, async (ctx) => {
    // the board's clock face reads the browser's clock: fix it, so the minute shown is known
    const at = new Date(Math.floor(clinicNow() / 60_000) * 60_000 + 20_000);
    await ctx.clock.setFixedTime(at);
    const page = await ctx.newPage();
    await page.goto('/board/cabinet-anfa');
    const expected = await hhmm(oracle, at.toISOString());
    expect(await browserSays(page, at.toISOString())).not.toBe(expected);
    await expect(page.getByTestId('board-clock')).toHaveText(expected, LIVE);
  });
});
