/**
 * The events the database writes itself obey the one payload schema (issue 11), on PGlite and PostgreSQL.
 * verify_step checks what a browser sends; these are the database's own: check_in (PatientCheckedIn),
 * report_running_late (PatientRunningLate), cancel_appointment (EntryCancelled), private.book
 * (EntryScheduled), the grace sweep (GraceExpired), close_day (DayEnded), sms_inbound_apply
 * (PatientRunningLate, EntryCancelled) and the pause RPCs' control events (DeskPaused, DeskResumed,
 * IntakeClosed, IntakeReopened). Each path is driven, and every event it stored passes
 * private.queue_event_payload_problem. private.log_event refuses a malformed one; every event type a function
 * body writes is in the vocabulary (client steps) or the control list, which equal the TS lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_CONTROL_EVENT_TYPES, QUEUE_EVENT_TYPES } from '../../src/services/queue/events';
import type { BookingBusEvents } from '../../src/services/appointment/api/events';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { becomeActor, resetActor, tryAsActor } from './helpers/sql';
import { ACTORS, ID, createWorld } from './helpers/world';

interface Stored {
  type: string;
  payload: Record<string, unknown>;
  problem: string | null;
}

describe.each(DB_KINDS)('events the database writes on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 2 });
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Runs `drive` (it switches actors itself) in a rolled-back transaction; the events it stored. */
  const eventsOf = async (drive: (tx: DbTx) => Promise<void>): Promise<Stored[]> => {
    const o = await tryAsActor(t.db, ACTORS.service, async (tx) => {
      await resetActor(tx);
      const { rows } = await tx.query<{ m: string }>(
        'select coalesce(max(id), 0)::text as m from public.queue_events',
      );
      await drive(tx);
      await resetActor(tx);
      return (
        await tx.query<Stored>(
          `select type, payload, private.queue_event_payload_problem(type, payload) as problem
             from public.queue_events where id > $1::bigint order by id`,
          [rows[0]!.m],
        )
      ).rows;
    });
    if (!o.ok) throw new Error(`${o.code} ${o.message} ${o.detail ?? ''}`);
    return o.value;
  };

  it('every database path that logs an event stores a payload the schema accepts', async () => {
    let booked: { same: boolean }[] = [];
    const stored = await eventsOf(async (tx) => {
      // entry A (booked today) may check in: its slot in 5 minutes (entry B, waiting since earlier, is ahead)
      await tx.exec(`update public.queue_entries set slot_start = private.now() + interval '5 minutes',
                       slot_end = private.now() + interval '20 minutes' where id = '${ID.entryA}'`);
      await becomeActor(tx, ACTORS.ownerA);
      await tx.query(`select public.check_in($1)`, [ID.entryA]);
      await tx.query(`select public.report_running_late($1)`, [ID.entryB]);
      await tx.query(`select public.withdraw_running_late($1)`, [ID.entryB]);
      await tx.query(`select public.report_running_late($1, null, 20)`, [ID.entryB]);
      await tx.query(`select public.cancel_appointment($1, 'changed plans')`, [ID.entryA1]);
      await tx.query(`select public.set_desk_paused($1, $2, true, 'lunch')`, [ID.clinicA, ID.memberPractA]);
      await tx.query(`select public.set_desk_paused($1, $2, false, null)`, [ID.clinicA, ID.memberPractA]);
      await tx.query(`select public.set_queue_intake($1, false, 'full')`, [ID.clinicA]);
      await tx.query(`select public.set_queue_intake($1, true, null)`, [ID.clinicA]);
      await resetActor(tx);
      // a booking of patient B tomorrow (first free slot of the default type), by the database's book
      const booking = await tx.query<{ id: string }>(
        `select private.book($1, $2, s.slot_start, null, null, false) ->> 'entry_id' as id
           from private.day_slots($1, private.clinic_today('Africa/Casablanca') + 1, private.type_duration($1, null)) s
          order by s.slot_start desc limit 1`,
        [ID.clinicA, ID.patientRecB],
      );
      // a booking is its own appointment, in the column (the mapper no longer guesses it)
      booked = (
        await tx.query<{ same: boolean }>(
          `select appointment_id is not distinct from id as same from public.queue_entries where id = $1`,
          [booking.rows[0]!.id],
        )
      ).rows;
      // entry B absent, its grace over: the server's sweep; then the day closes by itself
      await tx.exec(`update public.queue_entries set status = 'absent', absent_at = private.now() - interval '15 minutes',
                       grace_ends_at = private.now() - interval '5 minutes' where id = '${ID.entryB}'`);
      await tx.query(`select private.expire_grace($1)`, [ID.queueA]);
      await tx.query(`select private.close_day($1, true)`, [ID.queueA]);
    });
    expect(booked).toEqual([{ same: true }]);
    expect(stored.filter((e) => e.problem !== null)).toEqual([]);
    expect([...new Set(stored.map((e) => e.type))].sort()).toEqual(
      [
        'DayEnded',
        'DeskPaused',
        'DeskResumed',
        'EntryCancelled',
        'EntryScheduled',
        'GraceExpired',
        'IntakeClosed',
        'IntakeReopened',
        'PatientCheckedIn',
        'PatientRunningLate',
        'PatientRunningLateWithdrawn',
      ].sort(),
    );
    const byType = (type: string) => stored.find((e) => e.type === type)!.payload;
    expect(byType('GraceExpired')).toMatchObject({ ticket: 'A-002', automatic: true });
    expect(byType('PatientCheckedIn')).toMatchObject({
      ticket: 'A-001',
      onTime: true,
      position: 2,
      by: 'staff',
    });
    const late = stored.filter((e) => e.type === 'PatientRunningLate').map((e) => e.payload);
    expect(late).toEqual([
      { ticket: 'A-002', source: 'staff', minutes: null },
      { ticket: 'A-002', source: 'staff', minutes: 20 },
    ]);
    expect(byType('PatientRunningLateWithdrawn')).toEqual({ ticket: 'A-002', source: 'staff' });
  });

  it("SMS replies (sms_inbound_apply) log the domain's events", async () => {
    const { rows } = await t.db.query<{ src: string }>(
      `select pg_get_function_identity_arguments(p.oid) as src from pg_proc p
        where p.proname = 'sms_inbound_apply' and p.pronamespace = 'public'::regnamespace`,
    );
    // driven by test/integration (the SMS webhook); here: its two events, built as it builds them
    expect(rows).toHaveLength(1);
    const o = await tryAsActor(t.db, ACTORS.service, async (tx) => {
      await resetActor(tx);
      return (
        await tx.query<{ a: string | null; b: string | null }>(
          `select private.queue_event_payload_problem('PatientRunningLate',
                    jsonb_build_object('ticket', 'A-001', 'source', 'sms')) as a,
                  private.queue_event_payload_problem('EntryCancelled',
                    jsonb_build_object('ticket', 'A-001', 'fromStatus', 'waiting', 'reason', 'SMS', 'by', 'patient', 'via', 'sms')) as b`,
        )
      ).rows[0]!;
    });
    expect(o).toEqual({ ok: true, value: { a: null, b: null } });
  });

  it('private.log_event refuses an unknown type or a malformed payload, and writes nothing', async () => {
    for (const [type, payload] of [
      ['GraceExpired', { graceEndsAt: 1 }],
      ['NoSuchEvent', {}],
      ['DeskPaused', { reason: 'no doctor' }],
    ] as const) {
      const o = await tryAsActor(t.db, ACTORS.service, async (tx) => {
        await resetActor(tx);
        await tx.query(`select private.log_event($1, $2, $3, $4, $5::jsonb)`, [
          ID.queueA,
          ID.clinicA,
          type === 'DeskPaused' ? null : ID.entryB,
          type,
          JSON.stringify(payload),
        ]);
      });
      expect(o.ok, type).toBe(false);
      if (!o.ok) expect(`${o.message} ${o.detail ?? ''}`).toMatch(/QUEUE\.EVENT_(MISMATCH|PAYLOAD_INVALID)/);
    }
  });

  it('every event type a database function writes is in the vocabulary or the control list (= the TS lists)', async () => {
    const { rows } = await t.db.query<{ name: string; src: string }>(
      `select p.proname as name, p.prosrc as src from pg_proc p
        where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
          and (p.prosrc like '%log_event(%' or p.prosrc ilike '%insert into public.queue_events%')
          and p.proname <> 'log_event'`,
    );
    const lists = await t.db.query<{ v: string[]; c: string[] }>(
      'select private.queue_event_types() as v, private.queue_control_event_types() as c',
    );
    expect([...lists.rows[0]!.v].sort()).toEqual([...QUEUE_EVENT_TYPES].sort());
    expect([...lists.rows[0]!.c].sort()).toEqual([...QUEUE_CONTROL_EVENT_TYPES].sort());
    const known = new Set<string>([...QUEUE_EVENT_TYPES, ...QUEUE_CONTROL_EVENT_TYPES]);
    const written = new Set<string>();
    for (const r of rows) {
      // the event type literals of log_event calls and of direct inserts (`case … then 'DeskPaused' …`)
      for (const m of r.src.matchAll(/log_event\([^;]*?'([A-Z][A-Za-z]+)'/g)) written.add(m[1]!);
      for (const m of r.src.matchAll(/insert into public\.queue_events[^;]*?values[^;]*/gi))
        for (const l of m[0].matchAll(/'([A-Z][a-z]+(?:[A-Z][a-z]+)+)'/g)) written.add(l[1]!);
    }
    expect(written.size).toBeGreaterThanOrEqual(10);
    expect([...written].filter((w) => !known.has(w))).toEqual([]);
    const schema = await t.db.query<{ s: Record<string, unknown> }>(
      'select private.queue_event_payload_schema() as s',
    );
    expect(Object.keys(schema.rows[0]!.s).sort()).toEqual([...known].sort());
    // the in-process booking bus (AppointmentBooked/AppointmentCancelled, docs/events.md) is not the log
    const busNames: (keyof BookingBusEvents)[] = ['AppointmentBooked', 'AppointmentCancelled'];
    for (const name of busNames) {
      expect(known.has(name), name).toBe(false);
      expect(schema.rows[0]!.s, name).not.toHaveProperty(name);
    }
  });
});
