/**
 * The matrix bites: for every RLS policy, drop it inside a rolled-back transaction and re-run the matrix
 * cases of its table — at least one case must change. A policy no case depends on would be untested.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { OPS, TABLES, expectedOutcome, isDeny, runTableSpec } from './helpers/matrix';
import { ACTOR_NAMES, createWorld } from './helpers/world';

interface PolicyRow {
  tablename: string;
  policyname: string;
}

describe.each(DB_KINDS)('RLS matrix bites on %s', (kind) => {
  let t: TestDb;
  let policies: PolicyRow[] = [];
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
    policies = (
      await t.db.query<PolicyRow>(
        `select tablename, policyname from pg_policies where schemaname = 'public' order by 1, 2`,
      )
    ).rows;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('finds the policies', () => {
    expect(policies.length).toBeGreaterThanOrEqual(30);
  });

  it('the check notices a policy whose effect is duplicated (so it would notice a toothless one)', async () => {
    const spec = TABLES.find((s) => s.label === 'clinics');
    if (!spec) throw new Error('clinics spec missing');
    const actual = await runTableSpec(t.db, spec, async (tx) => {
      await tx.exec(`create policy duplicate_select on public.clinics for select to anon, authenticated using (true);
                     drop policy clinics_select on public.clinics;`);
    });
    const changed = ACTOR_NAMES.filter((a) => actual[`select ${a}`] !== 'allow');
    expect(changed).toEqual([]);
    const without = await runTableSpec(t.db, spec, async (tx) => {
      await tx.exec(`drop policy clinics_select on public.clinics`);
    });
    expect(ACTOR_NAMES.filter((a) => without[`select ${a}`] !== 'allow')).toEqual(
      ACTOR_NAMES.filter((a) => a !== 'service'),
    );
  });

  it('every policy: dropping it changes at least one matrix case', async () => {
    const changedBy: Record<string, string[]> = {};
    for (const p of policies) {
      const specs = TABLES.filter((s) => s.table === p.tablename);
      const changes: string[] = [];
      for (const spec of specs) {
        const actual = await runTableSpec(t.db, spec, async (tx) => {
          await tx.exec(`drop policy "${p.policyname}" on public."${p.tablename}"`);
        });
        for (const op of OPS)
          for (const actor of ACTOR_NAMES) {
            const got = actual[`${op} ${actor}`] ?? 'missing';
            const want = expectedOutcome(spec, op, actor);
            const same = want === 'allow' ? got === 'allow' : isDeny(got);
            if (!same) changes.push(`${spec.label}: ${op} ${actor} ${want} -> ${got}`);
          }
      }
      changedBy[p.policyname] = changes;
    }
    const toothless = Object.entries(changedBy)
      .filter(([, c]) => c.length === 0)
      .map(([name]) => name);
    expect(toothless).toEqual([]);
    // and the policies are all still there (every drop was rolled back)
    const after = await t.db.query(`select 1 from pg_policies where schemaname = 'public'`);
    expect(after.rows.length).toBe(policies.length);
  });
});
