/**
 * Issue 13: clinic times come from the server. This Chromium is launched WITHOUT the suite's ICU zone data,
 * so it keeps Debian's stale Morocco rules (Casablanca at UTC+0 in November 2026 instead of UTC+1). The
 * booking page must still show every free slot at the clinic's real local time: the one Postgres computes
 * (get_clinic_clock) and Node's current ICU agrees with — not the one the browser's own rules give.
 */
import { chromium, expect, test } from '@playwright/test';
import { CLOCK_OFFSET_MS, DESKTOP, LIVE, LOGINS, clinicNow, signIn } from './helpers';

const ZONE = 'Africa/Casablanca';
const hhmm = (iso: string, tz = ZONE) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(
    new Date(iso),
  );

test('a browser with wrong Casablanca rules still shows the right slot times on the booking page', async ({
  baseURL,
}) => {
  const env = { ...process.env } as Record<string, string>;
  delete env.ICU_TIMEZONE_FILES_DIR; // the suite's fix for the stale rules: not for this browser
  const stale = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    env,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const ctx = await stale.newContext({ baseURL: baseURL as string, locale: 'en-GB' });
    if (CLOCK_OFFSET_MS !== 0) await ctx.clock.install({ time: clinicNow() });
    await ctx.addInitScript(() => window.localStorage.setItem('queuemed.language', 'en'));
    const page = await ctx.newPage();

    // pick a working day two or more days ahead (all of its slots are bookable), and read what the server sent
    const answers: Promise<unknown>[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/rest/v1/rpc/get_free_slots') && r.ok()) answers.push(r.json());
    });
    await page.goto('/c/cabinet-anfa');
    const dayButtons = page.locator('fieldset').nth(1).getByRole('button');
    await expect(dayButtons.nth(2)).toBeVisible();
    // the page's first load may still be answering when we click: wait until the slots shown are the newest
    // free-slots answer, then compare
    await dayButtons.nth(2).click();
    let slots: string[] = [];
    await expect
      .poll(
        async () => {
          const last = answers[answers.length - 1];
          if (!last) return 'no answer';
          slots = ((await last) as { start: string }[]).map((s) => s.start);
          const shown = await page.getByTestId('slots').getByRole('button').allTextContents();
          return shown.length === slots.length ? 'same count' : 'differ';
        },
        { timeout: 30_000 },
      )
      .toBe('same count');
    expect(slots.length).toBeGreaterThan(0);

    // this browser's own rules are really wrong for these instants (else the test would prove nothing)
    const browserSays = await page.evaluate(
      ([iso, tz]) =>
        new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(
          new Date(iso),
        ),
      [slots[0] as string, ZONE] as const,
    );
    expect(browserSays).not.toBe(hhmm(slots[0] as string));

    // the page shows the clinic's real local times (the server's offsets), in the server's order
    await expect(page.getByTestId('slots').getByRole('button')).toHaveText(slots.map((s) => hhmm(s)));
    await ctx.close();
  } finally {
    await stale.close();
  }
});

test('a browser with wrong Casablanca rules still shows the right slot times on the desk', async ({
  baseURL,
}) => {
  const env = { ...process.env } as Record<string, string>;
  delete env.ICU_TIMEZONE_FILES_DIR; // the suite's fix for the stale rules: not for this browser
  const stale = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    env,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const ctx = await stale.newContext({ baseURL: baseURL as string, locale: 'en-GB', viewport: DESKTOP });
    if (CLOCK_OFFSET_MS !== 0) await ctx.clock.install({ time: clinicNow() });
    await ctx.addInitScript(() => window.localStorage.setItem('queuemed.language', 'en'));
    const page = await ctx.newPage();
    const queueRead = page.waitForResponse((r) => r.url().includes('/rest/v1/rpc/get_queue') && r.ok());
    await signIn(page, LOGINS.reception);
    const body = (await (await queueRead).json()) as { entries: { slot_start: string | null }[] };
    const slots = body.entries.map((e) => e.slot_start).filter((s): s is string => s !== null);
    expect(slots.length).toBeGreaterThan(0);

    // this browser's own rules are really wrong for today's instants (else the test would prove nothing)
    const browserSays = await page.evaluate(
      ([iso, tz]) =>
        new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(
          new Date(iso),
        ),
      [slots[0] as string, ZONE] as const,
    );
    expect(browserSays).not.toBe(hhmm(slots[0] as string));

    // every slot time the desk shows is a real clinic time of one of today's booked visits
    const shown = page.getByText(/^· Slot \d\d:\d\d$/);
    await expect(shown.first()).toBeVisible(LIVE);
    const expected = new Set(slots.map((s) => `· Slot ${hhmm(s)}`));
    const texts = await shown.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(expected).toContain(text);
    await ctx.close();
  } finally {
    await stale.close();
  }
});
