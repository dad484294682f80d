/**
 * Session 18 (board18), security issue 17: the waiting-room board showed patient names to anyone who knew a
 * clinic's id (20261217100001_board_devices.sql, docs/security.md "The waiting-room board"). Now names reach a
 * board only through get_waiting_board with the key of a board screen paired to that clinic, and the pushed board
 * row (realtime, readable by anon) never carries names. The world: clinic A's today has A-001 (Amina Patient) and
 * A-002 (Bruno Patient); each case calls A-002 and makes A-001 wait, turns `board_show_names` on as the clinic's
 * setting, and is rolled back. The database's clock is pinned to 10:00 of the world's day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import type { Actor } from './helpers/sql';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const PAIR = `select public.pair_board($1, $2) as r`;
const REVOKE = `select public.revoke_board($1) as r`;
const BOARD = `select public.get_waiting_board($1, $2) as r`;
const BOARD_NO_KEY = `select public.get_waiting_board($1) as r`;

type Paired = { id: string; label: string; token: string };
type Item = { ticket: string; room: string | null; name: string | null };
type Board = { now_serving: Item[]; next: Item[]; paired: boolean; names_hidden: boolean };

const SETUP = (showNames: boolean) => `
  update public.queue_entries set status = 'called', called_at = private.now(), called_room = '3' where id = '${ID.entryB}';
  update public.queue_entries set status = 'waiting', checked_in_at = private.now() where id = '${ID.entryA}';
  update public.clinics set settings = coalesce(settings, '{}'::jsonb) || '{"board_show_names": ${showNames}}'::jsonb
   where id = '${ID.clinicA}';`;

describe.each(DB_KINDS)('the waiting-room board screen on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const begin = async (tx: DbTx, showNames = true) => {
    await tx.exec(pinWorldDaySql('10:00'));
    await tx.exec(SETUP(showNames));
  };
  const pair = (tx: DbTx, actor: Actor = ACTORS.recepA, clinic: string = ID.clinicA) =>
    as<Paired>(tx, actor, PAIR, [clinic, 'Waiting room TV']);
  const board = (tx: DbTx, key: string | null, actor: Actor = ACTORS.anon) =>
    as<Board>(tx, actor, BOARD, [ID.clinicA, key]);
  const names = (b: Board) => [...b.now_serving, ...b.next].map((i) => i.name);
  const ticketsOnly = (b: Board) => {
    expect(b.now_serving).toEqual([expect.objectContaining({ ticket: 'A-002', room: '3', name: null })]);
    expect(b.next).toEqual([expect.objectContaining({ ticket: 'A-001', name: null })]);
    expect(JSON.stringify(b)).not.toMatch(/Amina|Bruno|Patient|\+2126/);
  };

  it('boardNamesNeedPairedScreen: anyone without a key gets tickets only, even when the clinic shows names', () =>
    rolledBack(t.db, async (tx) => {
      await begin(tx);
      // the call the board always made (no key): before board18 it carried 'Bruno P.' and 'Amina P.'
      ticketsOnly(await as<Board>(tx, ACTORS.anon, BOARD_NO_KEY, [ID.clinicA]));
      for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.ownerB]) {
        const b = await board(tx, null, actor);
        ticketsOnly(b);
        expect(b).toMatchObject({ paired: false, names_hidden: true });
      }
    }));

  it("boardNamesNeedPairedScreen: the clinic's paired screen gets first name + initial, only while the clinic shows names", () =>
    rolledBack(t.db, async (tx) => {
      await begin(tx);
      const { token, label } = await pair(tx);
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(label).toBe('Waiting room TV');
      // only the hash is stored, as a board (not a kiosk)
      const { rows } = await tx.query<{ kind: string }>(
        `select kind from public.kiosk_devices where token_hash = private.hash_token($1)`,
        [token],
      );
      expect(rows).toEqual([{ kind: 'board' }]);
      const b = await board(tx, token);
      expect(b.now_serving).toEqual([expect.objectContaining({ ticket: 'A-002', name: 'Bruno P.' })]);
      expect(b.next).toEqual([expect.objectContaining({ ticket: 'A-001', name: 'Amina P.' })]);
      expect(b).toMatchObject({ paired: true, names_hidden: false });
      expect(JSON.stringify(b)).not.toMatch(/Patient|\+2126/);
      // the clinic turns names off: the paired screen shows tickets only
      await tx.exec(SETUP(false));
      const off = await board(tx, token);
      expect(names(off)).toEqual([null, null]);
      expect(off).toMatchObject({ paired: true, names_hidden: false });
    }));

  it("boardNamesNeedPairedScreen: another clinic's key, a revoked key, a kiosk's key or a forged key get tickets only", () =>
    rolledBack(t.db, async (tx) => {
      await begin(tx);
      const other = await pair(tx, ACTORS.ownerB, ID.clinicB);
      const revoked = await pair(tx);
      expect(await as(tx, ACTORS.ownerA, REVOKE, [revoked.id])).toMatchObject({ revoked: true });
      const kiosk = await as<Paired>(tx, ACTORS.recepA, `select public.pair_kiosk($1, 'Entrance') as r`, [
        ID.clinicA,
      ]);
      const live = await pair(tx);
      for (const key of [
        other.token,
        revoked.token,
        kiosk.token,
        live.token.slice(0, -1) + (live.token.endsWith('0') ? '1' : '0'),
        live.token.toUpperCase(),
        live.token + ' ',
        live.token.slice(0, 31),
        'x'.repeat(500),
        '',
        "' or 1=1 --",
      ]) {
        const b = await board(tx, key);
        ticketsOnly(b);
        expect([key, b.paired]).toEqual([key, false]);
      }
      // and the live key still works beside them
      expect(names(await board(tx, live.token))).toEqual(['Bruno P.', 'Amina P.']);
    }));

  it('boardPairing: unpairing stops the names at once; a board key opens no kiosk call', () =>
    rolledBack(t.db, async (tx) => {
      await begin(tx);
      const a = await pair(tx);
      expect(names(await board(tx, a.token))).toEqual(['Bruno P.', 'Amina P.']);
      expect(await as(tx, ACTORS.recepA, REVOKE, [a.id])).toMatchObject({ id: a.id, revoked: true });
      ticketsOnly(await board(tx, a.token));
      // unpairing twice answers the same
      expect(await as(tx, ACTORS.recepA, REVOKE, [a.id])).toMatchObject({ revoked: true });
      const b = await pair(tx);
      expect(await refused(tx, ACTORS.anon, `select public.get_kiosk($1) as r`, [b.token])).toBe(
        'PT401 KIOSK.NOT_PAIRED',
      );
      expect(
        await refused(tx, ACTORS.anon, `select public.kiosk_check_in($1, 'A-001', '0001') as r`, [b.token]),
      ).toBe('PT401 KIOSK.NOT_PAIRED');
      // revoke_kiosk's sibling does not touch kiosks: a kiosk id is no board
      const k = await as<Paired>(tx, ACTORS.recepA, `select public.pair_kiosk($1, 'Entrance') as r`, [
        ID.clinicA,
      ]);
      expect(await refused(tx, ACTORS.recepA, REVOKE, [k.id])).toBe('PT404 NOT_FOUND');
    }));

  it('boardPairing: only the clinic’s owner, admin or receptionist pairs or unpairs its boards', () =>
    rolledBack(t.db, async (tx) => {
      await begin(tx);
      for (const actor of [ACTORS.practA, ACTORS.patientA, ACTORS.ownerB])
        expect(await refused(tx, actor, PAIR, [ID.clinicA, 'TV'])).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, PAIR, [ID.clinicA, 'TV'])).toMatch(/^42501 /);
      const a = await pair(tx, ACTORS.ownerA);
      for (const actor of [ACTORS.practA, ACTORS.patientA, ACTORS.ownerB])
        expect(await refused(tx, actor, REVOKE, [a.id])).toBe('PT404 NOT_FOUND');
      expect(names(await board(tx, a.token))).toEqual(['Bruno P.', 'Amina P.']);
      // names: 1–80 characters, no control characters; none → 'Board'
      expect(await refused(tx, ACTORS.recepA, PAIR, [ID.clinicA, 'x'.repeat(81)])).toBe(
        'PT422 VALIDATION.FAILED',
      );
      expect(await refused(tx, ACTORS.recepA, PAIR, [ID.clinicA, 'TV\u0007'])).toBe(
        'PT422 VALIDATION.FAILED',
      );
      expect((await as<Paired>(tx, ACTORS.recepA, PAIR, [ID.clinicA, '  '])).label).toBe('Board');
      // staff see their clinic's boards with their kind, never the key's hash
      expect(
        await as<number>(
          tx,
          ACTORS.recepA,
          `select count(*)::int as r from public.kiosk_devices where clinic_id = $1 and kind = 'board'`,
          [ID.clinicA],
        ),
      ).toBe(2);
      expect(
        await as<number>(
          tx,
          ACTORS.ownerB,
          `select count(*)::int as r from public.kiosk_devices where clinic_id = $1`,
          [ID.clinicA],
        ),
      ).toBe(0);
    }));

  it('boardPushCarriesNoNames: the board row each queue change pushes to every subscriber holds no names', () =>
    rolledBack(t.db, async (tx) => {
      await begin(tx);
      // a queue step: the version moves, and the deferred refresh runs now instead of at commit
      await tx.exec(`update public.queues set version = version + 1 where id = '${ID.queueA}';
                     set constraints all immediate;`);
      const row = await as<{ now_serving: Item[]; next: Item[]; version: number }>(
        tx,
        ACTORS.anon,
        `select to_jsonb(b) as r from public.waiting_boards b where queue_id = $1`,
        [ID.queueA],
      );
      const shown = await board(tx, null);
      expect(row.now_serving).toEqual(shown.now_serving);
      expect(row.next).toEqual(shown.next);
      expect([...row.now_serving, ...row.next].map((i) => i.name)).toEqual([null, null]);
      expect(JSON.stringify(row)).not.toMatch(/Amina|Bruno|Patient/);
    }));
});
