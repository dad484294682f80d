/**
 * Node's embedded ICU time-zone data (Node 20: tz 2025c — Morocco at UTC+1 with Ramadan switches), for Chromium.
 * Debian's Chromium's own ICU data has Morocco at UTC+0 from late 2026, as tzdata 2026c+ says (Morocco moved to
 * +00 for good on 2026-09-20). playwright.config.ts gives the suite's browsers whichever of the two agrees with
 * the database's zone files, and clinicClock.spec's "wrong browser" the other (issue 14): neither is the truth,
 * the server is. ICU reads zone data from the folder named by ICU_TIMEZONE_FILES_DIR, so this copies
 * the four time-zone resources (zoneinfo64, timezoneTypes, metaZones, windowsZones) out of the running
 * Node binary's ICU common data into `dir`, for the end-to-end browser to use.
 *
 * The common data format: a header (uint16 size, magic 0xda27, …, data format "CmnD"), then a table of
 * contents: uint32 count and `count` pairs (name offset, data offset) relative to the table's start;
 * each item runs up to the next item's data offset.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const WANTED = ['zoneinfo64.res', 'timezoneTypes.res', 'metaZones.res', 'windowsZones.res'];

export function extractIcuTimeZoneData(dir, binary = process.execPath) {
  const bin = readFileSync(binary);
  for (let i = bin.indexOf('CmnD'); i !== -1; i = bin.indexOf('CmnD', i + 1)) {
    const start = i - 12;
    if (start < 0 || bin[start + 2] !== 0xda || bin[start + 3] !== 0x27) continue;
    const toc = start + bin.readUInt16LE(start);
    const count = bin.readUInt32LE(toc);
    const entries = [];
    for (let k = 0; k < count; k++) {
      const nameOffset = bin.readUInt32LE(toc + 4 + k * 8);
      const dataOffset = bin.readUInt32LE(toc + 8 + k * 8);
      const nameEnd = bin.indexOf(0, toc + nameOffset);
      entries.push({ name: bin.toString('latin1', toc + nameOffset, nameEnd), dataOffset });
    }
    mkdirSync(dir, { recursive: true });
    let written = 0;
    entries.forEach((e, k) => {
      const base = e.name.slice(e.name.indexOf('/') + 1);
      const next = entries[k + 1];
      if (!WANTED.includes(base) || !next) return;
      writeFileSync(join(dir, base), bin.subarray(toc + e.dataOffset, toc + next.dataOffset));
      written++;
    });
    if (written === WANTED.length) return dir;
  }
  throw new Error('no ICU time-zone data found in the Node binary');
}
