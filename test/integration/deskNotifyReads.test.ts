/**
 * desk25 (issues 12/14): the desk messages the patients a step concerns with NO read of queue_entries, patients or
 * clinics — bench:web saw 1.04 + 0.42 + 0.24 of them per change, the NotificationDirectory looking up whom to
 * notify. The staff browser's composition root (createBrowserServices + staffNotifications + SupabaseSmsChannel)
 * runs against the local stack with the real send-sms in Deno and a fake Twilio: the called patient and the next
 * one up are texted at once, a patient who sent STOP is never texted (the server keeps the opt-out: send-sms
 * records the skip), a patient with no phone is recorded as skipped — and every request the desk made for its
 * steps is listed: none reads those tables.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate, openPglite, type Db } from '../../supabase/local/db';
import { pgliteTemplateBytes } from '../fixtures/dbTemplate';
import { startStack, type Stack } from '../../supabase/local/stack';
import { createBrowserServices } from '../../src/services/composition/browser';
import { staffNotifications } from '../../src/services/composition/staffNotifications';
import { ManualClock } from '../../src/services/shared/Clock';
import { fakeTwilioEnv, messagesOf, startFakeTwilio, type FakeTwilio } from '../fixtures/fakeTwilio';
import { stackClients, TEST_AUTH } from '../fixtures/localStack';
import { middayZone } from './queueStackKit';
import { approveClinicSms } from '../fixtures/approveClinicSms';

let twilio: FakeTwilio;
let db: Db;
let stack: Stack;
let clients: ReturnType<typeof stackClients>;
let desk: SupabaseClient | undefined;

const AMINA = '+212612400111';
const OMAR = '+212612400112';
const YOUSSEF = '+212612400114';

describe('the desk notifies with no read per step (local stack, pglite, real send-sms)', () => {
  beforeAll(async () => {
    twilio = await startFakeTwilio();
    Object.assign(process.env, fakeTwilioEnv(twilio)); // the functions' Deno processes inherit it
    db = await openPglite({ loadDataDir: pgliteTemplateBytes('migrated') });
    await migrate(db);
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
    await desk?.removeAllChannels();
    await clients?.stop();
    await twilio?.close();
  });

  it('the called and the next patient are texted, STOP and no phone are kept by the server, no table read', async () => {
    const anon = clients.client(stack.anonKey);
    const { data: auth, error: signUpError } = await anon.auth.signUp({
      email: `desk-reads-${process.pid}@example.test`,
      password: 'secret-pass-123',
    });
    if (signUpError || !auth.session || !auth.user) throw new Error('sign-up failed');
    const token = auth.session.access_token;
    const userId = auth.user.id;
    const owner = clients.client(stack.anonKey, token);
    const { data: created, error } = await owner.rpc('create_clinic', {
      p_name: 'Cabinet Anfa',
      p_slug: `anfa-reads-${process.pid}`,
      p_display_name: 'Dr Anfa',
    });
    if (error) throw new Error(error.message);
    const clinicId = (created as { clinic_id: string }).clinic_id;
    await approveClinicSms(stack, clinicId);
    await db.query(`update public.clinics set time_zone = $2 where id = $1`, [clinicId, middayZone()]);
    // "almost your turn" at position 1 only: each call texts exactly the next one up
    await db.query(
      `update public.clinics set settings = settings || '{"notify_at_position": 1}'::jsonb where id = $1`,
      [clinicId],
    );

    // the desk's browser client: every request it makes is listed once `recording`
    const requests: string[] = [];
    let recording = false;
    desk = createClient(stack.url, stack.anonKey, {
      global: {
        fetch: (input: RequestInfo | URL, init?: RequestInit) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          if (recording) requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
          return fetch(input, init);
        },
      },
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
      accessToken: async () => token,
    });
    const services = createBrowserServices({
      supabase: desk,
      clock: new ManualClock(new Date()),
      actor: () => userId,
      notify: (bus, queue) => staffNotifications(desk!, queue)(bus),
    });
    const { queue } = services;
    const must = async <T>(
      r: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
    ): Promise<T> => {
      const v = await r;
      if (!v.ok) throw new Error(`${v.error.code} ${v.error.message}`);
      return v.value;
    };
    const ids: Record<string, string> = {};
    for (const [name, phone] of [
      ['Amina Anfa', AMINA],
      ['Omar Anfa', OMAR],
      ['Salma Anfa', null],
      ['Youssef Anfa', YOUSSEF],
    ] as const) {
      const added = await must(queue.addWalkIn(clinicId, { patientName: name, phone, language: 'fr' }));
      ids[name] = added.events.find((e) => e.type === 'WalkInAdded')?.entryId as string;
    }
    // Omar sends STOP (the server's record; the desk is not told)
    await db.query(
      `update public.patients set sms_opt_out = true
        where id = (select patient_id from public.queue_entries where id = $1)`,
      [ids['Omar Anfa']],
    );
    const log = async () =>
      (
        await db.query<{ entry_id: string; kind: string; status: string; skip_reason: string | null }>(
          `select entry_id::text, kind::text, status::text, skip_reason::text from public.notifications
            where clinic_id = $1 order by created_at`,
          [clinicId],
        )
      ).rows;
    const of = (rows: Awaited<ReturnType<typeof log>>, name: string) =>
      rows
        .filter((r) => r.entry_id === ids[name])
        .map((r) => `${r.kind} ${r.status}${r.skip_reason ? ` ${r.skip_reason}` : ''}`)
        .sort();
    await vi.waitFor(async () => expect(of(await log(), 'Amina Anfa')).toEqual(['almost_turn sent']), {
      timeout: 60_000,
      interval: 100,
    });

    // the steady state: the desk's steps, every request listed
    const view = await must(queue.status(clinicId));
    const at = { practitionerId: view.directory.members[0]!.id, room: '2' };
    recording = true;
    for (let i = 0; i < 3; i++) {
      const called = await must(queue.callNext(clinicId, at));
      const entryId = called.events.find((e) => e.type === 'PatientCalled')?.entryId as string;
      await must(queue.start(clinicId, { entryId }));
      await must(queue.finish(clinicId, { entryId }));
    }
    await vi.waitFor(
      async () => {
        const rows = await log();
        expect(of(rows, 'Amina Anfa')).toEqual(['almost_turn sent', 'your_turn sent']);
        expect(of(rows, 'Omar Anfa')).toEqual([
          'almost_turn skipped opted_out',
          'your_turn skipped opted_out',
        ]);
        expect(of(rows, 'Salma Anfa')).toEqual([
          'almost_turn skipped no_phone',
          'your_turn skipped no_phone',
        ]);
        expect(of(rows, 'Youssef Anfa')).toEqual(['almost_turn sent']);
      },
      { timeout: 60_000, interval: 100 },
    );
    recording = false;
    services.dispose();

    // the fake Twilio took Amina's and Youssef's texts, and never saw Omar's number
    const to = messagesOf(twilio).map((m) => m.form['To']);
    expect(to.filter((n) => n === AMINA)).toHaveLength(2);
    expect(to.filter((n) => n === YOUSSEF)).toHaveLength(1);
    expect(to).not.toContain(OMAR);
    // the desk texted through send-sms, and read no entry, patient or clinic for it
    expect(requests.filter((r) => r === 'POST /functions/v1/send-sms').length).toBeGreaterThanOrEqual(6);
    expect(requests.filter((r) => /\/rest\/v1\/(queue_entries|patients|clinics)\b/.test(r))).toEqual([]);
  }, 240_000);
});
