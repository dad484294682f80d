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

  /**
   * fix23b: an account of its own (a patient record in clinic A, a sign-in email of its own — "confirmed" at sign-up,
   * as the stack does without proof; sec24a: `signIn` chooses it).
   */
  const stranger = async (tx: DbTx, n: number, signIn = `stranger${n}@attacker.test`): Promise<Actor> => {
    const sub = `c0000000-0000-4000-8000-0000000009${String(n).padStart(2, '0')}`;
    await tx.query(
      `insert into auth.users (id, aud, role, email, email_confirmed_at, encrypted_password, created_at, updated_at)
       values ($1, 'authenticated', 'authenticated', $2, now(), 'x', now(), now())`,
      [sub, signIn],
    );
    await tx.query(`insert into public.patients (clinic_id, user_id, full_name) values ($1, $2, $3)`, [
      ID.clinicA,
      sub,
      `Stranger ${String.fromCharCode(65 + n)}`,
    ]);
    return { name: `stranger${n}`, role: 'authenticated', sub, email: signIn };
  };

  it('review23 M2 / review24 M1: strangers never lock the owner out; 3 accounts a day share an inbox, any further one gets ONE code, counted by its folded key', async () => {
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
      // three accounts used the inbox today: a 4th stranger gets ONE code a day (sec24a; before: none), whatever
      // the spelling of its second
      await setEmail(tx, s3, 'PATIENT.B@test.ma');
      expect(await request(tx, s3)).toMatchObject({ email: 'patient.b@test.ma' });
      await setEmail(tx, s3, 'patient.b+again@test.ma');
      expect(await refused(tx, () => request(tx, s3))).toBe('RATE.LIMITED');
      // the accounts already among the address's three keep their own hourly limit
      expect(await request(tx, s1)).toMatchObject({ email: 'patient.b+1@test.ma.' });
      // the owner's own account still gets its one code (review23: before, RATE.LIMITED hour after hour), and proves it
      await take(tx);
      await setEmail(tx, ACTORS.patientB, 'patient.b@test.ma');
      expect(await request(tx)).toMatchObject({ email: 'patient.b@test.ma' });
      expect(await confirm(tx, await codeFor(tx, 'patient.b@test.ma'))).toMatchObject({ confirmed: true });
      // still refused for the 4th stranger (its one code spent); an unrelated address is not limited by it
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
      // proved: never capped, its own hourly limit only
      expect(await request(tx)).toMatchObject({ email: 'inbox+queue@example.org' });
      // patient A (not proved) is a 4th account: one code, then RATE.LIMITED for the day
      await setEmail(tx, ACTORS.patientA, 'inbox@example.org');
      expect(await request(tx, ACTORS.patientA)).toMatchObject({ email: 'inbox@example.org' });
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

  it('review24 M1: three strangers cannot block a phone-signed patient from proving her address; each further account gets one code a day', async () => {
    await w.rolledBack(async (tx) => {
      // the reviewer's attack: three accounts, one code each, for Salma's address; Salma has no sign-in e-mail
      const strangers = [await stranger(tx, 11), await stranger(tx, 12), await stranger(tx, 13)];
      for (const s of strangers) {
        await setEmail(tx, s, 'salma.a2@example.org');
        await request(tx, s);
      }
      await tx.query(`update auth.users set email = null where id = $1`, [ACTORS.patientB.sub]);
      await take(tx);
      // before: 429 RATE.LIMITED, and again every day the strangers ask
      await setEmail(tx, ACTORS.patientB, 'salma.a2@example.org');
      expect(await request(tx)).toMatchObject({ email: 'salma.a2@example.org' });
      const code = await codeFor(tx, 'salma.a2@example.org');
      // one code a day beyond the cap: a second is refused (whatever else she does, her code still works)
      expect(await refused(tx, () => request(tx))).toBe('RATE.LIMITED');
      // the first three keep their own hourly limit: Salma's single code takes none of their places
      expect(await request(tx, strangers[0])).toMatchObject({ email: 'salma.a2@example.org' });
      // each further account: exactly one code (one confirmed phone and a booking per mail)
      for (const n of [14, 15]) {
        const s = await stranger(tx, n);
        await setEmail(tx, s, 'Salma.A2+x@example.org');
        expect(await request(tx, s)).toMatchObject({ email: 'salma.a2+x@example.org' });
        expect(await refused(tx, () => request(tx, s))).toBe('RATE.LIMITED');
      }
      expect(await confirm(tx, code)).toMatchObject({ confirmed: true, email: 'salma.a2@example.org' });
      // the next day (the database clock) the strangers again: a patient who let her code expire gets another one
      await tx.query(`update private.pinned_clock set at = at + interval '1 day 1 minute'`);
      const late = await stranger(tx, 16);
      for (const s of strangers) await request(tx, s);
      await setEmail(tx, late, 'salma.a2@example.org');
      expect(await request(tx, late)).toMatchObject({ email: 'salma.a2@example.org' });
      await tx.query(`update private.pinned_clock set at = at + interval '20 minutes'`);
      expect(await refused(tx, () => request(tx, late))).toBe('RATE.LIMITED');
      await tx.query(`update private.pinned_clock set at = at + interval '1 day'`);
      for (const s of strangers) await request(tx, s);
      expect(await request(tx, late)).toMatchObject({ email: 'salma.a2@example.org' });
    });
  });

  it('review24 M2b: a sign-in e-mail is no proof — "victim+N@" sign-ups (confirmed at once, unproved) get one code each, never an exemption', async () => {
    await w.rolledBack(async (tx) => {
      const strangers = [await stranger(tx, 21), await stranger(tx, 22), await stranger(tx, 23)];
      for (const s of strangers) {
        await setEmail(tx, s, 'salmaz@gmail.com');
        await request(tx, s);
      }
      // before: each of these was "the owner" (auth.users.email folded to the key, email_confirmed_at set at
      // sign-up without proof) and asked 5 codes an hour, as many accounts as the attacker made
      for (const [n, signIn] of [
        [24, 'salmaz+e1@gmail.com'],
        [25, 'salmaz+e2@gmail.com'],
        [26, 'salmaz@gmail.com'],
      ] as const) {
        const s = await stranger(tx, n, signIn);
        await setEmail(tx, s, signIn);
        expect(await request(tx, s)).toMatchObject({ email: signIn });
        expect([signIn, await refused(tx, () => request(tx, s))]).toEqual([signIn, 'RATE.LIMITED']);
      }
    });
  });

  it("review24 M2a: Gmail's dots, googlemail.com and a quoted local part are one inbox", async () => {
    await w.rolledBack(async (tx) => {
      // the reviewer's spellings: before, four keys (3 accounts each)
      const spellings = [
        'salmaz@gmail.com',
        's.almaz@gmail.com',
        'salmaz@googlemail.com',
        '"salmaz"@gmail.com',
      ];
      for (const [i, e] of spellings.slice(0, 3).entries()) {
        const s = await stranger(tx, 31 + i);
        await setEmail(tx, s, e);
        await request(tx, s);
      }
      const fourth = await stranger(tx, 34);
      await setEmail(tx, fourth, spellings[3]!);
      expect(await request(tx, fourth)).toMatchObject({ email: '"salmaz"@gmail.com' });
      await setEmail(tx, fourth, 'Sal.Maz+q@GoogleMail.com.');
      expect(await refused(tx, () => request(tx, fourth))).toBe('RATE.LIMITED');
      // another domain's dots still count: s.almaz@example.org is a different inbox
      await setEmail(tx, fourth, 's.almaz@example.org');
      expect(await request(tx, fourth)).toMatchObject({ email: 's.almaz@example.org' });
      const key = async (e: string) =>
        (await tx.query<{ k: string }>(`select private.email_rate_key($1) as k`, [e])).rows[0]!.k;
      for (const e of [...spellings, 'S.Al.Maz+x@GoogleMail.COM..', ' "s.almaz"@gmail.com ']) {
        expect([e, await key(e)]).toEqual([e, 'salmaz@gmail.com']);
      }
      expect(await key('"a@b"@gmail.com')).toBe('a@b@gmail.com');
      expect(await key('"o\\\'brien"@example.org')).toBe("o'brien@example.org");
      expect(await key("o'brien.x@gmail.com")).toBe("o'brienx@gmail.com");
      expect(await key('نادية.س+1@gmail.com')).toBe('ناديةس@gmail.com');
      expect(await key('no-at-sign.')).toBe('no-at-sign');
      expect(await key("x'; drop table private.notification_email_codes; --@gmail.com")).toBe(
        "x'; drop table privatenotification_email_codes; --@gmail.com",
      );
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
