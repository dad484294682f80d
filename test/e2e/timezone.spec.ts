/**
 * The suite's browsers convert to the clinic's time zone as the server's zone data does (playwright.config.ts
 * gives them the ICU data that agrees with the database's zone files: Node's, tz 2025c, while the database has
 * tzdata < 2026c; Chromium's own, Casablanca at +00 from late 2026, when it has 2026c+). The server is the
 * reference here (get_clinic_clock), not Node's Intl: Morocco's rules changed in tzdata 2026c (permanent +00
 * from 2026-09-20), and a release that predates it is an hour ahead from then on.
 */
import { expect, test, type Page } from '@playwright/test';
import { LOGINS, PASSWORD, clinicNow, newContext, serverDayOf, serverHHMM } from './helpers';

const INSTANTS = [
  '2026-11-24T23:30:00Z',
  '2026-07-01T12:00:00Z',
  '2026-02-20T12:00:00Z', // Ramadan 2026: +00 in every release
  '2027-02-20T12:00:00Z',
  '2030-01-10T12:00:00Z',
];

test("the suite's browser converts to the clinic's time zone as the server's zone data does", async ({
  page,
}) => {
  await page.goto('/');
  const inBrowser = await page.evaluate(
    (instants) =>
      instants.map((iso) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Africa/Casablanca',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(iso)),
      ),
    INSTANTS,
  );
  const server = await serverHHMM(page, INSTANTS);
  expect(inBrowser).toEqual(server);
  // the rules every release shares: +01 in July 2026, +00 in Ramadan 2026
  expect(server.slice(1, 3)).toEqual(['13:00', '12:00']);
});

test("the suite's clock: the browser, the stack and the database agree on the clinic's day (QUEUEMED_FAKE_NOW too)", async ({
  browser,
}) => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto('/t/demo-visit-amine');
  await expect(page.getByTestId('tracker-ticket')).toBeVisible();
  // the browser's clock is the suite's (page.clock when the suite runs at a pinned time)
  const inPage = await page.evaluate(() => Date.now());
  expect(Math.abs(inPage - clinicNow())).toBeLessThan(5 * 60_000);
  // the stack's clock: a session it issues now expires `expires_in` seconds from its now
  const session = await page.request.post('/auth/v1/token?grant_type=password', {
    headers: { apikey: await anonKey(page), 'content-type': 'application/json' },
    data: { email: LOGINS.owner, password: PASSWORD },
  });
  const { expires_at, expires_in } = (await session.json()) as { expires_at: number; expires_in: number };
  expect(Math.abs((expires_at - expires_in) * 1000 - clinicNow())).toBeLessThan(5 * 60_000);
  // the database seeded Amine's visit on its today at the stack's first start (at most a couple of hours ago)
  const status = await page.request.post('/rest/v1/rpc/get_visit_status', {
    headers: { apikey: await anonKey(page), 'content-type': 'application/json' },
    data: { p_tracking_token: 'demo-visit-amine' },
  });
  expect(status.ok()).toBe(true);
  const visitDay = ((await status.json()) as { day: string }).day;
  expect([
    await serverDayOf(page, clinicNow()),
    await serverDayOf(page, clinicNow() - 2 * 3600_000),
  ]).toContain(visitDay);
  await ctx.close();
});

async function anonKey(page: Page): Promise<string> {
  return ((await (await page.request.get('/config.json')).json()) as { supabaseAnonKey: string })
    .supabaseAnonKey;
}
