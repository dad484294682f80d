/** Issue 17 "Running the day" in the database, on PGlite and PostgreSQL: what a browser cannot get past
 * whatever it sends. Transfer: only to an active practitioner of the clinic, never a patient at a desk,
 * always with a reason (verify_step), the order key kept by the step. Every call is rolled back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { rpcSql, tryAsActor } from './helpers/sql';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, createWorld } from './helpers/world';

describe.each(DB_KINDS)('running the day on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
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
  const moved = (to: string | null, reason = 'Dr away') => ({
    type: 'EntryMoved',
    entry_id: ID.entryB,
    payload: { fromPractitionerId: null, toPractitionerId: to, reason, transfer: true },
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
          setup: `update public.queue_entries set status = 'called', called_at = now(), served_by = '${ID.memberOwnerA}'
                   where id = '${ID.entryB}'`,
          entries: [{ id: ID.entryB, practitioner_id: ID.memberPractA }],
          events: [moved(ID.memberPractA)],
        },
        'PT409 QUEUE.ILLEGAL_TRANSITION',
      );
      const direct = await tryAsActor(t.db, ACTORS.service, async (tx) => {
        await tx.exec(`update public.queue_entries set status = 'called', called_at = now() where id = '${ID.entryB}';
                       update public.queue_entries set practitioner_id = '${ID.memberPractA}' where id = '${ID.entryB}'`);
      });
      expect(direct).toMatchObject({ ok: false, code: 'PT409', message: 'QUEUE.ILLEGAL_TRANSITION' });
    });
  });
});
