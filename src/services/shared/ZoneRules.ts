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

/** A zone named `name` whose offsets are the table's (rows in time order; before the first row, the first's). */
class OffsetTableZone extends Zone {
  private readonly rows: readonly { from: number; offsetMinutes: number }[];
  constructor(
    private readonly zoneName: string,
    rows: readonly OffsetRow[],
  ) {
    super();
    if (rows.length === 0) throw new Error(`no offsets for ${zoneName}`);
    this.rows = rows.map((r) => ({ from: Date.parse(r.from), offsetMinutes: r.offsetMinutes }));
  }
  override get type() {
    return 'offset-table';
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
    let found = this.rows[0]?.offsetMinutes ?? 0;
    for (const r of this.rows) if (r.from <= ts) found = r.offsetMinutes;
    return found;
  }
  override equals(other: Zone): boolean {
    return other === this;
  }
  override get isValid(): true {
    return true;
  }
}

/**
 * Fixed rules: the named zones follow their tables; any other name is refused (a fixture names every zone it
 * uses), so nothing falls back to the runtime's release.
 */
export function fixedZoneRules(tables: Readonly<Record<string, readonly OffsetRow[]>>): ZoneRules {
  const zones = new Map(
    Object.entries(tables).map(([name, rows]) => [name, new OffsetTableZone(name, rows)]),
  );
  return (timeZone) => {
    const z = zones.get(timeZone);
    if (!z) throw new Error(`no zone rules for ${timeZone} in this fixture`);
    return z;
  };
}
