/**
 * review20 M1 (part), migration 20261220800001: anon and authenticated have a statement time limit (anon 3 s,
 * authenticated 8 s — hosted Supabase's own values), and the local stack's request setup (enterRequest, the SQL
 * every /rest/v1 call starts with) applies the caller's role's settings as PostgREST does: `set role` alone does
 * not read them. On PostgreSQL a statement over the limit is cancelled (57014); PGlite runs no timers (one
 * connection, statements one after the other), so there the setting is applied but cannot fire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterRequest } from '../local/rest/postgrest';
import type { DbError, DbKind } from '../local/db/types';
import type { ApiRole } from '../local/keys';
import { openTestDb, type TestDb } from './helpers/testDb';

// The cases of both kinds, on one database per kind; `only` adds a kind's own cases (in a describe of their own)
// on that same database, so no case is registered on a kind it cannot run on (none shows as skipped).
const suite = (kind: DbKind, only?: (db: () => TestDb) => void) =>
  describe(`role statement time limits on ${kind}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(kind);
    }, 400_000);
    afterAll(async () => {
      await t?.stop();
    });

    const timeoutAs = (role: ApiRole) =>
      t.db.transaction(async (tx) => {
        await enterRequest(tx, { role, claims: { role } });
        const r = await tx.query<{ who: string; limit: string }>(
          `select current_user::text as who, current_setting('statement_timeout') as limit`,
        );
        return r.rows[0]!;
      });

    it('the migration sets anon 3 s and authenticated 8 s; service_role keeps no limit', async () => {
      const { rows } = await t.db.query<{ rolname: string; setconfig: string[] }>(
        `select r.rolname, s.setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
        where r.rolname in ('anon', 'authenticated', 'service_role') order by 1`,
      );
      expect(rows.find((r) => r.rolname === 'anon')?.setconfig).toContain('statement_timeout=3s');
      expect(rows.find((r) => r.rolname === 'authenticated')?.setconfig).toContain('statement_timeout=8s');
      expect(rows.find((r) => r.rolname === 'service_role')).toBeUndefined();
    });

    it("a request's session takes its role's limit (as PostgREST's impersonated role settings)", async () => {
      expect(await timeoutAs('anon')).toEqual({ who: 'anon', limit: '3s' });
      expect(await timeoutAs('authenticated')).toEqual({ who: 'authenticated', limit: '8s' });
      expect((await timeoutAs('service_role')).limit).toBe('0');
      // only for that transaction: the server's own connection keeps no limit afterwards
      expect(
        (await t.db.query<{ l: string }>(`select current_setting('statement_timeout') as l`)).rows[0]!.l,
      ).toBe('0');
    });

    only?.(() => t);
  });

suite('pglite');
suite('postgres', (db) =>
  describe('PostgreSQL only (PGlite runs no timers)', () => {
    it('an anonymous statement past 3 s is cancelled with 57014', async () => {
      const err = await db()
        .db.transaction(async (tx) => {
          await enterRequest(tx, { role: 'anon', claims: { role: 'anon' } });
          await tx.query('select pg_sleep(30)');
        })
        .then(
          () => null,
          (e: DbError) => e,
        );
      expect(err?.code).toBe('57014');
    });
  }),
);
