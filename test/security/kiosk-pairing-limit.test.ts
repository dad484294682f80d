/**
 * review20 M2: one anonymous client locked kiosk pairing by code for every clinic with 101 wrong codes (the
 * database's cap was global). Wrong codes now count per client address at /rest/v1 (kioskPairingLimit.ts,
 * 10 per 10 minutes): the 11th exchange from that address is 429 KIOSK.TOO_MANY_ATTEMPTS with Retry-After (even
 * with a right code), while another address pairs; the window ends, the address may try again. The database's
 * global cap (20261220800002) is only a backstop now. On PGlite and PostgreSQL, on the limiter's pinned clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapPostgrestError } from '../../src/services/shared/repositories/postgrest';
import { CLIENT_ADDRESS_HEADER, FORWARD_SECRET_HEADER } from '../../supabase/local/http';
import { call } from '../conformance/harness';
import { KINDS, LEAKS, startSecurityStack, type SecurityStack } from './helpers/stack';

const SECRET = 'fix20-forward-secret';
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

describe.each(KINDS)('kiosk pairing codes per client address (%s)', (kind) => {
  let t: SecurityStack;
  let now = T0;
  beforeAll(async () => {
    t = await startSecurityStack(kind, { forwardSecret: SECRET, auth: { now: () => now } });
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  const redeem = (code: string, from?: string) =>
    call(t.stack, '/rest/v1/rpc/redeem_kiosk_pairing_code', {
      method: 'POST',
      body: JSON.stringify({ p_code: code }),
      headers: from ? { [CLIENT_ADDRESS_HEADER]: from, [FORWARD_SECRET_HEADER]: SECRET } : {},
    });

  it('the 11th wrong code from one address is 429 with Retry-After; another address still pairs; the window ends', async () => {
    const c = await t.newClinic('pairlimit');
    const newCode = async (label: string) => {
      const { data, error } = await c.client.rpc('create_kiosk_pairing_code', {
        p_clinic_id: c.clinicId,
        p_label: label,
      });
      expect(error).toBeNull();
      return (data as { code: string }).code;
    };
    const live = await newCode('Hall');
    const wrong = (i: number) => `ZZZZ-${'23456789'[i % 8]}${'23456789'[Math.floor(i / 8) % 8]}22`;
    for (let i = 0; i < 10; i++) {
      const r = await redeem(wrong(i), '203.0.113.7');
      expect(r.status, `wrong code ${i + 1}`).toBe(200);
      expect(r.json).toEqual({ paired: false });
    }
    // the 11th exchange from that address, even with the right code: refused before the database is asked
    const refused = await redeem(live, '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ code: 'PT429', message: 'KIOSK.TOO_MANY_ATTEMPTS' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    for (const leak of LEAKS) expect(refused.text).not.toMatch(leak);
    const appError = mapPostgrestError(
      refused.json as { code: string; message: string; details: string },
      refused.status,
    );
    expect(appError.code).toBe('KIOSK.TOO_MANY_ATTEMPTS');
    expect(appError.details).toMatchObject({ reason: 'pairing_address' });
    expect(
      (
        await t.db.query<{ n: number }>(
          `select count(*)::int as n from public.kiosk_devices where clinic_id = $1`,
          [c.clinicId],
        )
      ).rows[0]!.n,
    ).toBe(0);

    // another client's address is not locked out: the same live code pairs from there
    const other = await redeem(live, '198.51.100.20');
    expect(other.status).toBe(200);
    expect(other.json).toMatchObject({ paired: true, label: 'Hall' });
    // right codes are not counted: the other address pairs more tablets
    for (const label of ['Desk', 'Door']) {
      expect((await redeem(await newCode(label), '198.51.100.20')).json).toMatchObject({ paired: true });
    }

    // 10 minutes later the first address may try again
    now = T0 + 10 * 60_000 + 1_000;
    const later = await redeem(await newCode('Later'), '203.0.113.7');
    expect(later.json).toMatchObject({ paired: true, label: 'Later' });
  });

  it('sec21: a parallel burst of 30 wrong codes from one address reaches the database 10 times; right codes are given back', async () => {
    now = T0 + 30 * 60_000;
    const c = await t.newClinic('pairburst');
    const wrong = (i: number) => `YYYY-${'23456789'[i % 8]}${'23456789'[Math.floor(i / 8) % 8]}33`;
    // before: every exchange was checked, then counted after its answer, so all 30 passed the check at once
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => redeem(wrong(i), '203.0.113.99')));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBe(10);
    expect(statuses.filter((s) => s === 429).length).toBe(20);
    for (const r of burst) {
      if (r.status === 200) expect(r.json).toEqual({ paired: false });
      else expect(r.json).toMatchObject({ code: 'PT429', message: 'KIOSK.TOO_MANY_ATTEMPTS' });
    }

    // right codes are reserved like any exchange and given back: 5 tablets paired at once from a fresh address,
    // then that address still has all of its 10 wrong codes
    const codes = await Promise.all(
      ['A', 'B', 'C', 'D', 'E'].map(async (label) => {
        const { data, error } = await c.client.rpc('create_kiosk_pairing_code', {
          p_clinic_id: c.clinicId,
          p_label: `Tablet ${label}`,
        });
        expect(error).toBeNull();
        return (data as { code: string }).code;
      }),
    );
    const paired = await Promise.all(codes.map((code) => redeem(code, '198.51.100.77')));
    for (const r of paired) expect(r.json).toMatchObject({ paired: true });
    for (let i = 0; i < 10; i++) {
      expect((await redeem(wrong(40 + i), '198.51.100.77')).json, `wrong code ${i + 1}`).toEqual({
        paired: false,
      });
    }
    expect((await redeem(wrong(60), '198.51.100.77')).status).toBe(429);
  });

  it('fix21d: a double submit — 12 parallel exchanges of ONE right code — pairs once and costs the address nothing', async () => {
    now = T0 + 60 * 60_000;
    const c = await t.newClinic('pairtwice');
    const { data, error } = await c.client.rpc('create_kiosk_pairing_code', {
      p_clinic_id: c.clinicId,
      p_label: 'Hall',
    });
    expect(error).toBeNull();
    const code = (data as { code: string }).code;
    // before: the 11 losers answered {paired:false}, kept their reservations, and the 11th locked the address
    const burst = await Promise.all(Array.from({ length: 12 }, () => redeem(code, '203.0.113.150')));
    // the limiter reserves before the call (sec21): with 10 in flight, the last of 12 simultaneous ones may be
    // refused up front; every answered one is the pairing or 'used'
    const answered = burst.filter((r) => r.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(10);
    for (const r of burst.filter((x) => x.status !== 200)) expect(r.status).toBe(429);
    expect(answered.filter((r) => (r.json as { paired: boolean }).paired).length).toBe(1);
    // the others learn only that the code was just used (a used code pairs nothing)
    for (const r of answered.filter((x) => !(x.json as { paired: boolean }).paired))
      expect(r.json).toEqual({ paired: false, reason: 'used' });
    expect(
      (
        await t.db.query<{ n: number }>(
          `select count(*)::int as n from public.kiosk_devices where clinic_id = $1`,
          [c.clinicId],
        )
      ).rows[0]!.n,
    ).toBe(1);
    // the address keeps its full budget: 10 wrong codes answered, the 11th refused
    const wrong = (i: number) => `XXXX-${'23456789'[i % 8]}${'23456789'[Math.floor(i / 8) % 8]}44`;
    for (let i = 0; i < 10; i++)
      expect((await redeem(wrong(i), '203.0.113.150')).json, `wrong code ${i + 1}`).toEqual({
        paired: false,
      });
    expect((await redeem(wrong(10), '203.0.113.150')).status).toBe(429);
    // a minute on, the spent code is a plain wrong code again (nothing to tell apart from a guess)
    await t.db.query(
      `update private.kiosk_pairing_codes set used_at = used_at - interval '61 seconds' where clinic_id = $1`,
      [c.clinicId],
    );
    expect((await redeem(code, '198.51.100.150')).json).toEqual({ paired: false });
  });
});
