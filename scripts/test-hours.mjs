// `npm run test:hours [-- <vitest args>]`: a vitest project (default `db`) run once per time of day, the whole
// process tree under libfaketime (`apt-get install faketime`): Node, PGlite's now() and every PostgreSQL the
// tests start see the same shifted wall clock, which keeps running. It finds what no pinned test can: a
// fixture seeded at the wall clock's now() colliding with a pinned 10:40 booking (stop 26, CI at 10:52
// Casablanca), a month boundary that UTC and Casablanca put on different days (00:20 on a month's first day).
//
// TEST_HOURS: comma-separated UTC instants (default below: clinic wall times turned into instants by the zone
// files the databases read — QUEUEMED_ZONEINFO or /usr/share/zoneinfo — so run with tsx, see package.json).
// TEST_ICU: a file of ICU common data (e.g. Chromium's /usr/lib/chromium/icudtl.dat, tz 2026e: Morocco at +00 for
// good since 2026-09-20) whose time-zone resources Node's Intl and Luxon then use instead of Node's own (Node 20:
// 2025c, Morocco at +01), through ICU_TIMEZONE_FILES_DIR: a test that takes an oracle from Node's zone rules fails
// under one of the two. The databases keep their zone files.
// TEST_PROJECT: the vitest project. Runs one after another (each is a whole suite) and prints one line per
// run; exits 1 if any run failed. Not part of `npm test`: each run takes as long as the project does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zoneOffsetAt } from '../supabase/local/db/zoneData.ts';
import { extractIcuTimeZoneData } from './icu-tzdata.mjs';

const ZONE = 'Africa/Casablanca';
const ZONEINFO = process.env.QUEUEMED_ZONEINFO ?? '/usr/share/zoneinfo';
/** The instant the clinic's wall clock shows `day hh:mm`, by the zone files the databases read (not Node's ICU). */
const clinicInstant = (day, hhmm) => {
  const wall = Date.parse(`${day}T${hhmm}:00Z`);
  for (let offset = -14 * 60; offset <= 14 * 60; offset += 15) {
    const at = wall - offset * 60_000;
    if (zoneOffsetAt(ZONEINFO, ZONE, new Date(at)) === offset) return new Date(at).toISOString();
  }
  throw new Error(`no instant shows ${day} ${hhmm} in ${ZONE}`);
};
/** What the clinic's wall clock shows at `iso`, by the same zone files. */
const clinicWall = (iso) =>
  new Date(Date.parse(iso) + zoneOffsetAt(ZONEINFO, ZONE, new Date(iso)) * 60_000)
    .toISOString()
    .slice(0, 16)
    .replace('T', ' ');

const DEFAULT_HOURS = [
  clinicInstant('2026-12-01', '00:20'), // a month's first minutes: UTC may still be in the month before
  clinicInstant('2026-12-01', '07:55'), // before the 08:00 most pinned tests use
  clinicInstant('2026-12-01', '10:52'), // CI's failed run of stop 26
  clinicInstant('2026-12-01', '22:55'), // the fixtures' last working hour
  clinicInstant('2026-12-01', '23:40'), // after closing, before the clinic's midnight
  clinicInstant('2026-12-01', '23:50'), // a 20-minute note set "now" ends tomorrow (stop 29, CI at 23:49)
];
const hours = (process.env.TEST_HOURS?.split(',') ?? DEFAULT_HOURS).map((s) => s.trim()).filter(Boolean);
const project = process.env.TEST_PROJECT ?? 'db';

const which = spawnSync('sh', ['-c', 'command -v faketime'], { encoding: 'utf8' });
if (which.status !== 0) {
  console.error('test:hours needs libfaketime: apt-get install -y faketime');
  process.exit(2);
}
for (const at of hours) {
  if (Number.isNaN(Date.parse(at))) {
    console.error(`not an instant: ${at}`);
    process.exit(2);
  }
}

const icuDir = process.env.TEST_ICU
  ? extractIcuTimeZoneData(mkdtempSync(join(tmpdir(), 'test-hours-icu-')), process.env.TEST_ICU)
  : undefined;
if (icuDir) {
  const tz = spawnSync(process.execPath, ['-p', 'process.versions.tz'], {
    env: { ...process.env, ICU_TIMEZONE_FILES_DIR: icuDir },
    encoding: 'utf8',
  }).stdout.trim();
  console.log(`Node's zone rules from ${process.env.TEST_ICU}: tz ${tz}`);
}

const logs = mkdtempSync(join(tmpdir(), 'test-hours-'));
const lines = [];
let failed = false;
for (const at of hours) {
  const stamp = new Date(at).toISOString().replace('T', ' ').slice(0, 19);
  const casablanca = clinicWall(at);
  const log = join(logs, `${stamp.replace(/[ :]/g, '-')}.log`);
  console.log(`── vitest --project ${project} at ${at} (Casablanca ${casablanca}) → ${log}`);
  const t0 = Date.now();
  // The clock starts at `at` and advances; monotonic clocks stay real, so timers and timeouts behave. The shift
  // is relative (`+seconds`), the same for every process: with an absolute start (`@…`) each process started
  // later (a PostgreSQL server, a stack) began again at `at`, minutes behind the test runner that had been running
  // since — at 23:40 the stack project's postgres cases saw the runner and the database 651 s apart.
  const shift = Math.round((Date.parse(at) - Date.now()) / 1000);
  const env = {
    ...process.env,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    ...(icuDir ? { ICU_TIMEZONE_FILES_DIR: icuDir } : {}),
  };
  const r = spawnSync(
    'faketime',
    [
      '-f',
      `${shift >= 0 ? '+' : ''}${shift}`,
      'npx',
      'vitest',
      'run',
      '--project',
      project,
      ...process.argv.slice(2),
    ],
    { env, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  writeFileSync(log, `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  const ok = r.status === 0;
  failed ||= !ok;
  // eslint-disable-next-line no-control-regex -- strips the colours of the saved output
  const text = readFileSync(log, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
  const tally = text.match(/Tests\s+(.*\(\d+\))/)?.[1] ?? `exit ${r.status}`;
  const fails = [...text.matchAll(/FAIL\s+(.+)$/gm)].map((m) => `      ${m[1]}`);
  lines.push(
    `  ${at} (Casablanca ${casablanca}): ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(0)} s — ${tally}`,
    ...fails,
  );
}
console.log(`\n${project} at shifted wall clocks (logs in ${logs}):\n${lines.join('\n')}`);
process.exit(failed ? 1 : 0);
