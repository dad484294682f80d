// `npm test`: the CI phases in order (stops at the first failure, like the `&&` chain it replaces), then
// the seconds each phase took and the load average, so a slow CI run says where its time went (issue 14).
// `TEST_PHASES=unit,stack npm test` runs only the named phases.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const PHASES = [
  ['typecheck', 'npm run typecheck'],
  ['lint', 'npm run lint'],
  ['unit', 'npm run test:unit'],
  ['db', 'npm run test:db'],
  ['stack', 'npm run test:stack'],
  ['functions', 'npm run test:functions'],
  ['size', 'npm run size'],
  ['e2e', 'npm run test:e2e'],
];

const only = process.env.TEST_PHASES?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = (only ?? []).filter((n) => !PHASES.some(([p]) => p === n));
if (unknown.length > 0) {
  console.error(
    `unknown phase(s) in TEST_PHASES: ${unknown.join(', ')} (known: ${PHASES.map(([p]) => p).join(', ')})`,
  );
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const times = [];
let failed = null;
const started = performance.now();
for (const [name, command] of PHASES) {
  if (only && !only.includes(name)) continue;
  const t0 = performance.now();
  const r = spawnSync(command, { cwd: root, stdio: 'inherit', shell: true });
  times.push([name, (performance.now() - t0) / 1000, loadavg()[0]]);
  if (r.status !== 0) {
    failed = name;
    break;
  }
}
const total = (performance.now() - started) / 1000;
console.log('\nnpm test — seconds per phase (load average at the end of each):');
for (const [name, s, load] of times)
  console.log(
    `  ${name.padEnd(10)} ${s.toFixed(1).padStart(7)} s  ${((s / total) * 100).toFixed(0).padStart(3)} %  load ${load.toFixed(1)}`,
  );
console.log(
  `  ${'total'.padEnd(10)} ${total.toFixed(1).padStart(7)} s${failed ? `  (stopped: ${failed} failed)` : ''}`,
);
process.exit(failed ? 1 : 0);
