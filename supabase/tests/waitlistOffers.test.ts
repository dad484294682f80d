/**
 * Issue 17, waitlist offers (20261208400002_waitlist_offers.sql): a freed slot is offered to the first request
 * and held, accepted exactly once, expires and passes on, and is told by SMS once. On PGlite and PostgreSQL
 * with private.now() pinned (today 09:00 in the clinic); every case is rolled back. Tomorrow's queue of clinic
 * A holds patient A's 11:00 booking (entryA1); the cases book patient B and the walk-in through private.book.
 * Clinic A's grid: 15-minute slots + 5 minutes' buffer from 00:00, so 10:00, 11:00 and 12:00 are slots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { rpcSql, type Actor } from './helpers/sql';
import { queueEvent } from './helpers/events';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

interface Requested {
  request_id: string;
  status: string;
}
interface RequestRow {
  status: string;
  offered_slot_start: string | null;
  offer_expires_at: string | null;
  moved_to: string | null;
}

describe.each(DB_KINDS)('waitlist offers on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const ask = (tx: DbTx, actor: Actor, entryId: string) =>
    as<Requested>(tx, actor, `select public.request_earlier_slot($1::uuid) as r`, [entryId]);
  const ACCEPT = `select public.accept_earlier_slot($1::uuid) as r`;
  /** A booking tomorrow at hh:mm in clinic A through the one booking path; returns the new visit's id. */
  const book = async (tx: DbTx, patient: string, hhmm: string) =>
    (
      await tx.query<{ id: string }>(
        `select (private.book($1, $2, ${localAt(1, hhmm)}, null, null, false) ->> 'entry_id') as id`,
        [ID.clinicA, patient],
      )
    ).rows[0]!.id;
  const request = async (tx: DbTx, id: string) =>
    (
      await tx.query<RequestRow>(
        `select status, offered_slot_start::text, offer_expires_at::text, moved_to::text
           from public.waitlist_requests where id = $1`,
        [id],
      )
    ).rows[0]!;
  const at = async (tx: DbTx, sqlInstant: string) =>
    (await tx.query<{ v: string }>(`select (${sqlInstant})::text as v`)).rows[0]!.v;
  const cancelAsB = (tx: DbTx, entryId: string) =>
    as(tx, ACTORS.patientB, `select public.cancel_appointment($1::uuid) as r`, [entryId]);
  const sweep = (tx: DbTx) =>
    as<{ offers_expired: number }>(tx, ACTORS.service, `select public.sweep_queues() as r`);
  const clock = (tx: DbTx, minutes: number) =>
    tx.query(`update private.pinned_clock set at = at + make_interval(mins => ${minutes})`);

  it('W1 waitlist: a freed slot is offered to the first request, and held — nobody else can book it while the offer runs', async () => {
    await rolledBack(t.db, async (tx) => {
      const b10 = await book(tx, ID.patientRecB, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1); // 11:00 wants earlier
      expect((await request(tx, a.request_id)).status).toBe('waiting');
      await cancelAsB(tx, b10);
      const r = await request(tx, a.request_id);
      expect(r.status).toBe('offered');
      expect(r.offered_slot_start).toBe(await at(tx, localAt(1, '10:00')));
      // held for the clinic's 15 minutes, by the database clock
      expect(r.offer_expires_at).toBe(await at(tx, `private.now() + interval '15 minutes'`));
      // the hold counts: the walk-in's booking of 10:00 is refused, the slot stays A's
      expect(
        await refused(tx, null, `select private.book($1, $2, ${localAt(1, '10:00')}, null, null, false)`, [
          ID.clinicA,
          ID.walkInA,
        ]),
      ).toMatch(/BOOKING\.SLOT_FULL/);
      // the patient sees the offer in My visits
      const mine = await as<{ status: string; offered_slot_start: string }[]>(
        tx,
        ACTORS.patientA,
        `select public.my_earlier_slot_requests() as r`,
      );
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ request_id: a.request_id, status: 'offered' });
      // a slot freeing with nobody waiting for an earlier one is offered to no one
      const b12 = await book(tx, ID.patientRecB, '12:00');
      await cancelAsB(tx, b12);
      expect(
        await as<unknown[]>(tx, ACTORS.patientB, `select public.my_earlier_slot_requests() as r`),
      ).toEqual([]);
    });
  });

  it('W2 waitlist: accepting moves the visit, exactly once — and the old slot passes to the next request', async () => {
    await rolledBack(t.db, async (tx) => {
      const b10 = await book(tx, ID.walkInA, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1); // 11:00, first
      await clock(tx, 1);
      const b12 = await book(tx, ID.patientRecB, '12:00');
      const b = await ask(tx, ACTORS.patientB, b12); // 12:00, second
      // the clinic cancels the walk-in's 10:00 (staff path)
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [b10]);
      expect((await request(tx, a.request_id)).status).toBe('offered');
      // another patient cannot take A's offer
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [a.request_id])).toBe('PT404 NOT_FOUND');
      const moved = await as<{ entry_id: string; rescheduled_from: string; slot_start: string }>(
        tx,
        ACTORS.patientA,
        ACCEPT,
        [a.request_id],
      );
      expect(moved.rescheduled_from).toBe(ID.entryA1);
      const rows = await tx.query<{ id: string; status: string; slot: string; from: string | null }>(
        `select id, status, slot_start::text as slot, rescheduled_from::text as from from public.queue_entries
          where patient_id = $1 and queue_id = $2 order by slot_start`,
        [ID.patientRecA, ID.queueA1],
      );
      expect(rows.rows.map((x) => [x.status, x.slot])).toEqual([
        ['scheduled', await at(tx, localAt(1, '10:00'))],
        ['cancelled', await at(tx, localAt(1, '11:00'))],
      ]);
      expect(await request(tx, a.request_id)).toMatchObject({ status: 'accepted', moved_to: moved.entry_id });
      // exactly once: a second accept changes nothing
      expect(await refused(tx, ACTORS.patientA, ACCEPT, [a.request_id])).toBe('PT409 WAITLIST.OFFER_EXPIRED');
      const n = await tx.query(`select 1 from public.queue_entries where patient_id = $1 and queue_id = $2`, [
        ID.patientRecA,
        ID.queueA1,
      ]);
      expect(n.rows).toHaveLength(2);
      // gap filling cascades: A's 11:00 is offered to B (12:00)
      const rb = await request(tx, b.request_id);
      expect(rb.status).toBe('offered');
      expect(rb.offered_slot_start).toBe(await at(tx, localAt(1, '11:00')));
    });
  });

  it('W3 waitlist: an offer nobody takes passes on — at its time by the sweep, at once when declined', async () => {
    await rolledBack(t.db, async (tx) => {
      const w10 = await book(tx, ID.walkInA, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1);
      await clock(tx, 1);
      const b12 = await book(tx, ID.patientRecB, '12:00');
      const b = await ask(tx, ACTORS.patientB, b12);
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [w10]);
      expect((await request(tx, a.request_id)).status).toBe('offered');
      await clock(tx, 15); // the 15 minutes are over
      // the lapsed hold no longer counts, even before the sweep; accepting it is refused
      const held = await tx.query<{ n: number }>(
        `select private.booked_overlapping($1, ${localAt(1, '10:00')}, ${localAt(1, '10:15')}) as n`,
        [ID.clinicA],
      );
      expect(held.rows[0]!.n).toBe(0);
      expect(await refused(tx, ACTORS.patientA, ACCEPT, [a.request_id])).toBe('PT409 WAITLIST.OFFER_EXPIRED');
      expect(await sweep(tx)).toMatchObject({ offers_expired: 1 });
      expect((await request(tx, a.request_id)).status).toBe('expired');
      const rb = await request(tx, b.request_id);
      expect(rb.status).toBe('offered');
      expect(rb.offered_slot_start).toBe(await at(tx, localAt(1, '10:00')));
      expect(rb.offer_expires_at).toBe(await at(tx, `private.now() + interval '15 minutes'`));
      // a second sweep finds nothing more to expire
      expect(await sweep(tx)).toMatchObject({ offers_expired: 0 });
      // B declines: the slot is free again for anyone (nobody else waits)
      expect(
        await as(tx, ACTORS.patientB, `select public.withdraw_earlier_slot($1::uuid) as r`, [b.request_id]),
      ).toEqual({ request_id: b.request_id, status: 'withdrawn' });
      const free = await tx.query<{ n: number }>(
        `select private.booked_overlapping($1, ${localAt(1, '10:00')}, ${localAt(1, '10:15')}) as n`,
        [ID.clinicA],
      );
      expect(free.rows[0]!.n).toBe(0);
    });
  });

  it('W3 waitlist: declining an offer passes the slot to the next request at once', async () => {
    await rolledBack(t.db, async (tx) => {
      const w10 = await book(tx, ID.walkInA, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1);
      await clock(tx, 1);
      const b = await ask(tx, ACTORS.patientB, await book(tx, ID.patientRecB, '12:00'));
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [w10]);
      await as(tx, ACTORS.patientA, `select public.withdraw_earlier_slot($1::uuid) as r`, [a.request_id]);
      expect((await request(tx, a.request_id)).status).toBe('withdrawn');
      expect((await request(tx, b.request_id)).status).toBe('offered');
    });
  });

  const CANCEL = `select public.cancel_appointment($1::uuid) as r`;
  /** Moves the pinned clock to tomorrow hh:mm (instants read before the move: localAt follows the clock's day). */
  const tomorrowAt = async (tx: DbTx, hhmm: string) => {
    const instants = {
      '10:00': await at(tx, localAt(1, '10:00')),
      '10:15': await at(tx, localAt(1, '10:15')),
      '10:40': await at(tx, localAt(1, '10:40')),
    };
    await tx.query(`update private.pinned_clock set at = ${localAt(1, hhmm)}`);
    return instants;
  };
  const heldAt = async (tx: DbTx, from: string, to: string) =>
    (
      await tx.query<{ n: number }>(
        `select private.booked_overlapping($1, $2::timestamptz, $3::timestamptz) as n`,
        [ID.clinicA, from, to],
      )
    ).rows[0]!.n;
  /**
   * Writes clinic A's settings with `patch` merged in, as `actor`, the way the admin screen saves them
   * (SupabaseClinicRepository.saveSettings: the whole rule set, without reading the column back — signed-in users
   * may not select clinics.settings since 20261216100001; RLS on clinics decides the row); rows changed.
   */
  const SAVE_SETTINGS = `with u as (update public.clinics set settings = $2::jsonb where id = $1 returning 1)
                         select count(*)::int as r from u`;
  const withPatch = async (tx: DbTx, patch: Record<string, unknown>) => {
    const { rows } = await tx.query<{ s: Record<string, unknown> | null }>(
      'select settings as s from public.clinics where id = $1',
      [ID.clinicA],
    );
    return JSON.stringify({ ...(rows[0]!.s ?? {}), ...patch });
  };
  const setSettings = async (tx: DbTx, actor: Actor, patch: Record<string, unknown>) =>
    as<number>(tx, actor, SAVE_SETTINGS, [ID.clinicA, await withPatch(tx, patch)]);

  it('W8 waitlist: a slot too soon to reach is offered to nobody — 30 minutes by default, on the database clock', async () => {
    await rolledBack(t.db, async (tx) => {
      const w10 = await book(tx, ID.walkInA, '10:00');
      const b1040 = await book(tx, ID.patientRecB, '10:40');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1); // 11:00 wants earlier
      // tomorrow 09:35 in the clinic: 10:00 starts in 25 minutes, 10:40 in 65
      const slot = await tomorrowAt(tx, '09:35');
      await as(tx, ACTORS.recepA, CANCEL, [w10]);
      expect(await request(tx, a.request_id)).toMatchObject({ status: 'waiting', offered_slot_start: null });
      // nothing holds 10:00: it stays free for anyone to book
      expect(await heldAt(tx, slot['10:00'], slot['10:15'])).toBe(0);
      // 10:40 is far enough: offered and held as W1 says
      await as(tx, ACTORS.recepA, CANCEL, [b1040]);
      const r = await request(tx, a.request_id);
      expect(r.status).toBe('offered');
      expect(r.offered_slot_start).toBe(slot['10:40']);
    });
  });

  it('W8 waitlist: a slot too soon to reach is offered to nobody — the clinic sets the lead time, 0 to 1440 minutes', async () => {
    await rolledBack(t.db, async (tx) => {
      const w10 = await book(tx, ID.walkInA, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1);
      // a receptionist can't change the clinic's rules, nor can another clinic's owner (RLS: no row changed)
      for (const actor of [ACTORS.recepA, ACTORS.ownerB]) {
        expect(await setSettings(tx, actor, { waitlist_min_lead_minutes: 0 })).toBe(0);
      }
      // out of bounds or not a whole number: refused by the settings check
      for (const bad of [-1, 1441, 2.5, '20'])
        expect(
          await refused(tx, ACTORS.ownerA, SAVE_SETTINGS, [
            ID.clinicA,
            await withPatch(tx, { waitlist_min_lead_minutes: bad }),
          ]),
        ).toMatch(/^23514 /);
      expect(await setSettings(tx, ACTORS.ownerA, { waitlist_min_lead_minutes: 20 })).toBe(1);
      const slot = await tomorrowAt(tx, '09:35');
      // 25 minutes ahead is enough for this clinic
      await as(tx, ACTORS.recepA, CANCEL, [w10]);
      const r = await request(tx, a.request_id);
      expect(r.status).toBe('offered');
      expect(r.offered_slot_start).toBe(slot['10:00']);
    });
  });

  it('W4 waitlist: a request ends with its visit, and a slot it held passes on', async () => {
    await rolledBack(t.db, async (tx) => {
      const w10 = await book(tx, ID.walkInA, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1);
      await clock(tx, 1);
      const b = await ask(tx, ACTORS.patientB, await book(tx, ID.patientRecB, '12:00'));
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [w10]);
      expect((await request(tx, a.request_id)).status).toBe('offered');
      // A cancels the visit itself: the request closes, the held 10:00 goes to B (and A's 11:00 too, later)
      await as(tx, ACTORS.patientA, `select public.cancel_appointment($1::uuid) as r`, [ID.entryA1]);
      expect((await request(tx, a.request_id)).status).toBe('withdrawn');
      const rb = await request(tx, b.request_id);
      expect(rb.status).toBe('offered');
      expect(rb.offered_slot_start).toBe(await at(tx, localAt(1, '10:00')));
    });
  });

  it('W1 waitlist: a held slot is never given back by an undo — the desk cannot undo a cancel whose slot is held or taken', async () => {
    await rolledBack(t.db, async (tx) => {
      const b10 = await book(tx, ID.patientRecB, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1); // 11:00 wants earlier
      const { queue_id: queueId, version } = (
        await tx.query<{ queue_id: string; version: number }>(
          `select q.id as queue_id, q.version from public.queue_entries e join public.queues q on q.id = e.queue_id
            where e.id = $1`,
          [b10],
        )
      ).rows[0]!;
      const CANCEL = 'c0000000-0000-4000-8000-00000000b001';
      const save = (v: number, entries: unknown[], events: unknown[]) =>
        rpcSql('save_queue_step', {
          p_queue_id: queueId,
          p_expected_version: v,
          p_entries: JSON.stringify(entries),
          p_events: JSON.stringify(events),
        });
      // the desk cancels B's 10:00: the slot is offered to A and held
      const cancel = save(
        version,
        [
          {
            id: b10,
            status: 'cancelled',
            cancelled_at: await at(tx, 'private.now()'),
            cancel_reason: 'desk',
          },
        ],
        [{ ...queueEvent('EntryCancelled', b10, { fromStatus: 'scheduled' }), correlation_id: CANCEL }],
      );
      await as(tx, ACTORS.recepA, cancel.sql, cancel.params);
      expect((await request(tx, a.request_id)).status).toBe('offered');
      const held = `select private.booked_overlapping($1, ${localAt(1, '10:00')}, ${localAt(1, '10:15')}) as n`;
      const inSlot = async () => (await tx.query<{ n: number }>(held, [ID.clinicA])).rows[0]!.n;
      expect(await inSlot()).toBe(1); // A's hold
      const undoCancel = (v: number) =>
        save(
          v,
          [{ id: b10, status: 'scheduled', cancelled_at: null, cancel_reason: null }],
          [
            queueEvent('StepUndone', b10, {
              undoes: CANCEL,
              undoneTypes: ['EntryCancelled'],
              fromStatus: 'cancelled',
              toStatus: 'scheduled',
              reason: 'undo',
            }),
          ],
        );
      // inside the 10 s window, by the same desk: refused, and B is not put back on top of A's hold
      const u1 = undoCancel(version + 1);
      expect(await refused(tx, ACTORS.recepA, u1.sql, u1.params)).toMatch(
        /QUEUE\.(ILLEGAL_TRANSITION|UNDO_NOT_UNDOABLE)/,
      );
      expect(await inSlot()).toBe(1);
      expect((await request(tx, a.request_id)).status).toBe('offered');
      // A takes the slot; an undo now is refused the same way and the slot keeps one patient
      await as(tx, ACTORS.patientA, ACCEPT, [a.request_id]);
      const v2 = (
        await tx.query<{ version: number }>(`select version from public.queues where id = $1`, [queueId])
      ).rows[0]!.version;
      const u2 = undoCancel(v2);
      expect(await refused(tx, ACTORS.recepA, u2.sql, u2.params)).toMatch(
        /QUEUE\.(ILLEGAL_TRANSITION|UNDO_NOT_UNDOABLE)/,
      );
      expect(await inSlot()).toBe(1);
      const b = (
        await tx.query<{ status: string }>(`select status::text from public.queue_entries where id = $1`, [
          b10,
        ])
      ).rows[0]!;
      expect(b.status).toBe('cancelled');
    });
  });

  it('W5 waitlist: the offer is told by SMS once, in the patient’s language, until it ends', async () => {
    await rolledBack(t.db, async (tx) => {
      await tx.query(`update public.patients set preferred_language = 'fr' where id = $1`, [ID.patientRecA]);
      const w10 = await book(tx, ID.walkInA, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1);
      const offers = async () =>
        (
          await as<
            { kind: string; idempotency_key: string; template: string; values: Record<string, string> }[]
          >(tx, ACTORS.service, `select public.reminder_outbox(50) as r`)
        ).filter((i) => i.kind === 'waitlist_offer');
      expect(await offers()).toEqual([]);
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [w10]);
      const owed = await offers();
      expect(owed).toHaveLength(1);
      expect(owed[0]).toMatchObject({
        idempotency_key: `waitlist_offer:${a.request_id}`,
        entry_id: ID.entryA1,
        language: 'fr',
        channel: 'sms',
        phone: '+212600000001',
      });
      expect(owed[0]!.template).toContain('{offer_url}');
      expect(owed[0]!.values).toMatchObject({
        appointment_time: expect.stringMatching(/ 10:00$/),
        offer_expires_at: '09:15',
      });
      // recorded once under its key → not owed again
      await tx.query(
        `insert into public.notifications (clinic_id, entry_id, kind, language, idempotency_key, status)
         values ($1, $2, 'waitlist_offer', 'fr', $3, 'sent')`,
        [ID.clinicA, ID.entryA1, `waitlist_offer:${a.request_id}`],
      );
      expect(await offers()).toEqual([]);
      await tx.query(`delete from public.notifications where idempotency_key = $1`, [
        `waitlist_offer:${a.request_id}`,
      ]);
      // an offer that ended before the sweep ran is not sent
      await clock(tx, 15);
      expect(await offers()).toEqual([]);
    });
  });

  it('staff see the clinic’s waitlist and admins set how long an offer is held; patients and other clinics cannot', async () => {
    await rolledBack(t.db, async (tx) => {
      const a = await ask(tx, ACTORS.patientA, ID.entryA1);
      const list = await as<{ offer_minutes: number; requests: Record<string, unknown>[] }>(
        tx,
        ACTORS.recepA,
        `select public.clinic_waitlist($1::uuid) as r`,
        [ID.clinicA],
      );
      expect(list.offer_minutes).toBe(15);
      expect(list.requests).toEqual([
        expect.objectContaining({
          request_id: a.request_id,
          status: 'waiting',
          position: 1,
          patient_name: 'Amina Patient',
        }),
      ]);
      const sql = `select public.clinic_waitlist($1::uuid) as r`;
      expect(await refused(tx, ACTORS.ownerB, sql, [ID.clinicA])).toMatch(/^PT40[34] /);
      expect(await refused(tx, ACTORS.patientA, sql, [ID.clinicA])).toMatch(/^PT40[34] /);
      expect(await refused(tx, ACTORS.anon, sql, [ID.clinicA])).toMatch(/^42501 /);
      const set = `select public.set_waitlist_offer_minutes($1::uuid, $2::integer) as r`;
      expect(await refused(tx, ACTORS.recepA, set, [ID.clinicA, 30])).toMatch(/^PT403 /);
      expect(await refused(tx, ACTORS.ownerA, set, [ID.clinicA, 4])).toBe('PT422 VALIDATION.FAILED');
      expect(await as(tx, ACTORS.ownerA, set, [ID.clinicA, 30])).toEqual({ offer_minutes: 30 });
      const w10 = await book(tx, ID.walkInA, '10:00');
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [w10]);
      expect((await request(tx, a.request_id)).offer_expires_at).toBe(
        await at(tx, `private.now() + interval '30 minutes'`),
      );
    });
  });
});
