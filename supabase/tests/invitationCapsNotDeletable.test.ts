/**
 * mend18 (20261217900001_invitation_caps_not_deletable.sql): fix18's invitation caps (20 pending, 50 a day per
 * clinic, 20261217800001) count public.staff_invitations rows, so a client who could delete those rows could
 * invite without end. An owner/admin withdraws an invitation with revoke_staff_invitation; a DELETE is refused and
 * the caps still hold after the attempt. On PGlite and PostgreSQL; the database's clock is pinned to 10:00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const INVITE = `select public.create_staff_invitation($1::uuid, 'receptionist', 'Victim', p_email => $2) as r`;
const DELETE_ALL = `with d as (delete from public.staff_invitations where clinic_id = $1 returning 1)
                    select count(*)::int as r from d`;

describe.each(DB_KINDS)('invitation caps cannot be reset by deleting invitations on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const pending = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(
        `select count(*)::int as n from public.staff_invitations
          where clinic_id = $1 and accepted_at is null and revoked_at is null and expires_at > private.now()`,
        [ID.clinicA],
      )
    ).rows[0]!.n;

  it('an owner cannot delete invitations, so the 21st pending one is still refused', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      let n = 0;
      while ((await pending(tx)) < 20)
        await as(tx, ACTORS.ownerA, INVITE, [ID.clinicA, `v${++n}@example.test`]);
      expect(await refused(tx, ACTORS.ownerA, INVITE, [ID.clinicA, 'over@example.test'])).toBe(
        'PT429 INVITATION.TOO_MANY',
      );
      // the owner, through PostgREST's DELETE /rest/v1/staff_invitations?clinic_id=eq.<id>
      expect(await refused(tx, ACTORS.ownerA, DELETE_ALL, [ID.clinicA])).toMatch(/^42501 /);
      expect(await pending(tx)).toBe(20);
      expect(await refused(tx, ACTORS.ownerA, INVITE, [ID.clinicA, 'again@example.test'])).toBe(
        'PT429 INVITATION.TOO_MANY',
      );
    }));
});
