/**
 * Session 17 attack review, the waiting-room kiosk (20261216200001_kiosk_devices.sql, docs/security.md "The
 * waiting-room kiosk"): the kiosk held a receptionist's session and kiosk_check_in took any guessed ticket
 * (A-1 … A-N) or the last 9 phone digits alone. Now a kiosk runs on a paired device token (clinic-scoped, hashed,
 * revocable, good for the kiosk RPCs only) and a check-in needs the ticket AND the last 4 digits of the patient's
 * phone; wrong answers lock the ticket (5 in 10 min) and then the clinic's kiosk (20 in 10 min). The world: clinic
 * A's today has A-001 (patient A, +212600000001, scheduled at 00:00) and A-002 (patient B, +212600000002, waiting);
 * clinic B's today has its own A-001 (a walk-in with patient A's phone). The database's clock is pinned to 10:00 of
 * the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import type { Actor } from './helpers/sql';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const PAIR = `select public.pair_kiosk($1, $2) as r`;
const CHECK_IN = `select public.kiosk_check_in($1, $2, $3) as r`;
const HELLO = `select public.get_kiosk($1) as r`;
const REVOKE = `select public.revoke_kiosk($1) as r`;

type Paired = { id: string; label: string; token: string };
type Answer = {
  found: boolean;
  ticket?: string;
  status?: string;
  position?: number | null;
  entry_id?: string;
};

describe.each(DB_KINDS)('the waiting-room kiosk on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const pair = (tx: DbTx, actor: Actor = ACTORS.recepA, clinic: string = ID.clinicA) =>
    as<Paired>(tx, actor, PAIR, [clinic, 'Entrance']);
  // the kiosk calls as anon: no staff session on the tablet
  const checkIn = (tx: DbTx, token: string, ticket: string, digits: string) =>
    as<Answer>(tx, ACTORS.anon, CHECK_IN, [token, ticket, digits]);
  const statusOf = async (tx: DbTx, entry: string) =>
    (
      await tx.query<{ s: string }>('select status::text as s from public.queue_entries where id = $1', [
        entry,
      ])
    ).rows[0]!.s;
  const advance = (tx: DbTx, interval: string) =>
    tx.query(`update private.pinned_clock set at = at + $1::interval`, [interval]);

  it('kioskNeedsTicketAndPhoneDigits: the ticket and the last 4 phone digits check in, from a kiosk token with no staff session', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const { token } = await pair(tx);
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      // only the hash is stored
      const { rows } = await tx.query<{ n: number }>(
        `select count(*)::int as n from public.kiosk_devices where token_hash = private.hash_token($1)`,
        [token],
      );
      expect(rows[0]!.n).toBe(1);
      expect(await as(tx, ACTORS.anon, HELLO, [token])).toMatchObject({
        clinic_id: ID.clinicA,
        label: 'Entrance',
      });

      const v0 = (
        await tx.query<{ v: number }>('select version as v from public.queues where id = $1', [ID.queueA])
      ).rows[0]!.v;
      const done = await checkIn(tx, token, 'a-001', '0001');
      expect(done).toMatchObject({ found: true, ticket: 'A-001', status: 'waiting', entry_id: ID.entryA });
      expect(await statusOf(tx, ID.entryA)).toBe('waiting');
      const { rows: ev } = await tx.query<{ by: string; v: number }>(
        `select e.payload ->> 'by' as by, q.version as v from public.queue_events e join public.queues q on q.id = e.queue_id
          where e.entry_id = $1 and e.type = 'PatientCheckedIn'`,
        [ID.entryA],
      );
      expect(ev).toEqual([{ by: 'kiosk', v: v0 + 1 }]);
      // the same answer again (already waiting): found, nothing changes
      expect(await checkIn(tx, token, '1', '0001')).toMatchObject({ found: true, status: 'waiting' });
      // A-002's own digits, the short forms of its ticket
      expect(await checkIn(tx, token, 'A2', '0002')).toMatchObject({ found: true, ticket: 'A-002' });
    }));

  it('kioskNeedsTicketAndPhoneDigits: a ticket alone, a phone alone or the wrong digits check no one in, and never say whether the ticket exists', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const { token } = await pair(tx);
      const wrongDigits = await checkIn(tx, token, 'A-001', '0002');
      const unknownTicket = await checkIn(tx, token, 'A-099', '0001');
      expect(wrongDigits).toEqual({ found: false });
      expect(unknownTicket).toEqual(wrongDigits);
      // the old kiosk's phone-only check-in (last 9 digits) and a ticket with no digits are refused as input
      for (const [ticket, digits] of [
        ['600000001', '0001'],
        ['', '0001'],
        ['A-001', ''],
        ['A-001', '1'],
        ['A-001', '00001'],
        ['B-001', '0001'], // another clinic's prefix
        ['A-001; drop table x', '0001'],
      ] as const)
        expect(await refused(tx, ACTORS.anon, CHECK_IN, [token, ticket, digits])).toBe(
          'PT422 VALIDATION.FAILED',
        );
      expect(await statusOf(tx, ID.entryA)).toBe('scheduled');
    }));

  it('kioskAttemptLimit: guessing one ticket locks it after 5 wrong answers for 10 minutes (even the right digits), other tickets go on', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const { token } = await pair(tx);
      for (const digits of ['1111', '2222', '3333', '4444', '5555'])
        expect(await checkIn(tx, token, 'A-001', digits)).toEqual({ found: false });
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [token, 'A-001', '0001'])).toBe(
        'PT429 KIOSK.TOO_MANY_ATTEMPTS',
      );
      // the same short form of the ticket is the same ticket
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [token, '1', '0001'])).toBe(
        'PT429 KIOSK.TOO_MANY_ATTEMPTS',
      );
      expect(await statusOf(tx, ID.entryA)).toBe('scheduled');
      // a locked unknown ticket answers the same as a locked real one
      for (let i = 0; i < 5; i++) await checkIn(tx, token, 'A-077', '1234');
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [token, 'A-077', '0001'])).toBe(
        'PT429 KIOSK.TOO_MANY_ATTEMPTS',
      );
      // another patient is not held up
      expect(await checkIn(tx, token, 'A-002', '0002')).toMatchObject({ found: true });
      // 10 minutes after the lock, the right answer checks in
      await advance(tx, '9 minutes 59 seconds');
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [token, 'A-001', '0001'])).toBe(
        'PT429 KIOSK.TOO_MANY_ATTEMPTS',
      );
      await advance(tx, '1 second');
      expect(await checkIn(tx, token, 'A-001', '0001')).toMatchObject({ found: true, status: 'waiting' });
    }));

  it("kioskAttemptLimit: a passer-by typing A-1, A-2, … A-N checks in no one and locks the clinic's kiosk after 20 wrong answers", () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const { token } = await pair(tx);
      const second = await pair(tx, ACTORS.ownerA);
      for (let n = 1; n <= 20; n++) {
        // two kiosks of the clinic share its count
        const answer = await checkIn(tx, n % 2 ? token : second.token, `A-${n}`, '9999');
        expect(answer).toEqual({ found: false });
      }
      expect(await statusOf(tx, ID.entryA)).toBe('scheduled');
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [token, 'A-002', '0002'])).toBe(
        'PT429 KIOSK.TOO_MANY_ATTEMPTS',
      );
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [second.token, 'A-001', '0001'])).toBe(
        'PT429 KIOSK.TOO_MANY_ATTEMPTS',
      );
      // another clinic's kiosk is not locked
      const b = await pair(tx, ACTORS.ownerB, ID.clinicB);
      expect(await checkIn(tx, b.token, 'A-001', '0001')).toMatchObject({ found: true });
      await advance(tx, '10 minutes');
      expect(await checkIn(tx, token, 'A-001', '0001')).toMatchObject({ found: true, status: 'waiting' });
    }));

  it("kioskPairing: another clinic's kiosk token reaches only its own clinic; only the clinic's owner, admin or receptionist pairs and revokes", () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const a = await pair(tx);
      const b = await pair(tx, ACTORS.ownerB, ID.clinicB);
      // clinic B's kiosk with clinic A's ticket and patient A's digits: clinic B's own A-001 (a walk-in with that
      // phone, already waiting), never clinic A's visit
      expect(await checkIn(tx, b.token, 'A-001', '0001')).toMatchObject({
        found: true,
        entry_id: ID.entryBclinicB,
      });
      expect(await statusOf(tx, ID.entryA)).toBe('scheduled');
      expect(await checkIn(tx, b.token, 'A-002', '0002')).toEqual({ found: false });
      expect(await statusOf(tx, ID.entryB)).toBe('waiting');
      for (const actor of [ACTORS.ownerB, ACTORS.practA, ACTORS.patientA])
        expect(await refused(tx, actor, PAIR, [ID.clinicA, 'x'])).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, PAIR, [ID.clinicA, 'x'])).toMatch(/^42501 /);
      for (const actor of [ACTORS.ownerB, ACTORS.practA, ACTORS.patientA])
        expect(await refused(tx, actor, REVOKE, [a.id])).toBe('PT404 NOT_FOUND');
      // a forged or malformed token
      for (const forged of [
        '',
        'x',
        a.token.slice(0, -1) + (a.token.endsWith('0') ? '1' : '0'),
        'a'.repeat(500),
      ])
        expect(await refused(tx, ACTORS.anon, CHECK_IN, [forged, 'A-001', '0001'])).toBe(
          'PT401 KIOSK.NOT_PAIRED',
        );
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [null, 'A-001', '0001'])).toBe(
        'PT401 KIOSK.NOT_PAIRED',
      );
      // staff see their clinic's kiosks, never the token's hash
      expect(
        await as<number>(
          tx,
          ACTORS.recepA,
          `select count(*)::int as r from public.kiosk_devices where clinic_id = $1`,
          [ID.clinicA],
        ),
      ).toBe(1);
      expect(await refused(tx, ACTORS.recepA, `select token_hash as r from public.kiosk_devices`)).toMatch(
        /^42501 /,
      );
      expect(
        await as<number>(
          tx,
          ACTORS.ownerB,
          `select count(*)::int as r from public.kiosk_devices where clinic_id = $1`,
          [ID.clinicA],
        ),
      ).toBe(0);
    }));

  it('kioskPairing: revoking the pairing stops the kiosk at once', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const a = await pair(tx);
      expect(await checkIn(tx, a.token, 'A-002', '0002')).toMatchObject({ found: true });
      expect(await as(tx, ACTORS.ownerA, REVOKE, [a.id])).toMatchObject({ revoked: true });
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [a.token, 'A-001', '0001'])).toBe(
        'PT401 KIOSK.NOT_PAIRED',
      );
      expect(await refused(tx, ACTORS.anon, HELLO, [a.token])).toBe('PT401 KIOSK.NOT_PAIRED');
      expect(await statusOf(tx, ID.entryA)).toBe('scheduled');
    }));

  it('kioskPairing: the kiosk token is not a staff credential — the old staff-session kiosk call is gone', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      // kiosk_check_in(p_clinic_id, p_code) — the receptionist-session version — no longer exists
      expect(
        await refused(
          tx,
          ACTORS.recepA,
          `select public.kiosk_check_in(p_clinic_id => $1, p_code => 'A-001') as r`,
          [ID.clinicA],
        ),
      ).toMatch(/^42883 /);
    }));

  it('kioskLocksPruned (secmisc18): ended locks are deleted with the next wrong answer; live ones and other clinics’ stay', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const { token } = await pair(tx);
      const locks = async (clinic: string) =>
        (
          await tx.query<{ t: number | null }>(
            `select ticket_number as t from private.kiosk_locks where clinic_id = $1 order by ticket_number nulls first`,
            [clinic],
          )
        ).rows.map((r) => r.t);
      // a passer-by locks A-71 … A-73 (5 wrong answers each)
      for (const n of [71, 72, 73]) for (let i = 0; i < 5; i++) await checkIn(tx, token, `A-${n}`, '1234');
      expect(await locks(ID.clinicA)).toEqual([71, 72, 73]);
      // another clinic's ended lock is not this kiosk's to prune
      await tx.query(
        `insert into private.kiosk_locks (clinic_id, ticket_number, locked_until) values ($1, 5, private.now() - interval '1 hour')`,
        [ID.clinicB],
      );
      // the locks end; A-74 is locked later and is still live when the next wrong answer comes
      await advance(tx, '10 minutes');
      for (let i = 0; i < 5; i++) await checkIn(tx, token, 'A-74', '1234');
      expect(await locks(ID.clinicA)).toEqual([74]);
      expect(await refused(tx, ACTORS.anon, CHECK_IN, [token, 'A-74', '0001'])).toBe(
        'PT429 KIOSK.TOO_MANY_ATTEMPTS',
      );
      expect(await locks(ID.clinicB)).toEqual([5]);
    }));
});
