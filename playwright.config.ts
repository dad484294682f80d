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
import { zoneDataVersion, zoneOffsetAt } from './supabase/local/db/zoneData';
import { CHROMIUM_ARGS, FULL_CHROMIUM, HEADLESS_CHROMIUM, SUITE_MOTION } from './test/e2e/browsers';

// a shown notification (web push) needs the full browser: the headless shell has no notification platform
const FULL_BROWSER_SPECS = /web-push\.spec\.ts$/;

// below Linux's ephemeral range (32768–60999): a fixed port inside it may be held at that moment by any process's
// outgoing connection or by a test's free-port server (the stack lane starts dozens beside e2e) — waitlist.contract's
// fixed 54712 failed CI that way (fin30a, EADDRINUSE)
const PORT = Number(process.env.E2E_PORT ?? 31390);
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
// Clinic times on the screens come from the server's offsets; the suite's browsers should still agree with the
// server's zone data, where a page or a test reads the browser's own rules. Chromium can have two: Debian's own
// ICU (Casablanca +00 from late 2026, as tzdata 2026c+ says) or Node's embedded ICU (tz 2025c: +01 with Ramadan
// switches). The stack's database reads QUEUEMED_ZONEINFO or /usr/share/zoneinfo (PGlite; Debian's PostgreSQL
// reads the latter): give the browsers Node's data only if it agrees with those files. The other one is the
// "wrong browser" of clinicClock.spec (test/e2e/helpers.ts withWrongChromium), found in E2E_NODE_ICU_DIR.
if (!process.env.E2E_NODE_ICU_DIR)
  process.env.E2E_NODE_ICU_DIR = extractIcuTimeZoneData(
    mkdtempSync(join(tmpdir(), 'queuemed-icu-tz-')),
  ) as string;
const zoneDir = process.env.QUEUEMED_ZONEINFO ?? '/usr/share/zoneinfo';
const nodeAgreesWithServer = [
  new Date(Date.now() + Number(clockOffsetMs)).toISOString(),
  '2026-07-01T12:00:00Z',
  '2026-11-24T23:30:00Z',
  '2027-02-20T12:00:00Z',
].every((iso) => {
  const node = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Africa/Casablanca',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
  const server = new Date(Date.parse(iso) + zoneOffsetAt(zoneDir, 'Africa/Casablanca', iso) * 60_000)
    .toISOString()
    .slice(11, 16);
  return node === server;
});
const browserEnv: Record<string, string> = { ...(process.env as Record<string, string>) };
delete browserEnv.ICU_TIMEZONE_FILES_DIR;
if (nodeAgreesWithServer) browserEnv.ICU_TIMEZONE_FILES_DIR = process.env.E2E_NODE_ICU_DIR;
if (!process.env.E2E_ZONE_NOTE) {
  process.env.E2E_ZONE_NOTE = '1'; // once, not again in each worker
  console.log(
    `e2e zone data: server ${zoneDataVersion(zoneDir) ?? 'unknown'} (${zoneDir}); browsers use ${nodeAgreesWithServer ? "Node's ICU" : "Chromium's own ICU"}`,
  );
}

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
    launchOptions: { executablePath: HEADLESS_CHROMIUM, env: browserEnv, args: CHROMIUM_ARGS },
    trace: 'off',
    // also for `browser.newContext()` in the specs and helpers: Playwright Test applies these defaults there too
    ...SUITE_MOTION,
    screenshot: 'off',
  },
  // Chromium's headless shell for every spec but the one that needs the full browser (test/e2e/browsers.ts)
  projects: [
    { name: 'headless', testIgnore: FULL_BROWSER_SPECS },
    {
      name: 'full',
      testMatch: FULL_BROWSER_SPECS,
      use: { launchOptions: { executablePath: FULL_CHROMIUM, env: browserEnv, args: CHROMIUM_ARGS } },
    },
  ],
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
      // the key the stack's twilio-inbound function checks X-Twilio-Signature with (a test value, no account:
      // sending stays simulated); waitlist-sms.spec signs its SMS replies with it (helpers.E2E_TWILIO_AUTH_TOKEN)
      TWILIO_AUTH_TOKEN: 'e2e-twilio-auth-token',
      // web push (issue 20): web-push.spec's push service is on 127.0.0.1 over http (a real one is https and public)
      WEB_PUSH_ALLOW_PRIVATE_URLS: '1',
      // SMS pumping limit per client address (default 20 different phones an hour): every spec's patient signs in
      // from 127.0.0.1, about 20 phones in one run and more as specs are added. The limit stays on (a per-phone
      // limit of 5 an hour too); the suite's one address is simply allowed more phones.
      OTP_PHONES_PER_IP_MAX: '500',
      // every spec signs its owners and patients up from 127.0.0.1: npm start's per-IP sign-up limit (30/h) is
      // for the outside world (abuse17); the limit itself is test/security/signup-limit.test.ts's
      AUTH_SIGNUP_LIMIT_PER_HOUR: '1000',
      // bookings per client address (secmisc18; npm start: 300 an hour, docs/security.md): every spec books from
      // 127.0.0.1; the limit itself is test/security/booking-ip-limit.test.ts's
      QUEUEMED_BOOKING_IP_MAX: '100000',
      // anonymous public API calls and (sec20) free-slot reads per client address (npm start: 60 a minute): every
      // spec browses a clinic's slots from 127.0.0.1; the limit itself is test/security/public-read-limit.test.ts's
      QUEUEMED_PUBLIC_API_IP_MAX: '100000',
    },
  },
});
