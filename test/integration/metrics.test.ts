// The local stack's /metrics (issue 19): Prometheus text format with the issue's metric names; a request, a
// queue save conflict (save_queue_step answering 409) and an SMS each move their counter; only this machine
// may scrape without the token (metricsAccess, the rule the stack applies to every /metrics request).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metricsAccess, routeOf } from '../../supabase/local/metrics';
import { startAppStack, type AppStack, type Kind } from './appStack';

/** The value of one sample line (`name{labels} value`), 0 when absent. */
const sample = (text: string, name: string, labels = ''): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};

describe.each(['pglite', 'postgres'] as Kind[])('the local stack /metrics on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  }, 300_000);
  afterAll(async () => {
    await app?.stop();
  });
  const scrape = async () => {
    const r = await fetch(`${app.stack.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return r.text();
  };

  it('exposes every metric of the issue in Prometheus text format', async () => {
    const text = await scrape();
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds',
      'queue_saves_total',
      'queue_save_conflicts_total',
      'realtime_connections',
      'realtime_messages_total',
      'sms_sent_total',
      'sms_failed_total',
      'notification_outbox_pending',
      'db_pool_in_use',
      'db_pool_waiting',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('counts a request, a queue save conflict and an SMS', async () => {
    const before = await scrape();
    // a request
    expect((await fetch(`${app.stack.url}/health`)).status).toBe(200);
    // a conflict: a step saved against a version the queue is not at
    const owner = await app.newClinic('metrics');
    const { rows } = await app.db.query<{ id: string }>(
      `insert into public.queues (clinic_id, day) values ($1, '2030-01-07') returning id`,
      [owner.clinicId],
    );
    const res = await owner.client.rpc('save_queue_step', {
      p_queue_id: rows[0]!.id,
      p_expected_version: 41,
      p_entries: [],
      p_events: [],
    });
    expect(res.status).toBe(409);
    // an SMS sent (by the notification functions, recorded in the outbox table)
    await app.db.query(
      `insert into public.notifications (clinic_id, kind, channel, idempotency_key, status, segments, cost)
       values ($1, 'your_turn', 'sms', 'metrics-sms-1', 'sent', 1, 0.5),
              ($1, 'your_turn', 'sms', 'metrics-sms-2', 'failed', 1, null)`,
      [owner.clinicId],
    );
    const after = await scrape();
    expect(sample(after, 'http_requests_total', 'route="/health",status="200"')).toBe(
      sample(before, 'http_requests_total', 'route="/health",status="200"') + 1,
    );
    expect(
      sample(
        after,
        'http_request_duration_seconds_count',
        'route="/rest/v1/rpc/save_queue_step",status="409"',
      ),
    ).toBe(1);
    expect(sample(after, 'queue_save_conflicts_total')).toBe(
      sample(before, 'queue_save_conflicts_total') + 1,
    );
    expect(sample(after, 'queue_saves_total')).toBe(sample(before, 'queue_saves_total'));
    expect(sample(after, 'sms_sent_total')).toBe(sample(before, 'sms_sent_total') + 1);
    expect(sample(after, 'sms_failed_total', 'reason="failed"')).toBe(
      sample(before, 'sms_failed_total', 'reason="failed"') + 1,
    );
  });

  it('db_pool_in_use rises while a connection is checked out and falls when it is returned', async () => {
    const idle = await scrape();
    const base = sample(idle, 'db_pool_in_use');
    const baseWaiting = sample(idle, 'db_pool_waiting');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = app.db.transaction(async (t) => {
      await t.query('select 1');
      entered();
      await held;
    });
    await inside;
    // PGlite has one connection: a statement sent now waits behind the open transaction
    const queued = kind === 'pglite' ? app.db.query('select 1') : null;
    const during = scrape();
    if (kind === 'pglite') {
      // the scrape's own reads (SMS, outbox) queue behind the transaction too, after the pool gauges were
      // read (they are collected first): wait until they are queued, then let the transaction end
      await vi.waitFor(() => expect(app.db.pool().waiting).toBeGreaterThanOrEqual(1 + 3), {
        timeout: 30_000,
      });
    } else await during;
    release();
    const text = await during;
    await tx;
    await queued;
    expect(sample(text, 'db_pool_in_use')).toBe(base + 1);
    if (kind === 'pglite') expect(sample(text, 'db_pool_waiting')).toBe(baseWaiting + 1);
    const after = await scrape();
    expect(sample(after, 'db_pool_in_use')).toBe(base);
    expect(sample(after, 'db_pool_waiting')).toBe(baseWaiting);
  });

  it('routes are bounded labels; other machines need the token', () => {
    expect(routeOf('/rest/v1/rpc/save_queue_step')).toBe('/rest/v1/rpc/save_queue_step');
    expect(routeOf('/rest/v1/queue_entries')).toBe('/rest/v1/queue_entries');
    expect(routeOf('/auth/v1/token')).toBe('/auth/v1/token');
    expect(routeOf('/functions/v1/queue-estimates')).toBe('/functions/v1/queue-estimates');
    expect(routeOf('/t/demo-visit-amine')).toBe('static');
    expect(routeOf('/rest/v1/rpc/x%27%3B')).toBe('/rest/v1/…');
    expect(metricsAccess(true, undefined, undefined)).toBe('ok');
    expect(metricsAccess(false, undefined, undefined)).toBe('token_required');
    expect(metricsAccess(false, 'Bearer nope', 'secret-token')).toBe('token_required');
    expect(metricsAccess(false, 'Bearer secret-token', 'secret-token')).toBe('ok');
  });
});
