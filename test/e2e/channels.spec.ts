/**
 * Issue 20, as people reach it: an owner sets the clinic's default channel (Admin → SMS templates → Default
 * channel) and it holds after a reload and on the server; the owner's message log shows an SMS sent in place of
 * a refused email (linking to it) and a hard bounce on that email; a patient changes how the clinic writes to
 * them from My visits (ContactPreferencesCard) — email without an address is refused on the spot, with one it is
 * saved on their record and shown again after a reload; the address gets nothing until the patient confirms it
 * with the code mailed to it (email18), and then the clinic's next message is mailed there.
 * The admin test has a clinic of its own (a fresh owner through create_clinic, as the app's sign-up does);
 * the patient books at the seeded clinic on a day the other booking specs leave alone.
 */
import { expect, test } from '@playwright/test';
import { en } from '../../src/i18n/locales/en';
import { adminEn } from '../../src/i18n/locales/ui/admin.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';
import { emailProofEn } from '../../src/i18n/locales/ui/emailProof.en';
import { visitsEn } from '../../src/i18n/locales/ui/visits.en';
import {
  LIVE,
  lastEmailCode,
  newContext,
  newOwnerClinic,
  serviceRest,
  serviceRoleKey,
  signIn,
  signInByPhone,
  sweepOwedNow,
} from './helpers';

const ui = { ...uiEn, booking: bookingEn };

const PHONE = '0600000251';

test('an owner sets the default channel (kept after a reload and on the server); the message log shows a fallback SMS and a hard bounce', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const admin = await ctx.newPage();
  const { email, clinicId, slug } = await newOwnerClinic(admin, 'channels', 'Cabinet Canaux');
  const run = slug.slice('channels-'.length);

  // Admin → SMS templates → Default channel: none at first; the owner chooses email and saves
  await signIn(admin, email, '/admin');
  const openTemplates = async () => {
    await admin.getByRole('tab', { name: adminEn.tabs.templates }).click();
    return admin.getByLabel(adminEn.defaultChannel.label);
  };
  let select = await openTemplates();
  await expect(select).toHaveValue('', LIVE);
  await select.selectOption({ label: adminEn.channels.email });
  const section = admin.locator('form').filter({ has: select });
  await section.getByRole('button', { name: en.common.save }).click();
  await expect
    .poll(
      async () => (await serviceRest(admin, 'GET', `clinics?id=eq.${clinicId}&select=default_channel`))[0],
    )
    .toEqual({ default_channel: 'email' });
  await admin.reload();
  select = await openTemplates();
  await expect(select).toHaveValue('email', LIVE);

  // the message log: a confirmation email refused for good (a hard bounce) and the SMS sent in its place
  const [mail] = await serviceRest(admin, 'POST', 'notifications', {
    clinic_id: clinicId,
    kind: 'booking_confirmed',
    channel: 'email',
    status: 'failed',
    language: 'fr',
    body: `Bonjour ${run}, votre rendez-vous est confirmé.`,
    idempotency_key: `e2e:${run}`,
    segments: 0,
    error: '550 5.1.1 Recipient address rejected',
    hard_bounce: true,
  });
  await serviceRest(admin, 'POST', 'notifications', {
    clinic_id: clinicId,
    kind: 'booking_confirmed',
    channel: 'sms',
    status: 'simulated',
    language: 'fr',
    body: `Bonjour ${run}, votre rendez-vous est confirmé (SMS).`,
    idempotency_key: `e2e:${run}:sms`,
    segments: 1,
    fallback_of: mail!.id,
  });
  await admin.getByRole('tab', { name: adminEn.tabs.budget }).click();
  const items = admin.getByRole('listitem').filter({ hasText: run });
  await expect(items).toHaveCount(2, LIVE);
  const bounced = items.filter({ has: admin.getByTestId('hard-bounce') });
  await expect(bounced).toHaveCount(1);
  await expect(bounced).toContainText(adminEn.hardBounce);
  await expect(bounced).toContainText(adminEn.channels.email);
  const fallback = items.filter({ has: admin.getByTestId('fallback-of') });
  await expect(fallback).toHaveCount(1);
  await expect(fallback).toContainText(adminEn.channels.sms);
  await fallback.getByRole('link', { name: adminEn.fallbackOf }).click();
  await expect(admin).toHaveURL(new RegExp(`#message-${String(mail!.id)}$`));
  await expect(admin.locator(`#message-${String(mail!.id)}`)).toContainText(adminEn.hardBounce);
  await ctx.close();
});

test('a patient changes how the clinic writes to them from My visits: email needs an address; saved, it is on their record and shown again; confirmed with the code mailed to it, the clinic emails them', async ({
  browser,
}) => {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await ctx.newPage();
  await signInByPhone(page, PHONE, '/c/cabinet-anfa');
  // a booking creates the patient's record at the clinic (what My visits' card edits)
  await page.getByRole('button', { name: /Échographie/ }).click();
  const days = page.getByRole('group', { name: `2 · ${ui.booking.step2}` }).getByRole('button');
  await expect(days.first()).toBeVisible();
  // the other booking specs take the fortnight's last three, -4/-6 (reschedule) and -5 (confirmation)
  await days.nth(Math.max(0, (await days.count()) - 7)).click();
  await page.getByTestId('slots').getByRole('button').nth(1).click();
  await page.getByLabel(ui.booking.yourName).fill('Karim Alaoui');
  await page.getByRole('button', { name: new RegExp(ui.booking.confirm) }).click();
  await expect(page.getByRole('heading', { name: ui.booking.success })).toBeVisible();

  await page.goto('/me');
  // "Messages from <the clinic's name>"
  const card = page.getByRole('region', {
    name: new RegExp(`^${visitsEn.contact.title.replace('{{clinic}}', '.*Anfa')}$`),
  });
  await expect(card).toBeVisible(LIVE);
  await expect(card.getByRole('radio', { name: visitsEn.contact.bySms })).toBeChecked();
  // email without an address: refused on the spot, nothing saved
  await card.getByRole('radio', { name: visitsEn.contact.byEmail }).check();
  await card.getByRole('button', { name: visitsEn.contact.save }).click();
  await expect(card.getByText(visitsEn.contact.emailRequired)).toBeVisible();
  const record = async () =>
    (
      await serviceRest(
        page,
        'GET',
        `patients?phone=eq.${encodeURIComponent(`+212${PHONE.slice(1)}`)}&select=preferred_channel,email`,
      )
    )[0];
  expect(await record()).toEqual({ preferred_channel: null, email: null });
  // with an address: saved on the patient's record
  await card.getByLabel(visitsEn.contact.email).fill('Karim.Alaoui@example.org');
  await card.getByRole('button', { name: visitsEn.contact.save }).click();
  await expect(page.getByText(visitsEn.contact.saved)).toBeVisible(LIVE);
  await expect.poll(record).toEqual({ preferred_channel: 'email', email: 'karim.alaoui@example.org' });
  // shown again after a reload (read back from the server)
  await page.reload();
  await expect(card.getByRole('radio', { name: visitsEn.contact.byEmail })).toBeChecked(LIVE);
  await expect(card.getByLabel(visitsEn.contact.email)).toHaveValue('karim.alaoui@example.org');

  // email18: the address is not proved — nothing goes there (the booking confirmation is sent by SMS)
  const proof = card.getByTestId('email-proof');
  await expect(proof.getByRole('heading', { name: emailProofEn.title })).toBeVisible(LIVE);
  const [patient] = await serviceRest(
    page,
    'GET',
    `patients?phone=eq.${encodeURIComponent(`+212${PHONE.slice(1)}`)}&select=id`,
  );
  const [visit] = await serviceRest(
    page,
    'GET',
    `queue_entries?patient_id=eq.${String(patient!.id)}&status=eq.scheduled&select=id`,
  );
  const messages = async () =>
    (
      await serviceRest(
        page,
        'GET',
        `notifications?entry_id=eq.${String(visit!.id)}&select=kind,channel,status,recipient&order=created_at`,
      )
    ).map((m) => `${String(m.kind)} ${String(m.channel)} ${String(m.status)} ${String(m.recipient)}`);
  await sweepOwedNow(page);
  await expect.poll(messages, LIVE).toEqual([`booking_confirmed sms simulated +212${PHONE.slice(1)}`]);

  // the patient asks for the code, reads it in their mailbox (the stack's dev outbox) and enters it
  await proof.getByRole('button', { name: emailProofEn.send }).click();
  const code = await lastEmailCode(page, 'karim.alaoui@example.org');
  // mail22: the code is QueueMed's own, mailed by the app for this clinic's messages — not GoTrue's email change
  // (which a self-hosted sign-up confirms without any proof)
  const outbox = (await (
    await page.request.get('/dev/outbox', {
      headers: { apikey: serviceRoleKey(), authorization: `Bearer ${serviceRoleKey()}` },
    })
  ).json()) as { kind: string; to: string; body: string }[];
  expect(outbox.filter((m) => m.body.includes(code)).map((m) => m.body)).toEqual([
    expect.stringMatching(/confirm this email for the messages of .*Anfa/),
  ]);
  await proof.getByLabel(emailProofEn.code).fill(code);
  await proof.getByRole('button', { name: emailProofEn.confirm }).click();
  await expect(page.getByText(emailProofEn.confirmed)).toBeVisible(LIVE);
  await expect(card.getByTestId('email-confirmed')).toHaveText(visitsEn.contact.emailConfirmed);
  await expect(proof).toHaveCount(0);

  // the clinic's next message is mailed there: the clinic cancels the visit (its owner, through the REST API)
  const config = (await (await page.request.get('/config.json')).json()) as { supabaseAnonKey: string };
  const token = await page.request.post('/auth/v1/token?grant_type=password', {
    headers: { apikey: config.supabaseAnonKey, 'content-type': 'application/json' },
    data: { email: 'owner@demo.queuemed.ma', password: 'QueueMed-demo-2026' },
  });
  expect(token.status()).toBe(200);
  const { access_token } = (await token.json()) as { access_token: string };
  const cancel = await page.request.post('/rest/v1/rpc/cancel_appointment', {
    headers: {
      apikey: config.supabaseAnonKey,
      authorization: `Bearer ${access_token}`,
      'content-type': 'application/json',
    },
    data: { p_entry_id: visit!.id, p_reason: 'Le médecin est absent' },
  });
  expect(cancel.status(), await cancel.text()).toBe(200);
  await sweepOwedNow(page);
  await expect
    .poll(messages, LIVE)
    .toEqual([
      `booking_confirmed sms simulated +212${PHONE.slice(1)}`,
      'cancelled email simulated karim.alaoui@example.org',
    ]);
  await ctx.close();
});
