/** The database agrees with the queue domain, on PGlite and PostgreSQL: get_visit_status's position is
 * QueueOrder's (same pool only; priority class, then the order key — `order_key`, exact decimal seconds of
 * the domain's ms key —, then the `order_tiebreak` column, default the ticket number), and the walk-in
 * limit counts what the domain counts (DOMAIN.md: emergencies are never refused; cancelled walk-ins free
 * their place). Every call here is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import type { Actor, Outcome } from './helpers/sql';
import { ACTORS, ID, TOKENS } from './helpers/world';
import { mustSucceed, outcomeCode, rpcAs, useWorldDb } from './helpers/worldDb';
import { queueEvent } from './helpers/events';

describe.each(DB_KINDS)('queue parity with the domain on %s', (kind) => {
  const t = useWorldDb(kind);

  const call = async <T>(
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
    setup?: string,
  ): Promise<Outcome<T>> => {
    const o = await rpcAs<T>(t.db, actor, fn, args, setup === undefined ? {} : { setup });
    return o.ok ? { ok: true, value: o.value.r } : o;
  };
  const code = outcomeCode;
  const must = mustSucceed;

  describe('get_visit_status position', () => {
    const entry = (n: number) => `a5000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;
    const row = (
      n: number,
      o: {
        ticket: number;
        key: string;
        priority?: string;
        practitioner?: string | null;
        tiebreak?: string;
        token?: string;
      },
    ) =>
      `('${entry(n)}', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in', 'waiting', ${o.ticket}, ${o.key},
        '${o.priority ?? 'normal'}', ${o.practitioner ? `'${o.practitioner}'` : 'null'},
        ${o.tiebreak ?? 'null'}, ${o.token ? `private.hash_token('${o.token}')` : 'null'}, now())`;
    // entry A (booked, "any" pool, ticket 1) waits with order key 2000 s; around it:
    const setup = `
      update public.queue_entries set order_key = 1000 where id = '${ID.entryB}';
      update public.queue_entries set status = 'waiting', checked_in_at = now(), order_key = 2000 where id = '${ID.entryA}';
      insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                        priority, practitioner_id, order_tiebreak, tracking_token_hash, checked_in_at) values
        ${[
          // same key, the service's tiebreak 0.5 < ticket 1: ahead
          row(1, { ticket: 5, key: '2000', tiebreak: '0.5' }),
          // no tiebreak given: the ticket (6) is the tiebreak (the insert trigger): behind
          row(2, { ticket: 6, key: '2000' }),
          // 0.1 ms earlier (sub-millisecond keys are kept exactly): ahead
          row(3, { ticket: 7, key: '1999.9999', tiebreak: '9' }),
          // a later key with a small tiebreak: behind
          row(4, { ticket: 8, key: '2001', tiebreak: '1' }),
          // earlier key: ahead
          row(5, { ticket: 9, key: '1500' }),
          // an emergency arriving later is ahead; an urgent one too
          row(6, { ticket: 10, key: '3000', priority: 'emergency' }),
          row(7, { ticket: 11, key: '2500', priority: 'urgent' }),
          // another pool (assigned to a practitioner), earlier key: not counted for A; alone in its pool
          row(8, { ticket: 12, key: '100', practitioner: ID.memberPractA, token: 'tok-pract-pool' }),
          // not waiting: not counted
          `('${entry(9)}', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in', 'called', 13, 1, 'normal', null, null, null, now())`,
        ].join(',\n')};`;

    it('counts only waiting entries of the same pool ahead in the domain order', async () => {
      const a = must(
        await call<{ position: number; ticket: string }>(
          ACTORS.anon,
          'get_visit_status',
          { p_tracking_token: TOKENS.trackingA },
          setup,
        ),
      );
      // ahead of A: B (key 1000), #1 (tiebreak), #3 (exact ms key), #5 (key 1500), #6 (emergency), #7 (urgent)
      expect(a).toMatchObject({ ticket: 'A-001', position: 7 });
      const p = must(
        await call<{ position: number; ticket: string }>(
          ACTORS.anon,
          'get_visit_status',
          { p_tracking_token: 'tok-pract-pool' },
          setup,
        ),
      );
      expect(p).toMatchObject({ ticket: 'A-012', position: 1 });
    });

    it('an entry added without a tiebreak (booking, check-in, seed) tie-breaks on its ticket number', async () => {
      const { rows } = await t.db.query<{ tb: string; n: number }>(
        `select order_tiebreak::text as tb, ticket_number as n from public.queue_entries where queue_id = $1`,
        [ID.queueA],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.tb).toBe(String(r.n));
    });
  });

  describe('walk-in limit', () => {
    // each new entry with its arrival event (the database refuses a change without its event)
    const arrival = (e: { id: string; priority: string }) =>
      e.priority === 'emergency'
        ? queueEvent('EmergencyInserted', e.id, { reason: 'chest pain' })
        : queueEvent('WalkInAdded', e.id);
    const save = (entries: { id: string; priority: string }[], setup: string) =>
      call<number>(
        ACTORS.recepA,
        'save_queue_step',
        {
          p_queue_id: ID.queueA,
          p_expected_version: 0,
          p_entries: JSON.stringify(entries),
          p_events: JSON.stringify(entries.map(arrival)),
        },
        setup,
      );
    const limit = (n: number) =>
      `update public.clinics set settings = '{"max_walk_ins_per_day": ${n}}' where id = '${ID.clinicA}';`;
    const walkIn = (priority = 'normal') => [
      {
        id: 'a5000000-0000-4000-8000-0000000002aa',
        patient_id: ID.walkInA,
        kind: 'walk_in',
        status: 'waiting',
        priority,
      },
    ];

    it("an emergency is never refused, even with the day's walk-in places all taken", async () => {
      // entry B (a waiting walk-in) takes the only place
      expect(code(await save(walkIn(), limit(1)))).toBe('PT409 QUEUE.WALK_IN_LIMIT_REACHED');
      expect(code(await save(walkIn('emergency'), limit(1)))).toBe('ok');
      expect(code(await save(walkIn('emergency'), limit(0)))).toBe('ok');
    });

    it('cancelled walk-ins and emergencies do not use up a place', async () => {
      const cancelB = `update public.queue_entries set status = 'cancelled', cancelled_at = now() where id = '${ID.entryB}';`;
      expect(code(await save(walkIn(), limit(1) + cancelB))).toBe('ok');
      const emergencyB = `update public.queue_entries set priority = 'emergency' where id = '${ID.entryB}';`;
      expect(code(await save(walkIn(), limit(1) + emergencyB))).toBe('ok');
      expect(code(await save(walkIn('urgent'), limit(1)))).toBe('PT409 QUEUE.WALK_IN_LIMIT_REACHED');
    });
  });
});
