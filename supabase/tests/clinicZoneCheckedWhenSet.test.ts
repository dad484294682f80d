/**
 * ci21 (issue 14, CI time), migration 20261221300001: a clinic's time zone is checked against the server's zone list
 * (pg_timezone_names, which reads every zone file each time) when it is set — on insert and when an update changes
 * it — and no longer on every other update of the row (a settings save, a listing change, an SMS hold). The rule is
 * the same: no clinic gets a zone the server does not know. On PGlite and PostgreSQL; no clock involved.
 * s31, migration 20261228100001: the check looks the name up in a copy of that list (private.time_zone_names) and
 * reads the full list only when the copy does not decide — a listed name the server can no longer load, or a name
 * not in the copy — so the answer is still the server's list.
 */
import { describe, expect, it } from 'vitest';
import type { DbError } from '../local/db/types';
import { DB_KINDS } from './helpers/testDb';
import { ID } from './helpers/world';
import { useWorldDb } from './helpers/worldDb';

class Done extends Error {}

describe.each(DB_KINDS)("a clinic's time zone is checked when it is set, on %s", (kind) => {
  const t = useWorldDb(kind);
  /** SQL as superuser in a transaction that is rolled back: 'ok', or the error as `<sqlstate> <message>`. */
  const outcome = (sql: string, read?: string): Promise<string> =>
    t.db
      .transaction(async (tx) => {
        await tx.exec(sql);
        throw new Done(read === undefined ? 'ok' : JSON.stringify((await tx.query(read)).rows));
      })
      .then(
        () => 'unreachable',
        (e: DbError | Done) => (e instanceof Done ? e.message : `${e.code} ${e.message}`),
      );

  it('a new clinic with a zone the server does not know is refused; a known one is taken', async () => {
    const insert = (zone: string) =>
      `insert into public.clinics (slug, name, time_zone) values ('zone-test', 'Zone', '${zone}')`;
    expect(await outcome(insert('Mars/Olympus'))).toBe('PT422 TIMEZONE.INVALID');
    expect(await outcome(insert('Africa/Casablanca'))).toBe('ok');
  });

  it('an update that changes the zone is checked: an unknown zone is refused, a known one is taken', async () => {
    const setZone = (zone: string) =>
      `update public.clinics set time_zone = '${zone}' where id = '${ID.clinicA}'`;
    expect(await outcome(setZone('Mars/Olympus'))).toBe('PT422 TIMEZONE.INVALID');
    expect(await outcome(setZone('morocco'))).toBe('PT422 TIMEZONE.INVALID');
    expect(await outcome(setZone('Europe/Paris'))).toBe('ok');
  });

  it('an update that leaves the zone alone does not check it again (the zone was checked when it was set)', async () => {
    // a zone this server no longer lists (written with the triggers off, as if its zone data had changed since):
    // a settings save, a listing change or an SMS hold of that clinic still goes through and stamps updated_at
    const planted = `set local session_replication_role = replica;
      update public.clinics set time_zone = 'Gone/Zone', updated_at = '2020-01-01' where id = '${ID.clinicA}';
      set local session_replication_role = origin;`;
    expect(
      await outcome(
        `${planted} update public.clinics set name = 'Clinique A2', directory_listed = true, city = 'Rabat',
                       sms_held = false where id = '${ID.clinicA}'`,
        `select name, time_zone, updated_at > '2020-01-01' as stamped from public.clinics where id = '${ID.clinicA}'`,
      ),
    ).toBe(JSON.stringify([{ name: 'Clinique A2', time_zone: 'Gone/Zone', stamped: true }]));
    // …but setting that zone again, or another unknown one, is checked
    expect(
      await outcome(
        `${planted} update public.clinics set time_zone = 'Other/Gone' where id = '${ID.clinicA}'`,
      ),
    ).toBe('PT422 TIMEZONE.INVALID');
  });

  it('the copy of the zone list is the server’s list (s31)', async () => {
    const same = await t.db.query<{ same: boolean; n: number }>(
      `select array(select name from private.time_zone_names order by 1)
                = array(select distinct name from pg_catalog.pg_timezone_names order by 1) as same,
              (select count(*)::int from private.time_zone_names) as n`,
    );
    expect(same.rows[0]).toEqual({ same: true, n: expect.any(Number) as number });
    expect(same.rows[0]!.n).toBeGreaterThan(300);
  });

  it('the copy never decides alone: a zone it lacks is still taken, a listed name the server cannot load is refused (s31)', async () => {
    const setZone = (zone: string) =>
      `update public.clinics set time_zone = '${zone}' where id = '${ID.clinicA}'`;
    // a zone added to the server's data after the copy was made
    expect(
      await outcome(
        `delete from private.time_zone_names where name = 'Europe/Paris'; ${setZone('Europe/Paris')}`,
        `select time_zone from public.clinics where id = '${ID.clinicA}'`,
      ),
    ).toBe(JSON.stringify([{ time_zone: 'Europe/Paris' }]));
    // a zone the copy lists but the server's data no longer has
    expect(
      await outcome(`insert into private.time_zone_names values ('Gone/Zone'); ${setZone('Gone/Zone')}`),
    ).toBe('PT422 TIMEZONE.INVALID');
    // what "at time zone" accepts but is no zone of the list: abbreviations, offsets, POSIX rules
    for (const notAZone of ['PST', 'CEST', 'UTC+3', '+03', '<+01>-1', 'Africa/', ''])
      expect(await outcome(setZone(notAZone)), notAZone).toBe('PT422 TIMEZONE.INVALID');
    // …and the names of the list that are also abbreviations or links stay taken
    for (const zone of ['UTC', 'EST', 'Africa/Casablanca', 'Asia/Riyadh'])
      expect(await outcome(setZone(zone)), zone).toBe('ok');
  });

  it('no client role reads the copy or calls the lookup directly (s31)', async () => {
    for (const role of ['anon', 'authenticated']) {
      const r = await t.db.query<{ read: boolean; run: boolean }>(
        `select has_table_privilege($1, 'private.time_zone_names', 'SELECT') as read,
                has_function_privilege($1, 'private.is_time_zone_name(text)', 'EXECUTE') as run`,
        [role],
      );
      expect(r.rows[0]).toEqual({ read: false, run: role === 'authenticated' });
    }
  });
});
