import { defineConfig } from 'vitest/config';

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
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One database per file (PostgreSQL: on the run's shared template server); files in sequence keep
          // the 2-core machine responsive.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          // the same templates as `db`: a file's PGlite/PostgreSQL starts migrated (or with the shim) by copy
          globalSetup: ['test/setup/dbTemplates.ts'],
          include: [
            'test/conformance/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/security/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
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
