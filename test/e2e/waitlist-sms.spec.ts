/**
 * Issue 17, rule W6: a waitlist offer taken by SMS reply. Patient A books a late time and asks in My visits for
 * an earlier one; patient B, booked earlier that day, cancels; the outbox sweep texts A the offer, which says
 * to reply 1 to take it; A's reply "1" reaches the stack's twilio-inbound function signed as Twilio signs it
 * (TWILIO_AUTH_TOKEN of playwright.config.ts); A's visit moves and My visits shows the new time; a second "1"
 * is told the slot is already A's; the next sweep sends the booking confirmation of the new time. A forged
 * signature does nothing. Its own day (the fortnight's eighth-last: waitlist.spec takes the seventh-last,
 * other booking specs the last six) and its own phones (…281, …282), so it passes at any hour.
 */
import { createHmac } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import {
  E2E_TWILIO_AUTH_TOKEN,
  LIVE,
  lastOtp,
  newContext,
  otpMark,
  serviceRest,
  serviceRoleKey,
} from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const ui = { ...uiEn, booking: bookingEn };
const PHONE_A = '0600000281';
const PHONE_B = '0600000282';
const E164_A = `+212${PHONE_A.slice(1)}`;

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

async function book(page: Page, name: string, pick: (count: number) => number): Promise<string> {
  await page.goto('/c/cabinet-anfa');
  const type = page.getByRole('button', { name: /Échographie/ });
  await type.click();
  await expect(type).toHaveAttribute('aria-pressed', 'true');
  const days = page.getByRole('group', { name: `2 · ${ui.booking.step2}` }).getByRole('button');
  await expect(days.first()).toBeVisible(LIVE);
  const count = await days.count();
  expect(count).toBeGreaterThanOrEqual(9);
  const day = days.nth(count - 8);
  const dayText = (await day.textContent())!.trim();
  await day.click();
  await expect(days.filter({ hasText: dayText })).toHaveAttribute('aria-pressed', 'true');
  const slots = page.getByTestId('slots').getByRole('button');
  await expect(slots.first()).toBeVisible(LIVE);
  const free = await slots.count();
  expect(free, 'free times that day').toBeGreaterThanOrEqual(3);
  const slot = slots.nth(pick(free));
  const time = (await slot.textContent())!.trim();
  await slot.click();
  await page.getByLabel(ui.booking.yourName).fill(name);
  await page.getByRole('button', { name: new RegExp(ui.booking.confirm) }).click();
  await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible(LIVE);
  return time;
}

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL + each parameter name and value, sorted by name. */
const twilioSignature = (token: string, url: string, params: Record<string, string>) =>
  createHmac('sha1', token)
    .update(
      url +
        Object.keys(params)
          .sort()
          .map((k) => k + params[k])
          .join(''),
    )
    .digest('base64');

/** An SMS from `from` as Twilio posts it to the stack's twilio-inbound function; answers the TwiML. */
async function smsReply(page: Page, from: string, body: string, token = E2E_TWILIO_AUTH_TOKEN) {
  const url = new URL('/functions/v1/twilio-inbound', page.url()).toString();
  const params = { From: from, To: '+212522000111', Body: body, MessageSid: `SMe2e${Date.now()}` };
  const res = await page.request.post(url, {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(token, url, params),
    },
    data: new URLSearchParams(params).toString(),
  });
  return { status: res.status(), text: await res.text() };
}

async function sweep(page: Page) {
  const key = serviceRoleKey();
  const swept = await page.request.post('/functions/v1/notification-sweep', {
    headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    data: { min_age_seconds: 0 },
  });
  expect(swept.ok()).toBe(true);
}

test('a cancelled time is offered by SMS and taken by replying 1; My visits shows the new time', async ({
  browser,
}) => {
  const b = await patient(browser, PHONE_B);
  const bTime = await book(b, 'Bahia Berrada', () => 1);
  const a = await patient(browser, PHONE_A);
  const aTime = await book(a, 'Anas Alaoui', (n) => n - 1); // the day's last free time
  expect(aTime).not.toBe(bTime);

  // A asks for an earlier time in My visits
  await a.goto('/me');
  const aVisits = a.getByRole('region', { name: visitsEn.upcoming }).getByRole('listitem');
  await expect(aVisits).toHaveCount(1, LIVE);
  await expect(aVisits).toContainText(aTime);
  await aVisits.getByRole('button', { name: visitsEn.waitlist.ask }).click();
  await expect(a.getByTestId('waitlist-status')).toContainText(/no\. \d+/, LIVE);

  // B cancels: the server offers B's time to A; the sweep texts it, saying how to answer by SMS
  await b.goto('/me');
  const bVisit = b.getByRole('region', { name: visitsEn.upcoming }).getByRole('listitem');
  await expect(bVisit).toHaveCount(1, LIVE);
  await bVisit.getByRole('button', { name: visitsEn.cancel }).click();
  await b.getByRole('dialog').getByRole('button', { name: 'Cancel visit' }).click();
  await expect(b.getByTestId('toast-ok').filter({ hasText: visitsEn.cancelled })).toBeVisible(LIVE);
  await sweep(a);
  const offers = (
    (await serviceRest(a, 'GET', 'notifications?select=kind,status,body&kind=eq.waitlist_offer')) as {
      body: string;
    }[]
  ).filter((m) => m.body.includes('Anas'));
  expect(offers, 'one offer message for A').toHaveLength(1);
  expect(offers[0]!.body).toContain(bTime);
  expect(offers[0]!.body, 'the offer says to reply 1 or 2').toMatch(/1.*2/);

  // a forged reply does nothing
  expect((await smsReply(a, E164_A, '1', 'not-the-token')).status).toBe(403);

  // A replies "1": taken (the confirmation comes through the outbox, so the TwiML answer is empty)
  const taken = await smsReply(a, E164_A, '1');
  expect(taken.status).toBe(200);
  expect(taken.text).not.toContain('<Message>');

  // My visits shows the new time
  await a.goto('/me');
  await expect(aVisits).toHaveCount(1, LIVE);
  await expect(aVisits).toContainText(bTime, LIVE);
  const past = a.getByRole('region', { name: visitsEn.past }).getByRole('listitem');
  await expect(past.filter({ hasText: aTime })).toContainText(ui.status.cancelled, LIVE);

  // exactly once: a second "1" is told the time is already A's, nothing moves
  const again = await smsReply(a, E164_A, '1');
  expect(again.status).toBe(200);
  expect(again.text).toContain(bTime);
  await a.reload();
  await expect(aVisits).toHaveCount(1, LIVE);
  await expect(aVisits).toContainText(bTime);

  // the confirmation of the new time goes through the outbox
  await sweep(a);
  const confirmations = (
    (await serviceRest(a, 'GET', 'notifications?select=kind,status,body&kind=eq.booking_confirmed')) as {
      body: string;
    }[]
  ).filter((m) => m.body.includes(bTime) && m.body.includes('Anas'));
  expect(confirmations.length, 'a booking confirmation for the new time').toBeGreaterThanOrEqual(1);
});
