/**
 * Issue 17, team19 (20261219300001_remove_member.sql): a member is removed through remove_member only, which checks
 * its own rules — the last active owner stays (MEMBER.LAST_OWNER), a member with visits or report rows on record is
 * deactivated instead (MEMBER.HAS_HISTORY), only an owner removes an owner, only an owner/admin of the member's clinic
 * removes anyone — and a client's direct DELETE on clinic_members is refused. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const REMOVE = `select public.remove_member($1::uuid) as r`;
const DELETE = `with d as (delete from public.clinic_members where id = $1 returning 1) select count(*)::int as r from d`;

describe.each(DB_KINDS)('remove_member on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const exists = async (tx: DbTx, id: string) =>
    (await tx.query(`select 1 from public.clinic_members where id = $1`, [id])).rows.length === 1;

  it('an owner removes a member without history; the row is gone', () =>
    rolledBack(t.db, async (tx) => {
      await as(tx, ACTORS.ownerA, REMOVE, [ID.memberRecepA]);
      expect(await exists(tx, ID.memberRecepA)).toBe(false);
    }));

  it('a removed member leaves the visit types’ doctor lists; a list left empty means every doctor again (20261219800002)', () =>
    rolledBack(t.db, async (tx) => {
      const list = (type: string) =>
        `update public.appointment_types set practitioner_ids = $1::uuid[] where id = '${type}'`;
      await tx.query(list(ID.typeA), [[ID.memberCoOwnerA, ID.memberOwnerA]]);
      await tx.query(list(ID.typeA2), [[ID.memberCoOwnerA]]);
      await as(tx, ACTORS.ownerA, REMOVE, [ID.memberCoOwnerA]);
      const { rows } = await tx.query<{ id: string; ids: string[] | null }>(
        `select id, practitioner_ids::text[] as ids from public.appointment_types where id = any($1::uuid[]) order by name`,
        [[ID.typeA, ID.typeA2]],
      );
      expect(rows).toEqual([
        { id: ID.typeA, ids: [ID.memberOwnerA] },
        { id: ID.typeA2, ids: null },
      ]);
    }));

  it('the last active owner is refused with MEMBER.LAST_OWNER, by themselves or after the other owner left', () =>
    rolledBack(t.db, async (tx) => {
      // a co-owner may go while another active owner stays
      await as(tx, ACTORS.ownerA, REMOVE, [ID.memberCoOwnerA]);
      expect(await refused(tx, ACTORS.ownerA, REMOVE, [ID.memberOwnerA])).toBe('PT409 MEMBER.LAST_OWNER');
      expect(await exists(tx, ID.memberOwnerA)).toBe(true);
    }));

  it('an inactive owner does not count: with the co-owner deactivated, the owner is the last one', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberCoOwnerA]);
      expect(await refused(tx, ACTORS.ownerA, REMOVE, [ID.memberOwnerA])).toBe('PT409 MEMBER.LAST_OWNER');
      // the deactivated co-owner (no history) can be removed
      await as(tx, ACTORS.ownerA, REMOVE, [ID.memberCoOwnerA]);
      expect(await exists(tx, ID.memberCoOwnerA)).toBe(false);
    }));

  it('a member with a visit assigned, a visit served or a report row is refused with MEMBER.HAS_HISTORY', async () => {
    const histories = [
      `update public.queue_entries set practitioner_id = '${ID.memberPractA}' where id = '${ID.entryB}'`,
      `update public.queue_entries set served_by = '${ID.memberPractA}' where id = '${ID.entryB}'`,
      `insert into private.report_visit_cells (queue_id, clinic_id, day, practitioner_id, visits, seen, walk_in,
         booked, no_show, cancelled, late)
       select id, clinic_id, day, '${ID.memberPractA}', 1, 1, 1, 0, 0, 0, 0 from public.queues
        where id = '${ID.queueA}'`,
    ];
    for (const history of histories)
      await rolledBack(t.db, async (tx) => {
        await tx.exec(history);
        expect(await refused(tx, ACTORS.ownerA, REMOVE, [ID.memberPractA])).toBe('PT409 MEMBER.HAS_HISTORY');
        expect(await exists(tx, ID.memberPractA)).toBe(true);
      });
  });

  it('only an owner removes an owner; staff, patients, another clinic and signed-out callers are refused', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberRecepA]);
      expect(await refused(tx, ACTORS.recepA, REMOVE, [ID.memberCoOwnerA])).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.practA, REMOVE, [ID.memberRecepA])).toBe('PT403 AUTH.FORBIDDEN');
      // fix20b: outside the clinic, its member is as unknown as a made-up id (no existence oracle)
      for (const actor of [ACTORS.patientA, ACTORS.ownerB])
        expect(await refused(tx, actor, REMOVE, [ID.memberRecepA])).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.anon, REMOVE, [ID.memberRecepA])).toMatch(/^42501 /);
      expect(await refused(tx, ACTORS.ownerA, REMOVE, ['00000000-0000-4000-8000-000000000000'])).toBe(
        'PT404 NOT_FOUND',
      );
      expect(await exists(tx, ID.memberCoOwnerA)).toBe(true);
      expect(await exists(tx, ID.memberRecepA)).toBe(true);
      // the admin removes a practitioner without history
      await as(tx, ACTORS.recepA, REMOVE, [ID.memberPractA]);
      expect(await exists(tx, ID.memberPractA)).toBe(false);
    }));

  it('a direct DELETE (PostgREST DELETE /rest/v1/clinic_members) is refused, even to the owner', () =>
    rolledBack(t.db, async (tx) => {
      expect(await refused(tx, ACTORS.ownerA, DELETE, [ID.memberRecepA])).toMatch(/^42501 /);
      expect(await exists(tx, ID.memberRecepA)).toBe(true);
    }));
});
