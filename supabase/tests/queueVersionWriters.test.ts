/**
 * Which database functions write a queue's entries without bumping its version (issue 12). The desks keep
 * their view by delta loads and Realtime keyed on the queue version (20261209100001, 20261210100001): a write
 * to queue_entries that no version bump announces reaches a desk only at its next full load.
 *
 * The audit, over the migrated catalogue (newest body of every function in public and private):
 *   - every function that writes public.queue_entries bumps the version (private.bump_version or
 *     `version = version + 1`) — except private.apply_check_in (check_in's rules for one visit: its two callers,
 *     check_in and the kiosk's check-in, lock and bump — shown below) and private.strip_entries, which the test
 *     below shows needs none: its callers are erase_patient (which bumps every queue it touched) and apply_retention (visits of days
 *     before the clinic's retention cutoff, at least 30 days back — no screen follows those days; today's
 *     queues and visits keep their versions and stamps);
 *   - the writers of the audit tables (queue_events' notified flags, audit_log) write nothing get_queue
 *     answers, so they bump nothing; the queue event log's writer (private.log_event) is only called inside
 *     steps that bump.
 * A new function that writes entries without a bump fails the first test until it bumps or is added here with
 * its reason. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { becomeActor, resetActor } from './helpers/sql';
import { ACTORS, ID, createWorld } from './helpers/world';

const WRITES = (table: string) => `(update|insert into|delete from)\\s+public\\.${table}\\M`;
const BUMPS = /bump_version|version\s*=\s*version\s*\+\s*1/i;

describe.each(DB_KINDS)('queue version writers on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const writersOf = async (table: string) =>
    (
      await t.db.query<{ fn: string; src: string }>(
        `select n.nspname || '.' || p.proname as fn, p.prosrc as src
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname in ('public', 'private') and p.prosrc ~* $1
          order by 1`,
        [WRITES(table)],
      )
    ).rows;

  it('every writer of queue entries bumps the queue version, but private.strip_entries and private.apply_check_in', async () => {
    const writers = await writersOf('queue_entries');
    expect(writers.length).toBeGreaterThanOrEqual(10);
    expect(writers.filter((w) => !BUMPS.test(w.src)).map((w) => w.fn)).toEqual([
      'private.apply_check_in',
      'private.strip_entries',
    ]);
    // the rename trigger (20261211400002) is one of the bumping writers
    expect(writers.map((w) => w.fn)).toContain('private.patient_renamed');
  });

  it('private.strip_entries is called only by erase_patient (which bumps) and by retention', async () => {
    const callers = (
      await t.db.query<{ fn: string; src: string }>(
        `select n.nspname || '.' || p.proname as fn, p.prosrc as src
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname in ('public', 'private') and p.prosrc ~* 'private\\.(strip_entries|anonymise_patient)\\('
            and p.proname not in ('strip_entries')
          order by 1`,
      )
    ).rows;
    expect(callers.map((c) => c.fn)).toEqual([
      'private.anonymise_patient',
      'public.apply_retention',
      'public.erase_patient',
    ]);
    expect(BUMPS.test(callers.find((c) => c.fn === 'public.erase_patient')?.src ?? '')).toBe(true);
  });

  it('private.apply_check_in (check_in’s rules, mend17) is called only by check_in and the kiosk, which both bump', async () => {
    const callers = (
      await t.db.query<{ fn: string; src: string }>(
        `select n.nspname || '.' || p.proname as fn, p.prosrc as src
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname in ('public', 'private') and p.prosrc ~* 'private\\.apply_check_in\\('
            and p.proname <> 'apply_check_in'
          order by 1`,
      )
    ).rows;
    expect(callers.map((c) => c.fn)).toEqual(['private.kiosk_check_in_entry', 'public.check_in']);
    for (const c of callers) expect(BUMPS.test(c.src), c.fn).toBe(true);
  });

  it('the audit writers write nothing a desk’s view holds: queue_events’ flags and audit_log only', async () => {
    const events = (await writersOf('queue_events')).filter((w) => !BUMPS.test(w.src)).map((w) => w.fn);
    expect(events).toEqual([
      'private.log_event',
      'public.mark_events_notified',
      'public.notification_outbox',
    ]);
    const audit = (await writersOf('audit_log')).filter((w) => !BUMPS.test(w.src)).map((w) => w.fn);
    expect(audit).toEqual([
      // fix26b (review26 M2): the SMS opt-out flag's trail — a patient's record, nothing of a queue
      'private.audit_patient_sms_opt_out',
      'private.audit_queue_event',
      'private.audit_undo_event',
      'public.apply_retention',
      'public.get_patient_record',
    ]);
    // get_queue answers neither table
    const getQueue = (
      await t.db.query<{ src: string }>(`select prosrc as src from pg_proc where proname = 'get_queue'`)
    ).rows;
    for (const g of getQueue) expect(g.src).not.toMatch(/queue_events|audit_log/);
  });

  it('retention strips a visit of a day before its cutoff and leaves today’s queues and visits as they were', async () => {
    const PAST_QUEUE = 'a4000000-0000-4000-8000-0000000000a9';
    const PAST_ENTRY = 'a5000000-0000-4000-8000-0000000000a9';
    await t.db.exec(`
      insert into public.queues (id, clinic_id, day, next_ticket)
        values ('${PAST_QUEUE}', '${ID.clinicA}', private.clinic_today('Africa/Casablanca') - 100, 2);
      insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                        call_reason)
        values ('${PAST_ENTRY}', '${PAST_QUEUE}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in', 'completed', 1, 1,
                'asked to go first');
      update public.clinics set retention_days = 60 where id = '${ID.clinicA}';
    `);
    const state = async () =>
      (
        await t.db.query<{ id: string; version: number; stamps: string }>(
          `select q.id, q.version,
                  coalesce(string_agg(e.id || ':' || coalesce(e.queue_version, -1), ',' order by e.id), '') as stamps
             from public.queues q left join public.queue_entries e on e.queue_id = q.id
            where q.day >= private.clinic_today('Africa/Casablanca')
            group by q.id, q.version order by q.id`,
        )
      ).rows;
    const before = await state();
    expect(before.map((q) => q.id).sort()).toEqual([ID.queueA, ID.queueA1, ID.queueB].sort());
    const pastVersion = async () =>
      (await t.db.query<{ version: number }>(`select version from public.queues where id = $1`, [PAST_QUEUE]))
        .rows[0]?.version;
    const pastBefore = await pastVersion();

    const job = await t.db.transaction(async (tx) => {
      await becomeActor(tx, ACTORS.service);
      const r = (await tx.query<{ r: Record<string, number> }>(`select public.apply_retention() as r`))
        .rows[0]?.r;
      await resetActor(tx);
      return r;
    });
    expect(job).toMatchObject({ visits: 1, patients: 1 });
    const past = (
      await t.db.query<{ call_reason: string | null; full_name: string }>(
        `select e.call_reason, p.full_name from public.queue_entries e join public.patients p on p.id = e.patient_id
          where e.id = $1`,
        [PAST_ENTRY],
      )
    ).rows[0];
    expect(past).toEqual({ call_reason: null, full_name: '—' }); // stripped and anonymised
    // today's and tomorrow's queues: same versions, same stamps — nothing a desk holds changed
    expect(await state()).toEqual(before);
    // the past day's version is not bumped: no screen follows a day before the cutoff
    expect(await pastVersion()).toBe(pastBefore);
  });
});
