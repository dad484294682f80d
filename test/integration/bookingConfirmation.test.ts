/**
 * Issue 20 / 15.4 on the local stack: a patient books online through supabase-js (no send call from any
 * browser); the server's notification sweep (real Deno) sends exactly one confirmation through a fake
 * Twilio on 127.0.0.1, with the visit's tracking link and the cancel link; sweeping again, even twice at
 * once, sends nothing more. A visit cancelled before the sweep is never confirmed.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPglite, type Db } from '../../supabase/local/db';
import { pgliteTemplate } from '../fixtures/dbTemplate';
import { startStack, type Stack } from '../../supabase/local/stack';
import { fakeTwilioEnv, messagesOf, startFakeTwilio, type FakeTwilio } from '../fixtures/fakeTwilio';

let twilio: FakeTwilio;
let db: Db;
let stack: Stack;
const clients: SupabaseClient[] = [];
let seq = 0;
const logLines: string[] = [];

const client = (token?: string): SupabaseClient => {
  const c = createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    ...(token ? { accessToken: async () => token } : {}),
  });
  clients.push(c);
  return c;
};

const signUp = async (label: string, phone?: string) => {
  const { data, error } = await client().auth.signUp({
    email: `${label}-${process.pid}-${++seq}@example.test`,
    password: 'secret-pass-123',
  });
  if (error || !data.session || !data.user) throw new Error(`sign-up failed: ${error?.message ?? 'none'}`);
  if (phone) {
    // a patient who signed in with their phone (the SMS code confirmed it)
    await db.query(`update auth.users set phone = $2, phone_confirmed_at = now() where id = $1`, [
      data.user.id,
      phone.slice(1),
    ]);
  }
  return { userId: data.user.id, client: client(data.session.access_token) };
};

const sweep = async () => {
  const res = await fetch(`${stack.url}/functions/v1/notification-sweep`, {
    method: 'POST',
    headers: {
      apikey: stack.serviceKey,
      authorization: `Bearer ${stack.serviceKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ min_age_seconds: 0 }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { processed: number; by_status: Record<string, number> };
};

/** A clinic open every day, one visit type, and tomorrow 10:00 (clinic time) as a bookable slot. */
const newClinic = async (label: string) => {
  const owner = await signUp(`owner-${label}`);
  const { data, error } = await owner.client.rpc('create_clinic', {
    p_name: `Cabinet ${label}`,
    p_slug: `${label}-${process.pid}-${++seq}`.toLowerCase(),
  });
  if (error) throw new Error(`create_clinic: ${error.message}`);
  const clinicId = (data as { clinic_id: string }).clinic_id;
  await db.query(`delete from public.working_hours where clinic_id = $1`, [clinicId]);
  await db.query(
    `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
     select $1, d, '00:00', '23:00' from generate_series(0, 6) d`,
    [clinicId],
  );
  const type = await db.query<{ id: string }>(
    `insert into public.appointment_types (clinic_id, name, duration_minutes) values ($1, 'Consultation', 15) returning id`,
    [clinicId],
  );
  const slot = await db.query<{ at: Date }>(
    `select ((private.clinic_today('Africa/Casablanca') + 1) + time '10:00') at time zone 'Africa/Casablanca' as at`,
  );
  return { clinicId, typeId: type.rows[0]!.id, slot: slot.rows[0]!.at.toISOString() };
};

describe('booking confirmation sent by the server (local stack, PGlite, fake Twilio)', () => {
  beforeAll(async () => {
    twilio = await startFakeTwilio();
    Object.assign(process.env, fakeTwilioEnv(twilio)); // the functions' Deno processes inherit it
    db = await openPglite({ loadDataDir: pgliteTemplate('migrated') }); // the run's migrated copy
    await migrate(db);
    stack = await startStack({
      db,
      port: 0,
      staticDir: null,
      logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
    });
  }, 600_000); // migrating PGlite on a busy machine
  afterAll(async () => {
    for (const c of clients.splice(0)) await c.removeAllChannels();
    await stack?.stop();
    await db?.close();
    await twilio?.close();
  });

  it('one online booking → exactly one SMS with the tracking link and the cancel link, even if the sweep runs again or twice at once', async () => {
    const c = await newClinic('confirm');
    const patient = await signUp('patient', '+212612300001');
    const { data, error } = await patient.client.rpc('book_appointment', {
      p_clinic_id: c.clinicId,
      p_slot_start: c.slot,
      p_appointment_type_id: c.typeId,
      p_full_name: 'Salma Idrissi',
      p_language: 'en',
    });
    expect(error).toBeNull();
    const booked = data as { entry_id: string; tracking_token: string; ticket: string };
    const mine = () => messagesOf(twilio).filter((m) => m.form.To === '+212612300001');
    expect(mine()).toHaveLength(0); // nothing sent by the booking call itself

    await sweep();
    expect(mine()).toHaveLength(1);
    const body = mine()[0]!.form.Body!;
    expect(body).toMatch(
      new RegExp(
        `^Cabinet confirm: Salma Idrissi, your appointment on \\d{2}/\\d{2} 10:00 is confirmed\\. Ticket ${booked.ticket}\\.`,
      ),
    );
    expect(body).toContain(`Follow your turn here: ${stack.url}/t/${booked.tracking_token}`);
    expect(body).toContain(`To cancel: ${stack.url}/me`);

    // the message log records it once, as the confirmation of that visit
    const { rows } = await db.query<{ kind: string; status: string; body: string }>(
      `select kind::text, status::text, body from public.notifications where entry_id = $1`,
      [booked.entry_id],
    );
    expect(rows).toEqual([{ kind: 'booking_confirmed', status: 'sent', body }]);

    await Promise.all([sweep(), sweep()]);
    await sweep();
    expect(mine()).toHaveLength(1);
  });

  it('a booking cancelled before the sweep is not confirmed', async () => {
    const c = await newClinic('cancelled');
    const patient = await signUp('patient', '+212612300002');
    const { data, error } = await patient.client.rpc('book_appointment', {
      p_clinic_id: c.clinicId,
      p_slot_start: c.slot,
      p_appointment_type_id: c.typeId,
      p_full_name: 'Omar Alaoui',
    });
    expect(error).toBeNull();
    const { error: cancelError } = await patient.client.rpc('cancel_appointment', {
      p_entry_id: (data as { entry_id: string }).entry_id,
    });
    expect(cancelError).toBeNull();
    await sweep();
    expect(messagesOf(twilio).filter((m) => m.form.To === '+212612300002')).toHaveLength(0);
  });

  it('no phone number in any log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => /\+?2126123000\d\d/.test(l))).toEqual([]);
  });
});
