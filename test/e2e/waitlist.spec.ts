/**
 * Issue 17, waitlist and gap filling, as people do it: patient A books a late time, asks in My visits for an
 * earlier one; patient B, booked earlier that day, cancels; the server offers B's time to A (held for the
 * clinic's minutes) and texts A a link to My visits; A follows it and takes the time — the visit moves, B's
 * old time is no longer free on the booking page. The day is one other booking specs leave alone (the
 * fortnight's seventh-last; they take the last three, the fourth-, fifth- and sixth-last), so the spec
 * passes at any hour and under QUEUEMED_FAKE_NOW. The outbox sweep is off in e2e (playwright.config.ts):
 * the spec runs it once, as the stack's timer or pg_cron would.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import { LIVE, LOGINS, lastOtp, newContext, otpMark, serviceRest, serviceRoleKey, signIn } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const ui = { ...uiEn, booking: bookingEn };
// phones no other spec uses (channels.spec has …251; a shared phone shares its patient record and bookings)
const PHONE_A = '0600000271';
const PHONE_B = '0600000272';

async function patient(browser: Browser, phone: string): Promise<Page> {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  await page.goto('/sign-in?as=patient&next=/c/cabinet-anfa');
  await page.getByLabel(ui.auth.phone).fill(phone);
  const sent = await otpMark(page, phone);
  await page.getByRole('button', { name: ui.auth.sendCode }).click();
  await page.getByLabel(ui.auth.code).fill(await lastOtp(page, phone, sent));
  await page.getByRole('button', { name: ui.auth.verify }).click();
  await page.waitForURL((u) => u.pathname === '/c/cabinet-anfa');
  return page;
}

/** The booking page's days (one visit type) and, after choosing `day`, its free times. */
async function openDay(page: Page, pickDay: (count: number) => number) {
  await page.goto('/c/cabinet-anfa');
  const type = page.getByRole('button', { name: /Échographie/ });
  await type.click();
  await expect(type).toHaveAttribute('aria-pressed', 'true');
  const days = page.getByRole('group', { name: `2 · ${ui.booking.step2}` }).getByRole('button');
  await expect(days.first()).toBeVisible(LIVE);
  const count = await days.count();
  expect(count).toBeGreaterThanOrEqual(8);
  const day = days.nth(pickDay(count));
  const dayText = (await day.textContent())!.trim();
  await day.click();
  await expect(days.filter({ hasText: dayText })).toHaveAttribute('aria-pressed', 'true');
  const slots = page.getByTestId('slots').getByRole('button');
  await expect(slots.first()).toBeVisible(LIVE);
  return { dayText, slots };
}

async function book(page: Page, name: string, nth: number): Promise<string> {
  const { slots } = await openDay(page, (c) => c - 7);
  const slot = slots.nth(nth);
  const time = (await slot.textContent())!.trim();
  await slot.click();
  await page.getByLabel(ui.booking.yourName).fill(name);
  await page.getByRole('button', { name: new RegExp(ui.booking.confirm) }).click();
  await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible(LIVE);
  return time;
}

test('a cancelled time is offered to the first patient on the waitlist, texted, and taken from My visits', async ({
  browser,
}) => {
  // B books early in the day, A late
  const b = await patient(browser, PHONE_B);
  const bTime = await book(b, 'Badr Bennani', 2);
  const a = await patient(browser, PHONE_A);
  const aTime = await book(a, 'Asmae Amrani', 9);
  expect(aTime).not.toBe(bTime);

  // A asks for an earlier time in My visits
  await a.goto('/me');
  const aVisits = a.getByRole('region', { name: visitsEn.upcoming }).getByRole('listitem');
  await expect(aVisits).toHaveCount(1, LIVE);
  await aVisits.getByRole('button', { name: visitsEn.waitlist.ask }).click();
  await expect(a.getByTestId('waitlist-status')).toContainText(/no\. \d+/, LIVE);

  // the clinic's staff see A waiting (admin → Queue rules)
  const staffCtx = await newContext(browser, { lang: 'en' });
  const staff = await staffCtx.newPage();
  await signIn(staff, LOGINS.reception, '/admin');
  await staff.getByRole('tab', { name: adminEn.tabs.rules }).click();
  const table = staff.getByRole('table', { name: adminEn.waitlist.title });
  await expect(table.getByRole('row').filter({ hasText: 'Asmae Amrani' })).toContainText(/Waiting/, LIVE);

  // B cancels: the server offers B's time to A
  await b.goto('/me');
  const bVisit = b.getByRole('region', { name: visitsEn.upcoming }).getByRole('listitem');
  await expect(bVisit).toHaveCount(1, LIVE);
  await bVisit.getByRole('button', { name: visitsEn.cancel }).click();
  await b.getByRole('dialog').getByRole('button', { name: 'Cancel visit' }).click();
  await expect(b.getByTestId('toast-ok').filter({ hasText: visitsEn.cancelled })).toBeVisible(LIVE);

  // the outbox sweep texts A the offer, with the link to My visits
  const key = serviceRoleKey();
  const swept = await a.request.post('/functions/v1/notification-sweep', {
    headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    data: { min_age_seconds: 0 },
  });
  expect(swept.ok()).toBe(true);
  // simulated (no Twilio in e2e): the message log holds what was rendered for A
  // (waitlist-sms.spec's patient gets offers too: A's is the one naming A)
  const sent = (
    (await serviceRest(a, 'GET', 'notifications?select=kind,status,body&kind=eq.waitlist_offer')) as {
      body: string;
    }[]
  ).filter((m) => m.body.includes('Asmae'));
  expect(sent, 'one offer message').toHaveLength(1);
  const sms = sent[0] as { status: string; body: string };
  expect(sms.status).toBe('simulated');
  expect(sms.body, 'the offer SMS names the freed time').toContain(bTime);
  const link = /(https?:\/\/\S+\/me)\b/.exec(sms.body)?.[1];
  expect(link, 'the offer SMS links to My visits').toBeTruthy();

  // A follows the link and takes the time
  await a.goto(new URL(link!).pathname);
  const offer = a.getByRole('region', { name: visitsEn.waitlist.offerTitle });
  await expect(offer).toContainText(bTime, LIVE);
  // how long it is still held, by the server's clock (the clinic's 15 minutes, or less if the time is sooner)
  await expect(offer.getByTestId('offer-countdown')).toHaveText(/^([1-9]|1[0-5]) min left to take it$/);
  await offer.getByRole('button', { name: visitsEn.waitlist.accept }).click();
  await expect(a.getByTestId('toast-ok').filter({ hasText: bTime })).toBeVisible(LIVE);
  await expect(aVisits).toHaveCount(1, LIVE);
  await expect(aVisits).toContainText(bTime);
  const past = a.getByRole('region', { name: visitsEn.past }).getByRole('listitem');
  await expect(past.filter({ hasText: aTime })).toContainText(ui.status.cancelled, LIVE);

  // the staff list no longer shows A; B's old time is taken (A's), A's old time is free again
  await staff.reload();
  await staff.getByRole('tab', { name: adminEn.tabs.rules }).click();
  await expect(staff.getByTestId('waitlist-empty')).toBeVisible(LIVE);
  const { slots } = await openDay(a, (c) => c - 7);
  const free = (await slots.allTextContents()).map((s) => s.trim());
  expect(free).not.toContain(bTime);
  expect(free).toContain(aTime);
  await staffCtx.close();
});
