// `npm run test:e2e:night`: the end-to-end suite twice, back to back, with every clock pinned (the local
// stack through QUEUEMED_FAKE_NOW — PGlite's now() follows it — and each browser through page.clock, see
// playwright.config.ts): at 23:30 and at 00:30 in Casablanca, around the clinic's midnight, where a test that
// still leans on the machine's wall clock breaks. Each run starts its own stack on a fresh data folder.
// E2E_NIGHT_DATE (default 2026-12-01) picks the evening; extra arguments go to `playwright test` (e.g. one spec
// file). Prints one line per run and fails if either run fails.
// "23:30 in Casablanca" is taken from the zone files the stack's database reads (QUEUEMED_ZONEINFO or
// /usr/share/zoneinfo: +00 with tzdata 2026c+, +01 before), not from Node's ICU: run with tsx (package.json).
import { spawnSync } from 'node:child_process';
import { zoneOffsetAt } from '../supabase/local/db/zoneData.ts';

const ZONE = 'Africa/Casablanca';
const date = process.env.E2E_NIGHT_DATE ?? '2026-12-01';

/** The UTC instant at which the clinic's wall clock shows `day` `hh:mm` by the database's zone files. */
export function clinicInstant(
  day,
  hhmm,
  zone = ZONE,
  dir = process.env.QUEUEMED_ZONEINFO ?? '/usr/share/zoneinfo',
) {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  for (let offset = -14 * 60; offset <= 14 * 60; offset += 15) {
    const at = wall - offset * 60_000;
    if (zoneOffsetAt(dir, zone, new Date(at)) === offset) return new Date(at).toISOString();
  }
  throw new Error(`no instant shows ${day} ${hhmm} in ${zone}`);
}

const nextDay = (day) => new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const runs = [
  ['23:30', clinicInstant(date, '23:30')],
  ['00:30', clinicInstant(nextDay(date), '00:30')],
];

let failed = false;
const lines = [];
for (const [label, iso] of runs) {
  const env = { ...process.env, QUEUEMED_FAKE_NOW: iso };
  delete env.QUEUEMED_CLOCK_OFFSET_MS; // playwright.config.ts derives it from QUEUEMED_FAKE_NOW, per run
  delete env.E2E_DATA_DIR; // a fresh stack each time
  console.log(`\n── e2e at ${label} in ${ZONE} (QUEUEMED_FAKE_NOW=${iso}) ──`);
  const t0 = Date.now();
  const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { env, stdio: 'inherit' });
  const ok = r.status === 0;
  failed ||= !ok;
  lines.push(
    `  ${label} ${ZONE} (${iso}): ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
}
console.log(`\ne2e at pinned hours:\n${lines.join('\n')}`);
process.exit(failed ? 1 : 0);
