/**
 * Per-room boards (issue 17 "per-room boards (only some doctors)"): a screen opened as `/board/<clinic>?rooms=1,2`
 * shows and announces only the calls to those rooms — a clinic with two waiting areas hangs one screen in each. Its
 * "next" list keeps the tickets of those rooms and those waiting for any doctor (they may be called to either).
 * Without `rooms` the board is the whole clinic's, as before. The data is the public board's (no names unless the
 * screen is paired); this only narrows what one screen shows.
 */
interface RoomRow {
  room?: string | null;
}
interface Lists<S extends RoomRow, N extends RoomRow> {
  now_serving: S[];
  next: N[];
  paused_rooms?: string[];
}

const MAX_ROOMS = 20;

/** The rooms named by `?rooms=` (comma-separated, trimmed, at most 20 of ≤ 20 characters), or null for all. */
export function boardRooms(search: string): string[] | null {
  const raw = new URLSearchParams(search).get('rooms');
  if (raw === null) return null;
  const rooms = [
    ...new Set(
      raw
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== '' && r.length <= 20),
    ),
  ].slice(0, MAX_ROOMS);
  return rooms.length ? rooms : null;
}

/** The board as one screen for `rooms` shows it (null: the whole clinic's). */
export function forRooms<S extends RoomRow, N extends RoomRow, B extends Lists<S, N>>(
  b: B,
  rooms: readonly string[] | null,
): B {
  if (!rooms) return b;
  const mine = (room: string | null | undefined) => room != null && rooms.includes(room);
  return {
    ...b,
    now_serving: b.now_serving.filter((s) => mine(s.room)),
    next: b.next.filter((n) => n.room == null || mine(n.room)),
    ...(b.paused_rooms ? { paused_rooms: b.paused_rooms.filter((r) => rooms.includes(r)) } : {}),
  };
}
