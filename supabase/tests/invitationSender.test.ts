/**
 * Attack review of session 16 (20261214700001_invitation_sender_still_admin.sql): a removed admin came back
 * through an invitation they had sent to a second address of their own before the owner removed them.
 * accept_staff_invitation now requires the sender to still be an active owner/admin of the clinic (an owner
 * for an owner's invitation), and removing, deactivating or demoting a member revokes the invitations they
 * sent and nobody accepted yet. Each case is rolled back; nothing depends on the time of day (the world's
 * invitation expires 7 days after the clinic's 10:00).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, TOKENS, U } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const ACCEPT = `select public.accept_staff_invitation($1) as r`;

describe.each(DB_KINDS)('an invitation needs a sender who still administers the clinic, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** The world's invitation (to patient B, receptionist), sent by the co-owner, as role `role`. */
  const sentByCoOwner = (tx: DbTx, role = 'receptionist') =>
    tx.query(
      `update public.staff_invitations set invited_by = $2, role = $3::public.member_role where id = $1`,
      [ID.invitationA, U.coOwnerA, role],
    );
  const revokedAt = async (tx: DbTx) =>
    (
      await tx.query<{ revoked: boolean }>(
        `select revoked_at is not null as revoked from public.staff_invitations where id = $1`,
        [ID.invitationA],
      )
    ).rows[0]!.revoked;
  const isMember = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(
        `select count(*)::int as n from public.clinic_members where clinic_id = $1 and user_id = $2`,
        [ID.clinicA, U.patientB],
      )
    ).rows[0]!.n;

  it('removing the sender revokes the invitation: accepting it afterwards is NOT_FOUND and makes no member', () =>
    rolledBack(t.db, async (tx) => {
      await sentByCoOwner(tx);
      await tx.query(`delete from public.clinic_members where id = $1`, [ID.memberCoOwnerA]);
      expect(await revokedAt(tx)).toBe(true);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
      expect(await isMember(tx)).toBe(0);
    }));

  it('deactivating or demoting the sender revokes it too', () =>
    rolledBack(t.db, async (tx) => {
      await sentByCoOwner(tx);
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberCoOwnerA]);
      expect(await revokedAt(tx)).toBe(true);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
    }).then(() =>
      rolledBack(t.db, async (tx) => {
        await sentByCoOwner(tx);
        await tx.query(`update public.clinic_members set role = 'receptionist' where id = $1`, [
          ID.memberCoOwnerA,
        ]);
        expect(await revokedAt(tx)).toBe(true);
        expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
      }),
    ));

  it("an owner demoted to admin loses only their pending owner invitations; an admin's receptionist invitation stays", () =>
    rolledBack(t.db, async (tx) => {
      await sentByCoOwner(tx, 'owner');
      await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberCoOwnerA]);
      expect(await revokedAt(tx)).toBe(true);
    }).then(() =>
      rolledBack(t.db, async (tx) => {
        await sentByCoOwner(tx, 'receptionist');
        await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberCoOwnerA]);
        expect(await revokedAt(tx)).toBe(false);
        const ok = await as<{ role: string }>(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA]);
        expect(ok.role).toBe('receptionist');
        expect(await isMember(tx)).toBe(1);
      }),
    ));

  it('deleting the sender’s account revokes their invitations (the cascade removes the member)', () =>
    rolledBack(t.db, async (tx) => {
      await sentByCoOwner(tx);
      await tx.query(`delete from auth.users where id = $1`, [U.coOwnerA]);
      expect(await revokedAt(tx)).toBe(true);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
    }));

  it('a sender who lost the right without the trigger (invitation left pending) is still refused at accept', () =>
    rolledBack(t.db, async (tx) => {
      await sentByCoOwner(tx);
      await tx.query(
        `alter table public.clinic_members disable trigger staff_invitations_revoke_with_inviter`,
      );
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberCoOwnerA]);
      await tx.query(
        `alter table public.clinic_members enable trigger staff_invitations_revoke_with_inviter`,
      );
      expect(await revokedAt(tx)).toBe(false);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
      expect(await isMember(tx)).toBe(0);
    }));

  it("another member's removal leaves the invitation alone; the service role's invitations (no sender) are accepted", () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(`delete from public.clinic_members where id = $1`, [ID.memberCoOwnerA]);
      await tx.query(`delete from public.clinic_members where id = $1`, [ID.memberRecepA]);
      expect(await revokedAt(tx)).toBe(false);
      await tx.query(`update public.staff_invitations set invited_by = null where id = $1`, [ID.invitationA]);
      const ok = await as<{ role: string }>(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA]);
      expect(ok.role).toBe('receptionist');
    }));
});
