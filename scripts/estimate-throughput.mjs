// Throughput of the `estimate` CLI: a 60-patient simulated day with 30 days of history, N lines through
// one running process (`npm run -s estimate`), lines per second printed. WAIT_THROUGHPUT_LINES (300).
import { spawn } from 'node:child_process';
import { register } from 'tsx/esm/api';

register();
const { ClinicSimulator } = await import('../src/services/queue/estimation/ClinicDaySimulator.ts');
const sim = new ClinicSimulator(7);
for (let d = 0; d < 30; d++) sim.nextDay({ snapshots: false });
const day = sim.nextDay({ snapshots: true });
const snap = day.snapshots.reduce((a, s) => (s.input.entries.length > a.input.entries.length ? s : a));
const line = JSON.stringify(snap.input);
const n = Number(process.env.WAIT_THROUGHPUT_LINES ?? 300);
import { readFileSync } from 'node:fs';
/** CPU seconds used so far by a process (Linux /proc; null elsewhere): the machine may be shared. */
const cpuSeconds = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
};
const child = spawn(process.execPath, ['scripts/estimate.mjs'], { stdio: ['pipe', 'pipe', 'inherit'] });
let got = 0;
let buf = '';
let t0 = 0;
let firstAt = 0;
let cpuAtFirst = null;
let cpuAtEnd = null;
const done = new Promise((resolve) => {
  child.stdout.on('data', (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const out = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!out.startsWith('{"estimates"')) throw new Error(`unexpected output: ${out.slice(0, 200)}`);
      got += 1;
      if (got === 1) {
        firstAt = performance.now();
        cpuAtFirst = cpuSeconds(child.pid);
        for (let k = 1; k < n; k++) child.stdin.write(`${line}\n`);
        child.stdin.end();
      }
      if (got === n) {
        cpuAtEnd = cpuSeconds(child.pid);
        resolve();
      }
    }
  });
});
t0 = performance.now();
child.stdin.write(`${line}\n`);
await done;
const t1 = performance.now();
console.log(
  `estimate CLI: ${snap.input.entries.length} entries, ${snap.input.history.length} history rows (${(line.length / 1024).toFixed(0)} kB/line); ` +
    `first line ${(firstAt - t0).toFixed(0)} ms (learns the clinic)` +
    (cpuAtFirst !== null
      ? `, ${cpuAtFirst.toFixed(2)} CPU-s of the estimator process (start included)`
      : '') +
    `, then ${((n - 1) / ((t1 - firstAt) / 1000)).toFixed(0)} lines/s over ${n - 1} lines` +
    (cpuAtFirst !== null && cpuAtEnd !== null && cpuAtEnd > cpuAtFirst
      ? `; ${((n - 1) / (cpuAtEnd - cpuAtFirst)).toFixed(0)} lines per CPU-second of the estimator process`
      : ''),
);
child.kill();
