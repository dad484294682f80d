/**
 * The tracking link's hash never leaves the database (20261208300001, issue 12 session 10): no API caller
 * may select `queue_entries.tracking_token_hash` — not the clinic's staff, not the visit's own patient —
 * while every other column stays readable to whoever RLS lets see the row, and the functions that look a
 * visit up by its token (security definer) keep working for the token's holder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { tryAsActor } from './helpers/sql';
import { ACTORS, ID, TOKENS, createWorld } from './helpers/world';

describe.each(DB_KINDS)('the tracking hash stays in the database on %s', (kind) => {
  let t: TestDb;
  let otherColumns: string[] = [];
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
    otherColumns = (
      await t.db.query<{ name: string }>(
        `select attname as name from pg_attribute where attrelid = 'public.queue_entries'::regclass
          and attnum > 0 and not attisdropped and attname <> 'tracking_token_hash' order by attnum`,
      )
    ).rows.map((r) => r.name);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('the fixture visit has a hash to leak (the check below is not vacuous)', async () => {
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from public.queue_entries where id = $1 and tracking_token_hash is not null`,
      [ID.entryA],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it.each(['recepA', 'practA', 'ownerA', 'patientA'] as const)(
    '%s, who may see the visit, cannot select its hash (42501), nor with select *',
    async (actor) => {
      const hash = await tryAsActor(t.db, ACTORS[actor], (tx) =>
        tx.query(`select tracking_token_hash from public.queue_entries where id = $1`, [ID.entryA]),
      );
      expect(hash.ok ? 'readable' : hash.code).toBe('42501');
      const star = await tryAsActor(t.db, ACTORS[actor], (tx) =>
        tx.query(`select * from public.queue_entries where id = $1`, [ID.entryA]),
      );
      expect(star.ok ? 'readable' : star.code).toBe('42501');
      // nor through a whole-row reference (to_jsonb of the row needs every column too)
      const whole = await tryAsActor(t.db, ACTORS[actor], (tx) =>
        tx.query(`select to_jsonb(e) as j from public.queue_entries e where id = $1`, [ID.entryA]),
      );
      expect(whole.ok ? 'readable' : whole.code).toBe('42501');
    },
  );

  it.each(['recepA', 'practA', 'ownerA', 'patientA'] as const)(
    '%s still reads every other column of the visit (a column added later without its grant fails here)',
    async (actor) => {
      expect(otherColumns.length).toBeGreaterThan(30);
      const r = await tryAsActor(t.db, ACTORS[actor], (tx) =>
        tx.query<Record<string, unknown>>(
          `select ${otherColumns.map((c) => `"${c}"`).join(', ')} from public.queue_entries where id = $1`,
          [ID.entryA],
        ),
      );
      if (!r.ok) throw new Error(`${r.code} ${r.message}`);
      expect(r.value.rows.map((row) => row['id'])).toEqual([ID.entryA]);
    },
  );

  it('rows are still RLS-picked: owner B and patient B see no row of visit A, even without the hash', async () => {
    for (const actor of ['ownerB', 'patientB'] as const) {
      const r = await tryAsActor(t.db, ACTORS[actor], (tx) =>
        tx.query<{ n: number }>(`select count(id)::int as n from public.queue_entries where id = $1`, [
          ID.entryA,
        ]),
      );
      if (!r.ok) throw new Error(`${r.code} ${r.message}`);
      expect(r.value.rows[0]?.n).toBe(0);
    }
  });

  it('the token holder (signed out, or signed in as the patient) still reaches the visit through get_visit_status', async () => {
    for (const actor of ['anon', 'patientA'] as const) {
      const r = await tryAsActor(t.db, ACTORS[actor], (tx) =>
        tx.query<{ r: { entry_id?: string; id?: string; ticket?: unknown } | null }>(
          `select public.get_visit_status(p_tracking_token => $1) as r`,
          [TOKENS.trackingA],
        ),
      );
      if (!r.ok) throw new Error(`${r.code} ${r.message}`);
      expect(JSON.stringify(r.value.rows[0]?.r)).toContain(ID.entryA);
      expect(JSON.stringify(r.value.rows[0]?.r)).not.toContain('tracking_token_hash');
    }
  });
});
