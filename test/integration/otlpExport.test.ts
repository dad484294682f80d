/**
 * Traces an operator can watch (issue 19): with OTEL_EXPORTER_OTLP_ENDPOINT set, the stack's spans reach an
 * OTLP/HTTP receiver (here a tiny node:http one on 127.0.0.1 reading the exporter's JSON) as service
 * "queuemed-stack", continuing the caller's traceparent, and carry no request body, phone or name; without the
 * variable nothing is sent. The stack gets exactly what `npm start` gives it (traceExportFromEnv, main.ts);
 * stopping the stack flushes the batch, so no test waits for the exporter's timer.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpTracesUrlFromEnv, traceExportFromEnv } from '../../supabase/local/otlp';
import { startAppStack } from './appStack';

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
  beforeAll(async () => {
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
  });

  const oneTracedRun = async (env: NodeJS.ProcessEnv) => {
    const app = await startAppStack('pglite', traceExportFromEnv(env));
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    try {
      // a request carrying the caller's trace, with a phone and a name in its body (never in a span)
      const res = await fetch(`${app.stack.url}/rest/v1/rpc/otlp_no_such_function`, {
        method: 'POST',
        headers: {
          apikey: app.stack.anonKey,
          authorization: `Bearer ${app.stack.anonKey}`,
          'content-type': 'application/json',
          traceparent: `00-${traceId}-${parentSpanId}-01`,
        },
        body: JSON.stringify({ p_phone: '+212600000517', p_full_name: 'Salma Otlpname' }),
      });
      await res.arrayBuffer();
      expect(res.status).toBeGreaterThanOrEqual(400);
    } finally {
      await app.stop(); // flushes the batch
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
