/**
 * email18 (security): the clinic's messages go only to an email address the patient PROVED — since mail22 with
 * QueueMed's own code (proveEmail records what entering it leaves; notificationEmailOwnCode.test.ts drives the code
 * itself), no longer GoTrue's email_confirmed_at, which a self-hosted sign-up sets without proof. Before, any
 * address typed into set_my_notification_preferences was mailed: a patient could aim a clinic's confirmations and
 * queue messages at a stranger. The rule lives in private.notification_route, the one gate of every sender: an
 * unproved address is passed over (SMS takes the message); with nothing else the message is skipped with reason
 * `email_not_confirmed` in the message log. On PGlite and PostgreSQL, the clock pinned; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxItem, OutboxWorld } from './helpers/outbox';
import { proveEmail } from './helpers/provedEmail';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, PHONES } from './helpers/world';

type Routed = OutboxItem & { channel: 'sms' | 'email' | null; email: string | null };
interface Prefs {
  channel: string | null;
  email: string | null;
  email_confirmed: boolean;
}

describe.each(DB_KINDS)('notification email proof on %s', (kind) => {
  let w: OutboxWorld;
  beforeAll(async () => {
    w = await openOutboxWorld(kind);
  }, 600_000);
  afterAll(async () => {
    await w?.stop();
  });

  const as = <T>(tx: DbTx, actor: Actor, sql: string, params: unknown[] = []) =>
    w.as<T>(tx, actor, sql, params);
  const setPrefs = (tx: DbTx, channel: 'sms' | 'email' | null, email: string | null) =>
    as<Prefs>(
      tx,
      ACTORS.patientB,
      `select public.set_my_notification_preferences($1, $2::public.notification_channel, $3) as r`,
      [ID.clinicA, channel, email],
    );
  const mine = (tx: DbTx) =>
    as<Prefs>(tx, ACTORS.patientB, `select public.get_my_notification_preferences($1) as r`, [ID.clinicA]);
  const outbox = async (tx: DbTx, entryId: string) =>
    (
      await as<Routed[]>(tx, ACTORS.service, `select public.notification_outbox(p_min_age_seconds => 0) as r`)
    ).filter((i) => i.entry_id === entryId);
  /** What the send path (edge functions, with the service key — secmisc18 made the RPC service-only) and the
   *  email sender are told for the visit. */
  const recipient = (tx: DbTx, entryId: string) =>
    as<{ channel: string | null; email: string | null }>(
      tx,
      ACTORS.service,
      `select public.notification_recipient($1, $2) as r`,
      [ID.clinicA, entryId],
    );
  const log = async (tx: DbTx, entryId: string) =>
    (
      await tx.query<{ status: string; skip_reason: string | null; recipient: string | null }>(
        `select status, skip_reason, recipient from public.notifications where entry_id = $1 order by id`,
        [entryId],
      )
    ).rows;
  const refused = async (tx: DbTx, fn: () => Promise<unknown>): Promise<string> => {
    await tx.query('savepoint refused');
    try {
      await fn();
    } catch (e) {
      await tx.query('rollback to savepoint refused');
      return e instanceof Error ? e.message : String(e);
    }
    throw new Error('expected an error');
  };
  const emailBegin = (tx: DbTx, entryId: string, to: string) =>
    as<{ notification_id: string }>(
      tx,
      ACTORS.service,
      `select public.notification_email_begin($1, $2, 'booking_confirmed', $3, $4, 'S', 'B') as r`,
      [ID.clinicA, `booking_confirmed:${entryId}`, entryId, to],
    );

  it('an address the patient did not prove is never mailed: nothing sent, the skip recorded as email_not_confirmed', async () => {
    await w.rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      // a patient reached only by email (no phone on the record) types a stranger's address
      await tx.query(`update public.patients set phone = null where id = $1`, [ID.patientRecB]);
      expect(await setPrefs(tx, 'email', 'Stranger@Example.org')).toMatchObject({
        channel: 'email',
        email: 'stranger@example.org',
        email_confirmed: false,
      });
      expect(await mine(tx)).toMatchObject({ email: 'stranger@example.org', email_confirmed: false });
      expect(await recipient(tx, booked.entry_id)).toMatchObject({ channel: null, email: null });
      // the sender may not record an email to it either
      expect(await refused(tx, () => emailBegin(tx, booked.entry_id, 'stranger@example.org'))).toBe(
        'VALIDATION.FAILED',
      );
      // the outbox records the message as skipped, with the reason, and owes nothing more
      expect(await outbox(tx, booked.entry_id)).toEqual([]);
      expect(await log(tx, booked.entry_id)).toEqual([
        { status: 'skipped', skip_reason: 'email_not_confirmed', recipient: null },
      ]);
    });
  });

  it('an unproved address chosen by a patient with a phone: the message goes by SMS, never to the address', async () => {
    await w.rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await setPrefs(tx, 'email', 'stranger@example.org');
      expect((await outbox(tx, booked.entry_id))[0]).toMatchObject({
        channel: 'sms',
        phone: PHONES.patientB,
        email: null,
      });
      expect(await recipient(tx, booked.entry_id)).toMatchObject({ channel: 'sms', email: null });
    });
  });

  it('proved, the address is mailed; typing another un-confirms it; the account changing its email leaves the old one unproved', async () => {
    await w.rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await tx.query(`update public.patients set phone = null where id = $1`, [ID.patientRecB]);
      // chosen first, proved after (the code entered): mail flows without saving again
      expect((await setPrefs(tx, 'email', 'bruno@example.org')).email_confirmed).toBe(false);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      expect(await mine(tx)).toMatchObject({ email: 'bruno@example.org', email_confirmed: true });
      expect((await outbox(tx, booked.entry_id))[0]).toMatchObject({
        channel: 'email',
        email: 'bruno@example.org',
      });
      expect(await recipient(tx, booked.entry_id)).toMatchObject({
        channel: 'email',
        email: 'bruno@example.org',
      });
      // another address: unproved at once
      expect(await setPrefs(tx, 'email', 'other@example.org')).toMatchObject({ email_confirmed: false });
      expect(await recipient(tx, booked.entry_id)).toMatchObject({ channel: null, email: null });
      // back to the proved one: the account proved it, no new code needed (mail22: proofs are kept per address)
      expect(await setPrefs(tx, 'email', 'bruno@example.org')).toMatchObject({ email_confirmed: true });
      // proving another address does not un-prove this one; choosing it needs its own proof
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno.new@example.org');
      expect(await mine(tx)).toMatchObject({ email: 'bruno@example.org', email_confirmed: true });
      expect(await setPrefs(tx, 'email', 'bruno.other@example.org')).toMatchObject({
        email_confirmed: false,
      });
      expect(await recipient(tx, booked.entry_id)).toMatchObject({ channel: null, email: null });
    });
  });

  it("the account's GoTrue-confirmed email is no proof (a self-hosted sign-up confirms at once); the app's proof counts only for the record of that account", async () => {
    await w.rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await tx.query(`update public.patients set phone = null where id = $1`, [ID.patientRecB]);
      // mail22 (review20 L6): the account's own email with email_confirmed_at — what `npm start` sets at sign-up
      // for any address typed — does not let the clinic mail it
      await tx.query(
        `update auth.users set email = 'Bruno@Example.org', email_confirmed_at = now() where id = $1`,
        [ACTORS.patientB.sub],
      );
      expect(await setPrefs(tx, 'email', 'bruno@example.org')).toMatchObject({ email_confirmed: false });
      expect(await recipient(tx, booked.entry_id)).toMatchObject({ channel: null, email: null });
      // the app's own code entered: proved
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      expect(await mine(tx)).toMatchObject({ email_confirmed: true });
      expect(await recipient(tx, booked.entry_id)).toMatchObject({
        channel: 'email',
        email: 'bruno@example.org',
      });
      // patient A's proved address on patient B's record is not B's proof
      await proveEmail(tx, ACTORS.patientA.sub, 'amina@example.org');
      expect(await setPrefs(tx, 'email', 'amina@example.org')).toMatchObject({ email_confirmed: false });
      // a record without an account (a walk-in) has no proved address, even one some account proved
      await setPrefs(tx, 'email', 'bruno@example.org');
      expect(await recipient(tx, booked.entry_id)).toMatchObject({ channel: 'email' });
      await tx.query(`update public.patients set user_id = null where id = $1`, [ID.patientRecB]);
      expect(await recipient(tx, booked.entry_id)).toMatchObject({ channel: null, email: null });
    });
  });

  it('a patient cannot prove an address from the browser: auth.users and the proof function are out of reach', async () => {
    await w.rolledBack(async (tx) => {
      for (const actor of [ACTORS.patientB, ACTORS.anon]) {
        expect(
          await refused(tx, () =>
            as(
              tx,
              actor,
              `update auth.users set email = 'stranger@example.org', email_confirmed_at = now() where id = $1 returning 1 as r`,
              [ACTORS.patientB.sub],
            ),
          ),
        ).toMatch(/permission denied/);
        expect(
          await refused(tx, () =>
            as(
              tx,
              actor,
              `select private.notification_email_confirmed(p) as r from public.patients p limit 1`,
            ),
          ),
        ).toMatch(/permission denied/);
      }
    });
  });
});
