/**
 * The clinic's local time in the browser must follow the current IANA rules: Morocco is UTC+1, and UTC+0
 * during Ramadan. Debian's Chromium ships stale rules (UTC+0 all of November 2026), which shows the desk
 * the wrong day between 23:00 and 24:00 UTC; playwright.config.ts gives it Node's ICU zone data. Node's
 * Intl is the reference here.
 */
import { expect, test } from '@playwright/test';

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
