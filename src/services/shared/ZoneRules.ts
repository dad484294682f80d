/**
 * Zone rules for the in-memory fakes: which offset a clinic's zone has at an instant. By default the runtime's
 * (Node's ICU — its tz release differs between machines: Morocco is +00 from 2026-09-20 in tz 2026c+, +01 in
 * Node 20's 2025c), or a fixed offsets table given by the test, as get_clinic_clock answers on the real stack —
 * so a test's clinic times do not depend on which tz release the machine runs.
 */
import { IANAZone, Zone } from 'luxon';

/** The zone a clinic's `timeZone` name stands for (a luxon Zone, usable as `{ zone }` and by `offset(ts)`). */
export type ZoneRules = (timeZone: string) => Zone;

/** The runtime's rules (Intl): what the fakes did before they took rules. */
export const runtimeZoneRules: ZoneRules = (timeZone) => IANAZone.create(timeZone);

/** One row of an offsets table: from this instant on (until the next row), the zone is UTC + offsetMinutes. */
export interface OffsetRow {
  readonly from: string;
  readonly offsetMinutes: number;
}

/** A zone named `name` whose offset at an instant (ms) is `offsetAt`'s answer, in minutes east of UTC. */
class RulesZone extends Zone {
  constructor(
    private readonly zoneName: string,
    private readonly offsetAt: (ts: number) => number,
  ) {
    super();
  }
  override get type() {
    return 'rules';
  }
  override get name() {
    return this.zoneName;
  }
  override get isUniversal() {
    return false;
  }
  override offsetName() {
    return this.zoneName;
  }
  override formatOffset(ts: number, format: 'narrow' | 'short' | 'techie') {
    const o = this.offset(ts);
    const sign = o < 0 ? '-' : '+';
    const hh = String(Math.trunc(Math.abs(o) / 60)).padStart(2, '0');
    const mm = String(Math.abs(o) % 60).padStart(2, '0');
    if (format === 'narrow') return mm === '00' ? `${sign}${Number(hh)}` : `${sign}${Number(hh)}:${mm}`;
    return format === 'techie' ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`;
  }
  override offset(ts: number): number {
    return this.offsetAt(ts);
  }
  override equals(other: Zone): boolean {
    return other === this;
  }
  override get isValid(): true {
    return true;
  }
}

/** Rules from a function (zone name, instant in ms) → offset in minutes, e.g. the zone files a database reads. */
export function zoneRulesFrom(offsetAt: (timeZone: string, ts: number) => number): ZoneRules {
  const zones = new Map<string, Zone>();
  return (timeZone) => {
    let z = zones.get(timeZone);
    if (!z) zones.set(timeZone, (z = new RulesZone(timeZone, (ts) => offsetAt(timeZone, ts))));
    return z;
  };
}

/** The offsets of a table (rows in time order; before the first row, the first's). */
function tableOffsetAt(zoneName: string, rows: readonly OffsetRow[]): (ts: number) => number {
  if (rows.length === 0) throw new Error(`no offsets for ${zoneName}`);
  const parsed = rows.map((r) => ({ from: Date.parse(r.from), offsetMinutes: r.offsetMinutes }));
  return (ts) => {
    let found = parsed[0]!.offsetMinutes;
    for (const r of parsed) if (r.from <= ts) found = r.offsetMinutes;
    return found;
  };
}

/**
 * Fixed rules: the named zones follow their tables; any other name is refused (a fixture names every zone it
 * uses), so nothing falls back to the runtime's release.
 */
export function fixedZoneRules(tables: Readonly<Record<string, readonly OffsetRow[]>>): ZoneRules {
  const zones = new Map(
    Object.entries(tables).map(([name, rows]) => [name, new RulesZone(name, tableOffsetAt(name, rows))]),
  );
  return (timeZone) => {
    const z = zones.get(timeZone);
    if (!z) throw new Error(`no zone rules for ${timeZone} in this fixture`);
    return z;
  };
}
