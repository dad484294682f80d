/**
 * What a folder of compiled zone files (TZif, as Debian's `tzdata` installs under /usr/share/zoneinfo) says:
 * its release ("# version 2026f" in tzdata.zi) and the UTC offset a zone has at an instant. PGlite is given
 * such a folder (pgliteTimeZones.ts, QUEUEMED_ZONEINFO) and Debian's PostgreSQL reads /usr/share/zoneinfo
 * (built --with-system-tzdata), so this is what the database computes with: /health reports the release, and
 * tests use the offsets as their oracle instead of Node's own ICU rules (which may be older or newer).
 *
 * Morocco is the reason it matters: tzdata 2026c+ has it at +00 for good from 2026-09-20, older releases at
 * +01 with a switch to +00 around each Ramadan.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The zone files' release ("2026f"), or null when the folder has no tzdata.zi (or none at all). */
export function zoneDataVersion(dir: string): string | null {
  const file = join(dir, 'tzdata.zi');
  if (!existsSync(file)) return null;
  const head = readFileSync(file, 'latin1').slice(0, 200);
  return /^# version (\S+)/m.exec(head)?.[1] ?? null;
}

interface Tzif {
  readonly transitions: readonly number[]; // seconds since the epoch, ascending
  readonly typeOfTransition: readonly number[];
  readonly offsets: readonly number[]; // seconds east of UTC, per local time type
  readonly firstStandard: number; // the type before the first transition
  readonly footer: string; // POSIX TZ string for instants after the last transition
}

/** Parses a TZif file of version 2 or later (its 64-bit block and footer). */
export function parseTzif(data: Uint8Array): Tzif {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.toString('latin1', 0, 4) !== 'TZif' || buf[4] === 0) throw new Error('not a TZif v2+ file');
  const counts = (at: number) => ({
    isut: buf.readUInt32BE(at + 20),
    isstd: buf.readUInt32BE(at + 24),
    leap: buf.readUInt32BE(at + 28),
    time: buf.readUInt32BE(at + 32),
    type: buf.readUInt32BE(at + 36),
    char: buf.readUInt32BE(at + 40),
  });
  const v1 = counts(0);
  const v1Size = v1.time * 5 + v1.type * 6 + v1.char + v1.leap * 8 + v1.isstd + v1.isut;
  const h = 44 + v1Size;
  const c = counts(h);
  let p = h + 44;
  const transitions: number[] = [];
  for (let i = 0; i < c.time; i++) transitions.push(Number(buf.readBigInt64BE(p + i * 8)));
  p += c.time * 8;
  const typeOfTransition = [...buf.subarray(p, p + c.time)];
  p += c.time;
  const offsets: number[] = [];
  const isDst: boolean[] = [];
  for (let i = 0; i < c.type; i++) {
    offsets.push(buf.readInt32BE(p + i * 6));
    isDst.push(buf[p + i * 6 + 4] === 1);
  }
  p += c.type * 6 + c.char + c.leap * 12 + c.isstd + c.isut;
  const footer = buf.toString('latin1', p).split('\n')[1] ?? '';
  const firstStandard = Math.max(0, isDst.indexOf(false));
  return { transitions, typeOfTransition, offsets, firstStandard, footer };
}

/** Offset (minutes east of UTC) of a fixed-offset POSIX TZ string such as "<+00>0" or "<+01>-1". */
function footerOffset(footer: string): number {
  const m = /^(?:<[^>]+>|[A-Za-z]{3,})([+-]?)(\d{1,2})(?::(\d{2}))?$/.exec(footer);
  if (!m) throw new Error(`zone footer with rules is not supported here: ${footer}`);
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? minutes : -minutes; // POSIX counts west of UTC
}

/** The UTC offset (minutes east) that the zone file of `zone` in `dir` gives at `instant`. */
export function zoneOffsetAt(dir: string, zone: string, instant: string | Date): number {
  const z = parseTzif(readFileSync(join(dir, zone)));
  const t = Math.floor((typeof instant === 'string' ? Date.parse(instant) : instant.getTime()) / 1000);
  if (z.transitions.length === 0 || t < z.transitions[0]!) return z.offsets[z.firstStandard]! / 60;
  if (t >= z.transitions[z.transitions.length - 1]! && z.footer !== '') {
    // past the last listed change the footer rules; only a fixed one (Casablanca's) is read here
    return footerOffset(z.footer);
  }
  let lo = 0;
  let hi = z.transitions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (z.transitions[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return z.offsets[z.typeOfTransition[lo]!]! / 60;
}

/** What /health says about the zone data the database computes clinic times with. */
export interface ZoneDataReport {
  /** tzdata release of the files the database reads ("2026f"); null when it cannot be read. */
  readonly version: string | null;
  /** Where the database's zone files come from: "system" (/usr/share/zoneinfo), "QUEUEMED_ZONEINFO",
   * "pglite (built-in)" or "postgres" (the server's own). Not the path: /health is public. */
  readonly source: string;
  /** Casablanca's offset in minutes on 2026-11-15 as the database computes it: 0 = tzdata 2026c+, 60 = older. */
  readonly casablancaNov2026: number | null;
  /** False when the database still has Morocco's pre-2026c rules (clinic times an hour ahead since 2026-09-20). */
  readonly moroccoCurrent: boolean | null;
}

interface Queryable {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * Asks the database once (at start) for Casablanca's offset after Morocco's 2026-09-20 change and finds the
 * release: PGlite's folder (`pgliteDir`: QUEUEMED_ZONEINFO or /usr/share/zoneinfo), or for PostgreSQL its own
 * /usr/share/zoneinfo/tzdata.zi when the role may read server files (a superuser, as the local stack's is).
 */
export async function probeZoneData(db: Queryable, pgliteDir: string): Promise<ZoneDataReport> {
  let offset: number | null = null;
  try {
    const { rows } = await db.query<{ off: number }>(
      `select (extract(epoch from ('2026-11-15 12:00:00+00'::timestamptz at time zone 'Africa/Casablanca')
               - ('2026-11-15 12:00:00+00'::timestamptz at time zone 'UTC')) / 60)::int as off`,
    );
    offset = rows[0] ? Number(rows[0].off) : null;
  } catch {
    offset = null;
  }
  let version: string | null = null;
  let source: string;
  if (db.kind === 'pglite') {
    const ownFiles = existsSync(join(pgliteDir, 'Africa', 'Casablanca'));
    source = !ownFiles
      ? 'pglite (built-in)'
      : pgliteDir === '/usr/share/zoneinfo'
        ? 'system'
        : 'QUEUEMED_ZONEINFO';
    version = ownFiles ? zoneDataVersion(pgliteDir) : null;
  } else {
    source = 'postgres';
    try {
      const { rows } = await db.query<{ head: string }>(
        `select pg_read_file('/usr/share/zoneinfo/tzdata.zi', 0, 200) as head`,
      );
      version = /^# version (\S+)/m.exec(rows[0]?.head ?? '')?.[1] ?? null;
    } catch {
      version = null; // not a superuser, or the server has no tzdata.zi there
    }
  }
  return {
    version,
    source,
    casablancaNov2026: offset,
    moroccoCurrent: offset === null ? null : offset === 0,
  };
}
