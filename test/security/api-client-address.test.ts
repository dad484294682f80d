/**
 * apiaddr18 — the per-address booking limit (secmisc18, scope booking_ip) sees the real client behind /v1 and MCP.
 * The function host calls /rest/v1 from 127.0.0.1 for every caller of /functions/v1, so on main all of /v1 shared
 * ONE address's bookings (300 an hour under `npm start`): one heavy user blocked everyone. Now the gateway names
 * the caller's socket address to the function (x-queuemed-client-address, overwriting any the caller sent), the
 * api/mcp functions forward it to /rest/v1 with the stack's per-process secret, and the REST layer believes it only
 * from a loopback socket with that secret (http.ts limitAddress). Here, on PGlite and PostgreSQL with the real
 * `api` function, clients on distinct loopback source addresses (127.0.0.2, .3, …: Linux routes all of 127/8)
 * play distinct clients; the limit is 2 bookings an hour on the limiter's pinned clock.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack, type Kind } from '../integration/appStack';

const ROOT = new URL('../../', import.meta.url).pathname;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const SECRET = 'test-forward-secret-apiaddr18';

/** One HTTP call to the stack from the given local (source) address. */
const from = (
  localAddress: string,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> | null }> =>
  new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let json: Record<string, unknown> | null = null;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });

const keyOf = (address: string) => createHash('sha256').update(`booking_ip|${address}`).digest('hex');

describe.each(['pglite', 'postgres'] as Kind[])('bookings per client address behind /v1 (%s)', (kind) => {
  let app: AppStack;
  let clinicId = '';
  let typeId = '';
  let slots: string[] = [];
  let seq = 0;
  beforeAll(async () => {
    app = await startAppStack(kind, {
      functionsDir: `${ROOT}supabase/functions`,
      configToml: `${ROOT}supabase/config.toml`,
      bookingIpLimit: { max: 2, windowMs: HOUR },
      forwardSecret: SECRET,
      auth: { now: () => T0 },
    });
    const c = await app.newClinic('apiaddr');
    clinicId = c.clinicId;
    await app.db.query(`delete from public.working_hours where clinic_id = $1`, [clinicId]);
    await app.db.query(
      `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
       select $1, d, '00:00', '23:00' from generate_series(0, 6) d`,
      [clinicId],
    );
    const type = await app.db.query<{ id: string }>(
      `insert into public.appointment_types (clinic_id, name, duration_minutes) values ($1, 'Consultation', 15) returning id`,
      [clinicId],
    );
    typeId = type.rows[0]!.id;
    // tomorrow's slots (the database's clock): 08:00, 08:20, … — one patient each
    slots = (
      await app.db.query<{ at: Date }>(
        `select ((private.clinic_today('Africa/Casablanca') + 1) + time '08:00' + make_interval(mins => 20 * i))
                  at time zone 'Africa/Casablanca' as at
           from generate_series(0, 29) i order by 1`,
      )
    ).rows.map((r) => r.at.toISOString());
  }, 400_000);
  afterAll(async () => {
    await app?.stop();
  });

  /** A patient with a confirmed phone (abuse17: booking needs one). */
  const patient = () => {
    seq += 1;
    return app.signUp(`apiaddr${seq}`, `+21261240${String(seq).padStart(4, '0')}`);
  };
  const slot = () => slots[seq]!;
  /** POST /v1/bookings as a signed-in patient, from a local source address. */
  const bookV1 = async (source: string, extra: Record<string, string> = {}) => {
    const p = await patient();
    return from(
      source,
      `${app.stack.url}/functions/v1/api/v1/bookings`,
      'POST',
      { authorization: `Bearer ${p.token}`, 'idempotency-key': `apiaddr-${seq}`, ...extra },
      { clinicId, appointmentTypeId: typeId, slotStart: slot(), fullName: 'Api Patient' },
    );
  };
  /** book_appointment at /rest/v1 directly, from a local source address. */
  const bookRest = async (source: string, extra: Record<string, string>) => {
    const p = await patient();
    return from(
      source,
      `${app.stack.url}/rest/v1/rpc/book_appointment`,
      'POST',
      { apikey: app.stack.anonKey, authorization: `Bearer ${p.token}`, ...extra },
      {
        p_clinic_id: clinicId,
        p_slot_start: slot(),
        p_appointment_type_id: typeId,
        p_full_name: 'Rest Patient',
      },
    );
  };
  const hits = async (address: string) =>
    (
      await app.db.query<{ hits: number }>(`select hits from auth.rate_limits where key = $1`, [
        keyOf(address),
      ])
    ).rows[0]?.hits ?? 0;

  it('/v1 bookings from two client addresses are counted apart; one full address does not block the other', async () => {
    await app.db.query(`delete from auth.rate_limits`);
    const first = await bookV1('127.0.0.2');
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect((await bookV1('127.0.0.2')).status).toBe(201);
    const over = await bookV1('127.0.0.2');
    expect(over.status).toBe(429);
    expect(over.json?.['code']).toBe('RATE.LIMITED');
    // another client of the same API: its own bucket (on main: the function host's one, already full → 429)
    expect((await bookV1('127.0.0.3')).status).toBe(201);
    expect(await hits('127.0.0.2')).toBe(3);
    expect(await hits('127.0.0.3')).toBe(1);
    expect(await hits('127.0.0.1')).toBe(0);
  }, 120_000);

  it('a client cannot name its address to /v1: the gateway overwrites x-queuemed-client-address', async () => {
    await app.db.query(`delete from auth.rate_limits`);
    for (const _ of [1, 2]) expect((await bookV1('127.0.0.4')).status).toBe(201);
    // 127.0.0.5 claims to be 127.0.0.4 (full) and sends a made-up secret: counted as itself, booked
    const forged = await bookV1('127.0.0.5', {
      'x-queuemed-client-address': '127.0.0.4',
      'x-queuemed-forward-secret': 'guess',
    });
    expect(forged.status).toBe(201);
    expect(await hits('127.0.0.5')).toBe(1);
    expect(await hits('127.0.0.4')).toBe(2);
    // and 127.0.0.4 cannot dodge its full bucket by naming another address
    const dodge = await bookV1('127.0.0.4', { 'x-queuemed-client-address': '198.51.100.77' });
    expect(dodge.status).toBe(429);
    expect(await hits('198.51.100.77')).toBe(0);
  }, 120_000);

  it('/rest/v1 believes a forwarded address only from loopback with the stack secret; IPv6 by its /64', async () => {
    await app.db.query(`delete from auth.rate_limits`);
    // no secret, a wrong one: the socket's address counts
    expect((await bookRest('127.0.0.1', { 'x-queuemed-client-address': '203.0.113.1' })).status).toBe(200);
    expect(
      (
        await bookRest('127.0.0.1', {
          'x-queuemed-client-address': '203.0.113.2',
          'x-queuemed-forward-secret': `${SECRET}x`,
        })
      ).status,
    ).toBe(200);
    expect(await hits('127.0.0.1')).toBe(2);
    expect(await hits('203.0.113.1')).toBe(0);
    expect(await hits('203.0.113.2')).toBe(0);
    // the right secret from a socket that is not the function host's: ignored
    expect(
      (
        await bookRest('127.0.0.6', {
          'x-queuemed-client-address': '203.0.113.3',
          'x-queuemed-forward-secret': SECRET,
        })
      ).status,
    ).toBe(200);
    expect(await hits('127.0.0.6')).toBe(1);
    expect(await hits('203.0.113.3')).toBe(0);
    // the function host (loopback + secret): the forwarded client, an IPv6 one by its /64
    for (const addr of ['2001:db8:1:2::5', '2001:DB8:1:2:ffff::9']) {
      const r = await bookRest('127.0.0.1', {
        'x-queuemed-client-address': addr,
        'x-queuemed-forward-secret': SECRET,
      });
      expect(r.status).toBe(200);
    }
    expect(await hits('2001:db8:1:2::/64')).toBe(2);
    expect(await hits('127.0.0.1')).toBe(2);
  }, 120_000);
});
