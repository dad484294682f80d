/**
 * Security (attack review of session 16): REST /v1 proves who a user JWT belongs to BEFORE it consults the
 * Idempotency-Key cache. Before, the gateway took `sub` from the token's unverified claims and the cache is
 * keyed by principal: a forged token carrying the owner's id (the owner's user id was readable by anon)
 * replayed the owner's stored 201 — with the new webhook's signing secret — and a forged token sent first
 * planted a 401 that the owner's real request then got back. Also: no 401/403 is ever stored.
 * The real local stack, the real Deno `api` function, PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../supabase/local/keys';
import { startAppStack, type AppStack, type Kind } from '../integration/appStack';

const FUNCTIONS = new URL('../../supabase/functions', import.meta.url).pathname;
const CONFIG = new URL('../../supabase/config.toml', import.meta.url).pathname;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A token with the right shape and claims but no valid signature. */
const forgedFor = (sub: string) =>
  `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, role: 'authenticated', aud: 'authenticated', exp: 9999999999 })}.AAAA`;

interface Res {
  status: number;
  json: Record<string, unknown>;
  text: string;
  replayed: string | null;
}

describe.each(['pglite', 'postgres'] as Kind[])(
  'REST /v1 proves the caller before the idempotency cache (%s)',
  (kind) => {
    let app: AppStack;
    let base: string;
    let A: Awaited<ReturnType<AppStack['newClinic']>>;
    let B: Awaited<ReturnType<AppStack['newClinic']>>;
    let path = '';
    let seq = 0;

    const post = async (token: string | null, idem: string, body: unknown): Promise<Res> => {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': idem };
      if (token) headers['authorization'] = `Bearer ${token}`;
      const res = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = {};
      }
      return { status: res.status, json, text, replayed: res.headers.get('idempotent-replayed') };
    };
    const hook = () => ({
      url: `https://hooks.example.com/queuemed/${++seq}`,
      eventTypes: ['visit.booked'],
      description: 'ERP',
    });
    const endpoints = async (clinicId: string) =>
      (
        await app.db.query<{ n: number }>(
          `select count(*)::int as n from public.webhook_endpoints where clinic_id = $1`,
          [clinicId],
        )
      ).rows[0]!.n;

    beforeAll(async () => {
      app = await startAppStack(kind, { functionsDir: FUNCTIONS, configToml: CONFIG });
      base = `${app.stack.url}/functions/v1/api`;
      A = await app.newClinic('forgeda');
      B = await app.newClinic('forgedb');
      path = `/v1/clinics/${A.clinicId}/webhooks`;
    }, 300_000);
    afterAll(async () => {
      await app?.stop();
    });

    it("a forged JWT with the owner's sub does not get the owner's stored answer (nor its secret) replayed", async () => {
      const body = hook();
      const key = `erp-sync-${kind}`;
      const real = await post(A.token, key, body);
      expect(real.status).toBe(201);
      const secret = real.json['secret'];
      expect(typeof secret).toBe('string');
      const replay = await post(forgedFor(A.userId), key, body);
      expect([replay.status, replay.json['code'], replay.replayed]).toEqual([
        401,
        'AUTH.INVALID_TOKEN',
        null,
      ]);
      expect(replay.text).not.toContain(secret as string);
      // signed, but with another secret: still not the owner
      const wrongKey = await signJwt(
        'not-the-stack-secret-not-the-stack-secret',
        { sub: A.userId, role: 'authenticated' },
        300,
      );
      const signed = await post(wrongKey, key, body);
      expect([signed.status, signed.replayed]).toEqual([401, null]);
      expect(signed.text).not.toContain(secret as string);
      // another clinic's real owner, same key and body: its own principal, never the replay
      const other = await post(B.token, key, body);
      expect(other.replayed).toBeNull();
      expect(other.status).toBe(403);
      expect(other.text).not.toContain(secret as string);
      // no token at all
      const none = await post(null, key, body);
      expect([none.status, none.json['code'], none.replayed]).toEqual([401, 'AUTH.REQUIRED', null]);
      // the owner's own repeat is still the replay, one endpoint
      const again = await post(A.token, key, body);
      expect([again.status, again.replayed, again.json['secret']]).toEqual([201, 'true', secret]);
      expect(await endpoints(A.clinicId)).toBe(1);
    });

    it("a forged JWT sent first does not plant a 401 under the owner's Idempotency-Key", async () => {
      const body = hook();
      const key = `poison-${kind}`;
      const before = await endpoints(A.clinicId);
      const attack = await post(forgedFor(A.userId), key, body);
      expect([attack.status, attack.json['code']]).toEqual([401, 'AUTH.INVALID_TOKEN']);
      const { rows } = await app.db.query<{ n: number }>(
        `select count(*)::int as n from public.api_idempotency where idempotency_key = $1`,
        [key],
      );
      expect(rows[0]!.n).toBe(0);
      const real = await post(A.token, key, body);
      expect([real.status, real.replayed]).toEqual([201, null]);
      expect(typeof real.json['secret']).toBe('string');
      expect(await endpoints(A.clinicId)).toBe(before + 1);
    });

    it('a 403 is not stored either: the same key works once the caller may act', async () => {
      const body = hook();
      const key = `later-${kind}`;
      // B's owner is not a member of A: refused, and nothing kept under the key
      const refused = await post(B.token, key, body);
      expect(refused.status).toBe(403);
      const { rows } = await app.db.query<{ n: number }>(
        `select count(*)::int as n from public.api_idempotency where idempotency_key = $1`,
        [key],
      );
      expect(rows[0]!.n).toBe(0);
      // made an admin of A, the same request under the same key is done, not the stored refusal
      await app.db.query(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'admin', 'B admin')`,
        [A.clinicId, B.userId],
      );
      const allowed = await post(B.token, key, body);
      expect([allowed.status, allowed.replayed]).toEqual([201, null]);
    });
  },
);
