/**
 * Traces an operator can watch (issue 19): with OTEL_EXPORTER_OTLP_ENDPOINT set, the stack's spans reach an
 * OTLP/HTTP receiver (here a tiny node:http one on 127.0.0.1 reading the exporter's JSON) as service
 * "queuemed-stack", continuing the caller's traceparent, and carry no request body, phone or name; without the
 * variable nothing is sent. The stack gets exactly what `npm start` gives it (traceExportFromEnv, main.ts);
 * stopping the stack flushes the batch, so no test waits for the exporter's timer. Each run starts a stack of its
 * own on the file's one migrated PGlite (issue 14: a PGlite per run cost ~2 CPU-s each; what is under test is the
 * stack's exporter, which is new in every run).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  exportFailureReason,
  otlpTracesUrlFromEnv,
  traceExportFromEnv,
  traceResourceFromEnv,
  WarnOnFailureExporter,
} from '../../supabase/local/otlp';
import { migrate } from '../../supabase/local/db/migrate';
import type { Db } from '../../supabase/local/db/types';
import { openTestDb, startFixtureStack } from '../fixtures/localStack';

interface Received {
  path: string;
  contentType: string;
  body: string;
}

interface OtlpJson {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        parentSpanId?: string;
        name: string;
        attributes?: { key: string; value: Record<string, unknown> }[];
      }[];
    }[];
  }[];
}

// OTLP_TEST_PORT: a port of the caller's range (shared machine); else any free one
const receiverPort = Number(process.env['OTLP_TEST_PORT'] ?? 0);

describe('OTLP/HTTP trace export of the local stack (npm start with OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  const received: Received[] = [];
  let server: Server;
  let endpoint: string;
  let db: Db;
  let closeDb: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close: closeDb } = await openTestDb('pglite', 30, 'migrated'));
    await migrate(db);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          contentType: String(req.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(receiverPort, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('receiver has no port');
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeDb();
  });

  const oneTracedRun = async (env: NodeJS.ProcessEnv, log?: Parameters<typeof traceExportFromEnv>[1]) => {
    // a fixed clock for the warning's rate limit: every failure of the run falls in one window
    const stack = await startFixtureStack(db, traceExportFromEnv(env, log, { now: () => 0 }));
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    try {
      // a request carrying the caller's trace, with a phone and a name in its body (never in a span)
      const res = await fetch(`${stack.url}/rest/v1/rpc/otlp_no_such_function`, {
        method: 'POST',
        headers: {
          apikey: stack.anonKey,
          authorization: `Bearer ${stack.anonKey}`,
          'content-type': 'application/json',
          traceparent: `00-${traceId}-${parentSpanId}-01`,
        },
        body: JSON.stringify({ p_phone: '+212600000517', p_full_name: 'Salma Otlpname' }),
      });
      await res.arrayBuffer();
      expect(res.status).toBeGreaterThanOrEqual(400);
    } finally {
      await stack.stop(); // flushes the batch
    }
    return { traceId, parentSpanId };
  };

  it('sends the request span, under the caller trace id, as service queuemed-stack', async () => {
    received.length = 0;
    const { traceId, parentSpanId } = await oneTracedRun({ OTEL_EXPORTER_OTLP_ENDPOINT: `${endpoint}/` });
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.path === '/v1/traces')).toBe(true);
    expect(received.every((r) => r.contentType.startsWith('application/json'))).toBe(true);
    const batches = received.map((r) => JSON.parse(r.body) as OtlpJson);
    const resources = batches.flatMap((b) => b.resourceSpans ?? []);
    const spans = resources.flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => s.spans ?? []));
    const ours = spans.filter((s) => s.traceId === traceId);
    expect(ours.map((s) => s.name)).toContain('POST /rest/v1/rpc/otlp_no_such_function');
    const request = ours.find((s) => s.name === 'POST /rest/v1/rpc/otlp_no_such_function');
    expect(request?.parentSpanId).toBe(parentSpanId);
    for (const r of resources) {
      const service = r.resource?.attributes?.find((a) => a.key === 'service.name');
      expect(service?.value.stringValue).toBe('queuemed-stack');
    }
    // nothing of the request's body travels: not the phone (in any spelling), not the name
    const all = received.map((r) => r.body).join('\n');
    expect(all).not.toMatch(/600000517/);
    expect(all).not.toMatch(/Otlpname/i);
  });

  const resourceOf = (batches: OtlpJson[]) =>
    batches
      .flatMap((b) => b.resourceSpans ?? [])
      .map((r) =>
        Object.fromEntries((r.resource?.attributes ?? []).map((a) => [a.key, a.value.stringValue])),
      );

  it('names the service and the resource as OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES say', async () => {
    received.length = 0;
    await oneTracedRun({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'queuemed-casablanca',
      OTEL_RESOURCE_ATTRIBUTES:
        'deployment.environment.name=staging,service.name=loses,clinic.region=Casa%20Anfa',
    });
    const resources = resourceOf(received.map((r) => JSON.parse(r.body) as OtlpJson));
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
      expect(r['service.name']).toBe('queuemed-casablanca');
      expect(r['deployment.environment.name']).toBe('staging');
      expect(r['clinic.region']).toBe('Casa Anfa');
    }
  });

  it('warns once, coded OTLP_EXPORT_FAILED, when the collector is down — no header, password or phone', async () => {
    // a port nobody listens on: bound, then closed
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', 'x-api-key=otlp-secret-key-517');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', '2000');
    const warned: { obj: Record<string, unknown>; msg: string }[] = [];
    try {
      await oneTracedRun(
        { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://operator:hunter2pw@127.0.0.1:${port}/v1/traces?t=q` },
        { warn: (obj, msg) => warned.push({ obj, msg }) },
      );
    } finally {
      vi.unstubAllEnvs();
    }
    expect(warned).toHaveLength(1);
    expect(warned[0]!.obj).toMatchObject({
      code: 'OTLP_EXPORT_FAILED',
      otlp: `http://127.0.0.1:${port}/v1/traces`,
      reason: 'ECONNREFUSED',
      failures: 1,
    });
    expect(warned[0]!.obj['spansDropped']).toBeGreaterThan(0);
    const logged = JSON.stringify(warned);
    for (const secret of ['otlp-secret-key-517', 'hunter2pw', 'operator', '600000517', 'Otlpname'])
      expect(logged).not.toContain(secret);
  });

  it('rate-limits the warning: the first failure at once, then one a minute with what was dropped', () => {
    let now = 1_000_000;
    let fail = true;
    const inner: SpanExporter = {
      export: (_spans, done) =>
        done(
          fail
            ? {
                code: 1,
                error: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:4318'), {
                  code: 'ECONNREFUSED',
                }),
              }
            : { code: 0 },
        ),
      shutdown: () => Promise.resolve(),
    };
    const warned: Record<string, unknown>[] = [];
    const exporter = new WarnOnFailureExporter(
      inner,
      { warn: (obj) => warned.push(obj) },
      'http://c:4318/v1/traces',
      {
        now: () => now,
      },
    );
    const results: number[] = [];
    const spans = (n: number) => Array.from({ length: n }, () => ({}) as ReadableSpan);
    exporter.export(spans(2), (r) => results.push(r.code));
    expect(warned).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      now += 10_000;
      exporter.export(spans(3), (r) => results.push(r.code));
    }
    fail = false;
    exporter.export(spans(1), (r) => results.push(r.code));
    expect(warned).toHaveLength(1); // 50 s after the first: still inside the minute
    fail = true;
    now += 10_000;
    exporter.export(spans(4), (r) => results.push(r.code));
    expect(warned).toHaveLength(2);
    expect(warned[1]).toMatchObject({ code: 'OTLP_EXPORT_FAILED', failures: 6, spansDropped: 19 });
    // the processor still gets every result, the successful one included
    expect(results).toEqual([1, 1, 1, 1, 1, 1, 0, 1]);
    expect(exportFailureReason(Object.assign(new Error('Bad Request: secret body'), { code: 400 }))).toBe(
      'HTTP 400',
    );
    expect(exportFailureReason(new TypeError('fetch failed to http://u:p@h'))).toBe('TypeError');
  });

  it('reads the resource variables by the specification, and refuses a malformed list', () => {
    expect(traceResourceFromEnv({})).toEqual({ 'service.name': 'queuemed-stack' });
    expect(traceResourceFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=a, host.name = h%2C1 ' })).toEqual({
      'service.name': 'a',
      'host.name': 'h,1',
    });
    expect(
      traceResourceFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=a', OTEL_SERVICE_NAME: 'b' }),
    ).toEqual({ 'service.name': 'b' });
    expect(() => traceResourceFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'novalue' })).toThrow(
      /OTEL_RESOURCE_ATTRIBUTES must be key=value/,
    );
    expect(() => traceResourceFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' })).toThrow(
      /OTEL_RESOURCE_ATTRIBUTES/,
    );
    expect(
      traceExportFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toEqual({});
  });

  it('sends nothing when neither OTEL_EXPORTER_OTLP_ENDPOINT nor ..._TRACES_ENDPOINT is set', async () => {
    received.length = 0;
    expect(traceExportFromEnv({})).toEqual({});
    await oneTracedRun({});
    expect(received).toEqual([]);
  });

  it('takes the traces endpoint as given, the base endpoint with /v1/traces, and refuses a non-URL', () => {
    expect(
      otlpTracesUrlFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/custom/traces',
      }),
    ).toBe('http://jaeger:4318/custom/traces');
    expect(otlpTracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/base/' })).toBe(
      'http://collector:4318/base/v1/traces',
    );
    expect(otlpTracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
    expect(() => otlpTracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT is not a URL/,
    );
    expect(() => otlpTracesUrlFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://x:4317' })).toThrow(
      /must be an http\(s\) address/,
    );
  });
});
