/**
 * The board's "next" list picks its ten entries before it builds their JSON (issue 12, session 20,
 * 20261220600002): every queue step refreshes the pushed board row at commit, inside the desk's held turn, and
 * the list built an object (and joined patient and practitioner) for every waiting entry of the day before
 * keeping ten. The answer must not change: here a day of 40 waiting entries in every priority class, with tied
 * order keys, with and without tie-breaks, some assigned to a practitioner with a room, Arabic and emoji names,
 * is compared with the previous definition's query (20261217100001), names shown and hidden, on PGlite and
 * PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { ID, createWorld } from './helpers/world';

/** The "next" list exactly as 20261217100001_board_devices.sql built it. */
const PREVIOUS_NEXT = `
  select coalesce((
    select jsonb_agg(x.item order by x.rank_priority desc, x.order_key, x.tiebreak, x.ticket_number, x.id)
    from (
      select jsonb_build_object(
               'ticket', private.ticket_label(c.ticket_prefix, e.ticket_number),
               'room', m.room,
               'name', case when $3 then private.board_name(p.full_name) end) as item,
             array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
             e.order_key, coalesce(e.order_tiebreak, e.ticket_number) as tiebreak, e.ticket_number, e.id
      from public.queue_entries e join public.patients p on p.id = e.patient_id
      left join public.clinic_members m on m.id = e.practitioner_id
      where e.queue_id = $2 and e.status = 'waiting'
      order by rank_priority desc, e.order_key, coalesce(e.order_tiebreak, e.ticket_number), e.ticket_number, e.id
      limit 10) x), '[]'::jsonb) as next
  from public.clinics c where c.id = $1`;

describe.each(DB_KINDS)('the board’s next ten on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
    await t.db.exec(`
      update public.clinic_members set room = 'Salle 3' where id = '${ID.memberPractA}';
      insert into public.patients (id, clinic_id, full_name)
        select ('d0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, '${ID.clinicA}',
               (array['سلمى بنعلي', 'Émile Durand', 'Omar 😀 Alaoui', 'Zoé Martin'])[1 + i % 4] || ' ' || i
          from generate_series(1, 40) i;
      insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, priority, ticket_number,
                                        order_key, order_tiebreak, practitioner_id)
        select ('d1000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, '${ID.queueA}', '${ID.clinicA}',
               ('d0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'walk_in', 'waiting',
               (array['normal', 'urgent', 'normal', 'emergency', 'normal'])[1 + i % 5]::public.entry_priority,
               100 + i, 1000 + (i % 7), case when i % 2 = 0 then 50 - i end,
               case when i % 3 = 0 then '${ID.memberPractA}'::uuid end
          from generate_series(1, 40) i;
    `);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each([true, false])('are the same ten, in the same order, as before (names %s)', async (names) => {
    const now = await t.db.query<{ next: unknown }>(
      `select private.board_lists(c, $2, $3) -> 'next' as next from public.clinics c where c.id = $1`,
      [ID.clinicA, ID.queueA, names],
    );
    const before = await t.db.query<{ next: unknown }>(PREVIOUS_NEXT, [ID.clinicA, ID.queueA, names]);
    const next = now.rows[0]?.next as { ticket: string; room: string | null; name: string | null }[];
    expect(next).toHaveLength(10);
    expect(next.some((n) => n.room === 'Salle 3')).toBe(true);
    expect(next.every((n) => (names ? n.name !== null : n.name === null))).toBe(true);
    expect(next).toEqual(before.rows[0]?.next);
  });
});
