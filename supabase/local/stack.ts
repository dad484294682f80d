/**
 * The local stack: one Node HTTP server that serves the built SPA and, on the same origin, the subset of
 * the Supabase platform the app uses (REST/RPC, Auth, Realtime, Edge Functions) over a `Db`.
 *
 *   const stack = await startStack({ db, port: 0 });   // db already migrated
 *   createClient(stack.url, stack.anonKey) …
 *   await stack.stop();
 *
 * The caller owns the database (opens, migrates and closes it); `startStack` installs the local realtime
 * triggers and serves. `stop()` stops accepting requests, waits for requests in flight, ends sockets and
 * Deno processes; it does not close the database.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import type { Db } from './db/types.js';
import { DEFAULT_AUTH_OPTIONS, GoTrue, type AuthOptions, type OtpMessage } from './auth/gotrue.js';
import { FunctionsRuntime } from './functions/runtime.js';
import { requireApiKey } from './gate.js';
import { randomBytes } from 'node:crypto';
import {
  CLIENT_ADDRESS_HEADER,
  CORS_HEADERS,
  clientIp,
  FORWARD_SECRET_HEADER,
  HttpError,
  header,
  readJson,
  send,
  sendError,
  sendJson,
  pgrstError,
  parseTrustedProxies,
  requestAddress,
  stampClientAddress,
} from './http.js';
import { type StackKeys, makeKeys } from './keys.js';
import { metricsAccess, routeOf, StackMetrics } from './metrics.js';
import { createClientLogs, CLIENT_LOG_PATH } from './clientLogs.js';
import type { Attributes } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { createStackTracing, type RequestSpan } from './tracing.js';
import { maskPath } from '../../src/services/shared/logTextSanitize';
import { BackgroundSharedLimiter, DbRateLimiter, maskPhone, type RateLimit } from './rateLimit.js';
import { DEFAULT_KIOSK_PAIRING_IP_LIMIT } from './kioskPairingLimit.js';
import { DEFAULT_REALTIME_LIMITS, RealtimeServer, type RealtimeLimits } from './realtime/server.js';
import { handleRest, toHttpError } from './rest/postgrest.js';
import { SchemaCache } from './rest/schemaCache.js';
import { serveStatic } from './static.js';
import { createTrackerPages } from './trackerPage.js';
import { SYSTEM_TZ_DIR } from './db/pgliteTimeZones.js';
import { PublicApiLimit } from './publicApiLimit.js';
import { installedClockOffset } from './fakeClock.js';
import { probeZoneData } from './db/zoneData.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StackOptions {
  db: Db;
  /** Web push's VAPID pair (issue 20): the functions sign with it, config.json hands browsers the public key. */
  vapid?: { publicKey: string; privateKey: string } | undefined;
  /** 0 → a free port. Default 54321. */
  port?: number;
  /** Default 127.0.0.1 (HOST env in scripts/start.mjs). */
  host?: string;
  /** Keys and JWT secret; generated (ephemeral) when omitted. See loadOrCreateKeys for persisted ones. */
  keys?: StackKeys;
  /** Built SPA folder (default dist/); null → no static files. */
  staticDir?: string | null;
  /** the tracker's server renderer (lcp23, supabase/local/trackerPage.ts); default `<staticDir>-ssr` */
  trackerSsrDir?: string;
  /** Edge functions folder (default supabase/functions). */
  functionsDir?: string;
  /** supabase/config.toml (for `verify_jwt = false`). */
  configToml?: string;
  denoPath?: string;
  /** Exposed to functions as SUPABASE_DB_URL when set (PostgreSQL only). */
  databaseUrl?: string;
  /** The URL the SPA and functions should use; default http://<host>:<port>. */
  publicUrl?: string;
  /**
   * The clinic-facing address of the app (PUBLIC_URL, e.g. https://queue.example.ma): the base of the links
   * patients open on their phone — the board's QR code and tracking links (config.json `publicUrl`, SITE_URL
   * for the functions). Unset: the screens say so rather than print a QR code of their own address.
   */
  appUrl?: string;
  /** REST schemas (Accept-Profile / Content-Profile); default ['public']. */
  schemas?: string[];
  auth?: Partial<AuthOptions>;
  /**
   * Bookings (book_appointment, book_fluid_place, join_queue_remotely) per client address and window, counted at
   * /rest/v1 (rest/postgrest.ts BOOKING_RPCS); over it 429 RATE.LIMITED. Absent/null: no limit (test stacks book
   * many from 127.0.0.1); `npm start` passes QUEUEMED_BOOKING_IP_MAX / _WINDOW_SECONDS (limitsEnv.ts).
   */
  bookingIpLimit?: RateLimit | null;
  /**
   * Wrong kiosk pairing codes per client address and window (kioskPairingLimit.ts); over it 429
   * KIOSK.TOO_MANY_ATTEMPTS. Absent: 10 per 10 minutes; null: not counted (the database's global cap only).
   */
  kioskPairingIpLimit?: RateLimit | null;
  /** The secret the function host proves a forwarded client address with (http.ts limitAddress); default random. */
  forwardSecret?: string;
  /**
   * review21 M3: the load balancers / reverse proxies whose X-Forwarded-For names the client (addresses and CIDR
   * ranges; http.ts resolveClientAddress). Absent or empty: none — every per-address limit counts the socket.
   * `npm start`: QUEUEMED_TRUSTED_PROXIES.
   */
  trustedProxies?: string | readonly string[];
  /**
   * Called with each phone one-time code (E.164) to deliver it. Without a hook, a code is only readable
   * in development mode (`devMode`); otherwise it is not delivered (a warning is logged, never the code).
   */
  onOtp?: (phone: string, code: string) => void | Promise<void>;
  /** Called with each email one-time code (email change) to deliver it; same fallback as `onOtp`. */
  onEmailCode?: (email: string, code: string) => void | Promise<void>;
  /**
   * Development conveniences, for a developer's own machine and tests only: undelivered one-time codes
   * are printed in the log and kept in the dev outbox, GET /dev/outbox, which answers only the
   * service-role key and only loopback clients. Refused (startStack throws) unless `host` is loopback.
   */
  devMode?: boolean;
  logger?: Logger;
  logLevel?: string;
  /**
   * Notification outbox sweep (issue 7): every `sweepIntervalMs` the stack POSTs to
   * /functions/v1/notification-sweep with the service key, as a schedule does on Supabase, then to
   * /functions/v1/webhook-sweep (the webhook outbox, issue 18) when that function exists. Off when
   * omitted or 0; skipped when the function folder has no notification-sweep.
   */
  sweepIntervalMs?: number;
  /**
   * Queue sweep (issue 11): every `queueSweepIntervalMs` the stack calls the `sweep_queues` RPC with the
   * service key — grace expiry (absent → no_show) and the automatic end of day run on the server's clock,
   * as pg_cron does on Supabase (20261201000700_sweep_cron.sql). Off when omitted or 0.
   */
  queueSweepIntervalMs?: number;
  /**
   * Retention (issue 19): every `retentionIntervalMs` the stack calls the `apply_retention` RPC with the
   * service key — what is older than each clinic's retention period is anonymised (pg_cron daily on
   * Supabase, 20261203600002_retention_erasure.sql). Off when omitted or 0.
   */
  retentionIntervalMs?: number;
  /** Bearer token for `/metrics` from other machines (default: QUEUEMED_METRICS_TOKEN; loopback needs none). */
  metricsToken?: string;
  /** The browser's log entries per client address and window at POST /client-logs (./clientLogs.ts). */
  clientLogLimit?: RateLimit;
  /**
   * Anonymous calls of the public API (functions `api` and `mcp` without a key or user token) per client address
   * and window (./publicApiLimit.ts; default 60 a minute; npm start: QUEUEMED_PUBLIC_API_IP_*).
   */
  publicApiIpLimit?: RateLimit;
  /**
   * sec20: the public reads of /rest/v1 (get_free_slots, get_fluid_days: rest/postgrest.ts PUBLIC_READ_RPCS) by anyone
   * but the clinic's staff, counted per client address in the same counter as the public API (scope public_api_ip).
   * null/absent: not counted (embedded test stacks); npm start passes its public API limit.
   */
  publicReadIpLimit?: RateLimit | null;
  /**
   * fix24b: the tracker's server renders (GET /t/<token>) per client address, in their OWN counter (scope
   * tracker_page_ip): a waiting room behind one NAT address reloading its trackers must not spend that address's
   * public reads (get_free_slots: bookings got 429). Absent: the public-read limit's figures (npm start: 60 a
   * minute), counted apart; null: not counted.
   */
  trackerPageIpLimit?: RateLimit | null;
  /**
   * sec25: the tracker's status reads (get_tracker_view over /rest/v1) per client address, in their own counter
   * (scope tracker_view_ip, rest/postgrest.ts TRACKER_VIEW_RPCS): a token guesser meets it. null/absent: not counted
   * (embedded test stacks); npm start: QUEUEMED_TRACKER_VIEW_IP_*, default 1200 a minute (~100 phones behind one NAT).
   */
  trackerViewIpLimit?: RateLimit | null;
  /**
   * Realtime sockets per client address and joins per socket (./realtime/server.ts; default 100 sockets, 60 joins
   * a minute; npm start: QUEUEMED_REALTIME_IP_SOCKETS_MAX, QUEUEMED_REALTIME_JOINS_*).
   */
  realtimeLimits?: RealtimeLimits;
  /**
   * Wait estimates on the server (issue 16): the stack POSTs to /functions/v1/queue-estimates with the
   * service key — for a clinic `estimatesDebounceMs` after its queue last changed (LISTEN on the realtime
   * change feed: queues, queue_entries), and for every clinic every `estimatesIntervalMs` (time passing
   * alone ages the estimates; the tick's job also runs once at start) — as pg_cron/pg_net or a database webhook
   * do on Supabase. Each off when omitted or 0; skipped when the function folder has no queue-estimates.
   */
  estimatesDebounceMs?: number;
  estimatesIntervalMs?: number;
  /**
   * Edge functions whose Deno process starts with the stack rather than on first call (npm start: the
   * patient messages and the schedules), so the first SMS of a morning does not wait for a cold start.
   */
  prewarmFunctions?: readonly string[];
  /** Keep-alive timeout clients are told (seconds, default 5). */
  keepAliveAdvertisedSeconds?: number;
  /** How long the server really keeps an idle connection (ms, default 65 000; longer than advertised). */
  keepAliveTimeoutMs?: number;
  /**
   * Where the OpenTelemetry spans go (./tracing.ts: request → database → function, one trace per caller's
   * traceparent); tests pass the SDK's InMemorySpanExporter. None: spans are made (their ids are logged) and
   * dropped.
   */
  traceExporters?: readonly SpanExporter[];
  /**
   * Hand spans to the exporters in batches (the SDK's BatchSpanProcessor: a network exporter such as OTLP,
   * ./otlp.ts) instead of one by one; stopping the stack flushes what is left.
   */
  traceBatch?: boolean;
  /** The spans' resource attributes (default service.name "queuemed-stack"; ./otlp.ts reads OTEL_*). */
  traceResource?: Attributes;
}

export interface Stack {
  url: string;
  port: number;
  anonKey: string;
  serviceKey: string;
  jwtSecret: string;
  keys: StackKeys;
  log: Logger;
  /** The dev outbox (development mode): undelivered one-time codes, newest last; empty otherwise. */
  outbox(): OtpMessage[];
  /** Edge functions whose Deno process is running or starting (see `prewarmFunctions`). */
  warmFunctions(): string[];
  /** Process ids of those Deno hosts (tests check that `stop()` ends them). */
  functionPids(): number[];
  /** Notification sweeps completed (answered) since start: tests wait for N more sweeps, not a fixed time. */
  sweeps(): number;
  /** Installs realtime triggers for tables added to supabase_realtime after start. */
  refreshRealtime(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log =
    options.logger ??
    pino({ level: options.logLevel ?? process.env.LOG_LEVEL ?? 'info', base: { svc: 'local-stack' } });
  const keys = options.keys ?? (await makeKeys());
  const host = options.host ?? '127.0.0.1';
  const devMode = options.devMode === true;
  if (devMode && !isLoopbackHost(host)) {
    throw new Error(
      `development mode (dev outbox, printed one-time codes) is only allowed on a loopback listener, not HOST=${host}`,
    );
  }
  const staticDir = options.staticDir === undefined ? `${ROOT}dist` : options.staticDir;
  // this stack's own address once it listens: where the tracker's server render reads the visit (as anon)
  let selfUrl = '';
  // sec20: the public reads of /rest/v1 by anyone but the clinic's staff, per client address (scope public_api_ip)
  const publicReadLimiter = options.publicReadIpLimit
    ? new DbRateLimiter(options.db, 'public_api_ip', options.publicReadIpLimit, Date.now)
    : null;
  // sec24a (review24 L3): the tracker's server render (GET /t/<token>) is counted per address too — fix24b: in its
  // own counter (scope tracker_page_ip), so a waiting room's renders never spend the address's bookings' reads
  const trackerPageIpLimit =
    options.trackerPageIpLimit === undefined ? options.publicReadIpLimit : options.trackerPageIpLimit;
  const trackerPageLimiter = trackerPageIpLimit
    ? new DbRateLimiter(options.db, 'tracker_page_ip', trackerPageIpLimit, Date.now)
    : null;
  const trackerPage = staticDir
    ? createTrackerPages({
        staticDir,
        ...(options.trackerSsrDir ? { ssrDir: options.trackerSsrDir } : {}),
        anonKey: keys.anonKey,
        ...(options.vapid ? { vapidPublicKey: options.vapid.publicKey } : {}),
        selfUrl: () => selfUrl,
        log: log.child({ svc: 'tracker-page' }),
        ...(trackerPageLimiter
          ? { admit: async (req: IncomingMessage) => (await trackerPageLimiter.take(clientIp(req))).ok }
          : {}),
        // sec25: the render's read proves it is the stack's own (not counted again in tracker_view_ip)
        readHeaders: (req: IncomingMessage) => ({
          [FORWARD_SECRET_HEADER]: forwardSecret,
          [CLIENT_ADDRESS_HEADER]: clientIp(req),
        }),
      })
    : null;
  let publicUrl = options.publicUrl ?? '';
  const outbox: OtpMessage[] = [];
  let outboxSeq = 0;

  const undelivered = (kind: OtpMessage['kind'], to: string, body: string, code: string): void => {
    if (!devMode) {
      // Never the code: without a provider and outside development mode it simply is not delivered.
      log.warn(
        { to, kind },
        'no delivery configured for one-time codes; code not delivered (development mode shows it)',
      );
      return;
    }
    outbox.push({ id: String(++outboxSeq), at: new Date().toISOString(), to, kind, body });
    if (outbox.length > 200) outbox.shift();
    log.info({ to, kind, code }, 'development mode: one-time code');
  };
  const onOtp =
    options.onOtp ??
    ((phone: string, code: string) => undelivered('otp', maskPhone(phone), `QueueMed code: ${code}`, code));
  const onEmailCode =
    options.onEmailCode ??
    ((email: string, code: string) =>
      undelivered('email', maskEmail(email), `QueueMed email confirmation code: ${code}`, code));

  const auth = new GoTrue({
    db: options.db,
    keys,
    log: log.child({ svc: 'auth' }),
    issuer: () => `${publicUrl}/auth/v1`,
    options: { ...DEFAULT_AUTH_OPTIONS, ...options.auth },
    onOtp,
    onEmailCode,
  });
  const cache = new SchemaCache();
  // apiaddr18: what the function host presents with the client address it forwards to /rest/v1 (http.ts limitAddress)
  const forwardSecret = options.forwardSecret ?? randomBytes(32).toString('hex');
  // review21 M3: a bad entry stops the start (parseTrustedProxies throws, naming it)
  const trustedProxies = parseTrustedProxies(options.trustedProxies);
  const restCtx = {
    forwardSecret,
    db: options.db,
    keys,
    cache,
    log: log.child({ svc: 'rest' }),
    schemas: options.schemas ?? ['public'],
    bookingLimiter: options.bookingIpLimit
      ? new DbRateLimiter(options.db, 'booking_ip', options.bookingIpLimit, options.auth?.now ?? Date.now)
      : null,
    // sec20: anonymous (and non-staff) free-slot reads over /rest/v1 share the public API's per-address counter
    publicReadLimiter,
    // sec25: the tracker's status reads, their own counter, decided without a round trip
    trackerViewLimiter: options.trackerViewIpLimit
      ? new BackgroundSharedLimiter(
          options.db,
          'tracker_view_ip',
          options.trackerViewIpLimit,
          Date.now,
          (e) =>
            log.warn(
              { err: e instanceof Error ? e.message : String(e) },
              'tracker_view_ip shared count failed',
            ),
        )
      : null,
    kioskPairingLimiter:
      options.kioskPairingIpLimit === null
        ? null
        : new DbRateLimiter(
            options.db,
            'kiosk_pairing_ip',
            options.kioskPairingIpLimit ?? DEFAULT_KIOSK_PAIRING_IP_LIMIT,
            options.auth?.now ?? Date.now,
          ),
  };
  const realtime = new RealtimeServer(
    options.db,
    keys,
    log.child({ svc: 'realtime' }),
    options.realtimeLimits ?? DEFAULT_REALTIME_LIMITS,
  );
  await realtime.start();
  // Clinic times are the database's zone rules: say which release they are (Morocco changed in tzdata 2026c)
  const zoneData = await probeZoneData(options.db, SYSTEM_TZ_DIR);
  if (zoneData.moroccoCurrent === false)
    log.warn(
      { zoneData },
      "the database's zone data predates tzdata 2026c: Moroccan clinic times are an hour ahead (docs/operations.md)",
    );
  const functions = new FunctionsRuntime({
    dir: options.functionsDir ?? `${ROOT}supabase/functions`,
    configToml: options.configToml ?? `${ROOT}supabase/config.toml`,
    denoPath: options.denoPath,
    keys,
    log: log.child({ svc: 'functions' }),
    env: () => ({
      SUPABASE_URL: publicUrl,
      ...(options.appUrl ? { SITE_URL: options.appUrl } : {}),
      SUPABASE_ANON_KEY: keys.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: keys.serviceKey,
      // The `api` function signs its API keys' short-lived identity tokens with the project's JWT secret.
      API_JWT_SECRET: keys.jwtSecret,
      // forwarded with CLIENT_ADDRESS_HEADER on the functions' /rest/v1 calls: only they can name a client address
      QUEUEMED_FORWARD_SECRET: forwardSecret,
      // review21: the stack's own clock offset (fakeClock.ts, tests only; 0 otherwise) — functions/host.js shifts
      // the function's Date by it, so a function signs and dates with the clock the gateway checks against
      QUEUEMED_CLOCK_OFFSET_MS: String(installedClockOffset()),
      ...(options.databaseUrl ? { SUPABASE_DB_URL: options.databaseUrl } : {}),
      ...(options.vapid
        ? { VAPID_PUBLIC_KEY: options.vapid.publicKey, VAPID_PRIVATE_KEY: options.vapid.privateKey }
        : {}),
    }),
  });

  const tracing = createStackTracing(options.traceExporters ?? [], {
    batch: options.traceBatch ?? false,
    ...(options.traceResource ? { resource: options.traceResource } : {}),
  });
  const clientLogs = createClientLogs(log, options.clientLogLimit);
  const publicApiLimit = new PublicApiLimit(
    options.db,
    keys.anonKey,
    options.publicApiIpLimit,
    Date.now,
    keys.jwtSecret,
  );
  const metrics = new StackMetrics({
    db: options.db,
    realtime: () => ({ connections: realtime.stats().connections, messagesSent: realtime.messagesSent }),
  });

  let inFlight = 0;
  let drained: (() => void) | null = null;
  let stopping = false;

  const route = async (req: IncomingMessage, res: ServerResponse, span: RequestSpan): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    if (method === 'OPTIONS') return send(res, 204, null);
    // Database down (PostgreSQL unreachable): fail fast with a coded 503 instead of waiting on a connect.
    const dbUp = options.db.health().up;
    if (!dbUp && path.startsWith('/rest/v1/')) {
      throw new HttpError(
        503,
        { code: 'PGRST000', details: null, hint: null, message: 'Could not connect with the database' },
        { 'retry-after': '1' },
      );
    }
    if (!dbUp && path.startsWith('/auth/v1/') && path !== '/auth/v1/health') {
      const message = 'Database unavailable';
      throw new HttpError(
        503,
        { code: 'database_unavailable', error_code: 'database_unavailable', msg: message, message },
        { 'retry-after': '1' },
      );
    }
    if (path.startsWith('/rest/v1/'))
      return handleRest(req, res, url, path.slice('/rest/v1'.length), restCtx, span);
    if (path.startsWith('/auth/v1/')) return auth.handle(req, res, url, path.slice('/auth/v1'.length));
    if (path.startsWith('/functions/v1/')) {
      // review18 finding 3: anonymous calls of the public API are counted per client address
      // (counted in the database: with the database down the functions answer for themselves)
      const limited = dbUp ? await publicApiLimit.take(req, path.slice('/functions/v1'.length)) : null;
      if (limited && !limited.ok) {
        return send(
          res,
          429,
          JSON.stringify({
            type: 'https://queuemed.org/problems/rate-limited',
            title: 'Too Many Requests',
            status: 429,
            code: 'RATE.LIMITED',
            detail: 'too many requests without an API key from this address; try again later',
          }),
          { 'content-type': 'application/problem+json', 'retry-after': String(limited.retryAfterSeconds) },
        );
      }
      // the function sees who called it (the socket, or the client a trusted proxy names — never a header an
      // untrusted caller sent) and forwards it to /rest/v1
      req.headers[CLIENT_ADDRESS_HEADER] = requestAddress(req);
      delete req.headers[FORWARD_SECRET_HEADER];
      return functions.handle(req, res, url, path.slice('/functions/v1'.length), span);
    }
    if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
      // Touches no database: the driver's last view of it (PostgreSQL: the LISTEN connection's state).
      const h = options.db.health();
      const status = stopping ? 'stopping' : h.up ? 'ok' : 'degraded';
      return sendJson(res, status === 'ok' ? 200 : 503, {
        status,
        db: options.db.kind,
        database: { status: h.up ? 'up' : 'down', since: h.since },
        zone_data: {
          version: zoneData.version,
          source: zoneData.source,
          casablanca_offset_2026_11_minutes: zoneData.casablancaNov2026,
          morocco_current: zoneData.moroccoCurrent,
        },
        realtime: realtime.stats(),
      });
    }
    if (path === '/metrics' && method === 'GET') {
      // Prometheus scrape (issue 19): this machine freely, others with the bearer token
      const access = metricsAccess(
        isLoopbackAddress(requestAddress(req)),
        header(req, 'authorization'),
        options.metricsToken ?? process.env['QUEUEMED_METRICS_TOKEN'],
      );
      if (access !== 'ok')
        throw new HttpError(401, {
          code: 'METRICS.TOKEN_REQUIRED',
          message: 'Metrics need the bearer token from other machines',
        });
      const m = await metrics.text();
      res.writeHead(200, { 'content-type': m.contentType, 'cache-control': 'no-store' });
      res.end(m.body);
      return;
    }
    if (path === CLIENT_LOG_PATH && method === 'POST') return clientLogs(req, res);
    if (path === '/config.json' && method === 'GET') {
      return sendJson(
        res,
        200,
        {
          supabaseUrl: publicUrl,
          supabaseAnonKey: keys.anonKey,
          ...(options.appUrl ? { publicUrl: options.appUrl } : {}),
          clientLogsUrl: CLIENT_LOG_PATH,
          ...(options.vapid ? { vapidPublicKey: options.vapid.publicKey } : {}),
        },
        { 'cache-control': 'no-cache' },
      );
    }
    if (path === '/dev/outbox' && method === 'GET' && devMode) {
      // One-time codes prove identities: only the service role, and only from this machine.
      if (requireApiKey(req, keys, url) !== 'service_role') {
        throw new HttpError(403, {
          code: 'DEV.SERVICE_ROLE_REQUIRED',
          message: 'The dev outbox needs the service-role key',
        });
      }
      if (!isLoopbackAddress(requestAddress(req))) {
        throw new HttpError(403, {
          code: 'DEV.LOOPBACK_ONLY',
          message: 'The dev outbox answers this machine only',
        });
      }
      return sendJson(res, 200, outbox);
    }
    if (path === '/dev/clock' && method === 'POST' && devMode) {
      // The database's clock for the queue's rules (private.now()), pinned by an end-to-end test that acts out
      // a later moment of a clinic's day (issue 17: a fluid check-in before and after the day opens), then
      // released. Development mode only, the service role only, this machine only — like the dev outbox.
      // Body `{ "at": "<ISO instant>" }` pins it; `{ "at": null }` releases it (the stack's own clock again).
      if (requireApiKey(req, keys, url) !== 'service_role') {
        throw new HttpError(403, {
          code: 'DEV.SERVICE_ROLE_REQUIRED',
          message: 'The dev clock needs the service-role key',
        });
      }
      if (!isLoopbackAddress(requestAddress(req))) {
        throw new HttpError(403, {
          code: 'DEV.LOOPBACK_ONLY',
          message: 'The dev clock answers this machine only',
        });
      }
      const body = (await readJson(req)) as { at?: unknown } | undefined;
      const at = body?.at;
      if (at === null) {
        await options.db.query('delete from private.pinned_clock');
        return sendJson(res, 200, { at: null });
      }
      if (
        typeof at !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at) ||
        Number.isNaN(Date.parse(at))
      ) {
        throw new HttpError(400, {
          code: 'VALIDATION.FAILED',
          message: 'Send { "at": "<ISO instant in UTC>" } or { "at": null }',
        });
      }
      const pinned = new Date(at).toISOString();
      await options.db.query(
        `insert into private.pinned_clock (at) values ($1::timestamptz)
         on conflict (id) do update set at = excluded.at`,
        [pinned],
      );
      return sendJson(res, 200, { at: pinned });
    }
    if (
      path.startsWith('/rest/') ||
      path.startsWith('/auth/') ||
      path.startsWith('/realtime/') ||
      path.startsWith('/functions/') ||
      path.startsWith('/dev/')
    ) {
      throw pgrstError(404, 'PGRST125', 'Invalid path specified in request URL');
    }
    // the tracker's first view rendered here (lcp23); any failure falls through to the plain SPA shell
    if (method === 'GET' && trackerPage && (await trackerPage(req, res, path, url.search))) return;
    if (
      (method === 'GET' || method === 'HEAD') &&
      staticDir &&
      serveStatic(res, staticDir, path, method === 'HEAD', header(req, 'accept-encoding'))
    )
      return;
    throw pgrstError(404, 'PGRST125', 'Not found');
  };

  const server: Server = createServer((req, res) => {
    inFlight++;
    // the one client address every per-address limit of this request counts (http.ts clientIp)
    stampClientAddress(req, trustedProxies);
    const started = performance.now();
    // the caller's W3C trace (the browser's supabase-js, a function's RPC) continued, or a new one: the
    // request's server span (./tracing.ts), and every line about this request carries its trace id (issue 19)
    const routePath = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const trace = tracing.request(`${method} ${routeOf(routePath)}`, header(req, 'traceparent'), {
      'http.request.method': method,
      'http.route': routeOf(routePath),
    });
    const reqLog = log.child({ traceId: trace.traceId });
    res.on('finish', () => {
      trace.end(res.statusCode);
      const seconds = (performance.now() - started) / 1000;
      metrics.observe(routePath, res.statusCode, seconds);
      const line = {
        method: req.method,
        route: maskPath(routePath),
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
        spanId: trace.spanId,
      };
      if (res.statusCode >= 500) reqLog.error(line, 'request failed');
      else reqLog.debug(line, 'request');
    });
    if (!stopping && res.shouldKeepAlive) {
      res.setHeader('connection', 'keep-alive');
      res.setHeader('keep-alive', `timeout=${advertisedKeepAliveS}`);
    }
    res.on('close', () => {
      trace.end(res.statusCode);
      inFlight--;
      if (inFlight === 0 && drained) drained();
    });
    route(req, res, trace).catch((e: unknown) => {
      const err = e instanceof HttpError ? e : toHttpError(e, 'anon', reqLog);
      if (!res.headersSent) sendError(res, err);
      else res.end();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  // Keep-alive that never drops a connection with a request in flight: responses advertise
  // `Keep-Alive: timeout=5` (clients such as undici close an idle connection a second before that), while
  // the server itself keeps idle connections open far longer. So a client never sends a request on a
  // socket the server is closing at that moment (the race that lost POSTs supabase-js does not retry).
  const advertisedKeepAliveS = options.keepAliveAdvertisedSeconds ?? 5;
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    stampClientAddress(req, trustedProxies);
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/realtime/v1/websocket' && !stopping)
      realtime.handleUpgrade(req, socket, head, url);
    else socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 54321, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${shownHost}:${port}`;
  selfUrl = url;
  if (!publicUrl) publicUrl = url;
  log.info({ url, db: options.db.kind }, 'local stack listening');

  // ── Notification outbox sweep (issue 7) ─────────────────────────────────────────────────────────
  let sweepTimer: NodeJS.Timeout | null = null;
  let sweepsDone = 0;
  const sweepDir = options.functionsDir ?? `${ROOT}supabase/functions`;
  if ((options.sweepIntervalMs ?? 0) > 0 && existsSync(`${sweepDir}/notification-sweep/index.ts`)) {
    let sweeping = false;
    const hasWebhookSweep = existsSync(`${sweepDir}/webhook-sweep/index.ts`);
    sweepTimer = setInterval(() => {
      if (sweeping || stopping) return;
      sweeping = true;
      const sweepFn = (name: string) =>
        fetch(`${url}/functions/v1/${name}`, {
          method: 'POST',
          headers: {
            apikey: keys.serviceKey,
            authorization: `Bearer ${keys.serviceKey}`,
            'content-type': 'application/json',
          },
          body: '{}',
        }).then((r) => r.text());
      sweepFn('notification-sweep')
        // the webhook outbox (issue 18) on the same schedule: deliveries the database wrote with the events
        .then(() => (hasWebhookSweep ? sweepFn('webhook-sweep') : ''))
        .then(() => {
          sweepsDone++;
        })
        .catch((e: unknown) =>
          log.warn({ err: e instanceof Error ? e.message : String(e) }, 'notification sweep failed'),
        )
        .finally(() => {
          sweeping = false;
        });
    }, options.sweepIntervalMs);
    sweepTimer.unref();
  }

  // ── Queue sweep (issue 11): grace expiry and the automatic end of day, without any open dashboard ──
  let queueSweepTimer: NodeJS.Timeout | null = null;
  if ((options.queueSweepIntervalMs ?? 0) > 0) {
    let running = false;
    queueSweepTimer = setInterval(() => {
      if (running || stopping) return;
      running = true;
      fetch(`${url}/rest/v1/rpc/sweep_queues`, {
        method: 'POST',
        headers: {
          apikey: keys.serviceKey,
          authorization: `Bearer ${keys.serviceKey}`,
          'content-type': 'application/json',
        },
        body: '{}',
      })
        .then((r) => r.text())
        .catch((e: unknown) =>
          log.warn({ err: e instanceof Error ? e.message : String(e) }, 'queue sweep failed'),
        )
        .finally(() => {
          running = false;
        });
    }, options.queueSweepIntervalMs);
    queueSweepTimer.unref();
  }

  // ── Retention (issue 19): anonymise what is older than each clinic's retention period ──
  let retentionTimer: NodeJS.Timeout | null = null;
  if ((options.retentionIntervalMs ?? 0) > 0) {
    retentionTimer = setInterval(() => {
      if (stopping) return;
      fetch(`${url}/rest/v1/rpc/apply_retention`, {
        method: 'POST',
        headers: {
          apikey: keys.serviceKey,
          authorization: `Bearer ${keys.serviceKey}`,
          'content-type': 'application/json',
        },
        body: '{}',
      })
        .then((r) => r.text())
        .catch((e: unknown) =>
          log.warn({ err: e instanceof Error ? e.message : String(e) }, 'retention failed'),
        );
    }, options.retentionIntervalMs);
    retentionTimer.unref();
  }

  // ── Wait estimates on the server (issue 16): on queue changes (debounced per clinic) and on a tick ──
  let estimatesTimer: NodeJS.Timeout | null = null;
  let unlistenEstimates: (() => Promise<void>) | null = null;
  const estimateDebounce = new Map<string, NodeJS.Timeout>();
  const debounceMs = options.estimatesDebounceMs ?? 0;
  const tickMs = options.estimatesIntervalMs ?? 0;
  if ((debounceMs > 0 || tickMs > 0) && existsSync(`${sweepDir}/queue-estimates/index.ts`)) {
    // one call at a time: a burst of changes never starts several estimators side by side
    let chain: Promise<void> = Promise.resolve();
    const refresh = (clinicId: string | null): void => {
      chain = chain.then(async () => {
        if (stopping) return;
        try {
          const r = await fetch(`${url}/functions/v1/queue-estimates`, {
            method: 'POST',
            headers: {
              apikey: keys.serviceKey,
              authorization: `Bearer ${keys.serviceKey}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify(clinicId === null ? {} : { clinic_id: clinicId }),
          });
          const text = await r.text();
          if (!r.ok) log.warn({ status: r.status, body: text.slice(0, 200) }, 'queue estimates failed');
        } catch (e) {
          log.warn({ err: e instanceof Error ? e.message : String(e) }, 'queue estimates failed');
        }
      });
    };
    if (debounceMs > 0) {
      unlistenEstimates = await options.db.listen('queuemed_realtime', (payload) => {
        if (stopping) return;
        let change: { table?: string; record?: { clinic_id?: unknown } };
        try {
          change = JSON.parse(payload) as typeof change;
        } catch {
          return;
        }
        if (change.table !== 'queues' && change.table !== 'queue_entries') return;
        // a row too big for NOTIFY comes without its record: then every clinic's queue is looked at
        const clinic = typeof change.record?.clinic_id === 'string' ? change.record.clinic_id : '*';
        const previous = estimateDebounce.get(clinic);
        if (previous) clearTimeout(previous);
        const t = setTimeout(() => {
          estimateDebounce.delete(clinic);
          refresh(clinic === '*' ? null : clinic);
        }, debounceMs);
        t.unref();
        estimateDebounce.set(clinic, t);
      });
    }
    if (tickMs > 0) {
      // once at start, then on the tick (dash24): the queues a restart finds open get their estimates now, not a
      // tick later — otherwise a tracker opened in the first minute showed "not known yet" and the first tick's
      // store (estimates of a version that had none touch the queue row) re-read every tracker that was open
      refresh(null);
      estimatesTimer = setInterval(() => refresh(null), tickMs);
      estimatesTimer.unref();
    }
  }

  // ── QueueMed's own email-proof codes (mail22) ───────────────────────────────────────────────────────
  // request_notification_email_code puts a code mail in the database's outbox and NOTIFYs; the stack delivers it
  // as it delivers its auth codes — `onEmailCode`, or the dev outbox in development mode. Without either it leaves
  // the outbox alone: the notification sweep mails it by SMTP (as on Supabase). Each mail is taken once.
  let unlistenEmailCodes: (() => Promise<void>) | null = null;
  if (options.onEmailCode || devMode) {
    let draining: Promise<void> | null = null;
    let again = false;
    const drainOnce = async (): Promise<void> => {
      const { rows } = await options.db.query<{ email: string; code: string; clinic_name: string }>(
        'select email, code, clinic_name from public.take_notification_email_codes(50)',
      );
      for (const m of rows) {
        if (options.onEmailCode) await options.onEmailCode(m.email, m.code);
        else
          undelivered(
            'email',
            maskEmail(m.email),
            `QueueMed: your code to confirm this email for the messages of ${m.clinic_name}: ${m.code}`,
            m.code,
          );
      }
    };
    const drain = (): void => {
      if (stopping) return;
      if (draining) {
        again = true;
        return;
      }
      draining = drainOnce()
        .catch((e: unknown) =>
          log.warn({ err: e instanceof Error ? e.message : String(e) }, 'email proof codes not delivered'),
        )
        .finally(() => {
          draining = null;
          if (again) {
            again = false;
            drain();
          }
        });
    };
    unlistenEmailCodes = await options.db.listen('queuemed_email_code', drain).catch(() => null);
    // codes asked for before a restart (a database without the outbox has nothing to give: quiet)
    void drainOnce().catch(() => undefined);
  }

  if (options.prewarmFunctions && options.prewarmFunctions.length > 0)
    functions.prewarm(options.prewarmFunctions);

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      if (sweepTimer) clearInterval(sweepTimer);
      if (queueSweepTimer) clearInterval(queueSweepTimer);
      if (retentionTimer) clearInterval(retentionTimer);
      if (estimatesTimer) clearInterval(estimatesTimer);
      for (const t of estimateDebounce.values()) clearTimeout(t);
      if (unlistenEstimates) await unlistenEstimates().catch(() => undefined);
      if (unlistenEmailCodes) await unlistenEmailCodes().catch(() => undefined);
      server.close();
      await realtime.stop();
      // Let requests in flight finish (their transactions commit), then close idle keep-alive sockets.
      if (inFlight > 0) {
        await new Promise<void>((r) => {
          drained = r;
          setTimeout(r, 10_000).unref();
        });
      }
      for (const s of sockets) s.destroy();
      await functions.stop();
      await tracing.shutdown().catch(() => undefined);
      log.info('local stack stopped');
    })();
    return stopped;
  };

  return {
    url,
    port,
    anonKey: keys.anonKey,
    serviceKey: keys.serviceKey,
    jwtSecret: keys.jwtSecret,
    keys,
    log,
    outbox: () => [...outbox],
    warmFunctions: () => functions.warmNames(),
    functionPids: () => functions.pids(),
    sweeps: () => sweepsDone,
    refreshRealtime: () => realtime.installTriggers(),
    stop,
  };
}

/** A listener on this machine only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** A client address on this machine (IPv4, IPv6 or IPv4-mapped IPv6 loopback). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return isLoopbackHost(address.replace(/^::ffff:/i, ''));
}

/** Masks an email for logs and the outbox: `a•••@example.test`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

export { loadOrCreateKeys, makeKeys, signJwt } from './keys.js';
export type { StackKeys } from './keys.js';
