/**
 * sec20 item 2 — get_free_slots answered anyone over /rest/v1 with no volume limit: an unauthenticated client could
 * ask every clinic's calendar, again and again, from one address (only anonymous calls of the `api` and `mcp`
 * functions were counted, ../../supabase/local/publicApiLimit.ts). Now the stack counts the public reads
 * get_free_slots and get_fluid_days per client address in the SAME counter as those calls (auth.rate_limits, scope
 * public_api_ip; `npm start`: QUEUEMED_PUBLIC_API_IP_MAX, default 60 a minute): past it, 429 with the app's code
 * RATE.LIMITED (reason public_address) and Retry-After, before the database computes anything. A patient's or
 * another clinic's token counts like anon (sign-up is open); the clinic's own active staff and the service role are
 * not counted. One call still spans at most 31 days (422 VALIDATION.FAILED, in the function). The window is an hour,
 * so nothing depends on the machine's speed. On PGlite and PostgreSQL.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapPostgrestError } from '../../src/services/shared/repositories/postgrest';
import { call } from '../conformance/harness';
import { KINDS, LEAKS, startSecurityStack, type SecurityStack } from './helpers/stack';

const HOUR = 3_600_000;
const LIMIT = 4;

describe.each(KINDS)('public reads per client address (%s)', (kind) => {
  let t: SecurityStack;
  let clinic: Awaited<ReturnType<SecurityStack['newClinic']>>;
  let day = '';
  const logLines: string[] = [];
  beforeAll(async () => {
    t = await startSecurityStack(kind, {
      logger: pino({ level: 'info' }, { write: (s: string) => void logLines.push(s) }),
      publicApiIpLimit: { max: LIMIT, windowMs: HOUR },
      publicReadIpLimit: { max: LIMIT, windowMs: HOUR },
    });
    clinic = await t.newClinic('pubread');
    day = (await t.db.query<{ d: string }>(`select private.clinic_today('Africa/Casablanca')::text as d`))
      .rows[0]!.d;
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Each case starts with nothing counted for 127.0.0.1. */
  const forgetCounts = () => t.db.query(`delete from auth.rate_limits`);
  const slots = (token: string | null, to: string = day) =>
    call(t.stack, '/rest/v1/rpc/get_free_slots', {
      method: 'POST',
      token,
      body: JSON.stringify({ p_clinic_id: clinic.clinicId, p_from: day, p_to: to }),
    });
  const addDays = (d: string, n: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  it(`anonymous: ${LIMIT} calls answer, the next is 429 RATE.LIMITED with Retry-After — get_fluid_days shares the count`, async () => {
    await forgetCounts();
    for (let i = 0; i < LIMIT; i++) expect((await slots(null)).status).toBe(200);
    const r = await slots(null);
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({ code: 'PT429', message: 'RATE.LIMITED' });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    for (const leak of LEAKS) expect(r.text).not.toMatch(leak);
    // the app's code, with the reason the screen can choose its words by
    const { error } = await t.client().rpc('get_fluid_days', { p_clinic_id: clinic.clinicId, p_from: day });
    expect(error).toMatchObject({ code: 'PT429', message: 'RATE.LIMITED' });
    expect(mapPostgrestError(error!, 429)).toMatchObject({
      code: 'RATE.LIMITED',
      details: { reason: 'public_address' },
    });
    // other RPCs are not counted here
    expect((await t.client().rpc('get_public_clinic', { p_slug: 'nope' })).status).not.toBe(429);
  });

  it('the directory search and the board’s branding (anyone’s, session 20) share the same count', async () => {
    await forgetCounts();
    for (let i = 0; i < LIMIT - 1; i++)
      expect((await t.client().rpc('search_clinic_directory', { p_query: 'x' })).status).toBe(200);
    expect((await t.client().rpc('get_board_branding', { p_clinic_id: clinic.clinicId })).status).toBe(200);
    const search = await t.client().rpc('search_clinic_directory', { p_query: "'; select 1 --" });
    expect(search.error).toMatchObject({ code: 'PT429', message: 'RATE.LIMITED' });
    const brand = await t.client().rpc('get_board_branding', { p_clinic_id: clinic.clinicId });
    expect(brand.error).toMatchObject({ code: 'PT429', message: 'RATE.LIMITED' });
  });

  it('review22 L3: 20 parallel refused searches from one address write one log line, not 20 (and no address)', async () => {
    await forgetCounts();
    for (let i = 0; i < LIMIT; i++)
      expect((await t.client().rpc('search_clinic_directory', { p_query: 'x' })).status).toBe(200);
    const lines = () => logLines.filter((l) => l.includes('"limit":"public_api_ip"'));
    const before = lines().length;
    const refused = await Promise.all(
      Array.from({ length: 20 }, () => t.client().rpc('search_clinic_directory', { p_query: 'x' })),
    );
    for (const r of refused) expect(r.status).toBe(429);
    // before: 20 lines
    expect(lines().length - before).toBe(1);
    for (const l of lines()) expect(l).not.toContain('127.0.0.1');
  });

  it('a patient’s token and another clinic’s owner count like anon; the clinic’s own staff and the service role do not', async () => {
    await forgetCounts();
    const patient = await t.signUp('pubread-patient');
    const other = await t.newClinic('pubread-other');
    for (let i = 0; i < LIMIT; i++)
      expect((await slots(i % 2 ? patient.token : other.token)).status).toBe(200);
    expect((await slots(patient.token)).status).toBe(429);
    expect((await slots(other.token)).status).toBe(429);
    expect((await slots(null)).status).toBe(429);
    // the desk books for callers all day: the clinic's owner is answered, and not counted
    for (let i = 0; i < LIMIT + 2; i++) expect((await slots(clinic.token)).status).toBe(200);
    const service = await call(t.stack, '/rest/v1/rpc/get_free_slots', {
      method: 'POST',
      apikey: t.stack.serviceKey,
      token: t.stack.serviceKey,
      body: JSON.stringify({ p_clinic_id: clinic.clinicId, p_from: day }),
    });
    expect(service.status).toBe(200);
    // a forged clinic id in another case is still one call counted, not a way around the count
    const shout = await call(t.stack, '/rest/v1/rpc/get_free_slots', {
      method: 'POST',
      token: patient.token,
      body: JSON.stringify({ p_clinic_id: clinic.clinicId.toUpperCase(), p_from: day }),
    });
    expect(shout.status).toBe(429);
  });

  it('one call spans at most 31 days: 422 VALIDATION.FAILED beyond, for anyone; malformed input is a 4xx', async () => {
    await forgetCounts();
    const wide = await slots(null, addDays(day, 32));
    expect(wide.status).toBe(422);
    expect(wide.json).toMatchObject({ message: 'VALIDATION.FAILED' });
    expect((await slots(clinic.token, addDays(day, 32))).status).toBe(422);
    expect((await slots(null, addDays(day, 31))).status).toBe(200);
    const bad = await call(t.stack, '/rest/v1/rpc/get_free_slots', {
      method: 'POST',
      body: JSON.stringify({ p_clinic_id: "x'; drop table public.clinics; --", p_from: day }),
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    for (const leak of LEAKS) expect(bad.text).not.toMatch(leak);
  });
});
