/**
 * mail22 (security, review20 L6): a notification email is proved by QueueMed's OWN code — made and kept hashed by
 * the database (public.request_notification_email_code), mailed by the app's sender from its outbox
 * (public.take_notification_email_codes, service role only), entered back (public.confirm_notification_email).
 * Before, the proof was GoTrue's email_confirmed_at, which the self-hosted stack sets at sign-up for any address.
 * A code cannot be guessed beyond the limit, expires, is single use, is bound to its account and address; anon and
 * other roles get nothing. On PGlite and PostgreSQL, the clock pinned; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxWorld } from './helpers/outbox';
import type { Actor } from './helpers/sql';
import { ACTORS, ID } from './helpers/world';

interface Confirm {
  confirmed: boolean;
  reason?: string;
  email?: string;
}

describe.each(DB_KINDS)('notification email proved by the app’s own code on %s', (kind) => {
  let w: OutboxWorld;
  beforeAll(async () => {
    w = await openOutboxWorld(kind);
  }, 600_000);
  afterAll(async () => {
    await w?.stop();
  });

  const as = <T>(tx: DbTx, actor: Actor, sql: string, params: unknown[] = []) =>
    w.as<T>(tx, actor, sql, params);
  const setEmail = (tx: DbTx, actor: Actor, email: string) =>
    as(tx, actor, `select public.set_my_notification_preferences($1, 'email', $2) as r`, [ID.clinicA, email]);
  const request = (tx: DbTx, actor: Actor = ACTORS.patientB) =>
    as<{ email: string; expires_at: string }>(
      tx,
      actor,
      `select public.request_notification_email_code($1) as r`,
      [ID.clinicA],
    );
  const confirm = (tx: DbTx, code: string, actor: Actor = ACTORS.patientB) =>
    as<Confirm>(tx, actor, `select public.confirm_notification_email($1, $2) as r`, [ID.clinicA, code]);
  /** What the app's sender takes from the outbox (each mail once). */
  const take = (tx: DbTx) =>
    as<{ email: string; code: string; language: string; clinic_name: string }[]>(
      tx,
      ACTORS.service,
      `select coalesce(jsonb_agg(to_jsonb(t)), '[]') as r from public.take_notification_email_codes() t`,
    );
  const codeFor = async (tx: DbTx, email: string) => {
    const mails = (await take(tx)).filter((m) => m.email === email);
    expect(mails).toHaveLength(1);
    return mails[0]!.code;
  };
  const proved = async (tx: DbTx, actor: Actor = ACTORS.patientB) =>
    (
      await as<{ email_confirmed: boolean }>(
        tx,
        actor,
        `select public.get_my_notification_preferences($1) as r`,
        [ID.clinicA],
      )
    ).email_confirmed;
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
  const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('the code is mailed through the outbox (kept hashed), proves the address once, and is single use', async () => {
    await w.rolledBack(async (tx) => {
      await setEmail(tx, ACTORS.patientB, 'Bruno@Example.org');
      expect(await request(tx)).toMatchObject({ email: 'bruno@example.org' });
      const code = await codeFor(tx, 'bruno@example.org');
      expect(code).toMatch(/^\d{6}$/);
      // taken once: the plain code is no longer anywhere; the table keeps its hash only
      expect(await take(tx)).toEqual([]);
      const { rows } = await tx.query<{ n: number }>(
        `select count(*)::int as n from private.notification_email_codes
          where code_hash = private.hash_token($1) and encode(code_hash, 'escape') <> $1`,
        [code],
      );
      expect(rows[0]!.n).toBe(1);
      expect(await proved(tx)).toBe(false);
      expect(await confirm(tx, code)).toEqual({ confirmed: true, email: 'bruno@example.org' });
      expect(await proved(tx)).toBe(true);
      // single use: entered again it is no code (the address stays proved)
      expect(await confirm(tx, code)).toEqual({ confirmed: false, reason: 'invalid' });
      // proved: asking again is refused with its own code
      expect(await refused(tx, () => request(tx))).toBe('EMAIL_PROOF.ALREADY_PROVED');
    });
  });

  it('five wrong codes drop it: the right one is refused after, and the wrong attempts stay counted', async () => {
    await w.rolledBack(async (tx) => {
      await setEmail(tx, ACTORS.patientB, 'bruno@example.org');
      await request(tx);
      const code = await codeFor(tx, 'bruno@example.org');
      for (let i = 0; i < 4; i++)
        expect(await confirm(tx, other(code))).toEqual({ confirmed: false, reason: 'invalid' });
      expect(await confirm(tx, other(code))).toEqual({ confirmed: false, reason: 'too_many' });
      expect(await confirm(tx, code)).toEqual({ confirmed: false, reason: 'invalid' });
      expect(await proved(tx)).toBe(false);
      // a new code works; the earlier one (if it were still live) is replaced by it
      await request(tx);
      const fresh = await codeFor(tx, 'bruno@example.org');
      expect(await confirm(tx, fresh)).toMatchObject({ confirmed: true });
    });
  });

  it('asking again replaces the live code; 5 codes an hour per account and per address, then RATE.LIMITED', async () => {
    await w.rolledBack(async (tx) => {
      await setEmail(tx, ACTORS.patientB, 'bruno@example.org');
      await request(tx);
      const first = await codeFor(tx, 'bruno@example.org');
      await request(tx);
      const second = await codeFor(tx, 'bruno@example.org');
      if (first !== second) expect(await confirm(tx, first)).toEqual({ confirmed: false, reason: 'invalid' });
      for (let i = 0; i < 3; i++) await request(tx);
      expect(await refused(tx, () => request(tx))).toBe('RATE.LIMITED');
      // another account asking for the same stranger's address is limited by the address too
      await tx.query(`delete from private.notification_email_codes where user_id = $1`, [
        ACTORS.patientB.sub,
      ]);
      await setEmail(tx, ACTORS.patientA, 'target@example.org');
      for (let i = 0; i < 5; i++) await request(tx, ACTORS.patientA);
      await setEmail(tx, ACTORS.patientB, 'target@example.org');
      expect(await refused(tx, () => request(tx))).toBe('RATE.LIMITED');
      // an hour later (the database clock) it may ask again
      await tx.query(`update private.pinned_clock set at = at + interval '61 minutes'`);
      expect(await request(tx)).toMatchObject({ email: 'target@example.org' });
    });
  });

  it('a code expires after 15 minutes', async () => {
    await w.rolledBack(async (tx) => {
      await setEmail(tx, ACTORS.patientB, 'bruno@example.org');
      await request(tx);
      const code = await codeFor(tx, 'bruno@example.org');
      await tx.query(`update private.pinned_clock set at = at + interval '15 minutes 1 second'`);
      expect(await confirm(tx, code)).toEqual({ confirmed: false, reason: 'expired' });
      expect(await proved(tx)).toBe(false);
    });
  });

  it("another account's code proves nothing; a code is bound to the address it was sent to", async () => {
    await w.rolledBack(async (tx) => {
      // patient A asks for a code for the address patient B also typed
      await setEmail(tx, ACTORS.patientA, 'shared@example.org');
      await setEmail(tx, ACTORS.patientB, 'shared@example.org');
      await request(tx, ACTORS.patientA);
      const codeA = await codeFor(tx, 'shared@example.org');
      expect(await confirm(tx, codeA, ACTORS.patientB)).toEqual({ confirmed: false, reason: 'invalid' });
      expect(await proved(tx, ACTORS.patientB)).toBe(false);
      // B's own code, then B changes the address before entering it: the code no longer proves anything
      await request(tx, ACTORS.patientB);
      const codeB = await codeFor(tx, 'shared@example.org');
      await setEmail(tx, ACTORS.patientB, 'elsewhere@example.org');
      expect(await confirm(tx, codeB, ACTORS.patientB)).toEqual({ confirmed: false, reason: 'invalid' });
      expect(await proved(tx, ACTORS.patientB)).toBe(false);
      // A's own code still works for A
      expect(await confirm(tx, codeA, ACTORS.patientA)).toMatchObject({ confirmed: true });
      expect(await proved(tx, ACTORS.patientA)).toBe(true);
    });
  });

  it('anon, staff and patients cannot reach the codes, the outbox or the proofs; no address, no code', async () => {
    await w.rolledBack(async (tx) => {
      for (const sql of [
        `select public.request_notification_email_code('${ID.clinicA}') as r`,
        `select public.confirm_notification_email('${ID.clinicA}', '123456') as r`,
      ]) {
        expect(await refused(tx, () => as(tx, ACTORS.anon, sql))).toMatch(/permission denied/);
      }
      for (const actor of [ACTORS.anon, ACTORS.patientB, ACTORS.ownerA]) {
        expect(
          await refused(tx, () =>
            as(tx, actor, `select count(*) as r from public.take_notification_email_codes()`),
          ),
        ).toMatch(/permission denied/);
        for (const table of [
          'notification_email_codes',
          'notification_email_code_mail',
          'notification_email_proofs',
        ]) {
          expect(
            await refused(tx, () => as(tx, actor, `select count(*) as r from private.${table}`)),
          ).toMatch(/permission denied/);
        }
        expect(
          await refused(tx, () =>
            as(
              tx,
              actor,
              `insert into private.notification_email_proofs (user_id, email, proved_at)
               values ('${ACTORS.patientB.sub}', 'x@example.org', now()) returning 1 as r`,
            ),
          ),
        ).toMatch(/permission denied/);
      }
      // no notification address saved: nothing to prove; staff have no patient record here
      await tx.query(`update public.patients set email = null where id = $1`, [ID.patientRecB]);
      expect(await refused(tx, () => request(tx))).toBe('EMAIL_PROOF.NO_ADDRESS');
      expect(await refused(tx, () => request(tx, ACTORS.ownerA))).toBe('NOT_FOUND');
      // malformed input is a wrong code, never an error beyond VALIDATION.FAILED
      await setEmail(tx, ACTORS.patientB, 'bruno@example.org');
      await request(tx);
      expect(await confirm(tx, "1' or '1'='1")).toEqual({ confirmed: false, reason: 'invalid' });
      expect(await confirm(tx, '١٢٣٤٥٦')).toEqual({ confirmed: false, reason: 'invalid' });
      expect(await refused(tx, () => confirm(tx, '9'.repeat(40)))).toBe('VALIDATION.FAILED');
    });
  });
});
