/** Issue 17 "Running the day" in the database, on PGlite and PostgreSQL: what a browser cannot get past
 * whatever it sends. Transfer: only to an active practitioner of the clinic, never a patient at a desk,
 * always with a reason (verify_step), the order key kept by the step. Pause / reopen: typed state changed
 * only by set_desk_paused / set_queue_intake (staff, audited, version bumped); a paused desk calls nobody but
 * an emergency, a closed intake takes no new patient but an emergency, by any path; the board and the
 * tracker say so. Every call is rolled back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { becomeActor, resetActor, rpcSql, tryAsActor } from './helpers/sql';
import type { Actor } from './helpers/sql';
import type { DbTx } from '../local/db/types';
import { ACTORS, ID, TOKENS, U, createWorld } from './helpers/world';
import { queueEvent } from './helpers/events';
import { pinWorldDaySql } from './helpers/pinnedWorld';

describe.each(DB_KINDS)('running the day on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
    // the database's clock at 10:00 on the world's day for the whole file: the pause/intake RPCs act on the
    // clinic's today, which at 23:59 turned into tomorrow mid-file (test:hours, 23:58 Casablanca: 2 failed)
    await t.db.exec(pinWorldDaySql('10:00'));
  });
  afterAll(async () => {
    await t?.stop();
  });

  const ENTRY_B = `select version, (select to_jsonb(e) from public.queue_entries e where e.id = '${ID.entryB}') as b,
      (select count(*)::int from public.queue_events v where v.queue_id = q.id) as events
    from public.queues q where q.id = '${ID.queueA}'`;

  /** One save_queue_step as `actor` (after `setup` as superuser): outcome and entry B before/after. */
  const step = async (o: { entries: unknown[]; events: unknown[]; setup?: string; actor?: Actor }) => {
    const r = await tryAsActor(
      t.db,
      o.actor ?? ACTORS.recepA,
      async (tx) => {
        await tx.exec('reset role');
        const before = (await tx.query<Record<string, unknown>>(ENTRY_B)).rows[0];
        await tx.query(`select set_config('role', 'authenticated', true)`);
        const { sql, params } = rpcSql('save_queue_step', {
          p_queue_id: ID.queueA,
          p_expected_version: 0,
          p_entries: JSON.stringify(o.entries),
          p_events: JSON.stringify(o.events),
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
        const after = (await tx.query<Record<string, unknown>>(ENTRY_B)).rows[0];
        return { outcome, before, after };
      },
      o.setup === undefined ? undefined : async (tx) => tx.exec(o.setup as string),
    );
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
    return r.value;
  };
  const moved = (to: string | null, reason = 'Dr away') =>
    queueEvent('EntryMoved', ID.entryB, {
      fromPractitionerId: null,
      toPractitionerId: to,
      reason,
      transfer: true,
    });
  const refused = async (o: Parameters<typeof step>[0], expected: string) => {
    const r = await step(o);
    expect(r.outcome).toBe(expected);
    expect(r.after).toEqual(r.before);
  };

  describe('transfer', () => {
    it('a waiting patient moves to an active practitioner’s line with its order key kept, audited with the reason', async () => {
      const r = await step({
        entries: [{ id: ID.entryB, practitioner_id: ID.memberPractA }],
        events: [moved(ID.memberPractA)],
      });
      expect(r.outcome).toBe('ok');
      const before = r.before as { b: { order_key: unknown; order_tiebreak: unknown } };
      expect(r.after).toMatchObject({
        version: 1,
        b: {
          practitioner_id: ID.memberPractA,
          status: 'waiting',
          order_key: before.b.order_key,
          order_tiebreak: before.b.order_tiebreak,
        },
      });
    });

    it('to a receptionist, a deactivated practitioner or another clinic’s doctor → refused, nothing written', async () => {
      const change = (to: string) => ({
        entries: [{ id: ID.entryB, practitioner_id: to }],
        events: [moved(to)],
      });
      await refused(change(ID.memberRecepA), 'PT422 VALIDATION.FAILED');
      await refused(
        {
          ...change(ID.memberPractA),
          setup: `update public.clinic_members set active = false where id = '${ID.memberPractA}'`,
        },
        'PT422 VALIDATION.FAILED',
      );
      await refused(change(ID.memberOwnerB), 'PT422 VALIDATION.FAILED');
    });

    it('without a reason → refused (verify_step)', async () => {
      await refused(
        {
          entries: [{ id: ID.entryB, practitioner_id: ID.memberPractA }],
          events: [moved(ID.memberPractA, ' ')],
        },
        'PT422 QUEUE.REASON_REQUIRED',
      );
    });

    it('a patient at a desk is not transferred (409 QUEUE.ILLEGAL_TRANSITION), by any path', async () => {
      await refused(
        {
          setup: `update public.queue_entries set status = 'called', called_at = private.now(), served_by = '${ID.memberOwnerA}'
                   where id = '${ID.entryB}'`,
          entries: [{ id: ID.entryB, practitioner_id: ID.memberPractA }],
          events: [moved(ID.memberPractA)],
        },
        'PT409 QUEUE.ILLEGAL_TRANSITION',
      );
      const direct = await tryAsActor(t.db, ACTORS.service, async (tx) => {
        await tx.exec(`update public.queue_entries set status = 'called', called_at = private.now() where id = '${ID.entryB}';
                       update public.queue_entries set practitioner_id = '${ID.memberPractA}' where id = '${ID.entryB}'`);
      });
      expect(direct).toMatchObject({ ok: false, code: 'PT409', message: 'QUEUE.ILLEGAL_TRANSITION' });
    });
  });

  describe('pause / reopen', () => {
    /** Runs `fn` as `actor` in a rolled-back transaction; RPCs by name with JSON args. */
    const as = <T>(
      actor: Actor,
      fn: (call: (name: string, args: Record<string, unknown>) => Promise<unknown>, tx: DbTx) => Promise<T>,
    ) =>
      tryAsActor(t.db, actor, async (tx) => {
        const call = async (name: string, args: Record<string, unknown>) => {
          const { sql, params } = rpcSql(name, args);
          const r = await tx.query<Record<string, unknown>>(sql, params);
          return Object.values(r.rows[0] ?? {})[0];
        };
        return fn(call, tx);
      });
    const pause = (paused: boolean, who: string = ID.memberPractA) => ({
      p_clinic_id: ID.clinicA,
      p_practitioner_id: who,
      p_paused: paused,
      p_reason: 'break',
    });

    it('pausing a doctor is typed queue state, bumps the version and is audited with who and why; resuming undoes it', async () => {
      const r = await as(ACTORS.recepA, async (call, tx) => {
        const paused = (await call('set_desk_paused', pause(true))) as { version: number };
        await resetActor(tx);
        const row = (
          await tx.query<{ version: number; paused: string[] }>(
            `select version, paused_practitioner_ids::text[] as paused from public.queues where id = '${ID.queueA}'`,
          )
        ).rows[0];
        const ev = (
          await tx.query<{ type: string; actor_id: string; payload: unknown; entry_id: string | null }>(
            `select type, actor_id, payload, entry_id from public.queue_events where queue_id = '${ID.queueA}' order by id desc limit 1`,
          )
        ).rows[0];
        await becomeActor(tx, ACTORS.recepA);
        const resumed = (await call('set_desk_paused', pause(false))) as { version: number };
        return { paused, row, ev, resumed };
      });
      if (!r.ok) throw new Error(`${r.code} ${r.message}`);
      expect(r.value.paused.version).toBe(1);
      expect(r.value.row).toEqual({ version: 1, paused: [ID.memberPractA] });
      expect(r.value.ev).toEqual({
        type: 'DeskPaused',
        actor_id: ACTORS.recepA.sub,
        entry_id: null,
        payload: { practitionerId: ID.memberPractA, reason: 'break' },
      });
      expect(r.value.resumed.version).toBe(2);
    });

    it('only the clinic’s staff pause or close intake; a receptionist is not a doctor to pause; twice is refused', async () => {
      const outcome = async (actor: Actor, name: string, args: Record<string, unknown>) => {
        const r = await as(actor, (call) => call(name, args));
        return r.ok ? 'ok' : `${r.code} ${r.message}`;
      };
      for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.ownerB]) {
        expect(await outcome(actor, 'set_desk_paused', pause(true))).not.toBe('ok');
        expect(await outcome(actor, 'set_queue_intake', { p_clinic_id: ID.clinicA, p_open: false })).not.toBe(
          'ok',
        );
      }
      expect(await outcome(ACTORS.recepA, 'set_desk_paused', pause(true, ID.memberRecepA))).toBe(
        'PT404 NOT_FOUND',
      );
      expect(await outcome(ACTORS.recepA, 'set_desk_paused', pause(true, ID.memberOwnerB))).toBe(
        'PT404 NOT_FOUND',
      );
      expect(await outcome(ACTORS.recepA, 'set_desk_paused', pause(false))).toBe(
        'PT409 QUEUE.ILLEGAL_TRANSITION',
      );
      expect(
        await outcome(ACTORS.recepA, 'set_queue_intake', { p_clinic_id: ID.clinicA, p_open: true }),
      ).toBe('PT409 QUEUE.ILLEGAL_TRANSITION');
      expect(
        await outcome(ACTORS.recepA, 'set_queue_intake', {
          p_clinic_id: ID.clinicA,
          p_open: false,
          p_reason: 'x'.repeat(501),
        }),
      ).toBe('PT422 VALIDATION.FAILED');
    });

    const PAUSED = `update public.queues set paused_practitioner_ids = '{${ID.memberPractA}}' where id = '${ID.queueA}'`;
    const CLOSED = `update public.queues set intake_closed_at = private.now() where id = '${ID.queueA}'`;
    const called = queueEvent('PatientCalled', ID.entryB, { outOfOrder: false, reason: null });

    it('a paused doctor’s desk calls nobody (409 QUEUE.DESK_PAUSED), whoever sends the step; another desk still calls', async () => {
      await refused(
        {
          setup: PAUSED,
          entries: [{ id: ID.entryB, status: 'called', served_by: ID.memberPractA }],
          events: [called],
        },
        'PT409 QUEUE.DESK_PAUSED',
      );
      const other = await step({
        setup: PAUSED,
        entries: [{ id: ID.entryB, status: 'called', served_by: ID.memberOwnerA }],
        events: [called],
      });
      expect(other.outcome).toBe('ok');
      const emergency = await step({
        setup: `${PAUSED}; update public.queue_entries set priority = 'emergency' where id = '${ID.entryB}'`,
        entries: [{ id: ID.entryB, status: 'called', served_by: ID.memberPractA }],
        events: [called],
      });
      expect(emergency.outcome).toBe('ok');
    });

    it('a closed intake takes no new walk-in (409 QUEUE.INTAKE_CLOSED) — by a step or by the booking RPC — but an emergency', async () => {
      const NEW = 'a5000000-0000-4000-8000-0000000000d1';
      const walkIn = (priority: string) => ({
        setup: CLOSED,
        entries: [
          { id: NEW, patient_id: ID.walkInA, kind: 'walk_in', status: 'waiting', priority, ticket_number: 9 },
        ],
        events: [
          priority === 'emergency'
            ? queueEvent('EmergencyInserted', NEW, { reason: 'fall' })
            : queueEvent('WalkInAdded', NEW),
        ],
      });
      await refused(walkIn('normal'), 'PT409 QUEUE.INTAKE_CLOSED');
      expect((await step(walkIn('emergency'))).outcome).toBe('ok');
      // any other path that adds to today's queue (a booking, the service role) meets the same trigger
      const direct = (setup: string) =>
        tryAsActor(
          t.db,
          ACTORS.service,
          async (tx) => {
            await tx.exec(`insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status,
                             ticket_number, order_key, slot_start, slot_end)
                           values ('${NEW}', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'booked', 'scheduled',
                                   9, extract(epoch from private.now()), private.now(), private.now() + interval '15 minutes')`);
          },
          async (tx) => tx.exec(setup),
        );
      expect(await direct(CLOSED)).toMatchObject({
        ok: false,
        code: 'PT409',
        message: 'QUEUE.INTAKE_CLOSED',
      });
      expect(await direct('')).toMatchObject({ ok: true });
    });

    it('the board and the tracker say so: paused rooms, intake closed, the visit’s doctor paused', async () => {
      const r = await tryAsActor(
        t.db,
        ACTORS.anon,
        async (tx) => {
          const board = await tx.query<{ b: Record<string, unknown> }>(
            `select public.get_waiting_board('${ID.clinicA}') as b`,
          );
          const live = await tx.query<{ v: Record<string, unknown> }>(
            `select public.get_visit_live('${TOKENS.trackingA}') as v`,
          );
          return { board: board.rows[0]?.b, live: live.rows[0]?.v };
        },
        async (tx) =>
          tx.exec(`${PAUSED}; ${CLOSED};
            update public.queue_entries set practitioner_id = '${ID.memberPractA}' where id = '${ID.entryA}'`),
      );
      if (!r.ok) throw new Error(`${r.code} ${r.message}`);
      expect(r.value.board).toMatchObject({ paused_rooms: ['2'], intake_closed: true });
      expect(r.value.live).toMatchObject({ desk_paused: true, intake_closed: true });
      const open = await tryAsActor(
        t.db,
        ACTORS.anon,
        async (tx) =>
          (
            await tx.query<{ b: Record<string, unknown> }>(
              `select public.get_waiting_board('${ID.clinicA}') as b`,
            )
          ).rows[0]?.b,
      );
      expect(open).toMatchObject({ ok: true, value: { paused_rooms: [], intake_closed: false } });
    });
  });

  describe('undo (issue 17, left from session 5)', () => {
    it('an undo saved through save_queue_step writes its audit_log row: kind undo, the desk, its origin', async () => {
      const TRANSFER = 'c0000000-0000-4000-8000-00000000a001';
      const UNDO = 'c0000000-0000-4000-8000-00000000a002';
      const headers = JSON.stringify({ 'x-forwarded-for': '203.0.113.9', 'user-agent': 'Desk Undo' });
      const save = (tx: DbTx, version: number, entries: unknown[], events: unknown[]) => {
        const { sql, params } = rpcSql('save_queue_step', {
          p_queue_id: ID.queueA,
          p_expected_version: version,
          p_entries: JSON.stringify(entries),
          p_events: JSON.stringify(events),
        });
        return tx.query(sql, params);
      };
      // both steps in one transaction at the pinned 10:00 (private.now()), so the undo is inside its
      // 10 s window whatever the machine's speed
      const r = await tryAsActor(t.db, ACTORS.recepA, async (tx) => {
        await tx.query(`select set_config('request.headers', $1, true)`, [headers]);
        await save(
          tx,
          0,
          [{ id: ID.entryB, practitioner_id: ID.memberPractA }],
          [{ ...moved(ID.memberPractA), correlation_id: TRANSFER }],
        );
        await save(
          tx,
          1,
          [{ id: ID.entryB, practitioner_id: null }],
          [
            {
              ...queueEvent('StepUndone', ID.entryB, {
                undoes: TRANSFER,
                undoneTypes: ['EntryMoved'],
                fromStatus: 'waiting',
                toStatus: 'waiting',
                reason: 'undo',
              }),
              correlation_id: UNDO,
            },
          ],
        );
        await resetActor(tx);
        return (
          await tx.query<Record<string, unknown>>(
            `select a.kind, a.patient_id::text, a.entry_id::text, a.actor_id::text, a.actor_name,
                    a.actor_role::text, a.reason, a.client_ip, a.user_agent, ev.type as event_type,
                    ev.correlation_id::text as correlation_id
               from public.audit_log a join public.queue_events ev on ev.id = a.queue_event_id
              order by a.id`,
          )
        ).rows;
      });
      if (!r.ok) throw new Error(`${r.code} ${r.message}`);
      const who = {
        patient_id: ID.patientRecB,
        entry_id: ID.entryB,
        actor_id: U.recepA,
        actor_name: 'Recep A',
        actor_role: 'receptionist',
        client_ip: '203.0.113.9',
        user_agent: 'Desk Undo',
      };
      expect(r.value).toEqual([
        { kind: 'transfer', ...who, reason: 'Dr away', event_type: 'EntryMoved', correlation_id: TRANSFER },
        { kind: 'undo', ...who, reason: 'undo', event_type: 'StepUndone', correlation_id: UNDO },
      ]);
    });
  });
});
