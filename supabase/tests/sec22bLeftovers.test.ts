/**
 * sec22b (20261222200001_sec22b_public_names_backstop_audit_ip.sql), on PGlite and PostgreSQL. Every call is rolled
 * back.
 *
 * 1. The waiting-room board never shows an e-mail address: a paused desk without a room was listed by its doctor's
 *    stored name (private.board_lists → get_waiting_board, anon, and public.waiting_boards, which anon reads and
 *    Realtime pushes). Now by private.public_person_name; a desk with neither room nor public name is left out.
 * 2. save_queue_step's backstop answers a coded problem, never Postgres's own text.
 * 3. The audit row's client_ip is the client the gateway settled (queuemed.client_address), never the first
 *    X-Forwarded-For hop a caller writes; without the gateway's setting, the right-most hop (a proxy appended it).
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { pinWorldDaySql } from './helpers/pinnedWorld';
import { ACTORS, ID } from './helpers/world';
import { mustSucceed, rpcAs, useWorldDb } from './helpers/worldDb';

type Board = { paused_rooms: string[] };

describe.each(DB_KINDS)('security leftovers of session 21 on %s', (kind) => {
  const t = useWorldDb(kind);

  it('the board names a paused desk without a room by its public name only: never an e-mail address', async () => {
    // practA (no room) is named by an address stored before rule P1, ownerA (no room) by a plain name; both paused
    const setup = `${pinWorldDaySql('12:00')}
      set local session_replication_role = replica;
      update public.clinic_members set room = null, display_name = 'pract.a@test.ma' where id = '${ID.memberPractA}';
      update public.clinic_members set room = null where id = '${ID.memberOwnerA}';
      set local session_replication_role = origin;
      update public.queues set paused_practitioner_ids = array['${ID.memberPractA}', '${ID.memberOwnerA}']::uuid[]
       where id = '${ID.queueA}';
      set constraints all immediate; -- the board row is refreshed now (its trigger is deferred to commit)`;
    const o = mustSucceed(
      await rpcAs<Board>(
        t.db,
        ACTORS.anon,
        'get_waiting_board',
        { p_clinic_id: ID.clinicA },
        { setup, after: `select paused_rooms from public.waiting_boards where queue_id = '${ID.queueA}'` },
      ),
    );
    expect(o.r.paused_rooms).toEqual(['Dr Owner A']);
    // the stored row anon reads and Realtime pushes
    expect(o.after).toEqual([{ paused_rooms: ['Dr Owner A'] }]);
    expect(JSON.stringify(o)).not.toContain('@');
  });

  it('save_queue_step answers a coded problem for a value the queue cannot store, never Postgres text', async () => {
    const step = (entries: unknown[]) =>
      rpcAs(t.db, ACTORS.recepA, 'save_queue_step', {
        p_queue_id: ID.queueA,
        p_expected_version: 0,
        p_entries: JSON.stringify(entries),
        p_events: '[]',
      });
    const cases: [unknown[], string, string, string][] = [
      // a value of the wrong form (invalid input syntax for type uuid: "…")
      [
        [{ id: ID.entryB, practitioner_id: 'not-a-uuid' }],
        'PT422',
        'VALIDATION.FAILED',
        '{"problem":"value"}',
      ],
      // an enum value that does not exist; a number too large
      [
        [{ id: ID.entryB, priority: "urgent'; drop table x; --" }],
        'PT422',
        'VALIDATION.FAILED',
        '{"problem":"value"}',
      ],
      [[{ id: ID.entryB, skip_count: 99999999999 }], 'PT422', 'VALIDATION.FAILED', '{"problem":"value"}'],
      // a column that must hold a value (null value in column "order_key" … violates not-null constraint)
      [[{ id: ID.entryB, order_key: null }], 'PT422', 'VALIDATION.FAILED', '{"problem":"missing_value"}'],
      // a rule of the table (violates check constraint "queue_entries_skip_count_check")
      [[{ id: ID.entryB, skip_count: -1 }], 'PT422', 'VALIDATION.FAILED', '{"problem":"rule"}'],
      // a visit type that does not exist (violates foreign key constraint "…")
      [
        [{ id: ID.entryB, appointment_type_id: 'a1000000-0000-4000-8000-0000000000ff' }],
        'PT422',
        'VALIDATION.FAILED',
        '{"problem":"reference"}',
      ],
      // a ticket number already used today (duplicate key value violates unique constraint "…")
      [
        [{ id: 'a5000000-0000-4000-8000-0000000000e1', patient_id: ID.walkInA, ticket_number: 2 }],
        'PT409',
        'QUEUE.DUPLICATE_ENTRY',
        '{"problem":"duplicate"}',
      ],
    ];
    for (const [entries, code, message, detail] of cases) {
      const o = await step(entries);
      if (o.ok) throw new Error(`expected a refusal for ${JSON.stringify(entries)}`);
      expect({ code: o.code, message: o.message, detail: o.detail }).toEqual({ code, message, detail });
      expect(o.detail ?? '').not.toMatch(/relation|constraint|syntax|uuid|queue_entries|violat|drop table/i);
    }
  });

  it('the audit row records the client the gateway settled, never a forged X-Forwarded-For hop', async () => {
    const readRecord = async (o: { client?: string; headers: Record<string, string> }) =>
      mustSucceed(
        await rpcAs(
          t.db,
          ACTORS.practA,
          'get_patient_record',
          { p_patient_id: ID.patientRecA },
          {
            headers: o.headers,
            ...(o.client === undefined
              ? {}
              : { setup: `select set_config('queuemed.client_address', '${o.client}', true);` }),
            after: `select client_ip from public.audit_log where kind = 'record_read' order by id desc limit 1`,
          },
        ),
      ).after;
    const forged = { 'x-forwarded-for': '6.6.6.6, 203.0.113.50', 'x-real-ip': '6.6.6.7' };
    // the local stack: its settled client, whatever the caller wrote
    expect(await readRecord({ client: '192.0.2.10', headers: forged })).toEqual([
      { client_ip: '192.0.2.10' },
    ]);
    expect(await readRecord({ client: '2001:db8::7', headers: forged })).toEqual([
      { client_ip: '2001:db8::7' },
    ]);
    // the stack had no address for it: none, not the caller's text
    expect(await readRecord({ client: 'unknown', headers: forged })).toEqual([{ client_ip: null }]);
    // no gateway setting (a hosted PostgREST): the hop the nearest proxy appended, never the first
    expect(await readRecord({ headers: forged })).toEqual([{ client_ip: '203.0.113.50' }]);
    // a header the caller alone writes where no proxy overwrites it is not believed
    expect(await readRecord({ headers: { 'x-real-ip': '6.6.6.7', 'cf-connecting-ip': '6.6.6.8' } })).toEqual([
      { client_ip: null },
    ]);
  });
});
