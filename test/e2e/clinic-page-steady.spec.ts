/**
 * flakewl19 (issue 14, determinism): a clinic's visit types do not move once they are shown. CI lost a tap in
 * waitlist-sms.spec: the booking card came first and the "join today's queue" line (its own strings, service
 * chunk and RPC) arrived a moment later above it, pushing the types 44 px down, so a tap made while the page was
 * still loading was pressed on "Échographie" and released on the gap above it: no click, aria-pressed stayed
 * "false". The page now shows its cards only once all that goes above the types is there (the join card's
 * line or card, the header's "My visits" — a row of its own on a phone). Each position the button takes is
 * recorded in the page from the first DOM change that shows it (a MutationObserver, before any paint), so
 * there is nothing to time: on the old page the list always held two positions. A visitor on a desktop (en),
 * and a signed-in patient on a phone (ar, right to left).
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { uiAr } from '../../src/i18n/locales/ui/ar';
import { bookingAr } from '../../src/i18n/locales/ui/booking.ar';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';
import { lastOtp, newContext, otpMark } from './helpers';

type Spot = { top: number; left: number };

/** Runs in the page: every position of the "Échographie" button from the DOM change that first shows it. */
function recordTypeButton() {
  const spots: Spot[] = [];
  (window as unknown as { __typeSpots: Spot[] }).__typeSpots = spots;
  const measure = () => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.includes('Échographie'));
    if (!b) return;
    const r = b.getBoundingClientRect();
    const spot = { top: Math.round(r.top + window.scrollY), left: Math.round(r.left + window.scrollX) };
    const last = spots.at(-1);
    if (!last || last.top !== spot.top || last.left !== spot.left) spots.push(spot);
  };
  new MutationObserver(measure).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
}

const spots = (page: Page) => page.evaluate(() => (window as unknown as { __typeSpots: Spot[] }).__typeSpots);

/** Opens the clinic's page with the recorder on; answers once the page is complete (the join line, the days). */
async function openClinic(ctx: BrowserContext, page: Page, step2: string) {
  await ctx.addInitScript(recordTypeButton);
  await page.goto('/c/cabinet-anfa');
  await expect(page.getByTestId('remote-join-closed')).toBeVisible();
  await expect(page.getByRole('button', { name: /Échographie/ })).toBeVisible();
  // the days come with the clinic's clock, below the types: the last thing the page draws
  await expect(
    page
      .getByRole('group', { name: `2 · ${step2}` })
      .getByRole('button')
      .first(),
  ).toBeVisible();
}

async function expectSteadyAndTapped(page: Page) {
  const seen = await spots(page);
  expect(seen.length, 'the visit type was shown').toBeGreaterThan(0);
  expect(seen, 'the visit type never moved once shown').toEqual([seen[0]]);
  const type = page.getByRole('button', { name: /Échographie/ });
  await type.click();
  await expect(type).toHaveAttribute('aria-pressed', 'true');
}

test('a visitor: the visit types stay where they first appear (en, desktop)', async ({ browser }) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  await openClinic(ctx, page, bookingEn.step2);
  await expectSteadyAndTapped(page);
  await ctx.close();
});

test('a signed-in patient: the visit types stay where they first appear (ar, phone)', async ({ browser }) => {
  const ctx = await newContext(browser, { lang: 'ar', mobile: true });
  const page = await ctx.newPage();
  const phone = '0600000293';
  await page.goto('/sign-in?as=patient&next=/c/cabinet-anfa');
  await page.getByLabel(uiAr.auth.phone).fill(phone);
  const sent = await otpMark(page, phone);
  await page.getByRole('button', { name: uiAr.auth.sendCode }).click();
  await page.getByLabel(uiAr.auth.code).fill(await lastOtp(page, phone, sent));
  await page.getByRole('button', { name: uiAr.auth.verify }).click();
  await page.waitForURL((u) => u.pathname === '/c/cabinet-anfa');
  await openClinic(ctx, page, bookingAr.step2); // a fresh load, as a patient's phone opens the link
  await expect(page.getByRole('link', { name: uiAr.nav.myVisits })).toBeVisible();
  await expectSteadyAndTapped(page);
  await ctx.close();
});
