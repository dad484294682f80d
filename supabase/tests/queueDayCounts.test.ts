/**
 * Issue 12 / 14: a queue command's cost does not grow with the day. get_queue(p_scope 'active') returns
 * the entries a command can act on plus the ones it names, and the day's counts kept by a trigger in the
 * same transaction as every entry change, whichever path writes it. Reads never lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { asActor, becomeActor, rpcSql, type Actor } from './helpers/sql';
import { ACTORS, ID, createWorld } from './helpers/world';
import { EntryRowSchema } from '../../src/services/queue/repositories/queueEntryRow';

interface Loaded {
  entries: { id: string; status: string; patient: Record<string, unknown> }[];
  day_counts: Record<string, number> | null;
  queue: { id: string; version: number };
  delta_since?: number | null;
  active_count?: number;
}

describe.each(DB_KINDS)('the day’s counts and the active load on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 4 });
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const call = <T>(actor: Actor, fn: string, args: Record<string, unknown>) =>
    asActor(t.db, actor, async (tx: DbTx) => {
      const { sql, params } = rpcSql(fn, args);
      return (await tx.query<{ r: T }>(sql, params)).rows[0]?.r as T;
    });

  /** Queues whose kept counts differ from a recount of their entries (none, if the trigger is right). */
  const drift = async () =>
    (
      await t.db.query<{ queue_id: string }>(`
        select q.id as queue_id
          from public.queues q
          left join private.queue_day_counts c on c.queue_id = q.id
          left join lateral (
            select count(*)::int as entries,
                   (count(*) filter (where e.kind = 'walk_in' and e.status <> 'cancelled'
                                       and e.priority <> 'emergency'))::int as walk_ins,
                   coalesce(max(e.ticket_number), 0) as last_ticket,
                   (count(*) filter (where e.status = 'completed'))::int as completed,
                   (count(*) filter (where e.status = 'no_show'))::int as no_shows,
                   (count(*) filter (where e.status = 'cancelled'))::int as cancelled
              from public.queue_entries e where e.queue_id = q.id) r on true
         where (coalesce(c.entries, 0), coalesce(c.walk_ins, 0), coalesce(c.completed, 0),
                coalesce(c.no_shows, 0), coalesce(c.cancelled, 0))
               is distinct from (r.entries, r.walk_ins, r.completed, r.no_shows, r.cancelled)
            or coalesce(c.last_ticket, 0) < r.last_ticket`)
    ).rows.map((r) => r.queue_id);

  it('stay equal to a recount whichever path writes the entries: inserts, check-in, booking, cancel, priority, end of day, delete', async () => {
    expect(await drift()).toEqual([]);
    await call(ACTORS.recepA, 'check_in', { p_entry_id: ID.entryA });
    expect(await drift()).toEqual([]);
    await t.db.exec(`
      insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key)
      values ('a5000000-0000-4000-8000-0000000000f1', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in',
              'waiting', 40, 1),
             ('a5000000-0000-4000-8000-0000000000f2', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in',
              'waiting', 41, 2);
      update public.queue_entries set priority = 'emergency' where id = 'a5000000-0000-4000-8000-0000000000f1';
      update public.queue_entries set status = 'cancelled' where id = 'a5000000-0000-4000-8000-0000000000f2';`);
    expect(await drift()).toEqual([]);
    const v = await t.db.query<{ version: number }>(
      `select version from public.queues where id = '${ID.queueA}'`,
    );
    await call(ACTORS.ownerA, 'end_day', { p_queue_id: ID.queueA, p_expected_version: v.rows[0]?.version });
    expect(await drift()).toEqual([]);
    await t.db.exec(`delete from public.queue_entries where id = 'a5000000-0000-4000-8000-0000000000f2'`);
    expect(await drift()).toEqual([]);
    const counts = await t.db.query<{ walk_ins: number; last_ticket: number; cancelled: number }>(
      `select walk_ins, last_ticket, cancelled from private.queue_day_counts where queue_id = '${ID.queueA}'`,
    );
    // entryB (walk-in) counts; f1 became an emergency (uses no place); f2 cancelled, then deleted
    expect(counts.rows[0]).toEqual({ walk_ins: 1, last_ticket: 41, cancelled: 0 });
  });

  it("get_queue(p_scope 'active') returns the active entries, the named ones, the day's counts and only the patient's name", async () => {
    const day = await call<Loaded>(ACTORS.ownerB, 'get_queue', { p_clinic_id: ID.clinicB });
    const finished = day.entries[0]?.id ?? '';
    await t.db.exec(`update public.queue_entries set status = 'cancelled' where id = '${finished}'`);
    const active = await call<Loaded>(ACTORS.ownerB, 'get_queue', {
      p_clinic_id: ID.clinicB,
      p_scope: 'active',
    });
    expect(active.entries).toEqual([]);
    expect(active.day_counts).toMatchObject({ walk_ins: 0, last_ticket: 1, cancelled: 1, entries: 1 });
    const named = await call<Loaded>(ACTORS.ownerB, 'get_queue', {
      p_clinic_id: ID.clinicB,
      p_scope: 'active',
      p_entry_ids: [finished, ID.entryA], // entryA is another clinic's: never returned
    });
    expect(named.entries.map((e) => [e.id, e.status])).toEqual([[finished, 'cancelled']]);
    expect(named.entries[0]?.patient).toEqual({ full_name: 'Amina Walk-in' });
    const whole = await call<Loaded>(ACTORS.ownerB, 'get_queue', { p_clinic_id: ID.clinicB });
    expect(whole.day_counts ?? null).toBeNull();
    expect(whole.entries).toHaveLength(1);
  });

  it("a command's load carries exactly the entry fields the domain reads (EntryRowSchema), no other column", async () => {
    const day = await call<Loaded>(ACTORS.ownerA, 'get_queue', { p_clinic_id: ID.clinicA });
    const named = day.entries.map((e) => e.id);
    const active = await call<Loaded>(ACTORS.ownerA, 'get_queue', {
      p_clinic_id: ID.clinicA,
      p_scope: 'active',
      p_entry_ids: named,
    });
    expect(active.entries.length).toBeGreaterThan(0);
    const fields = Object.keys(EntryRowSchema.shape).sort();
    for (const e of active.entries) {
      expect(Object.keys(e).sort()).toEqual(fields);
      expect(EntryRowSchema.safeParse(e).success).toBe(true);
    }
  });

  it('a delta load (issue 12): with its own queue and a version it had, only the rows written since; else the full active load', async () => {
    const load = (args: Record<string, unknown> = {}) =>
      call<Loaded>(ACTORS.ownerB, 'get_queue', { p_clinic_id: ID.clinicB, p_scope: 'active', ...args });
    // two waiting patients in clinic B's open day (the earlier cases cancelled its one entry)
    await t.db.exec(`
      insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key)
      select ('b5100000-0000-4000-8000-00000000000' || k)::uuid, e.queue_id, e.clinic_id, e.patient_id, 'walk_in',
             'waiting', 60 + k, k
        from public.queue_entries e, generate_series(1, 2) k
       where e.queue_id = '${ID.queueB}' and e.status = 'cancelled' limit 2`);
    const full = await load();
    const v = full.queue.version;
    expect(full.delta_since ?? null).toBeNull();
    expect(full.active_count).toBe(full.entries.length);
    const target = full.entries[0]?.id ?? '';
    expect(target).not.toBe('');
    // a write after the load (stamped with the version its change produces)
    await t.db.exec(`update public.queue_entries set running_late_minutes = 7 where id = '${target}'`);
    const delta = await load({ p_since_queue_id: full.queue.id, p_since_version: v });
    expect(delta.delta_since).toBe(v);
    expect(delta.entries.map((e) => e.id)).toContain(target);
    expect(delta.entries.find((e) => e.id === target)).toMatchObject({ running_late_minutes: 7 });
    expect(delta.active_count).toBe(full.entries.length);
    const plain = await load();
    // another clinic's queue id, a version the queue never had, a negative one: the full active load
    for (const since of [
      { p_since_queue_id: ID.queueA, p_since_version: v },
      { p_since_queue_id: full.queue.id, p_since_version: v + 5 },
      { p_since_queue_id: full.queue.id, p_since_version: -1 },
      { p_since_queue_id: full.queue.id },
    ]) {
      const r = await load(since);
      expect(r.delta_since ?? null).toBeNull();
      expect(r.entries).toEqual(plain.entries);
    }
    // the rows of another clinic never travel, whatever is asked
    const foreign = await call<Loaded>(ACTORS.ownerA, 'get_queue', {
      p_clinic_id: ID.clinicA,
      p_scope: 'active',
      p_since_queue_id: full.queue.id,
      p_since_version: 0,
    });
    expect(foreign.delta_since ?? null).toBeNull();
    expect(foreign.entries.map((e) => e.id)).not.toContain(target);
    // staff of another clinic, asking for this clinic with its queue: refused as any get_queue of it
    await expect(
      call<Loaded>(ACTORS.ownerA, 'get_queue', {
        p_clinic_id: ID.clinicB,
        p_scope: 'active',
        p_since_queue_id: full.queue.id,
        p_since_version: 0,
      }),
    ).rejects.toThrow(/AUTH|FORBIDDEN|staff/i);
  });

  it('refuses an unknown scope or too many named entries with 422 VALIDATION.FAILED', async () => {
    const bad = async (args: Record<string, unknown>) => {
      try {
        await call(ACTORS.ownerB, 'get_queue', { p_clinic_id: ID.clinicB, ...args });
        return 'ok';
      } catch (e) {
        return (e as { message: string }).message;
      }
    };
    expect(await bad({ p_scope: 'everything' })).toMatch(/VALIDATION\.FAILED|p_scope/);
    const many = Array.from(
      { length: 101 },
      (_, i) => `b5000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(await bad({ p_scope: 'active', p_entry_ids: many })).toMatch(/VALIDATION\.FAILED|p_entry_ids/);
  });

  // PGlite runs one transaction at a time: only PostgreSQL can hold a lock while another reads
  if (kind === 'postgres')
    it('a read does not wait behind a save in flight (no row lock on the queue)', async () => {
      // a save holds the queue row FOR UPDATE (as save_queue_step does) while a desk loads
      await t.db.transaction(async (holder: DbTx) => {
        await holder.query(`select 1 from public.queues where id = $1 for update`, [ID.queueB]);
        const read = await t.db.transaction(async (tx: DbTx) => {
          // a lock wait would fail at once instead of hanging: the read must not need one
          await tx.query(`set local lock_timeout = '50ms'`);
          await becomeActor(tx, ACTORS.ownerB);
          const { sql, params } = rpcSql('get_queue', { p_clinic_id: ID.clinicB, p_scope: 'active' });
          return (await tx.query<{ r: Loaded }>(sql, params)).rows[0]?.r;
        });
        expect(read?.queue.id).toBe(ID.queueB);
      });
    });
});
