/**
 * email18 on the local stack (PGlite, real Deno functions, a real SMTP server and a fake Twilio on 127.0.0.1): the
 * clinic mails a patient's notification address only once the patient proved it — since mail22 with QueueMed's own
 * code (request_notification_email_code, delivered by the stack's code delivery; confirm_notification_email, the
 * RPCs My visits calls), no longer GoTrue's email change. Before, the address typed was mailed at once.
 * - unproved: nothing reaches the address; the confirmation goes by SMS instead;
 * - the code is kept hashed (only its sha-256 in the database), 5 wrong codes drop it (the right one is then
 *   refused too); signing in is untouched (auth.users keeps its email);
 * - a new code entered: the address is proved and the next message is mailed there;
 * - typing another address un-confirms;
 * - review23 M2: a stranger (a patient of another clinic) asking codes for the victim's address, spelt with a +tag,
 *   spends its own hourly limit, not the victim's: the victim still gets a code and proves the address (before:
 *   429 RATE.LIMITED for the victim, hour after hour).
 */
import type { AddressInfo } from 'node:net';
import type { SupabaseClient } from '@supabase/supabase-js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesOf } from '../fixtures/fakeTwilio';
import { startNotificationStack, type NotificationStack } from '../fixtures/notificationStack';

const mails: ParsedMail[] = [];
let smtp: SMTPServer;
let ns: NotificationStack;

const mailsTo = (address: string) =>
  mails.filter((m) => (m.to as { text: string } | undefined)?.text === address);

describe('notification email proof (local stack, PGlite, GoTrue email change, SMTP + fake Twilio)', () => {
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
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

  it('an unproved address gets nothing; the code mailed to it proves it (hashed, 5 wrong codes drop it); then the clinic mails it; another address un-confirms', async () => {
    const address = 'nadia.proof@example.org';
    const phone = '+212612300041';
    const c = await ns.newClinic('proof');
    const patient = await ns.signUp('patient-proof', phone);
    const booked = await patient.client.rpc('book_appointment', {
      p_clinic_id: c.clinicId,
      p_slot_start: c.slot,
      p_appointment_type_id: c.typeId,
      p_full_name: 'Nadia Berrada',
      p_language: 'fr',
    });
    expect(booked.error).toBeNull();
    const entryId = (booked.data as { entry_id: string }).entry_id;
    const choose = async (email: string) => {
      const r = await patient.client.rpc('set_my_notification_preferences', {
        p_clinic_id: c.clinicId,
        p_channel: 'email',
        p_email: email,
      });
      expect(r.error).toBeNull();
      return r.data as { email: string; email_confirmed: boolean };
    };
    const confirmed = async () =>
      (
        (await patient.client.rpc('get_my_notification_preferences', { p_clinic_id: c.clinicId })).data as {
          email_confirmed: boolean;
        }
      ).email_confirmed;

    // chosen, not proved: the booking confirmation goes by SMS, nothing to the address
    expect(await choose(address)).toMatchObject({ email: address, email_confirmed: false });
    await ns.sweep();
    expect(mailsTo(address)).toHaveLength(0);
    expect(messagesOf(ns.twilio).filter((m) => m.form.To === phone)).toHaveLength(1);

    // My visits asks for a code: the stack delivers it to the address; the database keeps only its hash, and the
    // account's sign-in email is not touched
    const first = await ns.askEmailCode(patient, c.clinicId, address);
    const stored = await ns.db.query<{ n: number }>(
      `select count(*)::int as n from private.notification_email_codes
        where user_id = $1 and code_hash = private.hash_token($2)`,
      [patient.userId, first],
    );
    expect(stored.rows[0]!.n).toBe(1);
    const plain = await ns.db.query<{ n: number }>(
      `select count(*)::int as n from private.notification_email_code_mail where code = $1`,
      [first],
    );
    expect(plain.rows[0]!.n).toBe(0);
    const account = await ns.db.query<{ email: string | null; email_change: string | null }>(
      `select email, email_change from auth.users where id = $1`,
      [patient.userId],
    );
    expect(account.rows[0]!.email).not.toBe(address);
    expect(account.rows[0]!.email_change ?? '').toBe('');
    expect(await confirmed()).toBe(false);

    // five wrong codes drop it: the right code is refused after them
    const verify = async (code: string) =>
      (await patient.client.rpc('confirm_notification_email', { p_clinic_id: c.clinicId, p_code: code }))
        .data as {
        confirmed: boolean;
        reason?: string;
      };
    const wrong = first === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) expect(await verify(wrong)).toEqual({ confirmed: false, reason: 'invalid' });
    expect(await verify(wrong)).toEqual({ confirmed: false, reason: 'too_many' });
    expect(await verify(first)).toEqual({ confirmed: false, reason: 'invalid' });
    expect(await confirmed()).toBe(false);

    // a new code, entered: proved
    const second = await ns.askEmailCode(patient, c.clinicId, address);
    expect(await verify(second)).toMatchObject({ confirmed: true });
    expect(await confirmed()).toBe(true);

    // the next message is mailed there: the clinic cancels the visit, the sweep emails the patient
    const cancelled = await c.owner.client.rpc('cancel_appointment', {
      p_entry_id: entryId,
      p_reason: 'Le médecin est absent',
    });
    expect(cancelled.error).toBeNull();
    await ns.sweep();
    expect(mailsTo(address)).toHaveLength(1);
    const log = await ns.db.query<{ channel: string; status: string }>(
      `select channel, status from public.notifications where entry_id = $1 and channel = 'email'`,
      [entryId],
    );
    expect(log.rows).toEqual([{ channel: 'email', status: 'sent' }]);

    // typing another address: not proved, nothing goes there
    expect(await choose('someone.else@example.org')).toMatchObject({ email_confirmed: false });
    expect(await confirmed()).toBe(false);
  });

  it('review23 M2, over HTTP: a stranger (a patient of another clinic) spending codes on the victim’s address does not lock the victim out', async () => {
    const victimAddress = 'salma.victim@example.org';
    const book = async (
      who: { client: SupabaseClient },
      c: { clinicId: string; slot: string; typeId: string },
      name: string,
      email: string,
    ) => {
      const booked = await who.client.rpc('book_appointment', {
        p_clinic_id: c.clinicId,
        p_slot_start: c.slot,
        p_appointment_type_id: c.typeId,
        p_full_name: name,
        p_language: 'fr',
      });
      expect(booked.error).toBeNull();
      const set = await who.client.rpc('set_my_notification_preferences', {
        p_clinic_id: c.clinicId,
        p_channel: 'email',
        p_email: email,
      });
      expect(set.error).toBeNull();
    };
    const victimClinic = await ns.newClinic('victim');
    const otherClinic = await ns.newClinic('stranger');
    const victim = await ns.signUp('patient-victim', '+212612300042');
    const stranger = await ns.signUp('patient-stranger', '+212612300043');
    await book(victim, victimClinic, 'Salma Victim', victimAddress);
    // the stranger types the victim's address at another clinic and asks codes until refused
    await book(stranger, otherClinic, 'Rachid Stranger', 'Salma.Victim@Example.org');
    const answers: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await stranger.client.rpc('request_notification_email_code', {
        p_clinic_id: otherClinic.clinicId,
      });
      answers.push(r.error ? r.error.message : null);
    }
    expect(answers).toEqual([null, null, null, null, null, 'RATE.LIMITED']);
    // the victim's own request is answered (before: 429 RATE.LIMITED, every hour) and the code proves the address
    await ns.proveEmail(victim, victimClinic.clinicId, victimAddress);
    const prefs = await victim.client.rpc('get_my_notification_preferences', {
      p_clinic_id: victimClinic.clinicId,
    });
    expect((prefs.data as { email_confirmed: boolean }).email_confirmed).toBe(true);
  });
});
