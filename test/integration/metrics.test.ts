// The local stack's /metrics (issue 19): Prometheus text format with the issue's metric names; a request, a
// queue save conflict (save_queue_step answering 409) and an SMS each move their counter; only this machine
// may scrape without the token (metricsAccess, the rule the stack applies to every /metrics request).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsAccess, routeOf } from '../../supabase/local/metrics';
import { startAppStack, type AppStack } from './appStack';

/** The value of one sample line (`name{labels} value`), 0 when absent. */
const sample = (text: string, name: string, labels = ''): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};

describe('the local stack /metrics', () => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack('pglite');
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
