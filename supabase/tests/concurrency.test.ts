/**
 * Concurrency through separate connections on a real PostgreSQL 15 (each call is its own transaction on
 * its own pooled connection, all released at the same moment by a barrier). The same scenarios also run
 * on PGlite, where transactions are serialized, to show the rules are the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError, DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { becomeActor, rpcSql } from './helpers/sql';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, createWorld, localAt } from './helpers/world';
import { queueEvent } from './helpers/events';

type Result = { ok: true; value: unknown } | { ok: false; code: string; message: string };

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

describe.each(DB_KINDS)('concurrency on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 110 });
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Runs every call in its own transaction, simultaneously (barrier on PostgreSQL). */
  const race = async (
    calls: { actor: Actor; fn: string; args: Record<string, unknown>; sqlArgs?: string }[],
  ) => {
    const arrive = kind === 'postgres' ? barrier(calls.length) : async () => {};
    return Promise.all(
      calls.map(async ({ actor, fn, args, sqlArgs }): Promise<Result> => {
        try {
          const value = await t.db.transaction(async (tx: DbTx) => {
            await tx.query('select 1'); // hold a connection before the start line
            await becomeActor(tx, actor);
            const { sql, params } = rpcSql(fn, args);
            const full = sqlArgs === undefined ? sql : sql.replace(/\) as r$/, `, ${sqlArgs}) as r`);
            await arrive();
            return (await tx.query<{ r: unknown }>(full, params)).rows[0]?.r;
          });
          return { ok: true, value };
        } catch (e) {
          const err = e as DbError;
          return { ok: false, code: err.code ?? '?', message: err.message };
        }
      }),
    );
  };

  it('20 saves of one queue with the same version: exactly one wins, 19 get 409 QUEUE.VERSION_CONFLICT', async () => {
    const { rows } = await t.db.query<{ version: number }>(
      'select version from public.queues where id = $1',
      [ID.queueA],
    );
    const version = rows[0]?.version ?? -1;
    const results = await race(
      Array.from({ length: 20 }, (_, i) => ({
        actor: i % 2 === 0 ? ACTORS.recepA : ACTORS.practA,
        fn: 'save_queue_step',
        args: {
          p_queue_id: ID.queueA,
          p_expected_version: version,
          p_entries: JSON.stringify([
            { id: ID.entryB, status: 'called', called_at: new Date().toISOString(), called_room: `R${i}` },
          ]),
          p_events: JSON.stringify([queueEvent('PatientCalled', ID.entryB, { room: `R${i}` })]),
        },
      })),
    );
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r): r is Extract<Result, { ok: false }> => !r.ok);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toEqual({ ok: true, value: version + 1 });
    expect(losers).toHaveLength(19);
    expect(new Set(losers.map((l) => `${l.code} ${l.message}`))).toEqual(
      new Set(['PT409 QUEUE.VERSION_CONFLICT']),
    );
    const after = await t.db.query<{ version: number; called: number; events: number }>(
      `select q.version,
              (select count(*)::int from public.queue_entries e where e.queue_id = q.id and e.status = 'called') as called,
              (select count(*)::int from public.queue_events v where v.queue_id = q.id and v.type = 'PatientCalled') as events
       from public.queues q where q.id = $1`,
      [ID.queueA],
    );
    expect(after.rows[0]).toEqual({ version: version + 1, called: 1, events: 1 });
  });

  it('50 simultaneous bookings of a capacity-2 slot: exactly 2 succeed, 48 get 409 BOOKING.SLOT_FULL', async () => {
    await t.db.exec(`update public.clinics set settings = '{"slot_capacity": 2}' where id = '${ID.clinicA}'`);
    const users = Array.from(
      { length: 50 },
      (_, i) => `d0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    await t.db.query(
      // a patient's own booking needs a confirmed phone (abuse17)
      `insert into auth.users (id, aud, role, email, phone, phone_confirmed_at, raw_user_meta_data, created_at, updated_at)
       select u, 'authenticated', 'authenticated', 'booker' || n || '@test.ma', '2126900' || lpad(n::text, 5, '0'),
              now(), jsonb_build_object('full_name', 'Booker ' || n), now(), now()
       from unnest($1::uuid[]) with ordinality as x(u, n)`,
      [users],
    );
    const results = await race(
      users.map((sub) => ({
        actor: { name: sub, role: 'authenticated', sub } as Actor,
        fn: 'book_appointment',
        args: { p_clinic_id: ID.clinicA, p_appointment_type_id: ID.typeA },
        sqlArgs: `p_slot_start => ${localAt(3, '09:00')}`,
      })),
    );
    const ok = results.filter((r) => r.ok);
    const failed = results.filter((r): r is Extract<Result, { ok: false }> => !r.ok);
    expect(ok).toHaveLength(2);
    expect(failed).toHaveLength(48);
    expect(new Set(failed.map((f) => `${f.code} ${f.message}`))).toEqual(
      new Set(['PT409 BOOKING.SLOT_FULL']),
    );
    const tickets = ok.map((r) => (r.value as { ticket_number: number }).ticket_number).sort();
    expect(new Set(tickets).size).toBe(2);
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from public.queue_entries where clinic_id = $1 and slot_start = ${localAt(3, '09:00')}
         and status <> 'cancelled'`,
      [ID.clinicA],
    );
    expect(rows[0]?.n).toBe(2);
  });

  it('100 simultaneous budget reservations against a limit of 30: exactly 30 reserved, 70 skipped_budget', async () => {
    await t.db.exec(`update public.sms_budgets set limit_count = 30, limit_amount = 1000, reserved_count = 0,
                       reserved_amount = 0, spent_count = 0, spent_amount = 0
                     where clinic_id = '${ID.clinicA}'`);
    await t.db.exec(`update public.notifications set reserved = false where clinic_id = '${ID.clinicA}'`);
    const results = await race(
      Array.from({ length: 100 }, (_, i) => ({
        // the server's senders (send-sms with the service key, the sweep) race; staff have no grant (sms17)
        actor: ACTORS.service,
        fn: 'sms_budget_reserve',
        args: {
          p_clinic_id: ID.clinicA,
          p_idempotency_key: `race-${i}`,
          p_kind: 'your_turn',
          p_segments: 1,
          p_cost: 0.35,
        },
      })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const values = results.map((r) =>
      r.ok ? (r.value as { reserved: boolean; code: string | null }) : null,
    );
    expect(values.filter((v) => v?.reserved === true)).toHaveLength(30);
    expect(values.filter((v) => v?.reserved === false && v.code === 'SMS.BUDGET_EXCEEDED')).toHaveLength(70);
    const { rows } = await t.db.query<{
      reserved_count: number;
      reserved_amount: string;
      skipped: number;
      queued: number;
    }>(
      `select b.reserved_count, b.reserved_amount::text,
              (select count(*)::int from public.notifications n where n.clinic_id = b.clinic_id and n.status = 'skipped_budget') as skipped,
              (select count(*)::int from public.notifications n where n.clinic_id = b.clinic_id and n.reserved) as queued
       from public.sms_budgets b where b.clinic_id = $1 and b.month = private.budget_month($1)`,
      [ID.clinicA],
    );
    expect(rows[0]).toEqual({ reserved_count: 30, reserved_amount: '10.5000', skipped: 70, queued: 30 });
  });
});
