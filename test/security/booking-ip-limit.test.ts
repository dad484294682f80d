/**
 * secmisc18 — bookings per client address. book_appointment / book_fluid_place / join_queue_remotely are limited
 * per account and per phone in the database, not per address: a farm of confirmed phones behind one address could
 * hoard a clinic's slots. The local stack counts those calls per client address at /rest/v1 (DbRateLimiter, scope
 * booking_ip, in auth.rate_limits like the auth limits; an IPv6 client by its /64): over the limit 429 with the
 * app's code RATE.LIMITED, reason booking_address, and Retry-After — nothing is booked. `npm start` allows 300 an
 * hour (QUEUEMED_BOOKING_IP_MAX); here 3, on the limiter's pinned clock. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapPostgrestError } from '../../src/services/shared/repositories/postgrest';
import { call } from '../conformance/harness';
import { KINDS, LEAKS, startSecurityStack, type SecurityStack } from './helpers/stack';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);

describe.each(KINDS)('bookings per client address (%s)', (kind) => {
  let t: SecurityStack;
  let now = T0;
  beforeAll(async () => {
    t = await startSecurityStack(kind, {
      bookingIpLimit: { max: 3, windowMs: HOUR },
      auth: { now: () => now },
    });
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** A patient whose phone is confirmed (abuse17: booking needs one), signed in with their own account. */
  const patient = async (i: number) => {
    const p = await t.signUp(`booker${i}`);
    await t.db.query(`update auth.users set phone = $2, phone_confirmed_at = now() where id = $1`, [
      p.userId,
      `2126123${String(i).padStart(5, '0')}`,
    ]);
    return p;
  };

  it('the 4th booking from one address in the window is 429 RATE.LIMITED and books nothing; the window ends, it books', async () => {
    const c = await t.newClinic('iplimit');
    await t.db.query(`delete from public.working_hours where clinic_id = $1`, [c.clinicId]);
    await t.db.query(
      `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
       select $1, d, '00:00', '23:00' from generate_series(0, 6) d`,
      [c.clinicId],
    );
    const type = await t.db.query<{ id: string }>(
      `insert into public.appointment_types (clinic_id, name, duration_minutes) values ($1, 'Consultation', 15) returning id`,
      [c.clinicId],
    );
    // tomorrow's slots (the database's clock): 10:00, 10:20, … — one patient each
    const slots = (
      await t.db.query<{ at: Date }>(
        `select ((private.clinic_today('Africa/Casablanca') + 1) + time '10:00' + make_interval(mins => 20 * i))
                  at time zone 'Africa/Casablanca' as at
           from generate_series(0, 5) i order by 1`,
      )
    ).rows.map((r) => r.at.toISOString());
    const book = async (p: Awaited<ReturnType<typeof patient>>, slot: string) =>
      p.client.rpc('book_appointment', {
        p_clinic_id: c.clinicId,
        p_slot_start: slot,
        p_appointment_type_id: type.rows[0]!.id,
        p_full_name: 'Farm Patient',
      });
    const entries = async () =>
      (
        await t.db.query<{ n: number }>(
          `select count(*)::int as n from public.queue_entries where clinic_id = $1`,
          [c.clinicId],
        )
      ).rows[0]!.n;

    const people = await Promise.all([1, 2, 3, 4, 5].map(patient));
    for (const i of [0, 1, 2]) expect((await book(people[i]!, slots[i]!)).error).toBeNull();
    expect(await entries()).toBe(3);

    // the 4th, another account with its own confirmed phone, from the same address
    const refused = await book(people[3]!, slots[3]!);
    expect(refused.error).toMatchObject({ code: 'PT429', message: 'RATE.LIMITED' });
    expect(await entries()).toBe(3);
    // the booking screen gets the app's code with the reason its message is chosen by
    const appError = mapPostgrestError(refused.error, 429);
    expect(appError.code).toBe('RATE.LIMITED');
    expect(appError.details).toMatchObject({ reason: 'booking_address' });

    // every booking RPC counts under the same key (a remote join is refused before the database is asked)
    const join = await people[3]!.client.rpc('join_queue_remotely', {
      p_clinic_id: c.clinicId,
      p_full_name: 'Farm Patient',
    });
    expect(join.error).toMatchObject({ code: 'PT429', message: 'RATE.LIMITED' });

    // the raw answer: 429, PostgREST's body, Retry-After; no SQL, no stack
    const r = await call(t.stack, '/rest/v1/rpc/book_fluid_place', {
      method: 'POST',
      token: people[4]!.token,
      body: JSON.stringify({ p_clinic_id: c.clinicId }),
    });
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({ code: 'PT429', message: 'RATE.LIMITED' });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    for (const leak of LEAKS) expect(r.text).not.toMatch(leak);

    // other RPCs are not counted, and the server's own calls (service role) are never limited
    expect((await people[3]!.client.rpc('get_public_clinic', { p_slug: 'nope' })).status).not.toBe(429);
    const service = await call(t.stack, '/rest/v1/rpc/book_appointment', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      token: t.stack.serviceKey,
      body: JSON.stringify({
        p_clinic_id: c.clinicId,
        p_slot_start: slots[5],
        p_appointment_type_id: type.rows[0]!.id,
      }),
    });
    expect(service.status).not.toBe(429);

    // the window ends: the same address books again
    now = T0 + HOUR + 1;
    expect((await book(people[3]!, slots[3]!)).error).toBeNull();
    expect(await entries()).toBe(4);
  });
});
