/**
 * End-to-end suite: real Chromium against `npm start`'s stack (built SPA + local Supabase APIs) on a
 * fresh data folder, so every run starts from the seeded demo clinic. One worker (2-core machine).
 */
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error — a plain .mjs helper shared with scripts (no type declarations)
import { extractIcuTimeZoneData } from './scripts/icu-tzdata.mjs';

const PORT = Number(process.env.E2E_PORT ?? 54390);
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'queuemed-e2e-'));
// the workers load this file again: they must see the same folder (test/e2e/helpers.ts reads its keys)
process.env.E2E_DATA_DIR = dataDir;
export const baseURL = `http://127.0.0.1:${PORT}`;
// Debian's Chromium has stale Morocco rules (UTC+0 in Nov 2026); give it Node's current ICU zone data.
const icuTimeZoneDir = extractIcuTimeZoneData(mkdtempSync(join(tmpdir(), 'queuemed-icu-tz-'))) as string;

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      env: { ...process.env, ICU_TIMEZONE_FILES_DIR: icuTimeZoneDir } as Record<string, string>,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
    screenshot: 'off',
  },
  webServer: {
    command: 'node scripts/start.mjs',
    url: `${baseURL}/config.json`,
    reuseExistingServer: !!process.env.E2E_REUSE,
    timeout: 180_000,
    // QUEUE_SWEEP_MS=0: the specs act out a clinic day at any hour of the real clock; the server's queue sweep
    // would end that day by itself after closing time + 2 h (proven by test/integration/queueSweep.test.ts).
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      QUEUEMED_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      QUEUE_SWEEP_MS: '0',
      // the patient suites read SMS codes from the dev outbox (loopback + service-role key only)
      QUEUEMED_DEV_MODE: '1',
    },
  },
});
