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
// QUEUEMED_FAKE_NOW=<ISO>: run the suite at that time (e.g. 23:30 in Casablanca). Turned into one offset here,
// once (workers inherit the environment), and shared by the stack's clock (supabase/local/fakeClock.ts) and
// every browser context's page.clock (test/e2e/helpers.ts), so the database, the server and the pages agree.
if (process.env.QUEUEMED_FAKE_NOW && process.env.QUEUEMED_CLOCK_OFFSET_MS === undefined) {
  const at = Date.parse(process.env.QUEUEMED_FAKE_NOW);
  if (Number.isNaN(at))
    throw new Error(`QUEUEMED_FAKE_NOW is not an ISO date-time: ${process.env.QUEUEMED_FAKE_NOW}`);
  process.env.QUEUEMED_CLOCK_OFFSET_MS = String(at - Date.now());
}
const clockOffsetMs = process.env.QUEUEMED_CLOCK_OFFSET_MS ?? '0';
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
  // generous: a busy 2-core machine must slow a run down, never fail it (speed is bench:web's figure)
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['./test/e2e/failureSummary.ts']],
  use: {
    baseURL,
    // a lost step (a click or fill whose element never comes) fails in seconds with its name, not after the
    // whole test timeout (CI run28: fill() waited out the morning's 15 min). Generous for a loaded machine.
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
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
      QUEUEMED_CLOCK_OFFSET_MS: clockOffsetMs,
      // no outbox sweep: an SMS in the log was sent by the app itself (the morning asserts "texted at once
      // by the doctor's browser"), however long the step took on a busy machine
      NOTIFICATION_SWEEP_MS: '0',
    },
  },
});
