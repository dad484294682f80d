/**
 * fix25 (review25 L2, 20261225500002_email_domain_ascii.sql): a stored notification or invitation e-mail address
 * holds no invisible character and an ASCII domain. set_my_notification_preferences accepted "amine@ｇｍａｉｌ.com",
 * "amine@gm<U+00AD>ail.com", "amine@gmail.com<U+200B>", "amine@gmail.com<U+00A0>" (stored as typed: one rate key per
 * variant, one inbox behind them all at a provider that maps IDNA). Now 422 EMAIL.DOMAIN_NOT_ASCII, nothing written;
 * punycode is stored; a row stored before keeps being updatable (a trigger on the written column, no CHECK).
 * On PGlite and PostgreSQL; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxWorld } from './helpers/outbox';
import { ACTORS, ID, U } from './helpers/world';

const REFUSED = [
  'amine@ｇｍａｉｌ.com',
  'amine@gm\u00adail.com',
  'amine@gmail.com\u200b',
  'amine@gmail.com\u00a0',
  'amine@gmail\u200c.com',
  'amine@gmail\u200d.com',
  'amine@gmail\u2060.com',
  'amine@gm\ufeffail.com',
  'amine@مثال.ma',
  'am\u200bine@gmail.com',
  "amine@gmail.com';drop-table-public.patients;--",
];
const STORED = [
  'amine@gmail.com',
  'amine@xn--mgbh0fb.ma',
  'amine.o+rdv@sub-domain.example.ma',
  'أمين@gmail.com',
];

describe.each(DB_KINDS)('e-mail domains in ASCII, no invisible characters (fix25) on %s', (kind) => {
  let w: OutboxWorld;
  beforeAll(async () => {
    w = await openOutboxWorld(kind);
  }, 600_000);
  afterAll(async () => {
    await w?.stop();
  });

  const setPrefs = (tx: DbTx, email: string) =>
    w.as(tx, ACTORS.patientB, `select public.set_my_notification_preferences($1, 'email', $2) as r`, [
      ID.clinicA,
      email,
    ]);
  const refused = async (tx: DbTx, fn: () => Promise<unknown>): Promise<string> => {
    await tx.query('savepoint refused');
    try {
      await fn();
    } catch (e) {
      await tx.query('rollback to savepoint refused');
      return e instanceof Error ? e.message : String(e);
    }
    await tx.query('release savepoint refused');
    return 'stored';
  };
  const storedEmail = async (tx: DbTx) =>
    (
      await tx.query<{ email: string | null }>(
        `select email from public.patients where clinic_id = $1 and user_id = $2`,
        [ID.clinicA, U.patientB],
      )
    ).rows[0]!.email;

  it('the patient’s own address: each invisible or non-ASCII domain is refused with EMAIL.DOMAIN_NOT_ASCII, nothing written; ASCII and punycode are stored', () =>
    w.rolledBack(async (tx) => {
      const before = await storedEmail(tx);
      const wrong: string[] = [];
      for (const email of REFUSED) {
        const got = await refused(tx, () => setPrefs(tx, email));
        if (!got.includes('EMAIL.DOMAIN_NOT_ASCII')) wrong.push(`${JSON.stringify(email)}: ${got}`);
      }
      expect(wrong).toEqual([]);
      expect(await storedEmail(tx)).toBe(before);
      for (const email of STORED) {
        await setPrefs(tx, email);
        expect(await storedEmail(tx)).toBe(email);
      }
    }));

  it('a staff invitation by e-mail is refused the same way', () =>
    w.rolledBack(async (tx) => {
      const invite = (email: string) =>
        tx.query(
          `insert into public.staff_invitations (clinic_id, role, email, display_name, token_hash, invited_by)
           values ($1, 'receptionist', $2, 'Nadia Com', private.hash_token($3), $4)`,
          [ID.clinicA, email, `fix25-${email}`, U.ownerA],
        );
      for (const email of ['nadia@ｇｍａｉｌ.com', 'nadia@gm\u00adail.com', 'nadia@gmail.com\u200b'])
        expect(await refused(tx, () => invite(email)), JSON.stringify(email)).toMatch(
          /EMAIL\.DOMAIN_NOT_ASCII/,
        );
      expect(await refused(tx, () => invite('nadia@xn--mgbh0fb.ma'))).toBe('stored');
    }));

  it('a row stored before with such an address stays updatable (opt-out), and is judged again only when changed', () =>
    w.rolledBack(async (tx) => {
      await tx.query(`alter table public.patients disable trigger patients_email_domain`);
      await tx.query(`update public.patients set email = $3 where clinic_id = $1 and user_id = $2`, [
        ID.clinicA,
        U.patientB,
        'amine@ｇｍａｉｌ.com',
      ]);
      await tx.query(`alter table public.patients enable trigger patients_email_domain`);
      await tx.query(
        `update public.patients set email_opt_out = true where clinic_id = $1 and user_id = $2`,
        [ID.clinicA, U.patientB],
      );
      expect(await storedEmail(tx)).toBe('amine@ｇｍａｉｌ.com');
      expect(await refused(tx, () => setPrefs(tx, 'amine@ｇｍａｉｌ.com\u200b'))).toMatch(
        /EMAIL\.DOMAIN_NOT_ASCII/,
      );
    }));
});
