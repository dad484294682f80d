/**
 * review20 L2 (20261220800003_devices_leave_with_pairer.sql): board and kiosk device keys outlived the staff member
 * who paired them (API keys stop with their creator since 20261217800002; devices did not).
 *   D1 deleting, deactivating or demoting to practitioner the member who paired a device revokes it
 *      (revoked_reason 'pairer_left') and its key opens nothing any more; others' devices keep working.
 *   D2 the key lookup refuses a device whose pairer may no longer pair, even without the trigger.
 *   D3 the pairing codes they made and nobody used pair nothing (20261220990002).
 *   D4 staff read why (revoked_reason), the admin's device lists show it.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

type Paired = { id: string; token: string };
const PAIR = (kind: string) => `select public.pair_${kind}($1::uuid, $2) as r`;
const GET_KIOSK = `select public.get_kiosk($1) as r`;

describe.each(DB_KINDS)('device keys leave with the member who paired them on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const boardWorks = async (tx: DbTx, d: Paired) =>
    (await tx.query<{ id: string | null }>(`select (private.paired_device($1, 'board')).id as id`, [d.token]))
      .rows[0]!.id === d.id;
  const reason = async (tx: DbTx, d: Paired) =>
    as<{ revoked: boolean; why: string | null }>(
      tx,
      ACTORS.ownerA,
      `select jsonb_build_object('revoked', revoked_at is not null, 'why', revoked_reason) as r
         from public.kiosk_devices where id = $1`,
      [d.id],
    );

  const changed = (sql: string) => `with x as (${sql} returning 1) select count(*)::int as r from x`;
  const departures: [string, string][] = [
    ['removed', `select public.remove_member($1::uuid) is null as r`],
    ['deactivated', changed(`update public.clinic_members set active = false where id = $1`)],
    [
      'demoted to practitioner',
      changed(`update public.clinic_members set role = 'practitioner' where id = $1`),
    ],
  ];
  it.each(departures)(
    'devicesLeaveWithPairer: a kiosk and a board stop when their pairer is %s',
    (_how, sql) =>
      rolledBack(t.db, async (tx) => {
        await tx.exec(pinWorldDaySql('10:00'));
        const kiosk = await as<Paired>(tx, ACTORS.recepA, PAIR('kiosk'), [ID.clinicA, 'Entrance']);
        const board = await as<Paired>(tx, ACTORS.recepA, PAIR('board'), [ID.clinicA, 'Hall']);
        const owners = await as<Paired>(tx, ACTORS.ownerA, PAIR('board'), [ID.clinicA, 'Owner hall']);
        expect(await as(tx, ACTORS.anon, GET_KIOSK, [kiosk.token])).toMatchObject({ id: kiosk.id });
        expect(await boardWorks(tx, board)).toBe(true);

        await as(tx, ACTORS.ownerA, sql, [ID.memberRecepA]);

        expect(await refused(tx, ACTORS.anon, GET_KIOSK, [kiosk.token])).toBe('PT401 KIOSK.NOT_PAIRED');
        expect(await boardWorks(tx, board)).toBe(false);
        expect(await reason(tx, kiosk)).toEqual({ revoked: true, why: 'pairer_left' });
        expect(await reason(tx, board)).toEqual({ revoked: true, why: 'pairer_left' });
        // the owner's own board is untouched
        expect(await boardWorks(tx, owners)).toBe(true);
        expect(await reason(tx, owners)).toEqual({ revoked: false, why: null });
      }),
  );

  it.each(departures)(
    'devicesLeaveWithPairer: the pairing codes a member made and nobody used pair nothing once they are %s',
    (_how, sql) =>
      rolledBack(t.db, async (tx) => {
        await tx.exec(pinWorldDaySql('10:00'));
        const CODE = `select public.create_kiosk_pairing_code($1::uuid, $2) as r`;
        const REDEEM = `select public.redeem_kiosk_pairing_code($1) as r`;
        const theirs = await as<{ code: string }>(tx, ACTORS.recepA, CODE, [ID.clinicA, 'Entrance']);
        const owners = await as<{ code: string }>(tx, ACTORS.ownerA, CODE, [ID.clinicA, 'Desk']);
        const devices = async () =>
          (
            await tx.query<{ n: number }>(
              `select count(*)::int as n from public.kiosk_devices where clinic_id = $1`,
              [ID.clinicA],
            )
          ).rows[0]!.n;
        const before = await devices();

        await as(tx, ACTORS.ownerA, sql, [ID.memberRecepA]);

        // the departed member's code is a wrong code: no device row, no token
        expect(await as(tx, ACTORS.anon, REDEEM, [theirs.code])).toEqual({ paired: false });
        expect(await devices()).toBe(before);
        // and no longer a live code of the clinic
        const live = await tx.query<{ n: number }>(
          `select count(*)::int as n from private.kiosk_pairing_codes
            where clinic_id = $1 and used_at is null and expires_at > private.now() and label = 'Entrance'`,
          [ID.clinicA],
        );
        expect(live.rows[0]!.n).toBe(0);
        // the owner's code still pairs a kiosk whose key works
        const paired = await as<{ paired: boolean; token: string }>(tx, ACTORS.anon, REDEEM, [owners.code]);
        expect(paired.paired).toBe(true);
        expect(await as(tx, ACTORS.anon, GET_KIOSK, [paired.token])).toMatchObject({ label: 'Desk' });
      }),
  );

  it('devicesLeaveWithPairer: the key lookup refuses a device whose pairer left even where no trigger ran', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const board = await as<Paired>(tx, ACTORS.recepA, PAIR('board'), [ID.clinicA, 'Hall']);
      // a promotion keeps it (a receptionist made admin may still pair)
      await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberRecepA]);
      expect(await boardWorks(tx, board)).toBe(true);
      // the pairer's account gone (paired_by set null by the foreign key): the key opens nothing
      await tx.query(`update public.kiosk_devices set paired_by = null where id = $1`, [board.id]);
      expect(await boardWorks(tx, board)).toBe(false);
    }));
});
