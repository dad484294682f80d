import { defineConfig } from 'vitest/config';

// Test files at once in the `stack` and `db` projects (issue 14, CI time). Each file has its own database (a
// copy of the run's template: its own PGlite, or its own database on the run's PostgreSQL server, or a server
// of its own on a free port), its own stack on port 0, its own Deno hosts and fake Twilio/SMTP servers on
// port 0 and its own temporary folders; environment variables a file sets stay in its own worker process
// (pool `forks`). So files may run side by side; whether it pays depends on what they wait for:
// - stack: mostly sockets, timers, PostgreSQL and Deno (load 1.4 on 2 cores during run45's serial phase) —
//   two at once saved 13 % of 10 files at load 20-45, but on that machine both 2-worker runs lost a case to
//   load: a Realtime INSERT whose row was deleted before its delivery's RLS check (the conformance case deleted
//   without waiting for the INSERT; hosted Supabase re-selects the row under RLS too, so the case now waits —
//   rt14), and notifications' 100-message budget case past its 60 s limit (2.8 s in run45).
//   TEST_STACK_WORKERS=2 for a rehearsal on a quiet machine; default 1 until the whole project passes twice.
// - db: PGlite runs in the file's own process and is CPU-bound; two at once on a loaded 2-core machine saved
//   14 % and starved a 30 s case past its 60 s limit (rls.bites at load 35). The whole project at 2 passed once
//   (rt14: 71/71 files, 1307 tests, 3631 s wall beside six other engineers' runs, load 21-42 — no time figure to
//   compare); TEST_DB_WORKERS=2 to try; default 1 until a second whole pass.
const workers = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || 1);
const stackWorkers = workers('TEST_STACK_WORKERS', 1);
const dbWorkers = workers('TEST_DB_WORKERS', 1);
// TEST_CPU_LOG=<file>: each test file's CPU seconds, one JSON line per file (test/setup/fileCpu.ts)
const cpuLog = process.env['TEST_CPU_LOG'] ? ['test/setup/fileCpu.ts'] : [];

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // a screen test renders several times and runs ESLint in-process; on a busy 2-core CI machine that
          // takes longer than vitest's 5 s default (CI failed on it) — a timeout is not what these tests assert
          testTimeout: 30_000,
          setupFiles: ['test/setup/testingLibrary.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['supabase/tests/**/*.test.ts'],
          // one migrated PGlite per run, copied by each file (instead of migrating in every file)
          globalSetup: ['test/setup/dbTemplates.ts'],
          setupFiles: cpuLog,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One database per file (PostgreSQL: on the run's shared template server); see dbWorkers above.
          fileParallelism: dbWorkers > 1,
          maxWorkers: dbWorkers,
        },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          // the same templates as `db`: a file's PGlite/PostgreSQL starts migrated (or with the shim) by copy
          globalSetup: ['test/setup/dbTemplates.ts'],
          setupFiles: cpuLog,
          include: [
            'test/conformance/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/security/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: stackWorkers > 1,
          maxWorkers: stackWorkers,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/services/*/models/**/*.ts'],
      exclude: ['**/*.test.ts', '**/index.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 95 },
    },
  },
});
