/**
 * Session 18 attack review, finding 2 (20261217800002_api_keys_leave_with_creator.sql): an admin's API keys kept
 * working after the admin was removed (a key acts through its own member, not its creator's).
 *   K1 apiKeyLeavesWithCreator: deleting, deactivating or demoting below admin the member who made a key revokes
 *      that person's keys in that clinic (revoked_at, the key's member deactivated) and api_key_authenticate — the
 *      gateway's per-request check — answers null for them; an owner who becomes admin keeps theirs.
 *   K3 list_api_keys names the creator.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, U } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, rolledBack } from './helpers/pinnedWorld';

const CREATE_KEY = `select public.create_api_key($1::uuid, $2, array['admin', 'read']) as r`;
const AUTH = `select public.api_key_authenticate(encode(sha256(convert_to($1::text, 'UTF8')), 'hex')) as r`;
const LIST = `select public.list_api_keys($1::uuid) as r`;

type Key = { id: string; key: string };
type Listed = {
  id: string;
  created_by: string | null;
  created_by_name: string | null;
  revoked_at: string | null;
};

describe.each(DB_KINDS)('API keys leave with their creator on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Recep A made admin of clinic A (the world's receptionist plays "Ada"), then creates an admin key. */
  const adaWithKey = async (tx: DbTx): Promise<Key> => {
    await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberRecepA]);
    return as<Key>(tx, ACTORS.recepA, CREATE_KEY, [ID.clinicA, 'Ada integration']);
  };
  const works = async (tx: DbTx, key: Key) =>
    (await as<unknown>(tx, ACTORS.service, AUTH, [key.key])) !== null;
  const keyState = async (tx: DbTx, key: Key) =>
    (
      await tx.query<{ revoked: boolean; member_active: boolean }>(
        `select k.revoked_at is not null as revoked, m.active as member_active
           from public.api_keys k join public.clinic_members m on m.id = k.member_id where k.id = $1`,
        [key.id],
      )
    ).rows[0]!;

  const changed = (sql: string) => `with x as (${sql} returning 1) select count(*)::int as r from x`;
  const departures: [string, string][] = [
    // a client removes a member through remove_member only (20261219300001)
    ['removed', `select public.remove_member($1::uuid) is null as r`],
    ['deactivated', changed(`update public.clinic_members set active = false where id = $1`)],
    [
      'demoted to receptionist',
      changed(`update public.clinic_members set role = 'receptionist' where id = $1`),
    ],
    [
      'demoted to practitioner',
      changed(`update public.clinic_members set role = 'practitioner' where id = $1`),
    ],
  ];
  it.each(departures)('apiKeyLeavesWithCreator: a key stops when its creator is %s', (_how, sql) =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const key = await adaWithKey(tx);
      const owners = await as<Key>(tx, ACTORS.ownerA, CREATE_KEY, [ID.clinicA, 'Owner integration']);
      expect(await works(tx, key)).toBe(true);
      // the owner removes / deactivates / demotes Ada (as set_team and the team screen write the row)
      await as(tx, ACTORS.ownerA, sql, [ID.memberRecepA]);
      expect(await works(tx, key)).toBe(false);
      expect(await keyState(tx, key)).toEqual({ revoked: true, member_active: false });
      // the owner's own key is untouched
      expect(await works(tx, owners)).toBe(true);
      const listed = await as<Listed[]>(tx, ACTORS.ownerA, LIST, [ID.clinicA]);
      expect(listed.find((k) => k.id === key.id)!.revoked_at).not.toBeNull();
    }),
  );

  it('apiKeyLeavesWithCreator: an owner who becomes admin keeps their keys; the list names the creator', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const key = await adaWithKey(tx);
      const listed = await as<Listed[]>(tx, ACTORS.ownerA, LIST, [ID.clinicA]);
      expect(listed.find((k) => k.id === key.id)).toMatchObject({
        created_by: U.recepA,
        created_by_name: 'Recep A',
        revoked_at: null,
      });
      await tx.query(`update public.clinic_members set role = 'owner' where id = $1`, [ID.memberRecepA]);
      await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberRecepA]);
      expect(await works(tx, key)).toBe(true);
      // a key whose creator's account is gone (created_by null) authenticates nothing
      await tx.query(`update public.api_keys set created_by = null where id = $1`, [key.id]);
      expect(await works(tx, key)).toBe(false);
    }));
});
