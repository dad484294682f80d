/**
 * RLS matrix: every table and every RPC × 8 callers (anon, patient A, patient B, receptionist A,
 * practitioner A, owner A, owner B, service role) × select/insert/update/delete, on PGlite and on a real
 * PostgreSQL 15. Denials are asserted (empty result / no row touched / 42501 / the RPC's coded error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import {
  OPS,
  RPCS,
  TABLES,
  expectedOutcome,
  isDeny,
  rpcLabel,
  runRpcCase,
  runTableSpec,
} from './helpers/matrix';
import { ACTOR_NAMES, createWorld } from './helpers/world';

export const MATRIX_SIZE = {
  tableCases: TABLES.length * OPS.length * ACTOR_NAMES.length,
  rpcCases: RPCS.length * ACTOR_NAMES.length,
};

describe.each(DB_KINDS)('RLS matrix on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it(`covers every public table (${MATRIX_SIZE.tableCases} table cases, ${MATRIX_SIZE.rpcCases} RPC cases)`, async () => {
    const { rows } = await t.db.query<{ tablename: string; rowsecurity: boolean }>(
      `select tablename, rowsecurity from pg_tables where schemaname = 'public' order by 1`,
    );
    expect(rows.every((r) => r.rowsecurity)).toBe(true);
    expect(new Set(TABLES.map((s) => s.table))).toEqual(new Set(rows.map((r) => r.tablename)));
  });

  it('covers every RPC the API exposes', async () => {
    const { rows } = await t.db.query<{ proname: string }>(
      `select distinct p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prokind = 'f'
         and (has_function_privilege('anon', p.oid, 'execute')
              or has_function_privilege('authenticated', p.oid, 'execute')
              or has_function_privilege('service_role', p.oid, 'execute'))
       order by 1`,
    );
    expect(new Set(RPCS.map((r) => r.fn))).toEqual(new Set(rows.map((r) => r.proname)));
  });

  it.each(TABLES.map((s) => [s.label, s] as const))('table %s', async (_label, spec) => {
    const actual = await runTableSpec(t.db, spec);
    const expected: Record<string, string> = {};
    const got: Record<string, string> = {};
    for (const op of OPS)
      for (const actor of ACTOR_NAMES) {
        const key = `${op} ${actor}`;
        const outcome = actual[key] ?? 'missing';
        expected[key] = expectedOutcome(spec, op, actor);
        got[key] = outcome === 'allow' ? 'allow' : isDeny(outcome) ? 'deny' : outcome;
      }
    expect(got).toEqual(expected);
  });

  it.each(RPCS.map((r) => [rpcLabel(r), r] as const))('rpc %s', async (_label, spec) => {
    const got: Record<string, string> = {};
    const done = new Error('rollback');
    await t.db
      .transaction(async (tx) => {
        for (const actor of ACTOR_NAMES) got[actor] = await runRpcCase(tx, spec, actor);
        throw done;
      })
      .catch((e: unknown) => {
        if (e !== done) throw e;
      });
    expect(got).toEqual(spec.expect);
  });
});
