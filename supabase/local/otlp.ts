/**
 * Traces an operator can watch (issue 19, docs/operations.md): when the standard OpenTelemetry variables
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the traces URL, used as given) or OTEL_EXPORTER_OTLP_ENDPOINT (the
 * collector's base URL; `/v1/traces` is appended, as the OTLP specification says) are set, `npm start` sends
 * the stack's spans (./tracing.ts) over OTLP/HTTP (JSON) with the official exporter, in batches. Unset: no
 * exporter, nothing is sent. The exporter itself also reads OTEL_EXPORTER_OTLP_[TRACES_]HEADERS, _TIMEOUT and
 * _COMPRESSION (e.g. a collector's API key).
 *
 * The resource follows the standard variables too: OTEL_SERVICE_NAME (default "queuemed-stack") and
 * OTEL_RESOURCE_ATTRIBUTES (`key=value,…`, percent-encoded values; its service.name loses to
 * OTEL_SERVICE_NAME); OTEL_SDK_DISABLED=true turns the export off. An export that fails (collector down,
 * refused, 4xx/5xx) is logged as one warning coded OTLP_EXPORT_FAILED per minute at most, naming the endpoint
 * (scheme, host, path) and the failure's code, never its headers or credentials; the next warning counts what
 * was dropped meanwhile.
 *
 * The spans carry routes, statuses, table and function names, never request bodies, phones or names
 * (test/integration/otlpExport.test.ts).
 */
import type { Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { StackOptions } from './stack.js';
import { STACK_SERVICE_NAME } from './tracing.js';

/** The URL spans are posted to, from the environment; undefined when neither variable is set. */
export function otlpTracesUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const traces = (env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? '').trim();
  const base = (env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '').trim();
  const name = traces ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const raw = traces || base;
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(traces ? raw : `${raw.replace(/\/+$/, '')}/v1/traces`);
  } catch {
    throw new Error(`${name} is not a URL: ${raw} (expected e.g. http://127.0.0.1:4318)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`${name} must be an http(s) address (OTLP/HTTP): ${raw}`);
  }
  return u.href;
}

const RESOURCE_KEY = /^[\x21-\x7e]+$/; // printable ASCII, no spaces (W3C baggage keys)

/**
 * The resource attributes of the stack's spans from OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (the
 * OpenTelemetry SDK environment specification): `k=v` pairs separated by commas, values percent-decoded;
 * OTEL_SERVICE_NAME wins over a service.name among them; default service.name "queuemed-stack". A malformed
 * list stops start-up with a message naming the variable (the spec's alternative — silently dropping the
 * whole list — would hide the operator's mistake).
 */
export function traceResourceFromEnv(env: NodeJS.ProcessEnv = process.env): Attributes {
  const out: Record<string, string> = {};
  const raw = (env['OTEL_RESOURCE_ATTRIBUTES'] ?? '').trim();
  const malformed = () =>
    new Error(
      `OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas (values percent-encoded): ${raw}`,
    );
  if (raw) {
    for (const pair of raw.split(',')) {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? '' : pair.slice(0, eq).trim();
      if (!RESOURCE_KEY.test(key)) throw malformed();
      try {
        out[key] = decodeURIComponent(pair.slice(eq + 1).trim());
      } catch {
        throw malformed();
      }
    }
  }
  const service = (env['OTEL_SERVICE_NAME'] ?? '').trim();
  return { ...out, 'service.name': service || out['service.name'] || STACK_SERVICE_NAME };
}

/** Something pino-like to warn on (the stack's logger). */
export interface WarnLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

const SUCCESS = 0; // ExportResultCode.SUCCESS of @opentelemetry/core
type ExportCallback = Parameters<SpanExporter['export']>[1];

/**
 * What a failed export is called in the log: the error's code (ECONNREFUSED, ETIMEDOUT, an HTTP status) or its
 * class name — never its message, which may quote the endpoint's URL or a response body.
 */
export const exportFailureReason = (error: unknown): string => {
  const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'number' && Number.isInteger(code)) return `HTTP ${code}`;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  return typeof e?.name === 'string' && /^[A-Za-z]{1,40}$/.test(e.name) ? e.name : 'unknown';
};

/**
 * A span exporter that warns when its inner exporter fails (OpenTelemetry's own diagnostics are silent unless
 * a diag logger is installed globally): the first failure at once, then at most one warning per `windowMs`
 * carrying how many exports failed and how many spans were dropped since the last one.
 */
export class WarnOnFailureExporter implements SpanExporter {
  private lastWarned: number | null = null;
  private failures = 0;
  private dropped = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly log: WarnLog,
    private readonly endpoint: string,
    private readonly options: { windowMs?: number; now?: () => number } = {},
  ) {}

  export(spans: ReadableSpan[], resultCallback: ExportCallback): void {
    this.inner.export(spans, (result) => {
      if (result.code !== SUCCESS) this.failed(result.error, spans.length);
      resultCallback(result);
    });
  }

  private failed(error: unknown, spans: number): void {
    this.failures++;
    this.dropped += spans;
    const now = (this.options.now ?? Date.now)();
    if (this.lastWarned !== null && now - this.lastWarned < (this.options.windowMs ?? 60_000)) return;
    this.lastWarned = now;
    this.log.warn(
      {
        code: 'OTLP_EXPORT_FAILED',
        otlp: this.endpoint,
        reason: exportFailureReason(error),
        failures: this.failures,
        spansDropped: this.dropped,
      },
      'trace export failed; the spans were dropped',
    );
    this.failures = 0;
    this.dropped = 0;
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * The stack's trace export for `npm start` (supabase/local/main.ts): the OTLP/HTTP exporter, batched, when
 * the environment names an endpoint (and OTEL_SDK_DISABLED is not true), its failures warned on `log`; else
 * nothing (spans are made and dropped).
 */
export function traceExportFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  log?: WarnLog,
  warnOptions: { windowMs?: number; now?: () => number } = {},
): Pick<StackOptions, 'traceExporters' | 'traceBatch' | 'traceResource'> & { tracesUrl?: string } {
  if ((env['OTEL_SDK_DISABLED'] ?? '').trim().toLowerCase() === 'true') return {};
  const url = otlpTracesUrlFromEnv(env);
  if (!url) return {};
  const traceResource = traceResourceFromEnv(env);
  const exporter = new OTLPTraceExporter({ url });
  return {
    traceExporters: [
      log ? new WarnOnFailureExporter(exporter, log, describeTracesUrl(url), warnOptions) : exporter,
    ],
    traceBatch: true,
    traceResource,
    tracesUrl: url,
  };
}

/** Where spans go, for the start-up log line: scheme, host and path only (no credentials or query). */
export const describeTracesUrl = (url: string): string => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
};
