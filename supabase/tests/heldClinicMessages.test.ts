/**
 * Session 18 attack review, finding 1 (20261217800001_held_clinic_messages.sql): a self-made clinic still held for
 * SMS mailed unlimited free text through staff invitations (its own staff_invitation template with a link,
 * 30 uncapped create_staff_invitation, an email branch with no log).
 *   H1 heldClinicBuiltInTexts: while clinics.sms_held a clinic keeps no template of its own (403
 *      TEMPLATE.CLINIC_HELD on save or direct write; set aside when held again, back when approved), and
 *      staff_invitation_delivery answers the built-in text.
 *   H2 invitationCaps: at most 20 pending invitations and 50 created in 24 hours per clinic (429 INVITATION.TOO_MANY).
 *   H3 invitationEmailLogged: staff_invitation_email_begin (service role only) records the email to the
 *      invitation's own address, once per invitation.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const CREATE = `select public.create_clinic(p_name => $1, p_slug => $2) as r`;
const APPROVE = `select public.approve_clinic_sms($1::uuid, $2::boolean) as r`;
const SAVE = `select public.save_notification_template($1::uuid, 'staff_invitation', $2::public.app_language, $3) as r`;
const EVIL = 'URGENT: votre compte est bloqué https://evil.example/login {tracking_url}';
const INVITE = `select public.create_staff_invitation($1::uuid, 'receptionist', 'Victim', p_email => $2) as r`;
const DELIVERY = `select public.staff_invitation_delivery($1::uuid, $2) as r`;
const EMAIL_BEGIN = `select public.staff_invitation_email_begin($1::uuid, 'Invitation', $2) as r`;

type Delivery = { sms_held: boolean; templates: Record<string, string> };

describe.each(DB_KINDS)('held clinics’ messages and staff invitations on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const builtIn = async (tx: DbTx, lang: string) =>
    (
      await tx.query<{ body: string }>(
        `select body from public.notification_templates
          where clinic_id is null and kind = 'staff_invitation' and language = $1`,
        [lang],
      )
    ).rows[0]!.body;
  const ownTemplates = async (tx: DbTx, clinicId: string) =>
    (
      await tx.query<{ n: number }>(
        `select count(*)::int as n from public.notification_templates where clinic_id = $1`,
        [clinicId],
      )
    ).rows[0]!.n;

  it('heldClinicBuiltInTexts: a held clinic saves no text of its own and its invitations carry the built-in one', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const made = await as<{ clinic_id: string }>(tx, ACTORS.ownerB, CREATE, [
        'Cabinet Neuf',
        'cabinet-neuf',
      ]);
      const c = made.clinic_id;
      // the RPC and a direct write of the table are both refused, nothing stored
      expect(await refused(tx, ACTORS.ownerB, SAVE, [c, 'fr', EVIL])).toBe('PT403 TEMPLATE.CLINIC_HELD');
      expect(
        await refused(
          tx,
          ACTORS.ownerB,
          `insert into public.notification_templates (clinic_id, kind, language, body)
           values ($1, 'booking_confirmed', 'fr', 'Free text {ticket}') returning true as r`,
          [c],
        ),
      ).toBe('PT403 TEMPLATE.CLINIC_HELD');
      expect(await ownTemplates(tx, c)).toBe(0);
      // an invitation of the held clinic: the built-in text, and the answer says it is held
      const inv = await as<{ invitation_id: string; token: string }>(tx, ACTORS.ownerB, INVITE, [
        c,
        'victim1@example.test',
      ]);
      const d = await as<Delivery>(tx, ACTORS.ownerB, DELIVERY, [inv.invitation_id, inv.token]);
      expect(d.sms_held).toBe(true);
      expect(d.templates.fr).toBe(await builtIn(tx, 'fr'));

      // approved: the owner edits the texts freely
      await as(tx, ACTORS.service, APPROVE, [c, true]);
      const mine = 'Rejoignez {clinic_name} : {tracking_url}';
      await as(tx, ACTORS.ownerB, SAVE, [c, 'fr', mine]);
      expect(
        (await as<Delivery>(tx, ACTORS.ownerB, DELIVERY, [inv.invitation_id, inv.token])).templates.fr,
      ).toBe(mine);
      // held again: the clinic's texts are set aside (not lost) and the built-in ones go out
      await as(tx, ACTORS.service, APPROVE, [c, false]);
      expect(await ownTemplates(tx, c)).toBe(0);
      expect(
        (await as<Delivery>(tx, ACTORS.ownerB, DELIVERY, [inv.invitation_id, inv.token])).templates.fr,
      ).toBe(await builtIn(tx, 'fr'));
      expect(await refused(tx, ACTORS.ownerB, SAVE, [c, 'fr', mine])).toBe('PT403 TEMPLATE.CLINIC_HELD');
      // approved again: they come back
      await as(tx, ACTORS.service, APPROVE, [c, true]);
      expect(
        (await as<Delivery>(tx, ACTORS.ownerB, DELIVERY, [inv.invitation_id, inv.token])).templates.fr,
      ).toBe(mine);
      // a clinic the operator made is not held: its owner saves as before
      await as(tx, ACTORS.ownerA, SAVE, [ID.clinicA, 'en', 'Join {clinic_name}: {tracking_url}']);
    }));

  it('invitationCaps: 20 pending invitations and 50 a day per clinic, then 429 INVITATION.TOO_MANY', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const pending = async () =>
        (
          await tx.query<{ n: number }>(
            `select count(*)::int as n from public.staff_invitations
              where clinic_id = $1 and accepted_at is null and revoked_at is null`,
            [ID.clinicA],
          )
        ).rows[0]!.n;
      const made = async () =>
        (
          await tx.query<{ n: number }>(
            `select count(*)::int as n from public.staff_invitations where clinic_id = $1`,
            [ID.clinicA],
          )
        ).rows[0]!.n;
      let n = 0;
      const invite = () => as(tx, ACTORS.ownerA, INVITE, [ID.clinicA, `victim${++n}@example.test`]);
      while ((await pending()) < 20) await invite();
      expect(await refused(tx, ACTORS.ownerA, INVITE, [ID.clinicA, 'victim-over@example.test'])).toBe(
        'PT429 INVITATION.TOO_MANY',
      );
      expect(await pending()).toBe(20);
      // revoked ones free the pending cap, not the day's
      const revokeAll = () =>
        tx.query(`update public.staff_invitations set revoked_at = private.now() where clinic_id = $1`, [
          ID.clinicA,
        ]);
      await revokeAll();
      const before = await made();
      for (let i = 0; i < 20; i += 1) await invite();
      await revokeAll();
      // the world's fixture invitations count when they were made in the last 24 hours: fill the day up to 50
      const today = (
        await tx.query<{ n: number }>(
          `select count(*)::int as n from public.staff_invitations
            where clinic_id = $1 and created_at > private.now() - interval '24 hours'`,
          [ID.clinicA],
        )
      ).rows[0]!.n;
      for (let i = today; i < 50; i += 1) await invite();
      expect(await made()).toBeGreaterThan(before);
      expect(await refused(tx, ACTORS.ownerA, INVITE, [ID.clinicA, 'victim-51@example.test'])).toBe(
        'PT429 INVITATION.TOO_MANY',
      );
      // another clinic is not affected
      await as(tx, ACTORS.ownerB, INVITE, [ID.clinicB, 'someone@example.test']);
    }));

  it('invitationEmailLogged: the invitation email is a line of the message log, the server’s only', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      type Begun = { notification_id: string; status: string; duplicate: boolean };
      const first = await as<Begun>(tx, ACTORS.service, EMAIL_BEGIN, [ID.invitationA, 'Join clinic A']);
      expect(first).toMatchObject({ status: 'queued', duplicate: false });
      const row = (
        await tx.query<{ channel: string; kind: string; recipient: string; clinic_id: string }>(
          `select channel, kind, recipient, clinic_id from public.notifications where id = $1`,
          [first.notification_id],
        )
      ).rows[0]!;
      expect(row).toEqual({
        channel: 'email',
        kind: 'staff_invitation',
        recipient: 'patient.b@test.ma',
        clinic_id: ID.clinicA,
      });
      // once per invitation
      expect(await as<Begun>(tx, ACTORS.service, EMAIL_BEGIN, [ID.invitationA, 'again'])).toMatchObject({
        notification_id: first.notification_id,
        duplicate: true,
      });
      // no staff token writes it (the admin proves the invitation with staff_invitation_delivery instead)
      expect(await refused(tx, ACTORS.ownerA, EMAIL_BEGIN, [ID.invitationA, 'free text'])).toMatch(/^42501 /);
    }));
});
