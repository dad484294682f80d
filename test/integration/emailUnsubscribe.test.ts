/**
 * Issue 20 on the local stack (PGlite, real Deno functions, a real SMTP server and a fake Twilio on 127.0.0.1):
 * - one-click unsubscribe (RFC 8058): the booking confirmation the sweep emails carries List-Unsubscribe with a
 *   signed link; POSTing it (as a mail client does) unsubscribes the patient, again is idempotent, a forged or
 *   altered token is refused with EMAIL.UNSUBSCRIBE_INVALID and changes nothing; the next message goes by SMS.
 * - fallback: an address the mail server refuses (550) gets the message by SMS instead, once, and the message
 *   log keeps both (the email failed, the SMS with fallback_of), even when the sweep runs again; the hard bounce
 *   is recorded on the email and the patient, whose messages then go by SMS.
 */
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesOf } from '../fixtures/fakeTwilio';
import { startNotificationStack, type NotificationStack } from '../fixtures/notificationStack';

const mails: ParsedMail[] = [];
let smtp: SMTPServer;
let ns: NotificationStack;

/** patient books tomorrow 10:00 with this phone, then chooses email with this address and proves it with the code
 *  mailed to it (email18: the clinic mails only a proved address). */
const bookWithEmail = async (label: string, phone: string, email: string) => {
  const c = await ns.newClinic(label);
  const patient = await ns.signUp(`patient-${label}`, phone);
  const { data, error } = await patient.client.rpc('book_appointment', {
    p_clinic_id: c.clinicId,
    p_slot_start: c.slot,
    p_appointment_type_id: c.typeId,
    p_full_name: 'Salma Idrissi',
    p_language: 'fr',
  });
  expect(error).toBeNull();
  const prefs = await patient.client.rpc('set_my_notification_preferences', {
    p_clinic_id: c.clinicId,
    p_channel: 'email',
    p_email: email,
  });
  expect(prefs.error).toBeNull();
  await ns.proveEmail(patient, c.clinicId, email);
  return { ...c, patient, entryId: (data as { entry_id: string }).entry_id };
};

const unsubscribe = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });

describe('email: one-click unsubscribe and SMS fallback (local stack, PGlite, SMTP + fake Twilio)', () => {
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('bounce')) {
          const err = Object.assign(new Error('5.1.1 Recipient address rejected'), { responseCode: 550 });
          return cb(err);
        }
        cb();
      },
      onData(stream, _session, cb) {
        simpleParser(stream)
          .then((m) => {
            mails.push(m);
            cb();
          })
          .catch((e: Error) => cb(e));
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    ns = await startNotificationStack({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  }, 600_000);
  afterAll(async () => {
    await ns?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it('the emailed confirmation carries a signed List-Unsubscribe; POSTing it unsubscribes (idempotent); forged tokens are refused', async () => {
    const v = await bookWithEmail('unsub', '+212612300011', 'salma.unsub@example.org');
    await ns.sweep();
    const mail = mails.find(
      (m) => (m.to as { text: string } | undefined)?.text === 'salma.unsub@example.org',
    );
    expect(mail).toBeDefined();
    expect(mail!.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    const line = mail!.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const url = /<([^>]+)>/.exec(line)![1]!;
    expect(url.startsWith(`${ns.stack.url}/functions/v1/email-unsubscribe?token=`)).toBe(true);
    const token = new URL(url).searchParams.get('token')!;
    const optedOut = async () =>
      (
        await ns.db.query<{ email_opt_out: boolean }>(
          `select email_opt_out from public.patients where clinic_id = $1 and user_id = $2`,
          [v.clinicId, v.patient.userId],
        )
      ).rows[0]!.email_opt_out;

    // forged: another patient id with this signature, signed with another key, altered, none — nothing changes
    const [id, sig] = token.split('.') as [string, string];
    const otherSig = createHmac('sha256', 'not-the-secret')
      .update(`queuemed-unsubscribe:v1:${id}`)
      .digest('base64url');
    const base = `${ns.stack.url}/functions/v1/email-unsubscribe`;
    for (const t of [
      `00000000-0000-4000-8000-000000000001.${sig}`,
      `${id}.${otherSig}`,
      `${id}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`,
      '',
    ]) {
      const res = await unsubscribe(`${base}?token=${encodeURIComponent(t)}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('EMAIL.UNSUBSCRIBE_INVALID');
    }
    expect(await optedOut()).toBe(false);

    const first = await unsubscribe(url);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ unsubscribed: true, already: false });
    expect(await optedOut()).toBe(true);
    const again = await unsubscribe(url);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ unsubscribed: true, already: true });

    // a GET (a person, a link scanner) shows a page and changes nothing
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');

    // the routing now skips the address: the visit's next message goes by SMS
    const who = await ns.db.query<{ channel: string }>(
      `select channel::text from private.notification_route(
         (select p from public.patients p where clinic_id = $1 and user_id = $2))`,
      [v.clinicId, v.patient.userId],
    );
    expect(who.rows[0]!.channel).toBe('sms');
  });

  it('an address the mail server refuses: the confirmation goes by SMS instead, once, both outcomes in the log', async () => {
    const v = await bookWithEmail('bounce', '+212612300012', 'bounce.salma@example.org');
    const sms = () => messagesOf(ns.twilio).filter((m) => m.form.To === '+212612300012');
    await ns.sweep();
    expect(sms()).toHaveLength(1);
    expect(sms()[0]!.form.Body).toMatch(/Salma Idrissi/);
    await Promise.all([ns.sweep(), ns.sweep()]);
    expect(sms()).toHaveLength(1);
    const { rows } = await ns.db.query<{ channel: string; status: string; linked: boolean; error: boolean }>(
      `select n.channel::text, n.status::text, n.fallback_of is not null as linked, n.error is not null as error
         from public.notifications n where n.entry_id = $1 order by n.channel`,
      [v.entryId],
    );
    expect(rows).toEqual([
      { channel: 'sms', status: 'sent', linked: true, error: false },
      { channel: 'email', status: 'failed', linked: false, error: true },
    ]);
    expect(mails.filter((m) => JSON.stringify(m.to).includes('bounce.salma'))).toHaveLength(0);
    // a hard bounce: recorded on the email and on the patient, so the next message goes by SMS from the start
    const bounce = await ns.db.query<{ hard_bounce: boolean; bounced: boolean }>(
      `select n.hard_bounce, p.email_bounced_at is not null as bounced
         from public.notifications n join public.queue_entries e on e.id = n.entry_id
         join public.patients p on p.id = e.patient_id
        where n.entry_id = $1 and n.channel = 'email'`,
      [v.entryId],
    );
    expect(bounce.rows).toEqual([{ hard_bounce: true, bounced: true }]);
    const route = await ns.db.query<{ channel: string }>(
      `select r.channel::text from public.queue_entries e join public.patients p on p.id = e.patient_id,
              private.notification_route(p) r where e.id = $1`,
      [v.entryId],
    );
    expect(route.rows).toEqual([{ channel: 'sms' }]);
  });

  it('no phone number or address in any log line', () => {
    expect(ns.logLines.length).toBeGreaterThan(0);
    expect(ns.logLines.filter((l) => /\+?2126123000\d\d|@example\.org/.test(l))).toEqual([]);
  });
});
