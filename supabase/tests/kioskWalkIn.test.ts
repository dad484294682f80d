/**
 * kiosk17f (20261217500001_kiosk_walk_in_and_pairing_codes.sql, docs/domain-rules.md "The waiting-room kiosk"):
 * a walk-in registers at the kiosk by its device token (anon) through the one walk-in helper the remote join uses
 * (private.admit_walk_in), under the clinic's walk-in rules, at most 10 per kiosk in 10 minutes; and a tablet is
 * paired by a short-lived, single-use, hashed code that a staff member asks for, with a cap on wrong codes.
 * The world: clinic A open 00:00–23:00 every day, its queue of today; the database's clock is pinned to 10:00 of the
 * world's day; each case runs in a transaction that is rolled back. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import type { Actor } from './helpers/sql';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const PAIR = `select public.pair_kiosk($1, $2) as r`;
const WALK_IN = `select public.kiosk_register_walk_in($1, $2, $3, $4) as r`;
const CHECK_IN = `select public.kiosk_check_in($1, $2, $3) as r`;
const HELLO = `select public.get_kiosk($1) as r`;
const REVOKE = `select public.revoke_kiosk($1) as r`;
const NEW_CODE = `select public.create_kiosk_pairing_code($1, $2) as r`;
const REDEEM = `select public.redeem_kiosk_pairing_code($1) as r`;

type Paired = { id: string; label: string; token: string };
type Ticket = {
  found: true;
  entry_id: string;
  ticket: string;
  status: string;
  position: number;
  issued_at: string;
  tracking_token: string;
  clinic_name: string;
};
type Code = { code: string; label: string; expires_at: string };
type Redeemed = { paired: boolean; id?: string; label?: string; token?: string };

const PHONE = '+212611223344';

describe.each(DB_KINDS)('the kiosk’s walk-in and pairing by code on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const pair = (tx: DbTx, actor: Actor = ACTORS.recepA, clinic: string = ID.clinicA) =>
    as<Paired>(tx, actor, PAIR, [clinic, 'Entrance']);
  const walkIn = (tx: DbTx, token: string, name: string, phone: string | null = PHONE) =>
    as<Ticket>(tx, ACTORS.anon, WALK_IN, [token, name, phone, null]);
  const count = async (tx: DbTx, sql: string, params: unknown[] = []) =>
    (await tx.query<{ n: number }>(`select (${sql})::int as n`, params)).rows[0]!.n;
  const patients = (tx: DbTx) =>
    count(tx, `select count(*) from public.patients where clinic_id = $1`, [ID.clinicA]);
  const entries = (tx: DbTx) =>
    count(tx, `select count(*) from public.queue_entries where queue_id = $1`, [ID.queueA]);
  const advance = (tx: DbTx, interval: string) =>
    tx.query(`update private.pinned_clock set at = at + $1::interval`, [interval]);

  it('kioskWalkIn: a patient without a booking takes a place in today’s line from the kiosk — name and phone, one transaction, the ticket to print', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const { token } = await pair(tx);
      const v0 = await count(tx, `select version from public.queues where id = $1`, [ID.queueA]);
      const p0 = await patients(tx);
      const r = await walkIn(tx, token, '  Salma   Kiosque ');
      expect(r).toMatchObject({ found: true, status: 'waiting', clinic_name: expect.any(String) });
      expect(r.ticket).toMatch(/^A-\d{3}$/);
      expect(r.position).toBeGreaterThanOrEqual(1);
      // the clinic's local time of issue, by the database's clock
      expect(r.issued_at).toMatch(/ 10:00$/);
      const { rows } = await tx.query<{
        kind: string;
        status: string;
        name: string;
        phone: string;
        remote: boolean;
        linked: boolean;
        v: number;
      }>(
        `select e.kind::text, e.status::text, p.full_name as name, p.phone, e.joined_remotely as remote,
                e.tracking_token_hash = private.hash_token($2) as linked, q.version as v
           from public.queue_entries e join public.patients p on p.id = e.patient_id
           join public.queues q on q.id = e.queue_id where e.id = $1`,
        [r.entry_id, r.tracking_token],
      );
      expect(rows).toEqual([
        {
          kind: 'walk_in',
          status: 'waiting',
          name: 'Salma Kiosque',
          phone: PHONE,
          remote: false,
          linked: true,
          v: v0 + 1,
        },
      ]);
      expect(await patients(tx)).toBe(p0 + 1);
      expect(
        await count(
          tx,
          `select count(*) from public.queue_events where entry_id = $1 and type = 'WalkInAdded'`,
          [r.entry_id],
        ),
      ).toBe(1);
      // the kiosk's check-in finds the walk-in by its ticket and phone digits (already waiting: found, unchanged)
      expect(await as(tx, ACTORS.anon, CHECK_IN, [token, r.ticket, '3344'])).toMatchObject({
        found: true,
        status: 'waiting',
        // what its ticket prints: the clinic and its local time by the database's clock
        issued_at: r.issued_at,
        clinic_name: r.clinic_name,
      });
      // the same person again the same day: one visit a day, and no second record — answered without saying why
      // (sec20: the kiosk never confirms that someone has a visit today)
      expect(await refused(tx, ACTORS.anon, WALK_IN, [token, 'Salma Kiosque', PHONE, null])).toBe(
        'PT409 KIOSK.SEE_DESK',
      );
      expect(await patients(tx)).toBe(p0 + 1);
    }));

  it('kioskWalkIn (sec20): a visit today — scheduled, waiting, called, absent, no-show — is never confirmed: one neutral KIOSK.SEE_DESK, nothing written', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const { token } = await pair(tx);
      const p0 = await patients(tx);
      const e0 = await entries(tx);
      // Bruno Patient (+212600000002) is waiting today (the world's entry B); Amina Patient is booked (scheduled)
      const bruno = () => refused(tx, ACTORS.anon, WALK_IN, [token, 'Bruno Patient', '+212600000002', null]);
      const answers = [
        await refused(tx, ACTORS.anon, WALK_IN, [token, 'amina  patient', '+212600000001', 'ar']),
      ];
      for (const status of ['waiting', 'called', 'absent', 'no_show']) {
        await tx.query(
          `update public.queue_entries set status = $2::public.entry_status,
                  grace_ends_at = case when $2 = 'absent' then private.now() + interval '10 minutes' end
            where id = $1`,
          [ID.entryB, status],
        );
        answers.push(await bruno());
      }
      expect(answers).toEqual(Array.from({ length: 5 }, () => 'PT409 KIOSK.SEE_DESK'));
      expect([await patients(tx), await entries(tx)]).toEqual([p0, e0]);
      // a visit that ended does not count (one visit a day, V3): Amina's booking cancelled, she is given a ticket
      await tx.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [ID.entryA]);
      expect((await walkIn(tx, token, 'Amina Patient', '+212600000001')).status).toBe('waiting');
    }));

  it('kioskWalkIn: the clinic’s walk-in rules — intake closed, day closed, closed date, outside hours, the day’s walk-in cap — refuse with their codes and leave nothing behind', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const { token } = await pair(tx);
      const p0 = await patients(tx);
      const e0 = await entries(tx);
      const tryIt = () => refused(tx, ACTORS.anon, WALK_IN, [token, 'Nadia Walk', PHONE, 'ar']);

      await tx.query(`update public.queues set intake_closed_at = private.now() where id = $1`, [ID.queueA]);
      expect(await tryIt()).toBe('PT409 QUEUE.INTAKE_CLOSED');
      await tx.query(`update public.queues set intake_closed_at = null, status = 'closed' where id = $1`, [
        ID.queueA,
      ]);
      expect(await tryIt()).toBe('PT409 QUEUE.CLOSED');
      await tx.query(`update public.queues set status = 'open' where id = $1`, [ID.queueA]);

      await tx.query(
        `insert into public.closed_dates (clinic_id, day, reason)
         select clinic_id, day, 'Aid' from public.queues where id = $1`,
        [ID.queueA],
      );
      expect(await tryIt()).toBe('PT422 BOOKING.CLINIC_CLOSED');
      await tx.query(`delete from public.closed_dates where reason = 'Aid' and clinic_id = $1`, [ID.clinicA]);

      // 23:30: after today's hours (00:00–23:00)
      await tx.exec(pinWorldDaySql('23:30'));
      expect(await tryIt()).toBe('PT409 KIOSK.OUTSIDE_HOURS');
      await tx.exec(pinWorldDaySql('10:00'));

      // the day's walk-ins already at the clinic's cap: the walk-in, and the patient record made for it, are undone
      const walkIns = await count(
        tx,
        `select count(*) from public.queue_entries where queue_id = $1 and kind = 'walk_in' and status <> 'cancelled' and priority <> 'emergency'`,
        [ID.queueA],
      );
      await tx.query(
        `update public.clinics set settings = settings || jsonb_build_object('max_walk_ins_per_day', $2::int) where id = $1`,
        [ID.clinicA, walkIns],
      );
      expect(await tryIt()).toBe('PT409 QUEUE.WALK_IN_LIMIT_REACHED');
      expect(await patients(tx)).toBe(p0);
      expect(await entries(tx)).toBe(e0);
      // one place more: it registers
      await tx.query(
        `update public.clinics set settings = settings || jsonb_build_object('max_walk_ins_per_day', $2::int) where id = $1`,
        [ID.clinicA, walkIns + 1],
      );
      expect(await walkIn(tx, token, 'Nadia Walk')).toMatchObject({ found: true });
    }));

  it('kioskWalkIn: bad input and forged tokens are refused with clear codes before anything is written', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const a = await pair(tx);
      const p0 = await patients(tx);
      const e0 = await entries(tx);
      for (const [name, phone, code] of [
        ['', PHONE, 'PT422 VALIDATION.FAILED'],
        ['   ', PHONE, 'PT422 VALIDATION.FAILED'],
        [null, PHONE, 'PT422 VALIDATION.FAILED'],
        ['Ali', null, 'PT422 VALIDATION.FAILED'],
        ['Ali', '', 'PT422 PHONE.INVALID'],
        ['Ali', '0612345678', 'PT422 PHONE.INVALID'],
        ['Ali', '+2126; drop table x', 'PT422 PHONE.INVALID'],
        ['Ali\u0007Bell', PHONE, 'PT422 VALIDATION.FAILED'],
        ['x'.repeat(201), PHONE, 'PT422 VALIDATION.FAILED'],
      ] as const)
        expect(
          await refused(tx, ACTORS.anon, WALK_IN, [a.token, name, phone, null]),
          `${name} ${phone}`,
        ).toBe(code);
      for (const forged of ['', 'x', 'z'.repeat(64), null])
        expect(await refused(tx, ACTORS.anon, WALK_IN, [forged, 'Ali', PHONE, null])).toBe(
          'PT401 KIOSK.NOT_PAIRED',
        );
      await as(tx, ACTORS.recepA, REVOKE, [a.id]);
      expect(await refused(tx, ACTORS.anon, WALK_IN, [a.token, 'Ali', PHONE, null])).toBe(
        'PT401 KIOSK.NOT_PAIRED',
      );
      expect(await patients(tx)).toBe(p0);
      expect(await entries(tx)).toBe(e0);
    }));

  it('kioskWalkInLimit: one kiosk registers at most 10 walk-ins in 10 minutes (RATE.LIMITED), another kiosk goes on, and the window moves on', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const a = await pair(tx);
      const b = await pair(tx);
      for (let i = 0; i < 10; i++)
        expect(
          await walkIn(tx, a.token, `Walk ${String.fromCharCode(65 + i)}`, `+2126112200${10 + i}`),
        ).toMatchObject({
          found: true,
        });
      const e0 = await entries(tx);
      expect(await refused(tx, ACTORS.anon, WALK_IN, [a.token, 'Walk Z', '+212611220099', null])).toBe(
        'PT429 RATE.LIMITED',
      );
      expect(await entries(tx)).toBe(e0);
      expect(await walkIn(tx, b.token, 'Walk Z', '+212611220099')).toMatchObject({ found: true });
      await advance(tx, '10 minutes 1 second');
      expect(await walkIn(tx, a.token, 'Walk Y', '+212611220098')).toMatchObject({ found: true });
    }));

  it('kioskPairingCode: staff ask for a short code, the tablet exchanges it once (as anon) for a working kiosk key; only its hash is stored', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const c = await as<Code>(tx, ACTORS.recepA, NEW_CODE, [ID.clinicA, 'Hall tablet']);
      expect(c.code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
      expect(c.label).toBe('Hall tablet');
      expect(
        await count(tx, `select extract(epoch from $1::timestamptz - private.now())`, [c.expires_at]),
      ).toBe(600);
      expect(
        await count(
          tx,
          `select count(*) from private.kiosk_pairing_codes where code_hash = private.hash_token($1)`,
          [c.code.replace('-', '')],
        ),
      ).toBe(1);
      // typed in lower case, with a space instead of the dash
      const r = await as<Redeemed>(tx, ACTORS.anon, REDEEM, [` ${c.code.toLowerCase().replace('-', ' ')} `]);
      expect(r).toMatchObject({ paired: true, label: 'Hall tablet' });
      expect(r.token).toMatch(/^[0-9a-f]{64}$/);
      expect(await as(tx, ACTORS.anon, HELLO, [r.token])).toMatchObject({
        clinic_id: ID.clinicA,
        label: 'Hall tablet',
      });
      expect(
        await count(
          tx,
          `select count(*) from public.kiosk_devices k join public.clinic_members m on m.user_id = k.paired_by
            where k.id = $1 and m.id = $2`,
          [r.id, ID.memberRecepA],
        ),
      ).toBe(1);
      // single use: exchanged again at once, it answers that it was just used (fix21d: a tablet's double-submit is
      // not a wrong guess) — and pairs nothing
      expect(await as(tx, ACTORS.anon, REDEEM, [c.code])).toEqual({ paired: false, reason: 'used' });
    }));

  it('kioskPairingCode: a code expires after 10 minutes; only the clinic’s owner, admin or receptionist makes one; at most 5 live codes; malformed codes are refused', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const c = await as<Code>(tx, ACTORS.ownerA, NEW_CODE, [ID.clinicA, null]);
      expect(c.label).toBe('Kiosk');
      await advance(tx, '10 minutes');
      expect(await as(tx, ACTORS.anon, REDEEM, [c.code])).toEqual({ paired: false });

      for (const actor of [ACTORS.ownerB, ACTORS.practA, ACTORS.patientA])
        expect(await refused(tx, actor, NEW_CODE, [ID.clinicA, 'x'])).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, NEW_CODE, [ID.clinicA, 'x'])).toMatch(/^42501 /);
      expect(await refused(tx, ACTORS.recepA, NEW_CODE, [ID.clinicA, 'x\u0007'])).toBe(
        'PT422 VALIDATION.FAILED',
      );

      for (let i = 0; i < 5; i++) await as<Code>(tx, ACTORS.recepA, NEW_CODE, [ID.clinicA, `k${i}`]);
      expect(await refused(tx, ACTORS.recepA, NEW_CODE, [ID.clinicA, 'k6'])).toBe('PT429 RATE.LIMITED');
      // clinic B's own codes are its own business
      expect(await as<Code>(tx, ACTORS.ownerB, NEW_CODE, [ID.clinicB, 'B'])).toMatchObject({ label: 'B' });

      for (const bad of ['', 'ABC', 'ABCD-EFG1', 'ABCD-EFGHI', 'ABCDEFG0', null])
        expect(await refused(tx, ACTORS.anon, REDEEM, [bad]), String(bad)).toBe('PT422 VALIDATION.FAILED');
    }));

  // fix20 (20261220800002): wrong codes count per client address at the gateway (test/security/kiosk-pairing-limit);
  // the global cap here is only a backstop, 10 000 in 10 minutes — 100 wrong codes lock nothing any more
  it('kioskPairingCode: 10 000 wrong codes in 10 minutes lock every exchange (even a right code) until they age out', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const c = await as<Code>(tx, ACTORS.recepA, NEW_CODE, [ID.clinicA, 'Hall']);
      // 100 guesses ZZZZ2222, ZZZZ2223, … (base 8 over 2–9), never the live code
      const wrong = (i: number) =>
        'ZZZZ' + [512, 64, 8, 1].map((d) => '23456789'[Math.floor(i / d) % 8]).join('');
      let sent = 0;
      for (let i = 0; sent < 100; i++) {
        if (wrong(i) === c.code.replace('-', '')) continue;
        expect(await as(tx, ACTORS.anon, REDEEM, [wrong(i)])).toEqual({ paired: false });
        sent++;
      }
      // the other 9 900 of the window, as recorded wrong codes (typing them one by one would take minutes)
      await tx.query(
        `insert into private.kiosk_pairing_failures (at) select private.now() from generate_series(1, 9899)`,
      );
      expect(await as(tx, ACTORS.anon, REDEEM, [wrong(5000)])).toEqual({ paired: false });
      expect(await refused(tx, ACTORS.anon, REDEEM, [c.code])).toBe('PT429 KIOSK.TOO_MANY_ATTEMPTS');
      await advance(tx, '9 minutes');
      expect(await refused(tx, ACTORS.anon, REDEEM, [c.code])).toBe('PT429 KIOSK.TOO_MANY_ATTEMPTS');
      // 10:10:01: the wrong codes of 10:00 aged out (and the first code with them): a fresh code pairs
      await advance(tx, '61 seconds');
      const fresh = await as<Code>(tx, ACTORS.recepA, NEW_CODE, [ID.clinicA, 'Hall']);
      expect(await as(tx, ACTORS.anon, REDEEM, [fresh.code])).toMatchObject({ paired: true });
    }));
});
