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

  it('asking again replaces the live code; 5 codes an hour per account, then RATE.LIMITED', async () => {
    await w.rolledBack(async (tx) => {
      await setEmail(tx, ACTORS.patientB, 'bruno@example.org');
      await request(tx);
      const first = await codeFor(tx, 'bruno@example.org');
      await request(tx);
      const second = await codeFor(tx, 'bruno@example.org');
      if (first !== second) expect(await confirm(tx, first)).toEqual({ confirmed: false, reason: 'invalid' });
      for (let i = 0; i < 3; i++) await request(tx);
      expect(await refused(tx, () => request(tx))).toBe('RATE.LIMITED');
      // another address does not reset it: the limit is the account's
      await setEmail(tx, ACTORS.patientB, 'target@example.org');
      expect(await refused(tx, () => request(tx))).toBe('RATE.LIMITED');
      // an hour later (the database clock) it may ask again
      await tx.query(`update private.pinned_clock set at = at + interval '61 minutes'`);
      expect(await request(tx)).toMatchObject({ email: 'target@example.org' });
    });
  });

  /** fix23b: an account of its own (a patient record in clinic A, an unconfirmed sign-in email of its own). */
  const stranger = async (tx: DbTx, n: number): Promise<Actor> => {
    const sub = `c0000000-0000-4000-8000-0000000009${String(n).padStart(2, '0')}`;
    await tx.query(
      `insert into auth.users (id, aud, role, email, email_confirmed_at, encrypted_password, created_at, updated_at)
       values ($1, 'authenticated', 'authenticated', $2, now(), 'x', now(), now())`,
      [sub, `stranger${n}@attacker.test`],
    );
    await tx.query(`insert into public.patients (clinic_id, user_id, full_name) values ($1, $2, $3)`, [
      ID.clinicA,
      sub,
      `Stranger ${String.fromCharCode(65 + n)}`,
    ]);
    return { name: `stranger${n}`, role: 'authenticated', sub, email: `stranger${n}@attacker.test` };
  };

  it('review23 M2: strangers asking codes for an address never lock its owner out; one inbox gets at most 3 accounts a day, counted by its folded key', async () => {
    await w.rolledBack(async (tx) => {
      // the attack of review23: another account spends 5 codes an hour on the victim's address (Bruno's sign-in
      // email) and more strangers follow, the address spelt differently (+tag, upper case, a trailing dot)
      await setEmail(tx, ACTORS.patientA, 'patient.b@test.ma');
      for (let i = 0; i < 5; i++) await request(tx, ACTORS.patientA);
      expect(await refused(tx, () => request(tx, ACTORS.patientA))).toBe('RATE.LIMITED');
      const s1 = await stranger(tx, 1);
      const s2 = await stranger(tx, 2);
      const s3 = await stranger(tx, 3);
      await setEmail(tx, s1, 'Patient.B+1@Test.ma.');
      expect(await request(tx, s1)).toMatchObject({ email: 'patient.b+1@test.ma.' });
      await setEmail(tx, s2, 'patient.b+promo@test.ma');
      expect(await request(tx, s2)).toMatchObject({ email: 'patient.b+promo@test.ma' });
      // three accounts used the inbox today: a 4th stranger is refused, whatever the spelling
      await setEmail(tx, s3, 'PATIENT.B@test.ma');
      expect(await refused(tx, () => request(tx, s3))).toBe('RATE.LIMITED');
      await setEmail(tx, s3, 'patient.b+again@test.ma');
      expect(await refused(tx, () => request(tx, s3))).toBe('RATE.LIMITED');
      // the accounts already among the address's three keep their own hourly limit
      expect(await request(tx, s1)).toMatchObject({ email: 'patient.b+1@test.ma.' });
      // the owner's own account still gets a code (before: RATE.LIMITED, hour after hour), and proves it
      await take(tx);
      await setEmail(tx, ACTORS.patientB, 'patient.b@test.ma');
      expect(await request(tx)).toMatchObject({ email: 'patient.b@test.ma' });
      expect(await confirm(tx, await codeFor(tx, 'patient.b@test.ma'))).toMatchObject({ confirmed: true });
      // still refused for the 4th stranger; an unrelated address is not limited by it
      expect(await refused(tx, () => request(tx, s3))).toBe('RATE.LIMITED');
      await setEmail(tx, s3, 'someone.else@example.org');
      expect(await request(tx, s3)).toMatchObject({ email: 'someone.else@example.org' });
      // a day later (the database clock) the address serves other accounts again
      await tx.query(`update private.pinned_clock set at = at + interval '1 day 1 minute'`);
      await setEmail(tx, s3, 'patient.b@test.ma');
      expect(await request(tx, s3)).toMatchObject({ email: 'patient.b@test.ma' });
    });
  });

  it('review23 M2: an address the account proved before is its own (never refused by the 3-account cap)', async () => {
    await w.rolledBack(async (tx) => {
      // Bruno proves his inbox with one spelling, then types another spelling of it in another clinic record
      await setEmail(tx, ACTORS.patientB, 'inbox@example.org');
      await request(tx);
      expect(await confirm(tx, await codeFor(tx, 'inbox@example.org'))).toMatchObject({ confirmed: true });
      // a day later, three strangers use the inbox (Bruno's own request no longer counts among them)
      await tx.query(`update private.pinned_clock set at = at + interval '1 day 1 minute'`);
      const strangers = [await stranger(tx, 4), await stranger(tx, 5), await stranger(tx, 6)];
      for (const s of strangers) {
        await setEmail(tx, s, 'inbox+x@example.org');
        await request(tx, s);
      }
      await setEmail(tx, ACTORS.patientB, 'Inbox+Queue@example.org');
      expect(await request(tx)).toMatchObject({ email: 'inbox+queue@example.org' });
      // patient A (neither its sign-in email nor proved) is the 4th stranger: refused
      await setEmail(tx, ACTORS.patientA, 'inbox@example.org');
      expect(await refused(tx, () => request(tx, ACTORS.patientA))).toBe('RATE.LIMITED');
    });
  });

  it('review23 M2: the counted key folds case, blanks, trailing dots and a +tag, nothing else', async () => {
    await w.rolledBack(async (tx) => {
      const key = async (e: string) =>
        (await tx.query<{ k: string }>(`select private.email_rate_key($1) as k`, [e])).rows[0]!.k;
      expect(await key(' Victim+1@Example.org. ')).toBe('victim@example.org');
      expect(await key('victim@example.org..')).toBe('victim@example.org');
      expect(await key('victim+a+b@example.org')).toBe('victim@example.org');
      expect(await key('v.ictim@example.org')).toBe('v.ictim@example.org');
      expect(await key("o'brien+x@example.org")).toBe("o'brien@example.org");
      expect(await key('نادية+1@example.ma')).toBe('نادية@example.ma');
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
