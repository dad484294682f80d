/**
 * Issue 20: WhatsApp as a channel, on the local stack (PGlite, real Deno functions) with the fake Twilio on
 * 127.0.0.1. A patient who chose WhatsApp gets the booking confirmation on WhatsApp (`whatsapp:` addresses):
 * free-form inside the 24-hour window their own WhatsApp message opened, the clinic's approved template
 * (ContentSid + ContentVariables, no Body) outside it, and by SMS when no template exists for that kind and
 * language. STOP on WhatsApp stops WhatsApp only; a failed receipt (or Twilio refusing the message) sends the
 * same text by SMS exactly once. The database's clock is pinned where the window matters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesOf, TEST_TWILIO, twilioSignature } from '../fixtures/fakeTwilio';
import { startNotificationStack, type NotificationStack } from '../fixtures/notificationStack';

const WA_FROM = '+212522000777';
const TEMPLATE_SID = `HX${'ab12'.repeat(8)}`;
let ns: NotificationStack;

/** A webhook POST as Twilio makes it (form body, X-Twilio-Signature over the public URL). */
const webhook = async (fn: string, params: Record<string, string>) => {
  const url = `${ns.stack.url}/functions/v1/${fn}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(TEST_TWILIO.authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
};

/** A clinic, a patient with `phone` who booked tomorrow 10:00 and chose WhatsApp. */
const bookedOnWhatsApp = async (label: string, phone: string, name: string) => {
  const c = await ns.newClinic(label);
  const patient = await ns.signUp(`patient-${label}`, phone);
  const { data, error } = await patient.client.rpc('book_appointment', {
    p_clinic_id: c.clinicId,
    p_slot_start: c.slot,
    p_appointment_type_id: c.typeId,
    p_full_name: name,
    p_language: 'fr',
  });
  expect(error).toBeNull();
  const pref = await patient.client.rpc('set_my_notification_preferences', {
    p_clinic_id: c.clinicId,
    p_channel: 'whatsapp',
  });
  expect(pref.error).toBeNull();
  expect(pref.data).toMatchObject({ channel: 'whatsapp' });
  return { ...c, patient, entryId: (data as { entry_id: string }).entry_id };
};

const sentTo = (phone: string) =>
  messagesOf(ns.twilio).filter((m) => m.form.To === phone || m.form.To === `whatsapp:${phone}`);

const logOf = async (entryId: string) =>
  (
    await ns.db.query<{
      channel: string;
      status: string;
      content_sid: string | null;
      fallback_of: string | null;
      id: string;
      provider_id: string | null;
      cost: string | null;
    }>(
      `select id, channel::text, status::text, content_sid, fallback_of, provider_id, cost::text
         from public.notifications where entry_id = $1 order by created_at, channel`,
      [entryId],
    )
  ).rows;

describe('WhatsApp channel (local stack, PGlite, fake Twilio)', () => {
  beforeAll(async () => {
    ns = await startNotificationStack({ TWILIO_WHATSAPP_FROM: WA_FROM, WHATSAPP_MESSAGE_PRICE: '0.07' });
  }, 600_000);
  afterAll(async () => {
    await ns?.stop();
  });

  it('inside the 24-hour window: one booking → one free-form confirmation on WhatsApp, counted in the budget', async () => {
    const phone = '+212612450001';
    const b = await bookedOnWhatsApp('wa-session', phone, 'Salma Idrissi');
    // the patient wrote to the clinic on WhatsApp: the window opens (any text, no keyword needed)
    const hi = await webhook('twilio-inbound', {
      From: `whatsapp:${phone}`,
      To: `whatsapp:${WA_FROM}`,
      Body: 'Bonjour',
    });
    expect(hi.status).toBe(200);
    await ns.sweep();
    await ns.sweep();
    const got = sentTo(phone);
    expect(got).toHaveLength(1);
    expect(got[0]!.form.To).toBe(`whatsapp:${phone}`);
    expect(got[0]!.form.From).toBe(`whatsapp:${WA_FROM}`);
    expect(got[0]!.form.Body).toMatch(/^Cabinet wa-session/);
    expect(got[0]!.form.ContentSid).toBeUndefined();
    const log = await logOf(b.entryId);
    expect(log).toMatchObject([{ channel: 'whatsapp', status: 'sent', content_sid: null, cost: '0.0700' }]);
    const budget = await ns.db.query<{ spent_count: number }>(
      `select spent_count from public.sms_budgets where clinic_id = $1`,
      [b.clinicId],
    );
    expect(budget.rows[0]!.spent_count).toBe(1);
  });

  it('outside the window with no template for the kind → the confirmation goes by SMS', async () => {
    const phone = '+212612450002';
    const b = await bookedOnWhatsApp('wa-notemplate', phone, 'Omar Alaoui');
    await ns.sweep();
    const got = sentTo(phone);
    expect(got).toHaveLength(1);
    expect(got[0]!.form.To).toBe(phone);
    expect(got[0]!.form.From).toBe(TEST_TWILIO.from);
    expect(await logOf(b.entryId)).toMatchObject([{ channel: 'sms', status: 'sent' }]);
  });

  it('outside the window with an approved template → ContentSid + ContentVariables, no Body', async () => {
    const phone = '+212612450003';
    const b = await bookedOnWhatsApp('wa-template', phone, 'Nadia Bennani');
    const set = await b.owner.client.rpc('set_whatsapp_settings', {
      p_clinic_id: b.clinicId,
      p_sender: null,
      p_templates: {
        booking_confirmed: { fr: { sid: TEMPLATE_SID, variables: ['patient_name', 'appointment_time'] } },
      },
    });
    expect(set.error).toBeNull();
    // an hour past the window of a message written the day before: still outside it
    await ns.db.query(
      `update public.patients set whatsapp_inbound_at = now() - interval '25 hours' where phone = $1`,
      [phone],
    );
    await ns.sweep();
    const got = sentTo(phone);
    expect(got).toHaveLength(1);
    expect(got[0]!.form.To).toBe(`whatsapp:${phone}`);
    expect(got[0]!.form.ContentSid).toBe(TEMPLATE_SID);
    expect(got[0]!.form.Body).toBeUndefined();
    const vars = JSON.parse(got[0]!.form.ContentVariables!) as Record<string, string>;
    expect(vars['1']).toBe('Nadia Bennani');
    expect(vars['2']).toMatch(/^\d{2}\/\d{2} 10:00$/);
    expect(await logOf(b.entryId)).toMatchObject([
      { channel: 'whatsapp', status: 'sent', content_sid: TEMPLATE_SID },
    ]);
  });

  it('the clinic settings refuse what Twilio could not send: a bad SID, an unknown variable, another clinic', async () => {
    const c = await ns.newClinic('wa-settings');
    const other = await ns.newClinic('wa-settings-other');
    /** The refusal as `<code> <reason>` (the code is the error's message, the reason its details). */
    const bad = async (client: typeof c.owner.client, templates: unknown, sender: string | null = null) => {
      const { error } = await client.rpc('set_whatsapp_settings', {
        p_clinic_id: c.clinicId,
        p_sender: sender,
        p_templates: templates,
      });
      return error ? `${error.message} ${error.details}` : null;
    };
    expect(await bad(c.owner.client, { booking_confirmed: { fr: { sid: 'HX123' } } })).toMatch(
      /^VALIDATION\.FAILED .*template/,
    );
    expect(
      await bad(c.owner.client, {
        booking_confirmed: { fr: { sid: TEMPLATE_SID, variables: ['offer_url'] } },
      }),
    ).toMatch(/unknown variable/);
    expect(await bad(c.owner.client, { nonsense: {} })).toMatch(/unknown message kind/);
    expect(await bad(c.owner.client, {}, '0612')).toMatch(/E\.164/);
    expect(await bad(other.owner.client, {})).toMatch(/^AUTH\.FORBIDDEN/); // another clinic's owner
    const { rows } = await ns.db.query<{ whatsapp_templates: unknown }>(
      `select whatsapp_templates from public.clinics where id = $1`,
      [c.clinicId],
    );
    expect(rows[0]!.whatsapp_templates).toEqual({});
  });

  it('STOP on WhatsApp stops WhatsApp only: the next message goes by SMS', async () => {
    const phone = '+212612450004';
    const b = await bookedOnWhatsApp('wa-stop', phone, 'Youssef Tazi');
    const stop = await webhook('twilio-inbound', {
      From: `whatsapp:${phone}`,
      To: `whatsapp:${WA_FROM}`,
      Body: 'STOP',
    });
    expect(stop.status).toBe(200);
    expect(stop.text).toContain('WhatsApp');
    const { rows } = await ns.db.query<{ whatsapp_opt_out: boolean; sms_opt_out: boolean }>(
      `select whatsapp_opt_out, sms_opt_out from public.patients where phone = $1`,
      [phone],
    );
    expect(rows).toEqual([{ whatsapp_opt_out: true, sms_opt_out: false }]);
    await ns.sweep();
    const got = sentTo(phone);
    expect(got).toHaveLength(1);
    expect(got[0]!.form.To).toBe(phone); // SMS, although the window is open and WhatsApp is the choice
    expect(await logOf(b.entryId)).toMatchObject([{ channel: 'sms', status: 'sent' }]);
    // choosing WhatsApp again takes the STOP back
    await b.patient.client.rpc('set_my_notification_preferences', {
      p_clinic_id: b.clinicId,
      p_channel: 'whatsapp',
    });
    const again = await ns.db.query<{ whatsapp_opt_out: boolean }>(
      `select whatsapp_opt_out from public.patients where phone = $1`,
      [phone],
    );
    expect(again.rows[0]!.whatsapp_opt_out).toBe(false);
  });

  it('a failed WhatsApp receipt → the same text by SMS once; a repeated receipt sends nothing more', async () => {
    const phone = '+212612450005';
    const b = await bookedOnWhatsApp('wa-receipt', phone, 'Imane Chraibi');
    await webhook('twilio-inbound', { From: `whatsapp:${phone}`, To: `whatsapp:${WA_FROM}`, Body: 'Salam' });
    await ns.sweep();
    expect(sentTo(phone)).toHaveLength(1);
    const [wa] = await logOf(b.entryId);
    expect(wa).toMatchObject({ channel: 'whatsapp', status: 'sent' });
    const receipt = { MessageSid: wa!.provider_id!, MessageStatus: 'undelivered', ErrorCode: '63024' };
    expect((await webhook('twilio-status-callback', receipt)).status).toBe(204);
    expect((await webhook('twilio-status-callback', receipt)).status).toBe(204);
    const got = sentTo(phone);
    expect(got).toHaveLength(2);
    expect(got[1]!.form.To).toBe(phone);
    expect(got[1]!.form.Body).toBe(got[0]!.form.Body);
    const log = await logOf(b.entryId);
    expect(log).toHaveLength(2);
    expect(log.find((n) => n.channel === 'whatsapp')).toMatchObject({ status: 'failed' });
    expect(log.find((n) => n.channel === 'sms')).toMatchObject({ status: 'sent', fallback_of: wa!.id });
  });

  it('Twilio refusing the WhatsApp message → failed, then SMS once', async () => {
    const phone = '+212612450006';
    const b = await bookedOnWhatsApp('wa-refused', phone, 'Karim Fassi');
    await webhook('twilio-inbound', { From: `whatsapp:${phone}`, To: `whatsapp:${WA_FROM}`, Body: 'Salam' });
    ns.twilio.failNext([400]);
    await ns.sweep();
    await ns.sweep();
    const got = sentTo(phone);
    expect(got.map((m) => m.form.To)).toEqual([`whatsapp:${phone}`, phone]);
    const log = await logOf(b.entryId);
    expect(log.map((n) => [n.channel, n.status])).toEqual(
      expect.arrayContaining([
        ['whatsapp', 'failed'],
        ['sms', 'sent'],
      ]),
    );
    expect(log).toHaveLength(2);
  });

  it('no phone number in any log line', () => {
    expect(ns.logLines.length).toBeGreaterThan(0);
    expect(ns.logLines.filter((l) => /\+?2126124500\d\d/.test(l))).toEqual([]);
  });
});
