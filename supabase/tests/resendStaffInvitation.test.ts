/**
 * Issue 17, team19 (20261219300002_resend_staff_invitation.sql): resend_staff_invitation gives a pending or expired
 * invitation a new token (the old link stops working) and 7 days from the database clock, under create's caps
 * counted together (20 pending, 50 a day with resends), by an owner/admin of its clinic only; the message log
 * takes the resend as a new email. On PGlite and PostgreSQL; the database's clock is pinned to 10:00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, TOKENS } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

type Link = { invitation_id: string; token: string; expires_at: string };
const RESEND = `select public.resend_staff_invitation($1::uuid) as r`;
const INVITE = `select public.create_staff_invitation($1::uuid, 'receptionist', 'V', p_email => $2) as r`;
const ACCEPT = `select public.accept_staff_invitation($1) as r`;
const EMAIL_BEGIN = `select public.staff_invitation_email_begin($1::uuid, 'Invitation', 'Join: link') as r`;

describe.each(DB_KINDS)('resend_staff_invitation on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const row = async (tx: DbTx) =>
    (
      await tx.query<{ resends: number; renewed: boolean }>(
        `select resends, expires_at = private.now() + interval '7 days' as renewed
           from public.staff_invitations where id = $1`,
        [ID.invitationA],
      )
    ).rows[0]!;
  const expire = (tx: DbTx) =>
    tx.query(
      `update public.staff_invitations set created_at = private.now() - interval '8 days',
              expires_at = private.now() - interval '1 day' where id = $1`,
      [ID.invitationA],
    );

  it('a new link for 7 days from now; the old token no longer joins, the new one does', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const link = await as<Link>(tx, ACTORS.ownerA, RESEND, [ID.invitationA]);
      expect(link.invitation_id).toBe(ID.invitationA);
      expect(link.token).not.toBe(TOKENS.invitationA);
      expect(await row(tx)).toEqual({ resends: 1, renewed: true });
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
      const joined = await as<{ clinic_id: string }>(tx, ACTORS.patientB, ACCEPT, [link.token]);
      expect(joined.clinic_id).toBe(ID.clinicA);
    }));

  it('an expired invitation is renewed; an accepted or revoked one is refused (409)', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await expire(tx);
      expect(await refused(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA])).toBe('PT404 NOT_FOUND');
      await as(tx, ACTORS.ownerA, RESEND, [ID.invitationA]);
      expect(await row(tx)).toEqual({ resends: 1, renewed: true });
      await tx.query(`update public.staff_invitations set revoked_at = private.now() where id = $1`, [
        ID.invitationA,
      ]);
      expect(await refused(tx, ACTORS.ownerA, RESEND, [ID.invitationA])).toBe('PT409 VALIDATION.FAILED');
      await tx.query(
        `update public.staff_invitations set revoked_at = null, accepted_at = private.now() where id = $1`,
        [ID.invitationA],
      );
      expect(await refused(tx, ACTORS.ownerA, RESEND, [ID.invitationA])).toBe('PT409 VALIDATION.FAILED');
      expect((await row(tx)).resends).toBe(1);
    }));

  it('only an owner/admin of its clinic resends; an admin does not resend an owner’s invitation', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      for (const actor of [ACTORS.recepA, ACTORS.practA])
        expect(await refused(tx, actor, RESEND, [ID.invitationA])).toBe('PT403 AUTH.FORBIDDEN');
      // fix20b: outside the clinic, its invitation is as unknown as a made-up id (no existence oracle)
      for (const actor of [ACTORS.patientA, ACTORS.patientB, ACTORS.ownerB])
        expect(await refused(tx, actor, RESEND, [ID.invitationA])).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.anon, RESEND, [ID.invitationA])).toMatch(/^42501 /);
      expect(await refused(tx, ACTORS.ownerA, RESEND, ['00000000-0000-4000-8000-000000000000'])).toBe(
        'PT404 NOT_FOUND',
      );
      await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberRecepA]);
      await tx.query(`update public.staff_invitations set role = 'owner' where id = $1`, [ID.invitationA]);
      expect(await refused(tx, ACTORS.recepA, RESEND, [ID.invitationA])).toBe('PT403 AUTH.FORBIDDEN');
      expect((await row(tx)).resends).toBe(0);
    }));

  it('the caps of create: an expired one is not made the 21st pending; resends count against the 50 a day', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await expire(tx);
      for (let n = 0; n < 20; n++) await as(tx, ACTORS.ownerA, INVITE, [ID.clinicA, `p${n}@example.test`]);
      expect(await refused(tx, ACTORS.ownerA, RESEND, [ID.invitationA])).toBe('PT429 INVITATION.TOO_MANY');
      // a pending one adds no pending invitation: it may be resent, and each resend is one of the day's 50
      const pendingOne = (
        await tx.query<{ id: string }>(
          `select id from public.staff_invitations where clinic_id = $1 and email = 'p0@example.test'`,
          [ID.clinicA],
        )
      ).rows[0]!.id;
      for (let n = 20; n < 50; n++) await as(tx, ACTORS.ownerA, RESEND, [pendingOne]);
      expect(await refused(tx, ACTORS.ownerA, RESEND, [pendingOne])).toBe('PT429 INVITATION.TOO_MANY');
      await tx.query(`update public.staff_invitations set revoked_at = private.now() where id = $1`, [
        pendingOne,
      ]);
      // …and a new invitation too: the day's 50 are spent by 20 invitations and 30 resends
      expect(await refused(tx, ACTORS.ownerA, INVITE, [ID.clinicA, 'more@example.test'])).toBe(
        'PT429 INVITATION.TOO_MANY',
      );
    }));

  it('the message log takes the resend as a new email; a second send of the same round is a duplicate', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      type Begun = { notification_id: string; duplicate: boolean };
      const first = await as<Begun>(tx, ACTORS.service, EMAIL_BEGIN, [ID.invitationA]);
      expect((await as<Begun>(tx, ACTORS.service, EMAIL_BEGIN, [ID.invitationA])).duplicate).toBe(true);
      await as(tx, ACTORS.ownerA, RESEND, [ID.invitationA]);
      const again = await as<Begun>(tx, ACTORS.service, EMAIL_BEGIN, [ID.invitationA]);
      expect(again.duplicate).toBe(false);
      expect(again.notification_id).not.toBe(first.notification_id);
      expect((await as<Begun>(tx, ACTORS.service, EMAIL_BEGIN, [ID.invitationA])).duplicate).toBe(true);
      const keys = (
        await tx.query<{ k: string }>(
          `select idempotency_key as k from public.notifications where kind = 'staff_invitation' order by 1`,
        )
      ).rows.map((r) => r.k);
      expect(keys).toEqual([
        `staff_invitation_email:${ID.invitationA}`,
        `staff_invitation_email:${ID.invitationA}:1`,
      ]);
    }));
});
