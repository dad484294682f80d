/**
 * Traces an operator can watch (issue 19, docs/operations.md): when the standard OpenTelemetry variables
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the traces URL, used as given) or OTEL_EXPORTER_OTLP_ENDPOINT (the
 * collector's base URL; `/v1/traces` is appended, as the OTLP specification says) are set, `npm start` sends
 * the stack's spans (./tracing.ts) over OTLP/HTTP (JSON) with the official exporter, in batches. Unset: no
 * exporter, nothing is sent. The exporter itself also reads OTEL_EXPORTER_OTLP_[TRACES_]HEADERS, _TIMEOUT and
 * _COMPRESSION (e.g. a collector's API key).
 *
 * The spans carry routes, statuses, table and function names, never request bodies, phones or names
 * (test/integration/otlpExport.test.ts).
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { StackOptions } from './stack.js';

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

/**
 * The stack's trace export for `npm start` (supabase/local/main.ts): the OTLP/HTTP exporter, batched, when
 * the environment names an endpoint; else nothing (spans are made and dropped).
 */
export function traceExportFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Pick<StackOptions, 'traceExporters' | 'traceBatch'> & { tracesUrl?: string } {
  const url = otlpTracesUrlFromEnv(env);
  if (!url) return {};
  return { traceExporters: [new OTLPTraceExporter({ url })], traceBatch: true, tracesUrl: url };
}

/** Where spans go, for the start-up log line: scheme, host and path only (no credentials or query). */
export const describeTracesUrl = (url: string): string => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
};
