/**
 * Attack review of session 17 (20261216900001_invitation_no_readmit.sql): an invitation re-admitted a member the
 * owner had deactivated (the leftover of two invitations), and an admin's receptionist invitation demoted an owner.
 * Now: deactivating/removing a member revokes the clinic's pending invitations to them; accepting one revokes the
 * clinic's others to the same person; accept never re-admits someone who left after the invitation was sent; and an
 * active member is only ever promoted by an accept, never demoted. Each case is rolled back; the database's clock is
 * pinned (the world's day at 10:00) and the invitations' times are set from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, TOKENS, U } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const ACCEPT = `select public.accept_staff_invitation($1) as r`;
const SECOND = 'second-invitation-token-0123456789abcdef';

describe.each(DB_KINDS)('an invitation never re-admits or demotes a member, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** The world's invitation (patient B's email, receptionist) and a second one (admin, B's phone), both sent an hour ago. */
  const twoInvitations = async (tx: DbTx) => {
    await tx.query(
      `update public.staff_invitations set created_at = private.now() - interval '1 hour' where id = $1`,
      [ID.invitationA],
    );
    await tx.query(
      `insert into public.staff_invitations (clinic_id, role, phone, display_name, token_hash, invited_by, created_at)
       values ($1, 'admin', '+212600000002', 'New Admin', private.hash_token($2), $3, private.now() - interval '1 hour')`,
      [ID.clinicA, SECOND, U.ownerA],
    );
  };
  const member = async (tx: DbTx) =>
    (
      await tx.query<{ role: string; active: boolean; display_name: string }>(
        `select role::text, active, display_name from public.clinic_members where clinic_id = $1 and user_id = $2`,
        [ID.clinicA, U.patientB],
      )
    ).rows;
  const pending = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(
        `select count(*)::int as n from public.staff_invitations
          where clinic_id = $1 and accepted_at is null and revoked_at is null`,
        [ID.clinicA],
      )
    ).rows[0]!.n;

  it('the leftover invitation of a deactivated member is revoked and does not bring them back', () =>
    rolledBack(t.db, async (tx) => {
      await twoInvitations(tx);
      expect((await as<{ role: string }>(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).role).toBe(
        'receptionist',
      );
      await tx.query(
        `update public.clinic_members set active = false where clinic_id = $1 and user_id = $2`,
        [ID.clinicA, U.patientB],
      );
      expect(await pending(tx)).toBe(0);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [SECOND])).toBe('PT404 NOT_FOUND');
      expect(await member(tx)).toEqual([{ role: 'receptionist', active: false, display_name: 'New Recep' }]);
    }));

  it('accepting one invitation revokes the clinic’s other pending invitations to the same person', () =>
    rolledBack(t.db, async (tx) => {
      await twoInvitations(tx);
      await as(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA]);
      expect(await pending(tx)).toBe(0);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [SECOND])).toBe('PT404 NOT_FOUND');
      expect(await member(tx)).toEqual([{ role: 'receptionist', active: true, display_name: 'New Recep' }]);
    }));

  it('an invitation sent before a deactivation never re-admits, even if it escaped the revocation', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(
        `update public.staff_invitations set created_at = private.now() - interval '1 hour' where id = $1`,
        [ID.invitationA],
      );
      await tx.query(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'receptionist', 'B')`,
        [ID.clinicA, U.patientB],
      );
      await tx.query(
        `update public.clinic_members set active = false where clinic_id = $1 and user_id = $2`,
        [ID.clinicA, U.patientB],
      );
      // put the invitation back to pending, as if the revocation had missed it (e.g. sent to an old address)
      await tx.query(`update public.staff_invitations set revoked_at = null where id = $1`, [ID.invitationA]);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
      expect(await member(tx)).toEqual([{ role: 'receptionist', active: false, display_name: 'B' }]);
    }));

  it('removing a member (row deleted) revokes their pending invitation and it does not bring them back', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(
        `update public.staff_invitations set created_at = private.now() - interval '1 hour' where id = $1`,
        [ID.invitationA],
      );
      await tx.query(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'receptionist', 'B')`,
        [ID.clinicA, U.patientB],
      );
      await tx.query(`delete from public.clinic_members where clinic_id = $1 and user_id = $2`, [
        ID.clinicA,
        U.patientB,
      ]);
      expect(await pending(tx)).toBe(0);
      await tx.query(`update public.staff_invitations set revoked_at = null where id = $1`, [ID.invitationA]);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
      expect(await member(tx)).toEqual([]);
    }));

  it('an invitation sent AFTER the deactivation re-admits, with its role, name and room', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name, active) values ($1, $2, 'practitioner', 'B', true)`,
        [ID.clinicA, U.patientB],
      );
      await tx.query(
        `update public.clinic_members set active = false where clinic_id = $1 and user_id = $2`,
        [ID.clinicA, U.patientB],
      );
      await tx.exec(pinWorldDaySql('10:05'));
      await tx.query(
        `insert into public.staff_invitations (clinic_id, role, email, display_name, token_hash, invited_by)
         values ($1, 'receptionist', 'patient.b@test.ma', 'Back Again', private.hash_token($2), $3)`,
        [ID.clinicA, SECOND, U.ownerA],
      );
      expect((await as<{ role: string }>(tx, ACTORS.patientB, ACCEPT, [SECOND])).role).toBe('receptionist');
      expect(await member(tx)).toEqual([{ role: 'receptionist', active: true, display_name: 'Back Again' }]);
    }));

  it('an owner who accepts a receptionist invitation stays an owner; an active member is never demoted', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'owner', 'Dr B')`,
        [ID.clinicA, U.patientB],
      );
      const r = await as<{ role: string }>(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA]);
      expect(r.role).toBe('owner');
      expect(await member(tx)).toEqual([{ role: 'owner', active: true, display_name: 'Dr B' }]);
    }).then(() =>
      rolledBack(t.db, async (tx) => {
        await tx.query(
          `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'admin', 'B')`,
          [ID.clinicA, U.patientB],
        );
        await as(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA]);
        expect(await member(tx)).toEqual([{ role: 'admin', active: true, display_name: 'B' }]);
      }),
    ));

  it('an active receptionist is promoted by an admin invitation (the one change accept makes to a member)', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'receptionist', 'B')`,
        [ID.clinicA, U.patientB],
      );
      await tx.query(`update public.staff_invitations set role = 'admin' where id = $1`, [ID.invitationA]);
      expect((await as<{ role: string }>(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).role).toBe(
        'admin',
      );
      expect(await member(tx)).toEqual([{ role: 'admin', active: true, display_name: 'B' }]);
    }));
});
