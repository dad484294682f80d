// `npm run bench:start`: how long `npm start` takes to be ready, with its breakdown (issue 14: < 5 s on an
// installed checkout). One first start on a fresh data folder (migrations + seed), then BENCH_START_RUNS
// restarts (default 3), each printing start.mjs's own "Ready in …" line (wall time, CPU-seconds of all
// threads, and each phase) and the machine's load average: on a shared machine the wall time follows the
// load, the CPU-seconds much less. BENCH_START_PORT (default 54329). QUEUEMED_SERVER_BUNDLE=0 measures the
// stack loaded through tsx instead of its prebuilt bundle (scripts/serverBundle.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const PORT = Number(process.env.BENCH_START_PORT ?? 54329);
const RUNS = Number(process.env.BENCH_START_RUNS ?? 3);
const dataDir = mkdtempSync(join(os.tmpdir(), 'queuemed-bench-start-'));

/** Runs `npm start` until its "Ready in" line, stops it (SIGTERM, clean shutdown), returns that line. */
function startOnce() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(PORT),
        HOST: '127.0.0.1',
        QUEUEMED_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let ready = null;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.includes('Ready in'));
      if (line && !ready) {
        ready = line.trim();
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) =>
      ready ? resolve(ready) : reject(new Error(`npm start exited with ${code}:\n${out}`)),
    );
  });
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const seconds = (line) => Number(/Ready in ([\d.]+) s/.exec(line)?.[1]);
const cpu = (line) => Number(/CPU ([\d.]+) s/.exec(line)?.[1]);
try {
  console.log(`npm start until ready (${os.cpus().length} cores; data in a fresh folder):`);
  const first = await startOnce();
  console.log(`  first start   ${first}\n                load ${load()}`);
  const restarts = [];
  for (let i = 0; i < RUNS; i++) {
    const line = await startOnce();
    restarts.push(line);
    console.log(`  restart ${i + 1}     ${line}\n                load ${load()}`);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `restart median: ${median(restarts.map(seconds)).toFixed(1)} s wall, ${median(restarts.map(cpu)).toFixed(1)} CPU-s ` +
      `(target < 5 s wall on an unloaded machine; load average now ${load()})`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
