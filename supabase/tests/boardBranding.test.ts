/**
 * Session 20 (board20), issue 17: the board's branding (20261220300001_board_branding.sql), the rooms of a paired
 * board (20261220300002_board_device_rooms.sql) and the clinic's kiosk walk-ins switch
 * (20261220300003_kiosk_walk_ins_switch.sql) — rules in docs/domain-rules.md. The database decides each: the
 * owner's colours and logo, a board's rooms (its clinic's only), a kiosk's walk-in when the clinic turned them off.
 * The world: clinic A (rooms '1' and '2'), clinic B; the clock pinned to 10:00 of the world's day; each case is
 * rolled back. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const COLOURS = `select public.set_board_colours($1, $2, $3) as r`;
const LOGO = `select public.set_board_logo($1, $2) as r`;
const BRANDING = `select public.get_board_branding($1) as r`;
const PAIR_BOARD = `select public.pair_board($1, 'TV') as r`;
const ROOMS = `select public.set_board_rooms($1, $2::text[]) as r`;
const BOARD = `select public.get_waiting_board($1, $2) as r`;
const PAIR_KIOSK = `select public.pair_kiosk($1, 'Entrance') as r`;
const WALK_IN = `select public.kiosk_register_walk_in($1, 'Salma Kiosque', '+212611223344', null) as r`;
const HELLO = `select public.get_kiosk($1) as r`;

type Branding = { bg: string; accent: string; logo: string | null; custom: boolean };
type Paired = { id: string; token: string };

const b64 = (bytes: number[] | Uint8Array) => Buffer.from(bytes).toString('base64');
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const JPEG = b64([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
const WEBP = b64([...Buffer.from('RIFF'), 8, 0, 0, 0, ...Buffer.from('WEBPVP8 '), 0, 0, 0, 0]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString(
  'base64',
);
const GIF = b64([...Buffer.from('GIF89a'), 1, 0, 1, 0, 0, 0, 0, 0]);
const HTML_AS_PNG = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
const PNG_TOO_BIG = b64(
  new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(65536)]),
);

describe.each(DB_KINDS)('board branding, board rooms and the kiosk walk-ins switch on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('boardColoursReadable: the owner sets readable colours; unreadable ones are refused with a coded error and nothing is saved', () =>
    rolledBack(t.db, async (tx) => {
      // before anything is set: the board's defaults
      expect(await as<Branding>(tx, ACTORS.anon, BRANDING, [ID.clinicA])).toEqual({
        bg: '#0e463f',
        accent: '#a7f3d0',
        logo: null,
        custom: false,
      });
      expect(
        await as<Branding>(tx, ACTORS.ownerA, COLOURS, [ID.clinicA, '#1E3A8A', ' #fde68a ']),
      ).toMatchObject({
        bg: '#1e3a8a',
        accent: '#fde68a',
        custom: true,
      });
      // white on white, an accent the colour of the background, a mid blue under 70 % white text
      for (const [bg, accent] of [
        ['#ffffff', '#000000'],
        ['#0e463f', '#0b6a5d'],
        ['#1d4ed8', '#bfdbfe'],
        ['#777777', null],
      ])
        expect(await refused(tx, ACTORS.ownerA, COLOURS, [ID.clinicA, bg, accent])).toBe(
          'PT422 BOARD.LOW_CONTRAST',
        );
      for (const [bg, accent] of [
        ['red', null],
        ['#12345', null],
        ['#1e3a8a; drop table x', null],
        ['#0e463f', "#fff' or 1=1"],
        ['#٠٠٠٠٠٠', null],
        ['#0e463f\u202e', null],
      ])
        expect(await refused(tx, ACTORS.ownerA, COLOURS, [ID.clinicA, bg, accent])).toBe(
          'PT422 VALIDATION.FAILED',
        );
      // what was saved before stays
      expect(await as<Branding>(tx, ACTORS.anon, BRANDING, [ID.clinicA])).toMatchObject({
        bg: '#1e3a8a',
        accent: '#fde68a',
      });
      // back to the defaults
      expect(await as<Branding>(tx, ACTORS.ownerA, COLOURS, [ID.clinicA, null, null])).toMatchObject({
        bg: '#0e463f',
        accent: '#a7f3d0',
        custom: false,
      });
    }));

  // feat21b: the Next column's paused and intake-closed boxes and the cards inside a column are board text too
  it('boardColoursReadable counts the paused and intake-closed boxes and the cards inside a column; the figures are the domain’s', () =>
    rolledBack(t.db, async (tx) => {
      // readable on every surface board20 checked (4.81:1), 4.29:1 for the accent "Room" label on the 10 % white
      // surface inside the column (the intake-closed box's surface): refused, nothing saved
      for (const [bg, accent] of [
        ['#1e40af', '#bfdbfe'],
        ['#14532d', '#86efac'],
      ])
        expect(await refused(tx, ACTORS.ownerA, COLOURS, [ID.clinicA, bg, accent])).toBe(
          'PT422 BOARD.LOW_CONTRAST',
        );
      expect(await as<Branding>(tx, ACTORS.anon, BRANDING, [ID.clinicA])).toMatchObject({ custom: false });
      // the database's figures are the admin form's (BoardColours.test): the default board, a refused pair
      const figures = await tx.query<{ d: string; b: string; w: string }>(
        `select round(private.board_min_contrast('#0e463f', '#a7f3d0')::numeric, 2)::text as d,
                round(private.board_min_contrast('#1e40af', '#bfdbfe')::numeric, 2)::text as b,
                round(private.board_min_contrast('#1d4ed8', '#bfdbfe')::numeric, 2)::text as w`,
      );
      expect(figures.rows[0]).toEqual({ d: '5.20', b: '4.29', w: '3.50' });
      // still readable: the pair the first case saves
      expect(
        await as<Branding>(tx, ACTORS.ownerA, COLOURS, [ID.clinicA, '#1e3a8a', '#fde68a']),
      ).toMatchObject({ custom: true });
    }));

  it("boardBrandingRights: only the clinic's owner or admin sets the branding; anyone reads it", () =>
    rolledBack(t.db, async (tx) => {
      for (const actor of [ACTORS.recepA, ACTORS.practA, ACTORS.patientA, ACTORS.ownerB]) {
        expect(await refused(tx, actor, COLOURS, [ID.clinicA, '#1e3a8a', '#fde68a'])).toBe(
          'PT403 AUTH.FORBIDDEN',
        );
        expect(await refused(tx, actor, LOGO, [ID.clinicA, PNG_1PX])).toBe('PT403 AUTH.FORBIDDEN');
      }
      expect(await refused(tx, ACTORS.anon, COLOURS, [ID.clinicA, '#1e3a8a', '#fde68a'])).toMatch(/^42501 /);
      expect(await refused(tx, ACTORS.anon, LOGO, [ID.clinicA, PNG_1PX])).toMatch(/^42501 /);
      await as(tx, ACTORS.ownerA, COLOURS, [ID.clinicA, '#7f1d1d', null]);
      // clinic B is untouched, and an unknown clinic is not found
      expect(await as<Branding>(tx, ACTORS.anon, BRANDING, [ID.clinicB])).toMatchObject({ custom: false });
      expect(await refused(tx, ACTORS.anon, BRANDING, ['00000000-0000-4000-8000-00000000dead'])).toBe(
        'PT404 NOT_FOUND',
      );
    }));

  it('boardLogoTypes, boardLogoSize: PNG, JPEG and WebP by their own bytes, at most 64 KiB; never SVG, GIF or HTML', () =>
    rolledBack(t.db, async (tx) => {
      const png = await as<Branding>(tx, ACTORS.ownerA, LOGO, [ID.clinicA, PNG_1PX]);
      expect(png.logo).toBe(`data:image/png;base64,${PNG_1PX}`);
      expect((await as<Branding>(tx, ACTORS.ownerA, LOGO, [ID.clinicA, JPEG])).logo).toBe(
        `data:image/jpeg;base64,${JPEG}`,
      );
      expect((await as<Branding>(tx, ACTORS.ownerA, LOGO, [ID.clinicA, WEBP])).logo).toBe(
        `data:image/webp;base64,${WEBP}`,
      );
      for (const bad of [SVG, GIF, HTML_AS_PNG, PNG_TOO_BIG, 'not base64 at all!', '', 'A'.repeat(100_000)])
        expect(await refused(tx, ACTORS.ownerA, LOGO, [ID.clinicA, bad])).toBe('PT422 BOARD.LOGO_INVALID');
      // the last good logo stays; null removes it
      expect((await as<Branding>(tx, ACTORS.anon, BRANDING, [ID.clinicA])).logo).toMatch(
        /^data:image\/webp;/,
      );
      expect((await as<Branding>(tx, ACTORS.ownerA, LOGO, [ID.clinicA, null])).logo).toBeNull();
    }));

  it("boardDeviceRooms: a paired board is set to rooms of its own clinic, and only that screen's key reads them", () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await tx.exec(`update public.clinic_members set room = 'B-7' where id = '${ID.memberOwnerB}'`);
      const a = await as<Paired>(tx, ACTORS.recepA, PAIR_BOARD, [ID.clinicA]);
      const other = await as<Paired>(tx, ACTORS.recepA, PAIR_BOARD, [ID.clinicA]);
      expect(await as(tx, ACTORS.ownerA, ROOMS, [a.id, ['2', ' 2 ']])).toEqual({ id: a.id, rooms: ['2'] });
      expect(
        await as<{ rooms: string[] | null }>(tx, ACTORS.anon, BOARD, [ID.clinicA, a.token]),
      ).toMatchObject({
        paired: true,
        rooms: ['2'],
      });
      // another screen, no key, or a forged key: no rooms (the whole clinic)
      for (const key of [other.token, null, a.token.slice(0, -1) + 'x'])
        expect((await as<{ rooms: unknown }>(tx, ACTORS.anon, BOARD, [ID.clinicA, key])).rooms).toBeNull();
      // a room of another clinic, a room nobody has, SQL and bidi look-alikes: refused, the rooms set stay
      for (const rooms of [['B-7'], ['9'], ["1' or '1'='1"], ['1\u202e'], ['2', 'B-7']])
        expect(await refused(tx, ACTORS.ownerA, ROOMS, [a.id, rooms])).toBe('PT422 BOARD.ROOM_UNKNOWN');
      for (const rooms of [[''], ['x'.repeat(41)], Array.from({ length: 21 }, (_, i) => String(i))])
        expect(await refused(tx, ACTORS.ownerA, ROOMS, [a.id, rooms])).toBe('PT422 VALIDATION.FAILED');
      expect((await as<{ rooms: unknown }>(tx, ACTORS.anon, BOARD, [ID.clinicA, a.token])).rooms).toEqual([
        '2',
      ]);
      // who may: the clinic's owner, admin or receptionist; others do not even see the board
      for (const actor of [ACTORS.practA, ACTORS.patientA, ACTORS.ownerB])
        expect(await refused(tx, actor, ROOMS, [a.id, ['1']])).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.anon, ROOMS, [a.id, ['1']])).toMatch(/^42501 /);
      // a kiosk is no board
      const k = await as<Paired>(tx, ACTORS.recepA, PAIR_KIOSK, [ID.clinicA]);
      expect(await refused(tx, ACTORS.ownerA, ROOMS, [k.id, ['1']])).toBe('PT404 NOT_FOUND');
      // every room again
      expect(await as(tx, ACTORS.recepA, ROOMS, [a.id, []])).toEqual({ id: a.id, rooms: null });
      expect((await as<{ rooms: unknown }>(tx, ACTORS.anon, BOARD, [ID.clinicA, a.token])).rooms).toBeNull();
      // B's own board takes B's room
      const b = await as<Paired>(tx, ACTORS.ownerB, PAIR_BOARD, [ID.clinicB]);
      expect(await as(tx, ACTORS.ownerB, ROOMS, [b.id, ['B-7']])).toEqual({ id: b.id, rooms: ['B-7'] });
    }));

  it('kioskWalkInsSwitch: on by default; off, the kiosk says so and its walk-in is refused with nothing written', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const k = await as<Paired>(tx, ACTORS.recepA, PAIR_KIOSK, [ID.clinicA]);
      expect(await as(tx, ACTORS.anon, HELLO, [k.token])).toMatchObject({ walk_ins: true });
      await tx.exec(`update public.clinics set settings = coalesce(settings, '{}'::jsonb) || '{"kiosk_walk_ins": false}'
                      where id = '${ID.clinicA}'`);
      expect(await as(tx, ACTORS.anon, HELLO, [k.token])).toMatchObject({ walk_ins: false });
      const before = await tx.query<{ n: number }>(
        `select (select count(*) from public.patients)::int + (select count(*) from public.queue_entries)::int
              + (select count(*) from private.kiosk_walk_ins)::int as n`,
      );
      expect(await refused(tx, ACTORS.anon, WALK_IN, [k.token])).toBe('PT409 KIOSK.WALK_INS_OFF');
      const after = await tx.query<{ n: number }>(
        `select (select count(*) from public.patients)::int + (select count(*) from public.queue_entries)::int
              + (select count(*) from private.kiosk_walk_ins)::int as n`,
      );
      expect(after.rows).toEqual(before.rows);
      // a non-boolean is no setting
      expect(
        await refused(
          tx,
          null,
          `update public.clinics set settings = settings || '{"kiosk_walk_ins": "no"}' where id = $1`,
          [ID.clinicA],
        ),
      ).toMatch(/^23514 |SETTINGS|VALIDATION/);
    }));

  it('kioskWalkInsSwitch: turned on again, the kiosk registers the walk-in', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await tx.exec(`update public.clinics set settings = coalesce(settings, '{}'::jsonb) || '{"kiosk_walk_ins": true}'
                      where id = '${ID.clinicA}'`);
      const k = await as<Paired>(tx, ACTORS.recepA, PAIR_KIOSK, [ID.clinicA]);
      expect(await as(tx, ACTORS.anon, WALK_IN, [k.token])).toMatchObject({ found: true, status: 'waiting' });
    }));
});
