/**
 * The clinic's local time in the browser must follow the current IANA rules: Morocco is UTC+1, and UTC+0
 * during Ramadan. Debian's Chromium ships stale rules (UTC+0 all of November 2026), which shows the desk
 * the wrong day between 23:00 and 24:00 UTC; playwright.config.ts gives it Node's ICU zone data. Node's
 * Intl is the reference here.
 */
import { expect, test, type Page } from '@playwright/test';
import { LOGINS, PASSWORD, clinicNow, newContext } from './helpers';

const INSTANTS = [
  '2026-11-24T23:30:00Z',
  '2026-07-01T12:00:00Z',
  '2027-02-20T12:00:00Z',
  '2030-01-10T12:00:00Z',
];
const fmt = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Africa/Casablanca',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));

test("the browser converts to the clinic's time zone as the current IANA rules do", async ({ page }) => {
  await page.goto('/');
  const inBrowser = await page.evaluate(
    (instants) =>
      instants.map((iso) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Africa/Casablanca',
          dateStyle: 'short',
          timeStyle: 'short',
        }).format(new Date(iso)),
      ),
    INSTANTS,
  );
  expect(inBrowser).toEqual(INSTANTS.map(fmt));
  expect(inBrowser[0]).toBe('25/11/2026, 00:30');
});

test("the suite's clock: the browser, the stack and the database agree on the clinic's day (QUEUEMED_FAKE_NOW too)", async ({
  browser,
}) => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto('/t/demo-visit-amine');
  await expect(page.getByTestId('tracker-ticket')).toBeVisible();
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Casablanca' }).format(ms);
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
  expect([day(clinicNow()), day(clinicNow() - 2 * 3600_000)]).toContain(visitDay);
  await ctx.close();
});

async function anonKey(page: Page): Promise<string> {
  return ((await (await page.request.get('/config.json')).json()) as { supabaseAnonKey: string })
    .supabaseAnonKey;
}
