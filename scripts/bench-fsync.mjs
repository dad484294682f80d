// `node scripts/bench-fsync.mjs`: what fsync costs a commit on this disk, PGlite and PostgreSQL. PGlite starts PostgreSQL with
// `-F` (fsync off) by default; the local stack turns fsync on for a persisted data folder (a power cut on
// a clinic laptop must not lose an acknowledged save). Prints the per-commit time of N one-row
// transactions with fsync off and on, and how many fsync calls the WASM build really makes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const N = Number(process.env.FSYNC_N ?? 300);
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

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
  console.log(
    `  fsync ${fsync ? 'on ' : 'off'} (server says fsync=${shown?.fsync}): commit p50 ${pct(lat, 50).toFixed(2)} ms  p95 ${pct(lat, 95).toFixed(2)} ms  (n=${N})`,
  );
}

console.log(`PGlite commit cost, persisted data folder in ${tmpdir()} — node ${process.version}`);
await run(false);
await run(true);

// PostgreSQL (the recommended self-hosting database): a temporary server with a durable configuration
// (fsync, synchronous_commit, full_page_writes on), the same one-row commits with the commit waiting for
// its WAL flush (synchronous_commit on: an acknowledged save survives a power cut) and without (off).
const { register } = await import('tsx/esm/api');
register();
const { startTempPostgres } = await import('../supabase/local/db/tempPostgres.ts');
const { default: pg } = await import('pg');
const server = await startTempPostgres({
  ignoreEnv: true,
  settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' },
});
try {
  console.log(`PostgreSQL commit cost, temporary server's data folder in ${tmpdir()} (fsync on)`);
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query('create table t (id serial primary key, v text)');
  for (const sync of ['off', 'on']) {
    await client.query(`set synchronous_commit = ${sync}`);
    const lat = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await client.query('insert into t (v) values ($1)', [`row ${i}`]);
      lat.push(performance.now() - t);
    }
    console.log(
      `  synchronous_commit ${sync.padEnd(3)}: commit p50 ${pct(lat, 50).toFixed(2)} ms  p95 ${pct(lat, 95).toFixed(2)} ms  (n=${N})`,
    );
  }
  await client.end();
} finally {
  await server.stop();
}
