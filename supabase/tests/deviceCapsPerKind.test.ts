/**
 * mend18 (20261217900002_kiosk_cap_counts_kiosks.sql): entrance kiosks (kiosk17) and board screens (board18) are
 * both rows of public.kiosk_devices, each kind with its own cap of 20 live devices per clinic. Board screens must
 * not use up the kiosks' places (pair_kiosk counted every device). On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const PAIR = (kind: 'kiosk' | 'board') => `select public.pair_${kind}($1, $2) as r`;

describe.each(DB_KINDS)('paired devices are capped per kind on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const live = async (tx: DbTx, k: 'kiosk' | 'board') =>
    (
      await tx.query<{ n: number }>(
        `select count(*)::int as n from public.kiosk_devices
          where clinic_id = $1 and kind = $2 and revoked_at is null`,
        [ID.clinicA, k],
      )
    ).rows[0]!.n;

  it('20 board screens leave the clinic its 20 kiosks, and the reverse', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      let n = 0;
      while ((await live(tx, 'board')) < 20)
        await as(tx, ACTORS.recepA, PAIR('board'), [ID.clinicA, `TV ${++n}`]);
      expect(await refused(tx, ACTORS.recepA, PAIR('board'), [ID.clinicA, 'TV over'])).toMatch(/^PT429 /);
      // a full set of boards: the entrance kiosk still pairs, up to its own 20
      while ((await live(tx, 'kiosk')) < 20) {
        const r = await as<{ token: string }>(tx, ACTORS.recepA, PAIR('kiosk'), [
          ID.clinicA,
          `Entrance ${++n}`,
        ]);
        expect(r.token.length).toBeGreaterThanOrEqual(32);
      }
      expect(await refused(tx, ACTORS.recepA, PAIR('kiosk'), [ID.clinicA, 'Kiosk over'])).toMatch(/^PT429 /);
      expect([await live(tx, 'board'), await live(tx, 'kiosk')]).toEqual([20, 20]);
    }));
});
