/**
 * Issue 15.3 / 15.8 / 15.15 proof: the SMS log of a scripted clinic morning, in Arabic, French and English,
 * with the BUILT-IN templates, rendered by the server. The staff browser's composition root
 * (createBrowserServices + SupabaseSmsChannel) runs the morning against the local stack; send-sms in real
 * Deno renders each text from the database's templates and values; a fake Twilio on 127.0.0.1 takes them.
 *
 * - every variable is filled: names, tickets, rooms as "Salle 2" / "Room 2" / "القاعة 2", positions, the
 *   grace minutes, the wait, and the tracking link — at the deployment's PUBLIC_URL (the stack's appUrl);
 * - Arabic texts survive any phone's bidi layout: Arabic punctuation, the ticket, the link and a Latin name
 *   isolated (FSI … PDI), and RLM first when the text would otherwise start with a Latin clinic name.
 *
 * The service's clock is frozen (the estimate counts from it); nothing depends on the hour or the speed.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate, openPglite, type Db } from '../../supabase/local/db';
import { pgliteTemplateBytes } from '../fixtures/dbTemplate';
import { startStack, type Stack } from '../../supabase/local/stack';
import { createBrowserServices } from '../../src/services/composition/browser';
import { staffNotifications } from '../../src/services/composition/staffNotifications';
import { ManualClock } from '../../src/services/shared/Clock';
import { fakeTwilioEnv, startFakeTwilio, type FakeTwilio } from '../fixtures/fakeTwilio';
import { stackClients, TEST_AUTH } from '../fixtures/localStack';
import { middayZone } from './queueStackKit';
import { approveClinicSms } from '../fixtures/approveClinicSms';

const PUBLIC_URL = 'https://queue.atlas.example';
const FSI = '\u2068';
const PDI = '\u2069';
const RLM = '\u200f';
const iso = (s: string) => `${FSI}${s}${PDI}`;

let twilio: FakeTwilio;
let db: Db;
let stack: Stack;
let clients: ReturnType<typeof stackClients>;

const PATIENTS = [
  { name: 'Karim Premier', phone: '+212612400001', language: 'fr' },
  { name: 'Emma Second', phone: '+212612400002', language: 'en' },
  // a Moroccan patient who reads Arabic, with a name written in Latin letters
  { name: 'Amine Tazi', phone: '+212612400003', language: 'ar' },
  { name: 'سلمى العلوي', phone: '+212612400004', language: 'ar' },
] as const;

describe('the SMS log of a scripted morning, built-in templates, in ar, fr and en (local stack, pglite)', () => {
  beforeAll(async () => {
    twilio = await startFakeTwilio();
    Object.assign(process.env, fakeTwilioEnv(twilio)); // the functions' Deno processes inherit it
    db = await openPglite({ loadDataDir: pgliteTemplateBytes('migrated') }); // the run's migrated copy
    await migrate(db);
    stack = await startStack({
      db,
      port: 0,
      staticDir: null,
      auth: TEST_AUTH,
      logger: pino({ level: 'silent' }),
      prewarmFunctions: ['send-sms'],
      appUrl: PUBLIC_URL,
    });
    clients = stackClients(stack, () => db.close());
  });
  afterAll(async () => {
    await clients?.stop();
    await twilio?.close();
  });

  const client = (token?: string): SupabaseClient => clients.client(stack.anonKey, token);

  it('every message of the morning, word for word, in the patient’s language', async () => {
    const anon = client();
    const { data: auth, error: signUpError } = await anon.auth.signUp({
      email: `morning-log-${process.pid}@example.test`,
      password: 'secret-pass-123',
    });
    if (signUpError || !auth.session || !auth.user) throw new Error('sign-up failed');
    const owner = client(auth.session.access_token);
    const userId = auth.user.id;
    const { data: created, error } = await owner.rpc('create_clinic', {
      p_name: 'Cabinet Atlas',
      p_slug: `atlas-log-${process.pid}`,
      p_display_name: 'Dr Atlas',
    });
    if (error) throw new Error(error.message);
    const clinicId = (created as { clinic_id: string }).clinic_id;
    await approveClinicSms(stack, clinicId); // abuse17: the operator approves it for SMS
    await db.query(`update public.clinic_members set room = '2' where clinic_id = $1`, [clinicId]);
    await db.query(`update public.clinics set time_zone = $2 where id = $1`, [clinicId, middayZone()]);
    // no clinic template: the built-in texts are what is sent
    const own = await db.query(`select 1 from public.notification_templates where clinic_id = $1`, [
      clinicId,
    ]);
    expect(own.rows).toHaveLength(0);

    const services = createBrowserServices({
      supabase: owner,
      clock: new ManualClock(new Date()),
      actor: () => userId,
      publicUrl: PUBLIC_URL,
      notify: (bus, queue) => staffNotifications(owner, queue)(bus),
    });
    const { queue } = services;
    const must = async (r: Promise<{ ok: boolean; error?: { code: string; message: string } }>) => {
      const v = await r;
      if (!v.ok) throw new Error(`${v.error?.code} ${v.error?.message}`);
    };
    const ids: string[] = [];
    for (const p of PATIENTS) {
      const r = await queue.addWalkIn(clinicId, {
        patientName: p.name,
        phone: p.phone,
        language: p.language,
      });
      if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
      const entryId = r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId as string;
      ids.push(entryId);
      // the visit's live link, as a booking leaves it (the server derives it: private.entry_link_token)
      await db.transaction(async (tx) => {
        await tx.exec('set local session_replication_role = replica');
        await tx.query(
          `update public.queue_entries set tracking_token_hash = private.hash_token(private.entry_link_token(id))
            where id = $1`,
          [entryId],
        );
      });
    }
    const view = await queue.status(clinicId);
    if (!view.ok) throw new Error(view.error.code);
    const desk = { practitionerId: view.value.directory.members[0]!.id, room: '2' };

    // 09:00 Karim (fr) is called and seen
    await must(queue.callNext(clinicId, desk));
    await must(queue.start(clinicId, { entryId: ids[0]! }));
    await must(queue.finish(clinicId, { entryId: ids[0]! }));
    // Emma (en) is called, is not there, comes back
    await must(queue.callNext(clinicId, desk));
    await must(queue.markAbsent(clinicId, { entryId: ids[1]! }));
    await must(queue.returnFromAbsence(clinicId, { entryId: ids[1]! }));
    // Amine (ar) is called; Salma (ar) cancels at the desk
    await must(queue.callNext(clinicId, desk));
    await must(queue.cancel(clinicId, { entryId: ids[3]! }));

    const logOf = async () =>
      (
        await db.query<{ entry_id: string; kind: string; body: string; language: string }>(
          `select entry_id::text, kind::text, body, language::text from public.notifications
            where clinic_id = $1 and status in ('sent', 'simulated') order by created_at`,
          [clinicId],
        )
      ).rows;
    const kindsOf = (rows: { entry_id: string; kind: string }[], i: number) =>
      new Set(rows.filter((r) => r.entry_id === ids[i]).map((r) => r.kind));
    await vi.waitFor(
      async () => {
        const rows = await logOf();
        expect(kindsOf(rows, 0)).toEqual(new Set(['almost_turn', 'your_turn']));
        expect(kindsOf(rows, 1)).toEqual(new Set(['almost_turn', 'your_turn', 'marked_absent', 'returned']));
        expect(kindsOf(rows, 2)).toEqual(new Set(['almost_turn', 'your_turn']));
        expect(kindsOf(rows, 3)).toEqual(new Set(['almost_turn', 'cancelled']));
      },
      { timeout: 60_000, interval: 250 },
    );
    const log = await logOf();
    const text = (i: number, kind: string) => {
      const rows = log.filter((r) => r.entry_id === ids[i] && r.kind === kind);
      expect(rows.map((r) => r.language)).toEqual(rows.map(() => PATIENTS[i]!.language));
      return rows.at(-1)!.body;
    };
    const links = await db.query<{ id: string; token: string }>(
      `select id::text, private.entry_link_token(id) as token from public.queue_entries where id = any($1::uuid[])`,
      [ids],
    );
    const link = (i: number) => `${PUBLIC_URL}/t/${links.rows.find((r) => r.id === ids[i])!.token}`;
    const wait = {
      fr: String.raw`(environ \d+ min \(\d+-\d+\)|quelques minutes)`,
      en: String.raw`(about \d+ min \(\d+-\d+\)|a few minutes)`,
      ar: String.raw`(حوالي \d+ دقيقة \(\d+-\d+\)|بضع دقائق)`,
    };
    const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

    // nothing is left blank anywhere in the log
    for (const r of log) {
      expect(r.body).not.toMatch(/\{[a-z_]+\}/);
      expect(r.body).not.toMatch(/ [.,،]|\( |\(\)|: \.|:$/);
    }

    // French
    expect(text(0, 'your_turn')).toBe(
      "Cabinet Atlas : Karim Premier, c'est votre tour ! Ticket A-001. Merci de vous présenter : Salle 2.",
    );
    expect(text(0, 'almost_turn')).toMatch(
      new RegExp(
        `^Cabinet Atlas : Karim Premier, votre tour approche\\. Position 1, attente ${wait.fr}\\. ` +
          `Merci de rester près de la salle d'attente\\. ${re(link(0))}$`,
      ),
    );
    // English
    expect(text(1, 'your_turn')).toBe(
      "Cabinet Atlas: Emma Second, it's your turn! Ticket A-002. Please go to: Room 2.",
    );
    expect(text(1, 'almost_turn')).toMatch(
      new RegExp(
        `^Cabinet Atlas: Emma Second, your turn is coming up\\. Position [12], wait ${wait.en}\\. ` +
          `Please stay close to the waiting room\\. ${re(link(1))}$`,
      ),
    );
    expect(text(1, 'marked_absent')).toMatch(
      /^Cabinet Atlas: Emma Second, ticket A-002 was called but you were not there\. You have \d+ minutes to come back to reception and keep your turn\.$/,
    );
    expect(text(1, 'returned')).toMatch(
      /^Cabinet Atlas: welcome back, Emma Second\. You are back in line at position [12] \(ticket A-002\)\.$/,
    );
    // Arabic: RLM first (the clinic's name is Latin), Latin name, ticket and link isolated, Arabic commas
    expect(text(2, 'your_turn')).toBe(
      `${RLM}${iso('Cabinet Atlas')}: ${iso('Amine Tazi')}، حان دورك! التذكرة ${iso('A-003')}. تفضل إلى: القاعة 2.`,
    );
    expect(text(2, 'almost_turn')).toMatch(
      new RegExp(
        `^${RLM}${re(iso('Cabinet Atlas'))}: ${re(iso('Amine Tazi'))}، اقترب دورك\\. ترتيبك [123]، ` +
          `الانتظار المتوقع ${wait.ar}\\. يرجى البقاء قرب قاعة الانتظار\\. ${re(iso(link(2)))}$`,
      ),
    );
    expect(text(3, 'cancelled')).toBe(
      `${RLM}${iso('Cabinet Atlas')}: سلمى العلوي، تم إلغاء زيارتك (التذكرة ${iso('A-004')}). ` +
        'إذا كان ذلك عن طريق الخطأ، يرجى الاتصال بنا.',
    );
    // no Latin comma, semicolon or question mark in an Arabic text
    for (const r of log.filter((x) => x.language === 'ar')) expect(r.body).not.toMatch(/[,;?]/);

    // what the clinic's message log shows: the same texts, read by the owner through the API
    const { data: shown, error: readError } = await owner
      .from('notifications')
      .select('kind, language, body')
      .eq('clinic_id', clinicId);
    expect(readError).toBeNull();
    expect(new Set((shown ?? []).map((m) => m.body as string))).toEqual(new Set(log.map((r) => r.body)));
    services.dispose();
  }, 240_000);
});
