/**
 * Issue 17, rule W6 "waitlist: an offer is answered by SMS reply, exactly once"
 * (20261209400002_waitlist_sms_reply.sql): public.sms_waitlist_reply, called by the twilio-inbound function
 * with the service role, takes (or declines) the live offer of the sender's phone through the My visits
 * button's path (private.waitlist_accept). On PGlite and PostgreSQL with private.now() pinned (today 09:00 in
 * the clinic). Tomorrow's queue of clinic A holds patient A's 11:00 booking (entryA1); a 10:00 booking of the
 * walk-in is cancelled to offer 10:00 to patient A's request. The concurrent case commits (two connections
 * on PostgreSQL); the others are rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError, DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { becomeActor, resetActor, type Actor } from './helpers/sql';
import { ACTORS, ID, PHONES, createWorld, localAt } from './helpers/world';

interface Replied {
  answer: string;
  applied: boolean;
  reason: string | null;
  language: string | null;
  clinic_name: string | null;
  ticket: string | null;
  appointment_time: string | null;
  request_id: string | null;
  entry_id: string | null;
}

class Rollback extends Error {}
const REPLY = `select public.sms_waitlist_reply($1, $2) as r`;

/** A barrier: resolves once `n` parties have arrived. */
const barrier = (n: number) => {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return async () => {
    arrived += 1;
    if (arrived === n) open();
    await opened;
  };
};

describe.each(DB_KINDS)('waitlist offers answered by SMS on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 4 });
    await createWorld(t.db);
    await t.db.query(
      `insert into private.pinned_clock (at)
       values ((private.clinic_today('Africa/Casablanca') + time '09:00') at time zone 'Africa/Casablanca')`,
    );
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const rolledBack = async (fn: (tx: DbTx) => Promise<void>): Promise<void> => {
    await t.db
      .transaction(async (tx) => {
        await fn(tx);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
  };
  const as = async <T>(tx: DbTx, actor: Actor, sql: string, params: unknown[] = []): Promise<T> => {
    await becomeActor(tx, actor);
    const r = (await tx.query<{ r: T }>(sql, params)).rows[0]!.r;
    await resetActor(tx);
    return r;
  };
  const refused = async (tx: DbTx, actor: Actor, sql: string, params: unknown[] = []) => {
    await tx.query('savepoint try_it');
    try {
      await as(tx, actor, sql, params);
    } catch (e) {
      await tx.query('rollback to savepoint try_it');
      await resetActor(tx);
      const err = e as DbError;
      return `${err.code ?? '?'} ${err.message}`;
    }
    throw new Error('expected a refusal');
  };
  const reply = (tx: DbTx, from: string, answer: 'accept' | 'decline') =>
    as<Replied>(tx, ACTORS.service, REPLY, [from, answer]);
  /** Patient A asks for an earlier slot; the walk-in's 10:00 booking is cancelled: 10:00 is offered to A. */
  const offer = async (tx: DbTx) => {
    const { rows } = await tx.query<{ id: string }>(
      `select (private.book($1, $2, ${localAt(1, '10:00')}, null, null, false) ->> 'entry_id') as id`,
      [ID.clinicA, ID.walkInA],
    );
    const req = await as<{ request_id: string }>(
      tx,
      ACTORS.patientA,
      `select public.request_earlier_slot($1::uuid) as r`,
      [ID.entryA1],
    );
    await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [rows[0]!.id]);
    const w = (
      await tx.query<{ status: string }>(`select status from public.waitlist_requests where id = $1`, [
        req.request_id,
      ])
    ).rows[0]!;
    expect(w.status).toBe('offered');
    return req.request_id;
  };
  const visitsOfA = async (tx: DbTx) =>
    (
      await tx.query<{ id: string; status: string; hhmm: string }>(
        `select id, status::text, to_char(slot_start at time zone 'Africa/Casablanca', 'HH24:MI') as hhmm
           from public.queue_entries where queue_id = $1 and patient_id = $2 order by slot_start`,
        [ID.queueA1, ID.patientRecA],
      )
    ).rows;

  it('W6 waitlist: "1" from the offer holder’s phone takes the slot (the button’s path), a second "1" is told it is already theirs, and the booking confirmation is owed through the outbox', async () => {
    await rolledBack(async (tx) => {
      const requestId = await offer(tx);
      const first = await reply(tx, PHONES.patientA, 'accept');
      expect(first).toMatchObject({
        answer: 'accept',
        applied: true,
        reason: null,
        request_id: requestId,
        appointment_time: '10:00',
      });
      expect(first.ticket).toMatch(/^[A-Z]+-\d{3}$/);
      expect(await visitsOfA(tx)).toEqual([
        { id: first.entry_id, status: 'scheduled', hhmm: '10:00' },
        { id: ID.entryA1, status: 'cancelled', hhmm: '11:00' },
      ]);
      const w = (
        await tx.query<{ status: string; moved_to: string }>(
          `select status, moved_to::text from public.waitlist_requests where id = $1`,
          [requestId],
        )
      ).rows[0]!;
      expect(w).toEqual({ status: 'accepted', moved_to: first.entry_id });
      // the old visit's cancellation says how it was moved
      const ev = (
        await tx.query<{ via: string; by: string }>(
          `select payload ->> 'via' as via, payload ->> 'by' as by from public.queue_events
            where entry_id = $1 and type = 'EntryCancelled'`,
          [ID.entryA1],
        )
      ).rows;
      expect(ev).toEqual([{ via: 'waitlist_sms', by: 'patient' }]);
      // the confirmation: the new booking's EntryScheduled owes booking_confirmed (the outbox sends it)
      const owed = (
        await tx.query<{ kind: string }>(
          `select private.event_notification_kind(type, payload)::text as kind from public.queue_events
            where entry_id = $1`,
          [first.entry_id],
        )
      ).rows;
      expect(owed).toEqual([{ kind: 'booking_confirmed' }]);
      // exactly once: a second reply changes nothing and says the slot is already theirs
      const second = await reply(tx, PHONES.patientA, 'accept');
      expect(second).toMatchObject({
        applied: false,
        reason: 'already_taken',
        ticket: first.ticket,
        appointment_time: '10:00',
      });
      expect((await visitsOfA(tx)).filter((v) => v.status === 'scheduled')).toHaveLength(1);
      // and the My visits button now refuses the same offer
      expect(
        await refused(tx, ACTORS.patientA, `select public.accept_earlier_slot($1::uuid) as r`, [requestId]),
      ).toMatch(/WAITLIST\.OFFER_EXPIRED/);
    });
  });

  it('W6 waitlist: "2" declines — the visit stays, the slot passes on; a later "1" is told the offer ended', async () => {
    await rolledBack(async (tx) => {
      const requestId = await offer(tx);
      const no = await reply(tx, PHONES.patientA, 'decline');
      expect(no).toMatchObject({ applied: true, appointment_time: '11:00', request_id: requestId });
      expect(await visitsOfA(tx)).toEqual([{ id: ID.entryA1, status: 'scheduled', hhmm: '11:00' }]);
      const w = (
        await tx.query<{ status: string }>(`select status from public.waitlist_requests where id = $1`, [
          requestId,
        ])
      ).rows[0]!;
      expect(w.status).toBe('withdrawn');
      // nobody holds 10:00 any more: it is bookable again
      const free = (
        await tx.query<{ n: number }>(
          `select private.booked_overlapping($1, ${localAt(1, '10:00')}, ${localAt(1, '10:15')}) as n`,
          [ID.clinicA],
        )
      ).rows[0]!.n;
      expect(free).toBe(0);
      expect(await reply(tx, PHONES.patientA, 'accept')).toMatchObject({ applied: false, reason: 'expired' });
      expect(await visitsOfA(tx)).toEqual([{ id: ID.entryA1, status: 'scheduled', hhmm: '11:00' }]);
    });
  });

  it('W6 waitlist: an ended offer, another patient’s phone, an unknown number: nothing changes; only the service role may call', async () => {
    await rolledBack(async (tx) => {
      const requestId = await offer(tx);
      // patient B holds no offer; an unknown number is nobody
      expect(await reply(tx, PHONES.patientB, 'accept')).toMatchObject({
        applied: false,
        reason: 'no_offer',
      });
      expect(await reply(tx, '+212699999999', 'accept')).toMatchObject({
        applied: false,
        reason: 'unknown_sender',
        clinic_name: null,
      });
      // the offer is untouched by those
      expect(
        (
          await tx.query<{ status: string }>(`select status from public.waitlist_requests where id = $1`, [
            requestId,
          ])
        ).rows[0]!.status,
      ).toBe('offered');
      // patients, staff and anon cannot call it; malformed input is a coded refusal
      for (const actor of [ACTORS.patientA, ACTORS.recepA, ACTORS.anon])
        expect(await refused(tx, actor, REPLY, [PHONES.patientA, 'accept'])).toMatch(
          /AUTH\.FORBIDDEN|permission denied/,
        );
      expect(await refused(tx, ACTORS.service, REPLY, ['0612', 'accept'])).toMatch(/VALIDATION\.FAILED/);
      expect(await refused(tx, ACTORS.service, REPLY, [PHONES.patientA, 'maybe'])).toMatch(
        /VALIDATION\.FAILED/,
      );
      // the offer's time passes (by the database's clock): a "1" is told it ended, the visit stays
      await tx.query(`update private.pinned_clock set at = at + interval '16 minutes'`);
      expect(await reply(tx, PHONES.patientA, 'accept')).toMatchObject({ applied: false, reason: 'expired' });
      expect(await visitsOfA(tx)).toEqual([{ id: ID.entryA1, status: 'scheduled', hhmm: '11:00' }]);
    });
  });

  it('W6 waitlist: two "1" replies at the same moment take the slot exactly once', async () => {
    // committed: each reply is its own transaction on its own connection (released together on PostgreSQL)
    let requestId = '';
    await t.db.transaction(async (tx) => {
      requestId = await offer(tx);
    });
    const arrive = kind === 'postgres' ? barrier(2) : async () => {};
    const results = await Promise.all(
      [0, 1].map(() =>
        t.db.transaction(async (tx) => {
          await tx.query('select 1'); // hold a connection before the start line
          await becomeActor(tx, ACTORS.service);
          await arrive();
          return (await tx.query<{ r: Replied }>(REPLY, [PHONES.patientA, 'accept'])).rows[0]!.r;
        }),
      ),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect(results.filter((r) => !r.applied).map((r) => r.reason)).toEqual(['already_taken']);
    await t.db.transaction(async (tx) => {
      expect(await visitsOfA(tx)).toEqual([
        { id: results.find((r) => r.applied)!.entry_id, status: 'scheduled', hhmm: '10:00' },
        { id: ID.entryA1, status: 'cancelled', hhmm: '11:00' },
      ]);
      const w = (
        await tx.query<{ status: string }>(`select status from public.waitlist_requests where id = $1`, [
          requestId,
        ])
      ).rows[0]!;
      expect(w.status).toBe('accepted');
      // one booking in 10:00, one EntryScheduled for it
      const n = (
        await tx.query<{ n: number }>(
          `select private.booked_overlapping($1, ${localAt(1, '10:00')}, ${localAt(1, '10:15')}) as n`,
          [ID.clinicA],
        )
      ).rows[0]!.n;
      expect(n).toBe(1);
    });
  });
});
