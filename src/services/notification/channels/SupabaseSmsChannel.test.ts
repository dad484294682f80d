import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { SupabaseSmsChannel } from './SupabaseSmsChannel';
import { notificationIdempotencyKey } from './idempotency';

const answer = (over: Record<string, unknown> = {}) => ({
  notification_id: 'n1',
  status: 'sent',
  duplicate: false,
  attempts: 1,
  segments: 1,
  cost: 0.25,
  provider_id: 'SM1',
  budget_alert: false,
  error: null,
  ...over,
});

const clientReturning = (result: { data: unknown; error: unknown } | Error) => {
  const calls: { name: string; body: unknown }[] = [];
  const headers: (Record<string, string> | undefined)[] = [];
  const client = {
    functions: {
      invoke: (name: string, opts: { body: unknown; headers?: Record<string, string> }) => {
        calls.push({ name, body: opts.body });
        headers.push(opts.headers);
        return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
      },
    },
  } as unknown as SupabaseClient;
  return { client, calls, headers };
};

const msg = {
  clinicId: 'c1',
  entryId: 'e1',
  kind: 'almost_turn' as const,
  language: 'ar' as const,
  to: '+212612345678',
  body: 'نص',
  segments: 1,
  idempotencyKey: 'k1',
  position: 2,
};

describe('SupabaseSmsChannel', () => {
  it("a queue message is sent in its command's trace: traceparent's trace id is the correlation id", async () => {
    const { client, headers } = clientReturning({ data: answer(), error: null });
    const correlationId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    await new SupabaseSmsChannel(client).send({ ...msg, correlationId });
    expect(headers[0]?.['traceparent']).toMatch(/^00-3f2504e04f8941d39a0c0305e82c3301-[0-9a-f]{16}-01$/);
    // no command (a booking confirmation): no trace named, the fetch starts its own
    await new SupabaseSmsChannel(client).send(msg);
    expect(headers[1]).toBeUndefined();
  });

  it("invokes send-sms with a reference only (the database's kind name, no phone, no text) and maps the answer", async () => {
    const { client, calls } = clientReturning({ data: answer(), error: null });
    const r = await new SupabaseSmsChannel(client).send(msg);
    expect(calls).toEqual([
      {
        name: 'send-sms',
        body: { clinic_id: 'c1', entry_id: 'e1', kind: 'almost_turn', position: 2 },
      },
    ]);
    expect(r).toEqual({
      ok: true,
      value: {
        status: 'sent',
        outcome: 'sent',
        notificationId: 'n1',
        attempts: 1,
        segments: 1,
        cost: 0.25,
        providerId: 'SM1',
        budgetAlert: false,
        error: null,
      },
    });
  });

  it.each([
    [{ status: 'queued', duplicate: true }, 'duplicate'],
    [{ status: 'simulated' }, 'simulated'],
    [{ status: 'skipped_budget' }, 'skipped_budget'],
    [{ status: 'opted_out' }, 'failed'],
    [{ status: 'no_recipient' }, 'failed'],
    [{ status: 'failed', error: 'twilio HTTP 400' }, 'failed'],
  ])('outcome %j → status %s', async (over, status) => {
    const { client } = clientReturning({ data: answer(over), error: null });
    const r = await new SupabaseSmsChannel(client).send(msg);
    expect(r.ok && r.value.status).toBe(status);
  });

  it("the function's coded error becomes that AppError; an unknown shape or a network failure is INTERNAL", async () => {
    const http = {
      context: new Response(JSON.stringify({ code: 'AUTH.FORBIDDEN', message: 'not a member' }), {
        status: 403,
      }),
    };
    const forbidden = await new SupabaseSmsChannel(clientReturning({ data: null, error: http }).client).send(
      msg,
    );
    expect(forbidden).toEqual({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN', message: 'not a member', details: { status: 403 } },
    });
    const gateway = { context: new Response('{"code":"UNAUTHORIZED_INVALID_JWT_FORMAT"}', { status: 401 }) };
    const r401 = await new SupabaseSmsChannel(clientReturning({ data: null, error: gateway }).client).send(
      msg,
    );
    expect(!r401.ok && r401.error.code).toBe('AUTH.REQUIRED');
    const odd = await new SupabaseSmsChannel(
      clientReturning({ data: { status: 'teleported' }, error: null }).client,
    ).send(msg);
    expect(!odd.ok && odd.error.code).toBe('INTERNAL');
    const down = await new SupabaseSmsChannel(clientReturning(new TypeError('fetch failed')).client).send(
      msg,
    );
    expect(!down.ok && down.error.code).toBe('INTERNAL');
  });
});

describe('notificationIdempotencyKey', () => {
  it('per command for the call messages, once per visit for cancelled / no_show / almost your turn', () => {
    expect(notificationIdempotencyKey({ kind: 'your_turn', entryId: 'e', correlationId: 'c' })).toBe(
      'your_turn:e:c',
    );
    expect(notificationIdempotencyKey({ kind: 'cancelled', entryId: 'e', correlationId: 'c' })).toBe(
      'cancelled:e',
    );
    expect(notificationIdempotencyKey({ kind: 'no_show', entryId: 'e', correlationId: 'c' })).toBe(
      'no_show:e',
    );
    expect(notificationIdempotencyKey({ kind: 'almost_turn', entryId: 'e', correlationId: 'c' })).toBe(
      'almost_turn:e:once',
    );
  });
  it('names the event by its correlation id when it is a uuid (the queue log keeps others in the payload)', async () => {
    const { client, calls } = clientReturning({ data: answer(), error: null });
    const channel = new SupabaseSmsChannel(client);
    const base = { clinicId: 'c1', entryId: 'e1', kind: 'your_turn' as const };
    await channel.send({ ...base, correlationId: '0b6c2f1e-8a3d-4c1b-9f7e-2d5a6b7c8d9e' });
    await channel.send({ ...base, correlationId: 'cmd-17' });
    expect(calls.map((c) => c.body)).toEqual([
      {
        clinic_id: 'c1',
        entry_id: 'e1',
        kind: 'your_turn',
        correlation_id: '0b6c2f1e-8a3d-4c1b-9f7e-2d5a6b7c8d9e',
      },
      { clinic_id: 'c1', entry_id: 'e1', kind: 'your_turn' },
    ]);
  });
});
