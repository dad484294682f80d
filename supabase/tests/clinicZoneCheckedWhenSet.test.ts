/**
 * ci21 (issue 14, CI time), migration 20261221300001: a clinic's time zone is checked against the server's zone list
 * (pg_timezone_names, which reads every zone file each time) when it is set — on insert and when an update changes
 * it — and no longer on every other update of the row (a settings save, a listing change, an SMS hold). The rule is
 * the same: no clinic gets a zone the server does not know. On PGlite and PostgreSQL; no clock involved.
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
});
