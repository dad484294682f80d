/**
 * One call-next is one trace (issue 19, operations): the desk's services as the browser wires them
 * (createBrowserServices over supabase-js with the traced fetch, SupabaseSmsChannel) call the next patient on
 * the local stack; the stack's OpenTelemetry spans (SDK, InMemorySpanExporter) show the request, its database
 * transaction and the send-sms function — and the RPCs that function makes back — under ONE trace id, which is
 * the command's id and so also the logged event's correlation id.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBrowserServices } from '../../src/services/composition/browser';
import { staffNotifications } from '../../src/services/composition/staffNotifications';
import { tracedFetch } from '../../src/services/shared/trace';
import { startAppStack, type AppStack } from './appStack';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('one call-next, one trace (local stack, OpenTelemetry SDK)', () => {
  const exporter = new InMemorySpanExporter();
  let app: AppStack;
  let desk: SupabaseClient;
  beforeAll(async () => {
    app = await startAppStack('pglite', {
      traceExporters: [exporter],
      // the real send-sms (no Twilio configured: it answers "simulated" after its RPCs)
      functionsDir: `${ROOT}supabase/functions`,
      configToml: `${ROOT}supabase/config.toml`,
      ...(process.env['TRACE_TEST_PORT'] ? { port: Number(process.env['TRACE_TEST_PORT']) } : {}),
    });
  }, 300_000);
  afterAll(async () => {
    await desk?.removeAllChannels();
    await app?.stop();
  });

  it('the step, its database transaction and the SMS function share the command id as trace id', async () => {
    const owner = await app.newClinic('trace');
    const { rows: q } = await app.db.query<{ id: string }>(
      `insert into public.queues (clinic_id, day, next_ticket)
       values ($1, private.clinic_today((select time_zone from public.clinics where id = $1)), 2) returning id`,
      [owner.clinicId],
    );
    const { rows: p } = await app.db.query<{ id: string }>(
      `insert into public.patients (clinic_id, full_name, phone) values ($1, 'Salma Trace', '+212600000394') returning id`,
      [owner.clinicId],
    );
    const { rows: e } = await app.db.query<{ id: string }>(
      `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, checked_in_at)
       values ($1, $2, $3, 'walk_in', 'waiting', 1, 1, private.now()) returning id`,
      [q[0]!.id, owner.clinicId, p[0]!.id],
    );
    // the browser's client: every request through the traced fetch (browserApp.createBackendClient)
    desk = createClient(app.stack.url, app.stack.anonKey, {
      global: { fetch: tracedFetch() },
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
      accessToken: async () => owner.token,
    });
    const services = createBrowserServices({
      supabase: desk,
      notify: (bus, queue) => staffNotifications(desk, queue)(bus),
      actor: () => owner.userId,
    });
    exporter.reset();
    const commandId = randomUUID();
    const traceId = commandId.replace(/-/g, '');
    const called = await services.queue.callNext(
      owner.clinicId,
      { practitionerId: null, room: 'Room 4' },
      { commandId },
    );
    expect(called.ok).toBe(true);
    // the SMS goes out after the step (an event listener): wait for its function span — and for the gateway's span
    // of that request, which ends only once the function's answer is relayed (under load, after the function's own
    // span: a clean-clone run at load 25 met it unfinished) — not for a time
    // a request of the command's trace the SMS function made (it started after the function's span, in the same
    // stack process: one clock) — the desk's own claim and save start before it
    const fromFunction = (x: ReadableSpan, fn: ReadableSpan) =>
      x.spanContext().traceId === traceId &&
      x.name.startsWith('POST /rest/v1/rpc/') &&
      x.name !== 'POST /rest/v1/rpc/save_queue_step' &&
      (x.startTime[0] > fn.startTime[0] ||
        (x.startTime[0] === fn.startTime[0] && x.startTime[1] >= fn.startTime[1]));
    const functionSpan = await vi.waitFor(
      () => {
        const finished = exporter.getFinishedSpans();
        const s = finished.find((x) => x.name === 'function send-sms');
        if (!s) throw new Error('no send-sms span yet');
        if (
          !finished.some(
            (x) => x.name === 'POST /functions/v1/send-sms' && x.spanContext().traceId === traceId,
          )
        )
          throw new Error('the send-sms request span has not ended yet');
        // the function's own RPCs: their request spans end as the gateway finishes answering them, which may come
        // after the function's span ended
        if (!finished.some((x) => fromFunction(x, s)))
          throw new Error("the function's RPC spans have not ended yet");
        return s;
      },
      { timeout: 60_000, interval: 50 },
    );
    services.dispose();
    const spans = exporter.getFinishedSpans();
    const ofTrace = (s: ReadableSpan) => s.spanContext().traceId === traceId;
    const byName = (name: string) => spans.filter((s) => s.name === name && ofTrace(s));

    // the request: save_queue_step, a server span of the command's trace
    const save = byName('POST /rest/v1/rpc/save_queue_step');
    expect(save).toHaveLength(1);
    expect(save[0]!.kind).toBe(SpanKind.SERVER);
    expect(save[0]!.attributes['http.response.status_code']).toBe(200);
    // the database: its transaction, a child of that request
    const saveDb = byName('db rpc public.save_queue_step');
    expect(saveDb).toHaveLength(1);
    expect(saveDb[0]!.parentSpanContext?.spanId).toBe(save[0]!.spanContext().spanId);
    expect(saveDb[0]!.attributes['db.system.name']).toBe('postgresql');
    // the SMS function: its invocation, a child of the send-sms request, in the same trace
    expect(functionSpan.spanContext().traceId).toBe(traceId);
    const invoke = byName('POST /functions/v1/send-sms');
    expect(invoke).toHaveLength(1);
    expect(functionSpan.parentSpanContext?.spanId).toBe(invoke[0]!.spanContext().spanId);
    // …and what the function did: its RPCs came back as requests (with their database spans) of the same trace
    // (start times compared as [seconds, nanoseconds]: `>=` on the arrays compared their text, so a request whose
    // nanoseconds had more digits than the function's in the same second was left out — a flake)
    const fnRpcs = spans.filter((s) => fromFunction(s, functionSpan));
    expect(fnRpcs.length).toBeGreaterThan(0);
    for (const r of fnRpcs)
      expect(
        spans.some((d) => d.parentSpanContext?.spanId === r.spanContext().spanId && d.name.startsWith('db ')),
      ).toBe(true);
    // the logged event names the same id (its correlation id): SQL rows and the trace join on it
    const { rows: ev } = await app.db.query<{ correlation_id: string }>(
      `select correlation_id::text from public.queue_events where entry_id = $1 and type = 'PatientCalled'`,
      [e[0]!.id],
    );
    expect(ev.map((r) => r.correlation_id.replace(/-/g, ''))).toEqual([traceId]);
    // a request outside any command is a trace of its own
    const other = spans.filter((s) => !ofTrace(s) && s.kind === SpanKind.SERVER);
    for (const s of other) expect(s.spanContext().traceId).not.toBe(traceId);
  });
});
