/** The database holds the trust boundary (issue 11, private.verify_step in 20261201000200_queue.sql), on PGlite and
 * PostgreSQL: a staff member's browser that sends a forged queue step — an event that does not match the
 * change, a change without its event, a call past the skip cap, a second patient at one desk, a booking
 * over the slot's capacity, an early check-in — is refused with a coded error and the queue is unchanged
 * (same version, same entries, no event logged). Every call here is rolled back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_CONTROL_EVENT_TYPES, QUEUE_EVENT_TYPES } from '../../src/services/queue/events';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { rpcSql, tryAsActor } from './helpers/sql';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, createWorld } from './helpers/world';
import { pinWorldDaySql, worldDayAt } from './helpers/pinnedWorld';
import { EVENT_PAYLOADS as PAYLOADS } from './helpers/events';

const C = 'a5000000-0000-4000-8000-0000000000c3'; // a second waiting walk-in, added by `withC`
const NEW = 'a5000000-0000-4000-8000-0000000000c4';
const withC = `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key)
  values ('${C}', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in', 'waiting', 3, extract(epoch from now()) + 10);`;

describe.each(DB_KINDS)('forged queue steps are refused on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const STATE = `select q.version,
      (select jsonb_object_agg(e.id, jsonb_build_array(e.status, e.skip_count)) from public.queue_entries e where e.queue_id = q.id) as entries,
      (select count(*)::int from public.queue_events v where v.queue_id = q.id) as events
    from public.queues q where q.id = '${ID.queueA}'`;

  /** One save_queue_step as `actor` after `setup` (superuser); its outcome and the queue's state before/after. */
  const step = async (o: {
    entries: unknown[];
    events: unknown[];
    queue?: unknown;
    setup?: string;
    actor?: Actor;
  }) => {
    const r = await tryAsActor(
      t.db,
      o.actor ?? ACTORS.recepA,
      async (tx) => {
        await tx.exec('reset role');
        const before = (await tx.query(STATE)).rows[0];
        await tx.query(`select set_config('role', 'authenticated', true)`);
        const { sql, params } = rpcSql('save_queue_step', {
          p_queue_id: ID.queueA,
          p_expected_version: 0,
          p_entries: JSON.stringify(o.entries),
          p_events: JSON.stringify(o.events),
          p_queue: o.queue === undefined ? null : JSON.stringify(o.queue),
        });
        await tx.exec('savepoint s');
        let outcome = 'ok';
        try {
          await tx.query(sql, params);
        } catch (e) {
          const err = e as { code?: string; message: string };
          outcome = `${err.code} ${err.message}`;
          await tx.exec('rollback to savepoint s');
        }
        await tx.exec('reset role');
        const after = (await tx.query(STATE)).rows[0];
        return { outcome, before, after };
      },
      o.setup === undefined ? undefined : async (tx) => tx.exec(o.setup as string),
    );
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
    return r.value;
  };
  const refused = async (o: Parameters<typeof step>[0], expected: string) => {
    const r = await step(o);
    expect(r.outcome).toBe(expected);
    expect(r.after).toEqual(r.before); // unchanged queue: version, entries, event log
  };
  /** A well-formed event of `type` (the payload its schema asks for), `payload` overriding fields. */
  const ev = (type: string, id: string | null, payload: Record<string, unknown> = {}) => ({
    type,
    entry_id: id,
    payload: { ...(PAYLOADS[type] ?? {}), ...payload },
  });
  const called = (id: string, payload: Record<string, unknown> = {}) => ev('PatientCalled', id, payload);

  it('every event type a database function logs is in that one list (no AppointmentCancelled, PatientNoShow…)', async () => {
    const { rows } = await t.db.query<{ src: string }>(
      `select p.prosrc as src from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('public', 'private') and p.prosrc like '%log_event%'`,
    );
    const logged = new Set<string>();
    for (const r of rows) {
      for (const m of r.src.matchAll(/log_event\([^;]*?'([A-Z][A-Za-z]+)'/g)) logged.add(m[1] ?? '');
    }
    expect(logged.size).toBeGreaterThan(3);
    // the domain's vocabulary, or a control event only the database writes (pause, running-late withdrawn)
    const known: readonly string[] = [...QUEUE_EVENT_TYPES, ...QUEUE_CONTROL_EVENT_TYPES];
    expect([...logged].filter((type) => !known.includes(type))).toEqual([]);
  });

  it('the event vocabulary is one list: TS QUEUE_EVENT_TYPES = SQL private.queue_event_types()', async () => {
    const { rows } = await t.db.query<{ t: string[] }>('select private.queue_event_types() as t');
    expect([...(rows[0]?.t ?? [])].sort()).toEqual([...QUEUE_EVENT_TYPES].sort());
  });

  it('a genuine step is applied (the control case)', async () => {
    const r = await step({ entries: [{ id: ID.entryB, status: 'called' }], events: [called(ID.entryB)] });
    expect(r.outcome).toBe('ok');
    expect(r.after).toMatchObject({ version: 1, events: 2 });
  });

  it('wrong event type for the change → 422 QUEUE.EVENT_MISMATCH, queue unchanged', async () => {
    await refused(
      {
        entries: [{ id: ID.entryB, status: 'called' }],
        events: [ev('ServiceStarted', ID.entryB)],
      },
      'PT422 QUEUE.EVENT_MISMATCH',
    );
    await refused(
      {
        entries: [{ id: ID.entryB, status: 'called' }],
        events: [called(ID.entryB), ev('Forged', ID.entryB)],
      },
      'PT422 QUEUE.EVENT_MISMATCH',
    );
  });

  it('an event without its change, and a change without its event → 422 QUEUE.EVENT_MISMATCH', async () => {
    // a PatientCalled (→ "your turn" SMS) for a patient the step does not call
    await refused({ entries: [], events: [called(ID.entryB)] }, 'PT422 QUEUE.EVENT_MISMATCH');
    // a call with no event, a skip-count bump with no event, a DayEnded without closing the day
    await refused(
      { entries: [{ id: ID.entryB, status: 'called' }], events: [] },
      'PT422 QUEUE.EVENT_MISMATCH',
    );
    await refused({ entries: [{ id: ID.entryB, skip_count: 5 }], events: [] }, 'PT422 QUEUE.EVENT_MISMATCH');
    await refused({ entries: [], events: [ev('DayEnded', null)] }, 'PT422 QUEUE.EVENT_MISMATCH');
  });

  it('skip cap: calling past a patient who reached max_skips → 409 QUEUE.SKIP_CAP_REACHED; out of order needs a reason', async () => {
    const setup = `${withC} update public.queue_entries set skip_count = 3 where id = '${ID.entryB}';`;
    await refused(
      {
        setup,
        entries: [{ id: C, status: 'called', served_by: ID.memberPractA }],
        events: [called(C, { outOfOrder: true, reason: 'lab results' })],
      },
      'PT409 QUEUE.SKIP_CAP_REACHED',
    );
    await refused(
      {
        setup: withC,
        entries: [{ id: C, status: 'called' }],
        events: [called(C, { outOfOrder: true, reason: '  ' })],
      },
      'PT422 QUEUE.REASON_REQUIRED',
    );
    // the starved patient themselves may be called
    const ok = await step({
      setup,
      entries: [{ id: ID.entryB, status: 'called', served_by: ID.memberPractA }],
      events: [called(ID.entryB)],
    });
    expect(ok.outcome).toBe('ok');
  });

  it('a second called/in-service patient for one practitioner → 409 QUEUE.PRACTITIONER_BUSY', async () => {
    const setup = `${withC} update public.queue_entries set status = 'called', called_at = now(), served_by = '${ID.memberPractA}' where id = '${ID.entryB}';`;
    await refused(
      { setup, entries: [{ id: C, status: 'called', served_by: ID.memberPractA }], events: [called(C)] },
      'PT409 QUEUE.PRACTITIONER_BUSY',
    );
    // another desk may call
    const other = await step({
      setup,
      entries: [{ id: C, status: 'called', called_room: '9' }],
      events: [called(C)],
    });
    expect(other.outcome).toBe('ok');
  });

  it('a booked entry added by staff over the slot capacity → 409 BOOKING.SLOT_FULL', async () => {
    const slot = `(select slot_start from public.queue_entries where id = '${ID.entryA}')`;
    const r = await t.db.query<{ s: string; e: string }>(
      `select ${slot} as s, ${slot} + interval '15 minutes' as e`,
    );
    const booked = {
      id: NEW,
      patient_id: ID.walkInA,
      kind: 'booked',
      status: 'scheduled',
      slot_start: new Date(r.rows[0]!.s).toISOString(),
      slot_end: new Date(r.rows[0]!.e).toISOString(),
    };
    const scheduled = ev('EntryScheduled', NEW);
    await refused({ entries: [booked], events: [scheduled] }, 'PT409 BOOKING.SLOT_FULL');
    const two = await step({
      setup: `update public.clinics set settings = '{"slot_capacity": 2}' where id = '${ID.clinicA}'`,
      entries: [booked],
      events: [scheduled],
    });
    expect(two.outcome).toBe('ok');
  });

  it('a check-in earlier than check_in_window_minutes before the slot → 409 QUEUE.CHECK_IN_TOO_EARLY (pinned clock)', async () => {
    // the database's clock at 10:00 on the world's day (never the machine's: at 23:52 its + 3 h is tomorrow), the
    // slot at 13:00
    const later = `${pinWorldDaySql('10:00')} update public.queue_entries set slot_start = private.now() + interval '3 hours', slot_end = private.now() + interval '3 hours 15 minutes' where id = '${ID.entryA}';`;
    const checkIn = (at: string) => ({
      entries: [{ id: ID.entryA, status: 'waiting', checked_in_at: at }],
      events: [ev('PatientCheckedIn', ID.entryA)],
    });
    await refused(
      { ...checkIn(await worldDayAt(t.db, '10:00')), setup: later },
      'PT409 QUEUE.CHECK_IN_TOO_EARLY',
    );
    // the database's clock, pinned 2 h 30 later: the slot is 30 min away, inside the 60-min window
    const pinned = await step({
      ...checkIn(await worldDayAt(t.db, '12:30')),
      setup: `${later} update private.pinned_clock set at = at + interval '2 hours 30 minutes';`,
    });
    expect(pinned.outcome).toBe('ok');
    // the patient's own check-in follows the same window
    const own = await tryAsActor(
      t.db,
      ACTORS.patientA,
      async (tx) => {
        const { sql, params } = rpcSql('check_in', { p_entry_id: ID.entryA });
        return tx.query(sql, params);
      },
      async (tx) => tx.exec(later),
    );
    expect(own.ok ? 'ok' : `${own.code} ${own.message}`).toBe('PT409 QUEUE.CHECK_IN_TOO_EARLY');
  });
  it("an event payload off its type's schema → 422 QUEUE.EVENT_PAYLOAD_INVALID, queue unchanged", async () => {
    const call = { id: ID.entryB, status: 'called' };
    const { ticket: _dropped, ...noTicket } = PAYLOADS.PatientCalled ?? {};
    for (const payload of [
      noTicket, // a required key missing
      { ...PAYLOADS.PatientCalled, room: 5 }, // the wrong JSON type
      { ...PAYLOADS.PatientCalled, smsBody: 'Come to the pharmacy across the street' }, // a key it does not have
    ]) {
      await refused(
        { entries: [call], events: [{ type: 'PatientCalled', entry_id: ID.entryB, payload }] },
        'PT422 QUEUE.EVENT_PAYLOAD_INVALID',
      );
    }
    // the same call with its payload is applied (and a string correlationId is allowed)
    const ok = await step({ entries: [call], events: [called(ID.entryB, { correlationId: 'cmd-1' })] });
    expect(ok.outcome).toBe('ok');
  });

  it('GraceExpired before the grace is over by the database clock → 422 QUEUE.GRACE_MISMATCH (pinned clock)', async () => {
    // B is absent; the database's clock is pinned 5 minutes into a 10-minute grace, at 10:05 on the world's day
    // (never the machine's clock: at 23:57 its 6 minutes later is tomorrow)
    const absent = `${pinWorldDaySql('10:05')}
      update public.queue_entries set status = 'absent', absent_at = private.now() - interval '5 minutes',
        grace_ends_at = private.now() + interval '5 minutes' where id = '${ID.entryB}';`;
    const graceEnds = async () => worldDayAt(t.db, '10:10');
    const expire = (graceEndsAt: string) => ({
      entries: [{ id: ID.entryB, status: 'no_show', no_show_at: graceEndsAt }],
      events: [ev('GraceExpired', ID.entryB, { graceEndsAt })],
    });
    // a browser whose clock runs 6 minutes ahead believes the grace is over
    await refused({ ...expire(await graceEnds()), setup: absent }, 'PT422 QUEUE.GRACE_MISMATCH');
    // once the database's clock is past the end of grace, the same step is applied
    const due = await step({
      ...expire(await graceEnds()),
      setup: `${absent} update private.pinned_clock set at = at + interval '6 minutes';`,
    });
    expect(due.outcome).toBe('ok');
  });

  it("a grace period that is not the clinic's grace_period_minutes → 422 QUEUE.GRACE_MISMATCH", async () => {
    const at = new Date((await t.db.query<{ at: string }>('select now() as at')).rows[0]!.at);
    const markAbsent = (minutes: number) => {
      const ends = new Date(at.getTime() + minutes * 60_000).toISOString();
      return {
        entries: [{ id: ID.entryB, status: 'absent', absent_at: at.toISOString(), grace_ends_at: ends }],
        events: [ev('PatientMarkedAbsent', ID.entryB, { graceMinutes: minutes, graceEndsAt: ends })],
      };
    };
    // default grace_period_minutes = 10: a 1-minute grace would make the patient a no-show 9 minutes early
    await refused(markAbsent(1), 'PT422 QUEUE.GRACE_MISMATCH');
    await refused(markAbsent(240), 'PT422 QUEUE.GRACE_MISMATCH');
    expect((await step(markAbsent(10))).outcome).toBe('ok');
    const custom = await step({
      ...markAbsent(25),
      setup: `update public.clinics set settings = '{"grace_period_minutes": 25}' where id = '${ID.clinicA}'`,
    });
    expect(custom.outcome).toBe('ok');
  });
});
