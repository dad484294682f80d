// `npm test`: the CI phases, then the seconds each phase took and the load average, so a slow CI run says where
// its time went (issue 14). `TEST_PHASES=unit,stack npm test` runs only the named phases.
//
// Two lanes run side by side (issue 14, CI under 15 min on a 2-core machine): the database suites (db → stack,
// ~800 s, much of it spent waiting on PostgreSQL, Deno hosts, sockets and timers) beside everything else
// (typecheck → lint → unit → functions → size → e2e, ~800 s). Inside a lane the order is the old one, so `size`
// still builds the SPA that e2e then reuses (scripts/build-if-stale.mjs), and db's PGlite templates are cached
// before stack starts. Nothing is shared between the lanes but the machine: each database suite starts its own
// servers on free ports, e2e its stack on E2E_PORT (31390), and no test file runs in two phases.
// A lane's phases write to test-results/phases/<phase>.log; each log is printed whole when its phase ends (failed
// phases last, so CI's tail shows the failure). After a failure no new phase starts; running ones finish.
// `TEST_LANES=3` (the default since session 17, see below): db → functions → unit | stack | the rest, side by side;
// `TEST_LANES=1` one lane in the old order with the output streamed; `TEST_LANES=2` the two lanes above.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const COMMANDS = {
  typecheck: 'npm run typecheck',
  // `npm run lint`'s two checks side by side (ci25ln): ESLint and prettier --check are separate processes of about
  // 40 CPU-s each that share nothing; one after the other they were 147 s of this lane's wall (the wall of CI).
  // Both always run to the end, so a failure of either is printed whole; the phase fails if either failed.
  lint:
    '(npx eslint --max-warnings=0 .) & eslint=$!; npx prettier --check --log-level warn .; prettier=$?; ' +
    'wait $eslint; eslint=$?; echo "lint: eslint exit $eslint, prettier exit $prettier"; ' +
    '[ $eslint -eq 0 ] && [ $prettier -eq 0 ]',
  unit: 'npm run test:unit',
  db: 'npm run test:db',
  stack: 'npm run test:stack',
  functions: 'npm run test:functions',
  size: 'npm run size',
  e2e: 'npm run test:e2e',
};
const SERIAL = ['typecheck', 'lint', 'unit', 'db', 'stack', 'functions', 'size', 'e2e'];
const TWO_LANES = [
  ['db', 'stack'],
  ['typecheck', 'lint', 'unit', 'functions', 'size', 'e2e'],
];
// Three lanes (session 17, the default): the suites mostly wait — on sockets, timers, PostgreSQL, Deno hosts and
// Chromium — so three at once on 2 cores finish together in about the time of the longest. Measured in three
// clones at once (load ≈ 7): db 454.5 s | stack 664.8 s | typecheck → lint → unit → size → e2e 812.6 s, against
// ≈ 2,000 s one after the other. db and stack both build the PGlite templates if neither has cached them yet
// (test/setup/dbTemplates.ts stages and renames, so the two never see half a cache).
// Session 18: `unit` moved behind `db`. The landed session-17 run on a quiet machine took db 407 s | stack +
// functions 630 s | typecheck → lint → unit → size → e2e 768 s — the last lane was the wall. unit (250 s) behind db
// gives ≈ 657 | 630 | 519 s; `size` stays right before e2e because it builds the SPA that e2e serves.
// Session 24 (ci24): e2e has grown (89 tests, 588 s) and session 23's clean-clone run ended db → unit 1087 s |
// stack → functions 1059 s | typecheck → lint → size → e2e 772 s — the last lane idle for 300 s while the other two
// were the wall. unit now runs after e2e (it needs nothing built by the others) and functions after db:
// ≈ 880 + 39 = 919 | 1020 | 772 + unit (205 CPU-s on worker threads, was 267; ≈ 180 s wall) ≈ 950 s on those figures.
// Session 28 (ci28): e2e in Chromium's headless shell and unit on shared worker threads made both shorter; fin28 ended
// db → functions 721 s (then idle) | stack 921 | typecheck → lint → size → e2e 854 → unit 977. unit behind functions
// instead (two clean-clone runs) ended stack last at 1030 and 1051 s: unit's two threads then ran beside stack and
// e2e and slowed both (unit 192 → 225 CPU-s). Kept after e2e, where it has the machine nearly to itself.
// Session 32 (fin32a): stack got cheaper (its PGlites share one read of the template) and ended at 861 s, db →
// functions at 731 s, and typecheck → lint → size → e2e at 909 s — then unit ran alone on its one thread (85 s, half
// the machine idle) to 995 s. unit now follows functions: it runs beside the ends of stack and e2e instead.
const THREE_LANES = [['db', 'functions', 'unit'], ['stack'], ['typecheck', 'lint', 'size', 'e2e']];

const only = process.env.TEST_PHASES?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = (only ?? []).filter((n) => !(n in COMMANDS));
if (unknown.length > 0) {
  console.error(`unknown phase(s) in TEST_PHASES: ${unknown.join(', ')} (known: ${SERIAL.join(', ')})`);
  process.exit(2);
}
// Serial was the default from run40 (session 12): two lanes then took 1643 s wall at load 5–6, the same as the
// serial run39 (1644 s), and e2e under the doubled load reached a seeded-time dependency (morning.spec). Since
// then the e2e specs pin their clocks and db/stack copy migrated templates instead of migrating per file; session
// 17 measured the three lanes above side by side and made them the default. `TEST_LANES=1` runs one lane in the
// old order with the output streamed (a quiet, readable run); `TEST_LANES=2` the two lanes.
const laneCount = process.env.TEST_LANES === undefined ? 3 : Number(process.env.TEST_LANES);
if (laneCount !== 1 && laneCount !== 2 && laneCount !== 3) {
  console.error(`TEST_LANES must be 1, 2 or 3, not ${process.env.TEST_LANES}`);
  process.exit(2);
}
const lanes = (laneCount === 1 ? [SERIAL] : laneCount === 2 ? TWO_LANES : THREE_LANES)
  .map((lane) => lane.filter((p) => !only || only.includes(p)))
  .filter((lane) => lane.length > 0);
const streamed = lanes.length === 1;

const root = new URL('..', import.meta.url).pathname;
const logDir = join(root, 'test-results', 'phases');
if (!streamed) mkdirSync(logDir, { recursive: true });

const times = [];
const failed = [];
const failedLogs = [];
const running = new Map();
const started = performance.now();
const secs = (t0) => (performance.now() - t0) / 1000;

// CPU seconds of a phase (user + sys of its whole process tree, as bash's `times` counts the children it reaped —
// every process the phase waited for, PostgreSQL servers and vitest's forks included): unlike the wall time they
// do not grow with the other work on a shared machine, so runs compare by them (ci21, issue 14). '' if unknown.
const cpuDir = mkdtempSync(join(tmpdir(), 'qm-test-cpu-'));
const parseTimes = (text) => {
  const line = text.trim().split('\n')[1] ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return secs.length === 2 ? secs[0] + secs[1] : null;
};
const cpuOf = (name) => {
  try {
    return parseTimes(readFileSync(join(cpuDir, name), 'utf8'));
  } catch {
    return null;
  }
};

const runPhase = (name) =>
  new Promise((resolve) => {
    const t0 = performance.now();
    const log = join(logDir, `${name}.log`);
    const fd = streamed ? null : openSync(log, 'w');
    const child = spawn('bash', ['-c', `${COMMANDS[name]}; rc=$?; times > "$QM_CPU_FILE"; exit $rc`], {
      cwd: root,
      env: { ...process.env, QM_CPU_FILE: join(cpuDir, name) },
      stdio: streamed ? 'inherit' : ['ignore', fd, fd],
    });
    running.set(name, t0);
    child.on('exit', (code, signal) => {
      running.delete(name);
      if (fd !== null) closeSync(fd);
      const ok = code === 0;
      times.push([name, secs(t0), loadavg()[0], secs(started), cpuOf(name)]);
      if (!streamed) {
        const block =
          `\n===== ${name}: ${ok ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${secs(t0).toFixed(1)} s ` +
          `(log: test-results/phases/${name}.log) =====\n${readFileSync(log, 'utf8')}` +
          `===== end of ${name} =====\n`;
        if (ok) process.stdout.write(block);
        else failedLogs.push(block);
      }
      if (!ok) failed.push(name);
      resolve(ok);
    });
  });

const runLane = async (lane) => {
  for (const name of lane) {
    if (failed.length > 0) return; // a phase failed somewhere: start nothing new
    if (!(await runPhase(name))) return;
  }
};

const heartbeat = streamed
  ? null
  : setInterval(() => {
      const now = [...running].map(([n, t0]) => `${n} ${secs(t0).toFixed(0)} s`).join(', ');
      console.log(
        `… ${secs(started).toFixed(0)} s: running ${now || 'nothing'} (load ${loadavg()[0].toFixed(1)})`,
      );
    }, 120_000);
if (!streamed)
  console.log(
    `npm test: ${lanes.length} lanes side by side — ${lanes.map((l) => l.join(' → ')).join('  |  ')} ` +
      `(each phase's output is printed when it ends; TEST_LANES=1 streams them one by one)`,
  );
await Promise.all(lanes.map(runLane));
if (heartbeat) clearInterval(heartbeat);
for (const block of failedLogs) process.stdout.write(block);

const total = secs(started);
const sum = times.reduce((s, [, t]) => s + t, 0);
const cpuSum = times.reduce((s, [, , , , c]) => s + (c ?? 0), 0);
rmSync(cpuDir, { recursive: true, force: true });
const cpuText = (c) => (c === null ? '   ?' : c.toFixed(1).padStart(7));
console.log(
  `\nnpm test — seconds per phase (${lanes.length} lane${lanes.length > 1 ? 's' : ''}; CPU seconds of its process tree; load average and run time at the end of each):`,
);
for (const [name, s, load, at, cpu] of times)
  console.log(
    `  ${name.padEnd(10)} ${s.toFixed(1).padStart(7)} s  cpu ${cpuText(cpu)} s  lane ${lanes.findIndex((l) => l.includes(name)) + 1}  ` +
      `ended at ${at.toFixed(0).padStart(5)} s  load ${load.toFixed(1)}`,
  );
console.log(
  `  ${'total'.padEnd(10)} ${total.toFixed(1).padStart(7)} s wall (phases add up to ${sum.toFixed(1)} s, ${cpuSum.toFixed(1)} CPU-s)` +
    (failed.length > 0 ? `  (stopped: ${failed.join(', ')} failed)` : ''),
);
process.exit(failed.length > 0 ? 1 : 0);
