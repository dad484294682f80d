/**
 * `npm start` / `npm run dev`: opens the database (PGlite in QUEUEMED_DATA_DIR, or DATABASE_URL), applies
 * the shim, new migrations and (first start) the seed, loads or creates the keys, starts the stack, prints
 * the demo logins, and shuts down cleanly on SIGINT/SIGTERM (requests in flight finish, then the
 * database closes, so no write is lost).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { migrate, openDb, PreBaselineDatabaseError } from './db/index.js';
import type { Db } from './db/types.js';
import { loadOrCreateKeys, loadOrCreateVapidKeys } from './keys.js';
import { describeTracesUrl, traceExportFromEnv } from './otlp.js';
import { DEFAULT_AUTH_OPTIONS } from './auth/gotrue.js';
import { limitsFromEnv } from './limitsEnv.js';
import { parseTrustedProxies } from './http.js';
import { isLoopbackHost, startStack, type Stack } from './stack.js';
import { dataDirFromEnv } from './startEarly.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface MainOptions {
  staticDir?: string | null;
  publicUrl?: string;
  port?: number;
  /**
   * The database, already being opened (scripts/start.mjs starts PGlite's thread while the stack's modules
   * load: `openDbEarly`); default: opened here.
   */
  db?: Promise<Db>;
}

/** How long each step of `main()` took, ms (printed by `npm start`). */
export interface StartPhases {
  keys: number;
  /** Waiting for the database to open (less than its opening time when it was opened early). */
  dbOpen: number;
  migrate: number;
  stack: number;
}

/**
 * QUEUEMED_DEV_MODE=1 turns on the development conveniences (one-time codes printed and kept in the
 * service-role-only dev outbox). Off unless asked for; refused on a listener other than loopback, so a
 * server reachable by others can never hand out codes.
 */
export function devModeFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.QUEUEMED_DEV_MODE ?? '').trim().toLowerCase();
  const on = v === '1' || v === 'true' || v === 'yes';
  const host = env.HOST ?? '127.0.0.1';
  if (on && !isLoopbackHost(host)) {
    throw new Error(
      `QUEUEMED_DEV_MODE prints one-time codes and serves /dev/outbox: it is refused with HOST=${host}. ` +
        'Use it only with HOST=127.0.0.1 (the default), or unset QUEUEMED_DEV_MODE.',
    );
  }
  return on;
}

/**
 * PUBLIC_URL: the address patients' phones reach the app at (the board's QR code, tracking links). An
 * absolute http(s) URL without query or fragment; the trailing slash is dropped. Unset → undefined.
 */
export function appUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = (env.PUBLIC_URL ?? '').trim();
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_URL is not a URL: ${raw} (expected e.g. https://queue.example.ma)`);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.search || u.hash) {
    throw new Error(`PUBLIC_URL must be an http(s) address without query or fragment: ${raw}`);
  }
  return u.href.replace(/\/+$/, '');
}

export async function main(
  options: MainOptions = {},
): Promise<{ stack: Stack; shutdown: (signal: string) => Promise<void>; phases: StartPhases }> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { svc: 'local-stack' } });
  const devMode = devModeFromEnv();
  const appUrl = appUrlFromEnv();
  // the abuse limits (SMS codes, sign-ups, failed sign-ins, bookings per client address), one parser and one
  // naming scheme (./limitsEnv.ts, docs/security.md): a bad value stops the start with the variable's name
  const {
    bookingIpLimit,
    publicApiIpLimit,
    trackerPageIpLimit,
    trackerViewIpLimit,
    realtimeLimits,
    ...authLimits
  } = limitsFromEnv(process.env, DEFAULT_AUTH_OPTIONS);
  // review21 M3: the load balancers whose X-Forwarded-For names the client (README "Several processes"); checked
  // here so a typo stops the start before the database opens
  const trustedProxies = process.env.QUEUEMED_TRUSTED_PROXIES ?? '';
  parseTrustedProxies(trustedProxies);
  // OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT set: the stack's spans go over OTLP/HTTP (./otlp.ts); else dropped
  // (its failures warned, rate-limited, as OTLP_EXPORT_FAILED; OTEL_SERVICE_NAME / _RESOURCE_ATTRIBUTES honoured)
  const { tracesUrl, ...traceExport } = traceExportFromEnv(process.env, log.child({ svc: 'otlp' }));
  const dataDir = dataDirFromEnv();
  const databaseUrl = process.env.DATABASE_URL || undefined;
  let mark = performance.now();
  const lap = () => {
    const t = performance.now();
    const ms = t - mark;
    mark = t;
    return ms;
  };
  const keys = await loadOrCreateKeys(dataDir);
  // web push (issue 20): the operator's VAPID pair, else a throwaway one kept in the data folder
  const vapid = loadOrCreateVapidKeys(dataDir);
  const keysMs = lap();
  const db = await (options.db ??
    openDb({ dataDir: join(dataDir, 'pglite'), ...(databaseUrl ? { url: databaseUrl } : {}) }));
  const dbOpenMs = lap();
  const { applied } = await migrate(db, {
    seed: true,
    log: (line) => log.info({ migrate: line }, 'migration'),
  }).catch(async (e: unknown) => {
    await db.close();
    throw e instanceof PreBaselineDatabaseError
      ? new Error(preBaselineAdvice(e, databaseUrl ? null : dataDir))
      : e;
  });
  const migrateMs = lap();
  log.info(
    { applied: applied.length, db: db.kind, dataDir: databaseUrl ? undefined : dataDir },
    applied.length ? 'database migrated' : 'database up to date',
  );
  const port = options.port ?? Number(process.env.PORT ?? 54321);
  const stack = await startStack({
    db,
    keys,
    vapid,
    port,
    host: process.env.HOST ?? '127.0.0.1',
    logger: log,
    devMode,
    auth: authLimits,
    trustedProxies,
    bookingIpLimit,
    // anonymous calls of REST /v1 and MCP per client address (review18): QUEUEMED_PUBLIC_API_IP_*
    publicApiIpLimit,
    // sec20: anonymous and non-staff free-slot reads over /rest/v1, in the same per-address counter
    publicReadIpLimit: publicApiIpLimit,
    // sec25: the tracker's server renders (QUEUEMED_TRACKER_PAGE_IP_*) and status reads (QUEUEMED_TRACKER_VIEW_IP_*)
    trackerPageIpLimit,
    trackerViewIpLimit,
    // realtime sockets per client address and joins per socket (sec19): QUEUEMED_REALTIME_*
    realtimeLimits,
    // notification outbox sweep (issue 7); NOTIFICATION_SWEEP_MS=0 turns it off
    sweepIntervalMs: Number(process.env.NOTIFICATION_SWEEP_MS ?? 15_000),
    queueSweepIntervalMs: Number(process.env.QUEUE_SWEEP_MS ?? 30_000),
    // hourly: anonymising old visits is not urgent (a clinic's period is counted in days)
    retentionIntervalMs: Number(process.env.RETENTION_MS ?? 3_600_000),
    // wait estimates computed on the server (issue 16): a second after a queue change, and every minute
    estimatesDebounceMs: Number(process.env.ESTIMATES_DEBOUNCE_MS ?? 1_000),
    estimatesIntervalMs: Number(process.env.ESTIMATES_TICK_MS ?? 60_000),
    // the first SMS of a morning does not wait for a cold Deno start
    prewarmFunctions: ['send-sms', 'notification-sweep', 'queue-estimates'],
    ...traceExport,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(options.staticDir !== undefined ? { staticDir: options.staticDir } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(appUrl ? { appUrl } : {}),
  });
  const stackMs = lap();
  if (tracesUrl) log.info({ otlp: describeTracesUrl(tracesUrl) }, 'exporting traces over OTLP/HTTP');
  await printLogins(db, stack.url, options.publicUrl ?? stack.url, devMode);

  let closing: Promise<void> | null = null;
  const shutdown = (signal: string): Promise<void> => {
    closing ??= (async () => {
      log.info({ signal }, 'shutting down');
      await stack.stop();
      await db.close();
      log.info('bye');
    })();
    return closing;
  };
  return { stack, shutdown, phases: { keys: keysMs, dbOpen: dbOpenMs, migrate: migrateMs, stack: stackMs } };
}

/**
 * What to do about a database made before the migrations were folded into the baseline (issue 11). The
 * folder is not deleted automatically: it may hold a clinic's real data, not only the demo's.
 */
export function preBaselineAdvice(e: PreBaselineDatabaseError, dataDir: string | null): string {
  const what =
    dataDir === null
      ? 'The database at DATABASE_URL'
      : `The data folder ${dataDir} (QUEUEMED_DATA_DIR, default .queuemed)`;
  const fix =
    dataDir === null
      ? 'Point DATABASE_URL at a new, empty database.'
      : `Delete that folder (rm -rf ${JSON.stringify(dataDir)}) and start again: a new database and the demo data are created on the next start.`;
  return (
    `DB.PRE_BASELINE: ${what} was created before the database migrations were folded into one baseline ` +
    `(${e.baseline}); it still records ${e.folded.length} older migration(s) (${e.folded[0] ?? ''} …) and cannot be ` +
    `upgraded in place. ${fix}`
  );
}

/** The "Demo logins" box documented at the top of supabase/seed.sql (the seed owns the accounts). */
export function demoLoginsFromSeed(seedSql: string): string[] {
  const lines = seedSql.split(/\r?\n/);
  const start = lines.findIndex((l) => /^--\s*┌.*Demo logins/i.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^--\s*└/.test(l));
  return lines.slice(start, end < 0 ? start + 20 : end + 1).map((l) => l.replace(/^--\s?/, ''));
}

async function printLogins(
  db: Awaited<ReturnType<typeof openDb>>,
  apiUrl: string,
  appUrl: string,
  devMode: boolean,
): Promise<void> {
  const seedFile = join(ROOT, 'supabase', 'seed.sql');
  const box = existsSync(seedFile) ? demoLoginsFromSeed(readFileSync(seedFile, 'utf8')) : [];
  let users = 0;
  try {
    users = (await db.query<{ n: number }>('select count(*)::int as n from auth.users')).rows[0]?.n ?? 0;
  } catch {
    users = 0;
  }
  const lines = [
    '',
    `  QueueMed is running:  ${appUrl}`,
    `  Supabase API:         ${apiUrl}  (anon key in /config.json)`,
    '',
    ...(box.length && users > 0
      ? box.map((l) => `  ${l}`)
      : ['  No demo users (supabase/seed.sql adds them on first start).']),
    '',
    devMode
      ? '  Development mode: SMS / email codes are printed below ("one-time code") and listed at GET /dev/outbox (service-role key, this machine only).'
      : '  SMS / email codes are not shown. On your own machine, QUEUEMED_DEV_MODE=1 npm start prints them (see README).',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** Builds the SPA when dist/ is missing (fresh clone). */
export function needsBuild(): boolean {
  return !existsSync(join(ROOT, 'dist', 'index.html'));
}
