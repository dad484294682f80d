/**
 * `npm run bench:test-setup` (issue 14, CI time): what one test file pays for its database before its first
 * test, the way the db/stack projects did it before the run's templates (test/setup/dbTemplates.ts) and the
 * way they do it now, measured interleaved on the same machine (so the machine's load hits both alike):
 *
 * - PostgreSQL: initdb + start + migrate (before) vs `create database … template` + migrate finding nothing.
 * - PGlite (in-thread, the db project): PGlite's initdb + migrate (before) vs loading the migrated tarball.
 * - PGlite in its worker thread (the stack project): the same two, as openTestDb('pglite') opens it.
 *
 * Prints the median wall seconds of BENCH_SETUP_RUNS (3) samples each, the saving per file, the load average,
 * and the CPU seconds of this process for the PGlite rows (comparable across runs on a loaded machine).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import {
  migrate,
  openPglite,
  openPgliteWorker,
  openPostgres,
  startTempPostgres,
} from '../supabase/local/db/index.js';
import setupTemplates, { PG_TEMPLATES } from '../test/setup/dbTemplates.js';

const RUNS = Number(process.env['BENCH_SETUP_RUNS'] ?? 3);

type Sample = { wall: number; cpu: number };
const measure = async (fn: () => Promise<void>): Promise<Sample> => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const provided = new Map<string, string>();
let teardown: () => Promise<void> = async () => {};
console.log(`building the run's templates (once per run in CI) … load ${loadavg()[0]?.toFixed(1)}`);
const setupSample = await measure(async () => {
  teardown = await setupTemplates({ provide: (k: string, v: string) => provided.set(k, v) } as never);
});
const server = provided.get('postgresTemplateServer') ?? '';
const tarball = (k: string) => new Blob([readFileSync(provided.get(k) ?? '')]);

const onServer = async (sql: string) => {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
};

const ways: Record<string, { before: () => Promise<void>; after: () => Promise<void>; cpu: boolean }> = {
  'PostgreSQL (db + stack files)': {
    cpu: false,
    async before() {
      const s = await startTempPostgres({ ignoreEnv: true });
      const db = await openPostgres({ url: s.url, max: 2 });
      await migrate(db);
      await db.close();
      await s.stop();
    },
    async after() {
      const name = `qm_bench_${randomBytes(4).toString('hex')}`;
      await onServer(`create database ${name} template ${PG_TEMPLATES.migrated}`);
      const u = new URL(server);
      u.pathname = `/${name}`;
      const db = await openPostgres({ url: u.toString(), max: 2 });
      const r = await migrate(db);
      if (r.applied.length > 0) throw new Error(`the template missed ${r.applied.join(', ')}`);
      await db.close();
      await onServer(`drop database ${name} with (force)`);
    },
  },
  'PGlite in-thread (db files)': {
    cpu: true,
    async before() {
      const db = await openPglite();
      await migrate(db);
      await db.close();
    },
    async after() {
      const db = await openPglite({ loadDataDir: tarball('pgliteMigratedTemplate') });
      await migrate(db);
      await db.close();
    },
  },
  'PGlite worker (stack files)': {
    cpu: false,
    async before() {
      const db = await openPgliteWorker();
      await migrate(db);
      await db.close();
    },
    async after() {
      const db = await openPgliteWorker({ loadDataDir: tarball('pgliteMigratedTemplate') });
      await migrate(db);
      await db.close();
    },
  },
};

const results: [string, Sample[], Sample[]][] = [];
try {
  for (const [name, way] of Object.entries(ways)) {
    const before: Sample[] = [];
    const after: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      before.push(await measure(way.before));
      after.push(await measure(way.after));
    }
    results.push([name, before, after]);
    const b = median(before.map((s) => s.wall));
    const a = median(after.map((s) => s.wall));
    console.log(
      `  ${name.padEnd(30)} before ${b.toFixed(1).padStart(5)} s  now ${a.toFixed(1).padStart(5)} s  ` +
        `saved ${(b - a).toFixed(1).padStart(5)} s per file` +
        (way.cpu
          ? `  (CPU ${median(before.map((s) => s.cpu)).toFixed(1)} → ${median(after.map((s) => s.cpu)).toFixed(1)} s)`
          : '') +
        `  load ${loadavg()[0]?.toFixed(1)}`,
    );
  }
} finally {
  await teardown();
}
console.log(
  `  templates, once per run and project: ${setupSample.wall.toFixed(1)} s (median of ${RUNS} samples per row above)`,
);
