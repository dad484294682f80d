/**
 * The local stack's `/metrics` (issue 19) in Prometheus text format, with prom-client: HTTP requests and
 * their duration by route and status, queue saves and their conflicts (the save_queue_step RPC answering
 * 2xx / 409), realtime connections and messages, SMS sent and failed (by reason), the outbox's pending
 * messages (read from the database when scraped: the SMS are sent by the notification functions, out of this
 * process), and the database connections in use and waited for (the driver's pool, ./db/types.ts). Routes are bounded labels: the RPC or table name, the auth or function
 * path's first part, never an id or a query string.
 */
import { timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db/types.js';

export interface MetricsSources {
  readonly db: Db;
  readonly realtime: () => { connections: number; messagesSent: number };
}

const SEGMENT = /^[a-z_][a-z0-9_-]{0,62}$/i;

/** A request path → a bounded route label. */
export function routeOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const keep = (n: number) => {
    const head = parts.slice(0, n);
    return head.every((p) => SEGMENT.test(p)) ? `/${head.join('/')}` : `/${parts.slice(0, 2).join('/')}/…`;
  };
  if (parts[0] === 'rest' && parts[2] === 'rpc') return keep(4);
  if (parts[0] === 'rest' || parts[0] === 'auth' || parts[0] === 'functions') return keep(3);
  if (parts[0] === 'realtime') return '/realtime';
  if (path === '/health' || path === '/metrics' || path === '/config.json' || path === '/client-logs')
    return path;
  if (parts[0] === 'dev') return '/dev';
  return 'static';
}

export class StackMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered by the local stack, by route and status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route and status.',
    labelNames: ['route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly saves = new Counter({
    name: 'queue_saves_total',
    help: 'Queue steps saved (save_queue_step answered 2xx).',
    registers: [this.registry],
  });
  private readonly conflicts = new Counter({
    name: 'queue_save_conflicts_total',
    help: 'Queue steps refused with 409 (another desk saved first, or the step no longer applies).',
    registers: [this.registry],
  });

  constructor(src: MetricsSources) {
    const { db, realtime } = src;
    // Registered first: prom-client starts every collect() in registration order, so these read the pool
    // before the collectors below put their own queries on it.
    new Gauge({
      name: 'db_pool_in_use',
      help: 'Database connections serving a statement or a transaction (PGlite: its one connection, 0 or 1).',
      registers: [this.registry],
      collect() {
        this.set(db.pool().inUse);
      },
    });
    new Gauge({
      name: 'db_pool_waiting',
      help: 'Callers waiting for a database connection (the pool is exhausted, or PGlite is busy).',
      registers: [this.registry],
      collect() {
        this.set(db.pool().waiting);
      },
    });
    new Gauge({
      name: 'realtime_connections',
      help: 'Open realtime (websocket) connections.',
      registers: [this.registry],
      collect() {
        this.set(realtime().connections);
      },
    });
    new Counter({
      name: 'realtime_messages_total',
      help: 'Realtime messages sent to clients.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(realtime().messagesSent);
      },
    });
    new Counter({
      name: 'sms_sent_total',
      help: 'SMS sent (sent, delivered or simulated), from the notifications table.',
      registers: [this.registry],
      async collect() {
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from public.notifications where channel = 'sms' and status in ('sent', 'delivered', 'simulated')`,
        );
        this.reset();
        this.inc(rows[0]?.n ?? 0);
      },
    });
    new Counter({
      name: 'sms_failed_total',
      help: 'SMS not sent, by reason: failed (the provider refused) or skipped_budget (monthly budget reached).',
      labelNames: ['reason'] as const,
      registers: [this.registry],
      async collect() {
        const { rows } = await db.query<{ reason: string; n: number }>(
          `select status::text as reason, count(*)::int as n from public.notifications
           where channel = 'sms' and status in ('failed', 'skipped_budget') group by 1`,
        );
        this.reset();
        for (const r of rows) this.inc({ reason: r.reason }, r.n);
      },
    });
    new Gauge({
      name: 'notification_outbox_pending',
      help: 'Notifications queued and not yet sent.',
      registers: [this.registry],
      async collect() {
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from public.notifications where status = 'queued'`,
        );
        this.set(rows[0]?.n ?? 0);
      },
    });
  }

  /** One answered request (called when the response is finished). */
  observe(path: string, status: number, seconds: number): void {
    const route = routeOf(path);
    const labels = { route, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
    if (route === '/rest/v1/rpc/save_queue_step') {
      if (status >= 200 && status < 300) this.saves.inc();
      else if (status === 409) this.conflicts.inc();
    }
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * Who may scrape: this machine always; anyone else only with `Authorization: Bearer <token>` when a token is
 * configured (QUEUEMED_METRICS_TOKEN). → 'ok' | 'token_required'
 */
export function metricsAccess(
  loopback: boolean,
  authorization: string | undefined,
  token: string | undefined,
): 'ok' | 'token_required' {
  if (loopback) return 'ok';
  if (!token) return 'token_required';
  const given = Buffer.from((authorization ?? '').replace(/^Bearer\s+/i, ''));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want) ? 'ok' : 'token_required';
}
