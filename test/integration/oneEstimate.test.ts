/**
 * One estimate everywhere, end to end (issue 16, issue 15.3), on the local stack with the real edge
 * functions in Deno and a fake Twilio: the browser composition root (createBrowserServices with the SMS
 * channel) runs a scripted morning — patients in en, fr and ar arrive, the doctor calls — and for the same
 * patient the dashboard (QueueService view), the tracker (get_visit_live, anon, by tracking token) and the
 * "almost your turn" SMS ({eta}) show the same minutes. The SMS log has every variable filled in all three
 * languages and "your turn" names the room by its label.
 *
 * The service's clock is frozen at the test's start (the estimate counts from it), so nothing here depends
 * on how long a step takes.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate, openPglite, type Db } from '../../supabase/local/db';
import { pgliteTemplateBytes } from '../fixtures/dbTemplate';
import { startStack, type Stack } from '../../supabase/local/stack';
import { createBrowserServices } from '../../src/services/composition/browser';
import { staffNotifications } from '../../src/services/composition/staffNotifications';
import { formatWaitForPatient } from '../../src/services/queue/api';
import { ManualClock } from '../../src/services/shared/Clock';
import { fakeTwilioEnv, startFakeTwilio, type FakeTwilio } from '../fixtures/fakeTwilio';
import { stackClients, TEST_AUTH } from '../fixtures/localStack';
import { middayZone } from './queueStackKit';
import { approveClinicSms } from '../fixtures/approveClinicSms';

let twilio: FakeTwilio;
let db: Db;
let stack: Stack;
let clients: ReturnType<typeof stackClients>;

const PATIENTS = [
  { name: 'Karim Premier', phone: '+212612300001', language: 'fr' },
  { name: 'Emma Second', phone: '+212612300002', language: 'en' },
  { name: 'سلمى الثالثة', phone: '+212612300003', language: 'ar' },
  { name: 'Luc Quatrième', phone: '+212612300004', language: 'fr' },
] as const;

describe('one wait estimate on the dashboard, the tracker and in SMS (local stack, pglite)', () => {
  beforeAll(async () => {
    twilio = await startFakeTwilio();
    Object.assign(process.env, fakeTwilioEnv(twilio)); // the functions' Deno processes inherit it
    db = await openPglite({ loadDataDir: pgliteTemplateBytes('migrated') }); // the run's migrated copy
    await migrate(db);
    // as npm start does: the SMS function is started with the stack, not by the morning's first message
    stack = await startStack({
      db,
      port: 0,
      staticDir: null,
      auth: TEST_AUTH,
      logger: pino({ level: 'silent' }),
      prewarmFunctions: ['send-sms'],
    });
    clients = stackClients(stack, () => db.close());
  });
  afterAll(async () => {
    await clients?.stop();
    await twilio?.close();
  });

  const client = (token?: string): SupabaseClient => clients.client(stack.anonKey, token);

  it('a scripted morning: same minutes for each patient, every SMS variable filled in en, fr and ar', async () => {
    const anon = client();
    const { data: auth, error: signUpError } = await anon.auth.signUp({
      email: `one-estimate-${process.pid}@example.test`,
      password: 'secret-pass-123',
    });
    if (signUpError || !auth.session || !auth.user) throw new Error('sign-up failed');
    const owner = client(auth.session.access_token);
    const userId = auth.user.id;
    const { data: created, error } = await owner.rpc('create_clinic', {
      p_name: 'Cabinet Atlas',
      p_slug: `atlas-${process.pid}`,
      p_display_name: 'Dr Atlas',
    });
    if (error) throw new Error(error.message);
    const clinicId = (created as { clinic_id: string }).clinic_id;
    await approveClinicSms(stack, clinicId); // abuse17: the operator approves it for SMS
    // the doctor's room is "2": "your turn" must say "Salle 2" / "Room 2" / "القاعة 2" where the template
    // does not name the room itself; templates as an admin would leave them (the app's defaults)
    await db.query(`update public.clinic_members set room = '2' where clinic_id = $1`, [clinicId]);
    // about noon in the clinic's zone now: its day cannot roll over mid-test, whatever the hour
    await db.query(`update public.clinics set time_zone = $2 where id = $1`, [clinicId, middayZone()]);
    for (const [lang, body] of [
      ['fr', 'Cabinet Atlas : {patient_name}, votre tour approche. Position {position}, attente {eta}.'],
      ['en', 'Cabinet Atlas: {patient_name}, your turn is coming up. Position {position}, wait {eta}.'],
      ['ar', 'عيادة أطلس: {patient_name}، اقترب دورك. ترتيبك {position}، الانتظار المتوقع {eta}.'],
    ] as const) {
      const saved = await owner.rpc('save_notification_template', {
        p_clinic_id: clinicId,
        p_kind: 'almost_turn',
        p_language: lang,
        p_body: body,
      });
      if (saved.error) throw new Error(saved.error.message);
    }
    for (const [lang, body] of [
      ['fr', "{patient_name}, c'est votre tour ! Ticket {ticket}. Merci de vous présenter : {room}."],
      ['en', "{patient_name}, it's your turn! Ticket {ticket}. Please go to: {room}."],
      ['ar', '{patient_name}، حان دورك! التذكرة {ticket}. تفضل إلى: {room}.'],
    ] as const) {
      const saved = await owner.rpc('save_notification_template', {
        p_clinic_id: clinicId,
        p_kind: 'your_turn',
        p_language: lang,
        p_body: body,
      });
      if (saved.error) throw new Error(saved.error.message);
    }

    const services = createBrowserServices({
      supabase: owner,
      clock: new ManualClock(new Date()),
      actor: () => userId,
      publicUrl: stack.url,
      notify: (bus, queue) => staffNotifications(owner, queue)(bus),
    });
    const { queue } = services;
    const ids: string[] = [];
    for (const p of PATIENTS) {
      const r = await queue.addWalkIn(clinicId, {
        patientName: p.name,
        phone: p.phone,
        language: p.language,
      });
      if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
      ids.push(r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId as string);
    }
    const status0 = await queue.status(clinicId);
    if (!status0.ok) throw new Error(status0.error.code);
    const memberId = status0.value.directory.members[0]!.id;
    const called = await queue.callNext(clinicId, { practitionerId: memberId, room: '2' });
    if (!called.ok) throw new Error(`${called.error.code} ${called.error.message}`);

    // the browser sends "your turn" to patient 1 and "almost your turn" to positions 1–3 (notify_at_position 3):
    // patient 1 too, at position 1 from arrival — their message used to wait ~20 s for the SMS function's cold
    // start and reach the database after the call (then rightly refused: no longer waiting)
    const bodies = async () =>
      (
        await db.query<{ entry_id: string; kind: string; body: string; language: string; status: string }>(
          `select entry_id::text, kind::text, body, language::text, status::text from public.notifications
            where clinic_id = $1 and status in ('sent', 'simulated') order by created_at`,
          [clinicId],
        )
      ).rows;
    await vi.waitFor(
      async () => {
        const rows = await bodies();
        expect(rows.filter((r) => r.kind === 'your_turn')).toHaveLength(1);
        // everyone, patient 1 included, has had "almost your turn"
        const almost = new Set(rows.filter((r) => r.kind === 'almost_turn').map((r) => r.entry_id));
        for (const id of ids) expect(almost.has(id)).toBe(true);
      },
      { timeout: 40_000, interval: 200 },
    );

    // the dashboard now
    const view = await queue.status(clinicId);
    if (!view.ok) throw new Error(view.error.code);
    const log = await bodies();
    for (const [i, p] of PATIENTS.entries()) {
      if (i === 0) continue; // being seen
      const entry = view.value.entries.find((e) => e.id === ids[i])!;
      expect(entry.status).toBe('waiting');
      expect(entry.wait?.kind).toBe('estimate');
      const dashboard = formatWaitForPatient(entry.wait!.display, p.language, { gsm: true });

      // the tracker: one request by the visit's token (a test token, set as the database owner)
      const token = `one-estimate-${ids[i]}`;
      await db.transaction(async (tx) => {
        await tx.exec('set local session_replication_role = replica');
        await tx.query(
          'update public.queue_entries set tracking_token_hash = private.hash_token($2) where id = $1',
          [ids[i], token],
        );
      });
      const live = await anon.rpc('get_visit_live', { p_tracking_token: token });
      expect(live.error).toBeNull();
      const tracked = live.data as {
        status: string;
        position: number;
        estimate: { display: unknown } | null;
      };
      expect(tracked.status).toBe('waiting');
      expect(tracked.position).toBe(entry.position);
      expect(tracked.estimate?.display).toEqual(entry.wait!.display);

      // the SMS: the last "almost your turn" this patient received says the same wait
      const sms = log.filter((r) => r.entry_id === ids[i] && r.kind === 'almost_turn').at(-1)!;
      expect(sms.language).toBe(p.language);
      expect(sms.body).toContain(dashboard);
    }

    // the SMS log of the morning: every variable filled, in the patient's language
    const byLang = (kind: string, language: string) =>
      log.filter((r) => r.kind === kind && r.language === language).map((r) => r.body);
    for (const r of log) {
      expect(r.body).not.toMatch(/\{[a-z_]+\}/);
      expect(r.body).not.toMatch(/ [.,،]|\( |\(\)/); // nothing left empty
    }
    expect(byLang('your_turn', 'fr')).toEqual([
      "Karim Premier, c'est votre tour ! Ticket A-001. Merci de vous présenter : Salle 2.",
    ]);
    expect(byLang('almost_turn', 'en').join('\n')).toMatch(/Position \d, wait about \d+ min \(\d+-\d+\)\./);
    expect(byLang('almost_turn', 'fr').join('\n')).toMatch(
      /Position \d, attente (environ \d+ min \(\d+-\d+\)|quelques minutes)\./,
    );
    expect(byLang('almost_turn', 'ar').join('\n')).toMatch(/الانتظار المتوقع حوالي \d+ دقيقة \(\d+-\d+\)\./);
    services.dispose();
  }, 240_000);
});
