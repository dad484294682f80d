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
 *
 * Then what a test file pays today before its first test, part by part (wall and this process's CPU seconds, all
 * threads — the CPU figure is the one to compare across runs on the shared machine): a PGlite from the tarball
 * (in-thread as the db files open it, in its worker as the stack files do), a PostgreSQL database from the
 * template, the migrate() check that finds nothing to apply, the test world (supabase/tests/helpers/world.ts), and
 * a local stack started and stopped on it. `BENCH_SETUP_BEFORE=0` skips the slow "before" rows (each replays
 * every migration) and prints only today's parts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import pg from 'pg';
import pino from 'pino';
import {
  migrate,
  openPglite,
  openPgliteWorker,
  openPostgres,
  startTempPostgres,
} from '../supabase/local/db/index.js';
import type { Db } from '../supabase/local/db/index.js';
import { startStack } from '../supabase/local/stack.js';
import { createWorld } from '../supabase/tests/helpers/world.js';
import setupTemplates, { PG_TEMPLATES } from '../test/setup/dbTemplates.js';

const RUNS = Number(process.env['BENCH_SETUP_RUNS'] ?? 3);
const BEFORE = process.env['BENCH_SETUP_BEFORE'] !== '0';

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

// Today's per-file fixed cost, part by part: each part is timed on its own, on a fresh copy each sample.
const fixtureFunctions = new URL('../test/fixtures/functions/', import.meta.url).pathname;
const postgresCopy = async (): Promise<{ db: Db; drop(): Promise<void> }> => {
  const name = `qm_bench_${randomBytes(4).toString('hex')}`;
  await onServer(`create database ${name} template ${PG_TEMPLATES.migrated}`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  const db = await openPostgres({ url: u.toString(), max: 10 });
  return {
    db,
    async drop() {
      await db.close();
      await onServer(`drop database ${name} with (force)`);
    },
  };
};
type Part = [string, () => Promise<{ timed: () => Promise<void>; done: () => Promise<void> }>];
const parts: Part[] = [
  [
    'PGlite in-thread from the tarball',
    async () => {
      let db: Db | undefined;
      return {
        timed: async () => void (db = await openPglite({ loadDataDir: tarball('pgliteMigratedTemplate') })),
        done: async () => db?.close(),
      };
    },
  ],
  [
    "PGlite in-thread, PGlite's own tarball loader",
    async () => {
      // what openPglite did before ci15 (issue 14): PGlite.create({ loadDataDir }) untars in JavaScript
      let pg: PGlite | undefined;
      return {
        timed: async () =>
          void (pg = await PGlite.create({
            loadDataDir: tarball('pgliteMigratedTemplate'),
            extensions: { pgcrypto },
          })),
        done: async () => pg?.close(),
      };
    },
  ],
  [
    'PGlite worker from the tarball',
    async () => {
      let db: Db | undefined;
      return {
        timed: async () =>
          void (db = await openPgliteWorker({ loadDataDir: tarball('pgliteMigratedTemplate') })),
        done: async () => db?.close(),
      };
    },
  ],
  [
    'PGlite worker from the tarball, bundled thread',
    async () => {
      // as the stack files open it since ci15: the run's prebuilt thread (test/setup/dbTemplates.ts), not tsx
      const thread = provided.get('pgliteThreadBundle');
      let db: Db | undefined;
      return {
        timed: async () =>
          void (db = await openPgliteWorker(
            { loadDataDir: tarball('pgliteMigratedTemplate') },
            thread ? new URL(thread) : undefined,
          )),
        done: async () => db?.close(),
      };
    },
  ],
  [
    'PostgreSQL database from the template',
    async () => {
      let copy: { drop(): Promise<void> } | undefined;
      return { timed: async () => void (copy = await postgresCopy()), done: async () => copy?.drop() };
    },
  ],
  ...(['pglite', 'postgres'] as const).flatMap((kind): Part[] => {
    const open = async () => {
      if (kind === 'postgres') return postgresCopy();
      const db = await openPglite({ loadDataDir: tarball('pgliteMigratedTemplate') });
      return { db, drop: () => db.close() };
    };
    return [
      [
        `migrate() check on ${kind} (nothing to apply)`,
        async () => {
          const c = await open();
          return { timed: async () => void (await migrate(c.db)), done: c.drop };
        },
      ],
      [
        `test world on ${kind}`,
        async () => {
          const c = await open();
          return { timed: () => createWorld(c.db), done: c.drop };
        },
      ],
    ];
  }),
  [
    'local stack start + stop (PGlite worker)',
    async () => {
      const db = await openPgliteWorker({ loadDataDir: tarball('pgliteMigratedTemplate') });
      return {
        timed: async () => {
          const stack = await startStack({
            db,
            port: 0,
            staticDir: null,
            functionsDir: fixtureFunctions,
            configToml: `${fixtureFunctions}config.toml`,
            logger: pino({ level: 'silent' }),
          });
          await stack.stop();
        },
        done: () => db.close(),
      };
    },
  ],
];

const results: [string, Sample[], Sample[]][] = [];
try {
  if (!BEFORE) console.log('  (BENCH_SETUP_BEFORE=0: the "before" rows are skipped)');
  for (const [name, way] of BEFORE ? Object.entries(ways) : []) {
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
  console.log(
    `what one test file pays today before its first test, part by part (median of ${RUNS}; CPU = this process, all threads):`,
  );
  // one PGlite opened and closed first: the process's one-time costs (WebAssembly compile, module loading) are
  // not the first row's
  await (await openPglite({ loadDataDir: tarball('pgliteMigratedTemplate') })).close();
  for (const [name, prepare] of parts) {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      const p = await prepare();
      try {
        samples.push(await measure(p.timed));
      } finally {
        await p.done();
      }
    }
    console.log(
      `  ${name.padEnd(46)} ${median(samples.map((s) => s.wall))
        .toFixed(2)
        .padStart(6)} s wall  ` +
        `${median(samples.map((s) => s.cpu))
          .toFixed(2)
          .padStart(6)} s CPU  load ${loadavg()[0]?.toFixed(1)}`,
    );
  }
} finally {
  await teardown();
}
console.log(
  `  templates, once per run and project: ${setupSample.wall.toFixed(1)} s (median of ${RUNS} samples per row above)`,
);
