/**
 * review20 M1 (part): an anonymous (or signed-in) call cannot hold a database connection for as long as it likes.
 * Migration 20261220800001 gives anon 3 s and authenticated 8 s (hosted Supabase's values); the local stack applies
 * a role's settings per request as PostgREST does, and answers a cancelled statement (57014) with a coded 503
 * SERVER.BUSY and Retry-After — not Postgres' text. The slow statement is made honestly: the test holds a lock the
 * public call needs (as a long migration or a stuck writer would) until the call has been answered. PostgreSQL only:
 * PGlite runs no timers (roleStatementTimeout.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mapPostgrestError } from '../../src/services/shared/repositories/postgrest';
import { call } from '../conformance/harness';
import { LEAKS, startSecurityStack, type SecurityStack } from './helpers/stack';

describe('statement time limit per role (postgres)', () => {
  let t: SecurityStack;
  beforeAll(async () => {
    t = await startSecurityStack('postgres');
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('a public call stuck past the role limit is cancelled: 503 SERVER.BUSY, Retry-After, nothing leaked', async () => {
    const patient = await t.signUp('slowpoke');
    const answers = await t.db.transaction(async (tx) => {
      // the lock is held until both calls are answered: each waits until its role's limit cancels it
      await tx.exec('lock table public.clinics in access exclusive mode');
      return Promise.all([
        call(t.stack, '/rest/v1/rpc/get_public_clinic', {
          method: 'POST',
          body: JSON.stringify({ p_slug: 'anfa' }),
        }),
        patient.client.rpc('get_public_clinic', { p_slug: 'anfa' }),
      ]);
    });
    const [anon, signedIn] = answers;
    expect(anon.status).toBe(503);
    expect(anon.json).toMatchObject({ code: '57014', message: 'SERVER.BUSY' });
    expect(Number(anon.headers.get('retry-after'))).toBeGreaterThan(0);
    for (const leak of LEAKS) expect(anon.text).not.toMatch(leak);
    expect(anon.text).not.toMatch(/canceling statement/i);
    // the app's code: the screen says "busy, try again" and knows nothing was written
    expect(signedIn.status).toBe(503);
    const appError = mapPostgrestError(signedIn.error, signedIn.status);
    expect(appError.code).toBe('SERVER.BUSY');
    expect(appError.details?.['outcomeUnknown']).toBeUndefined();
    // the lock gone, the same call is answered again (404: this database has no clinic 'anfa')
    expect((await t.client().rpc('get_public_clinic', { p_slug: 'anfa' })).status).toBe(404);
  });

  it('sec21: the one-round-trip path (role + call in one message, no enterRequest) is cancelled too: 503 SERVER.BUSY', async () => {
    // rest/postgrest.ts sends an RPC on PostgreSQL as ONE simple-query message (BEGIN; SET_REQUEST_SQL; the call;
    // COMMIT) through db.batch, bypassing enterRequest: the role's time limit must bind the call in that message
    const batch = t.db.batch?.bind(t.db);
    expect(batch).toBeDefined();
    const sent: { sql: string; error: unknown }[] = [];
    const spy = vi.spyOn(t.db, 'batch').mockImplementation(async (statements, options) => {
      const entry = { sql: statements.map((s) => s.sql).join(';\n'), error: null as unknown };
      sent.push(entry);
      try {
        return await batch!(statements, options);
      } catch (e) {
        entry.error = e;
        throw e;
      }
    });
    try {
      let pending!: ReturnType<typeof call>;
      await t.db.transaction(async (tx) => {
        await tx.exec('lock table public.clinics in access exclusive mode');
        pending = call(t.stack, '/rest/v1/rpc/get_public_clinic', {
          method: 'POST',
          body: JSON.stringify({ p_slug: 'anfa' }),
        });
        // a guard, not a wait: answered at the role's 3 s it returns at once; were the limit lost on this path, the
        // lock goes after 20 s and the call is answered 404 (this failure, instead of a hung test)
        let guard: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([pending, new Promise((r) => (guard = setTimeout(r, 20_000)))]);
        clearTimeout(guard);
      });
      const anon = await pending;
      expect(anon.status).toBe(503);
      expect(anon.json).toMatchObject({ code: '57014', message: 'SERVER.BUSY' });
      expect(Number(anon.headers.get('retry-after'))).toBeGreaterThan(0);
      for (const leak of LEAKS) expect(anon.text).not.toMatch(leak);
      // the cancelled statement was the call inside the one-message batch, not a transaction of four round trips
      const fast = sent.filter((b) => b.sql.includes('get_public_clinic'));
      expect(fast.length).toBe(1);
      expect((fast[0]?.error as { code?: string } | null)?.code).toBe('57014');
    } finally {
      spy.mockRestore();
    }
  });

  it('hosted PostgREST answers a raw 57014: the app maps it to SERVER.BUSY too', () => {
    const e = mapPostgrestError(
      { code: '57014', message: 'canceling statement due to statement timeout', details: null, hint: null },
      500,
    );
    expect(e.code).toBe('SERVER.BUSY');
  });
});
