/**
 * PGlite ships a time-zone database whose rules for some zones end early and fall back to a wrong
 * footer: its Africa/Casablanca says UTC+0 from 2026 on, where Morocco is UTC+1 outside Ramadan. A clinic's
 * "today", its slots and its ticket day would then be an hour off. Before any zone is used we replace
 * PGlite's compiled zone files with the operating system's (Debian `tzdata`, kept current by apt), which
 * PostgreSQL reads in the same TZif format. Zones the system lacks keep PGlite's file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of Emscripten's FS that we use. */
export interface EmscriptenFs {
  readdir(path: string): string[];
  stat(path: string): { mode: number };
  isDir(mode: number): boolean;
  writeFile(path: string, data: Uint8Array): void;
}

export const PGLITE_TZ_DIR = '/pglite/share/postgresql/timezone';
export const SYSTEM_TZ_DIR = process.env.QUEUEMED_ZONEINFO ?? '/usr/share/zoneinfo';

/** Copies every zone file the system has over PGlite's copy; returns how many were replaced. */
export function refreshPgliteTimeZones(fs: EmscriptenFs, systemDir = SYSTEM_TZ_DIR): number {
  if (!existsSync(join(systemDir, 'Africa', 'Casablanca'))) return 0;
  let replaced = 0;
  const walk = (relative: string) => {
    for (const name of fs.readdir(join(PGLITE_TZ_DIR, relative))) {
      if (name === '.' || name === '..') continue;
      const rel = relative ? `${relative}/${name}` : name;
      const target = `${PGLITE_TZ_DIR}/${rel}`;
      if (fs.isDir(fs.stat(target).mode)) {
        walk(rel);
        continue;
      }
      const source = join(systemDir, rel);
      if (!existsSync(source)) continue;
      const data = readFileSync(source);
      // Only TZif files (the system folder also holds tables like zone.tab).
      if (data.subarray(0, 4).toString('latin1') !== 'TZif') continue;
      fs.writeFile(target, data);
      replaced++;
    }
  };
  walk('');
  return replaced;
}
