/**
 * OpenTelemetry traces of the local stack (issue 19, operations), on the official SDK: one server span per
 * HTTP request that continues the caller's W3C `traceparent` (the browser's supabase-js, or an edge function
 * calling back), a client span per database transaction the request runs (REST/RPC), and a span per edge
 * function invocation whose context is what the function receives as its `traceparent` (so the RPCs the
 * function makes come back as requests of the same trace).
 *
 * The browser names a queue command's trace after the command (trace id = its command id, which is also the
 * correlation id of the events it logged): the call-next step, its database transaction and the SMS the
 * patient is sent share one trace id (test/integration/callNextTrace.test.ts).
 *
 * Spans go to the exporters given (`StackOptions.traceExporters`: tests use the SDK's InMemorySpanExporter;
 * `npm start` the OTLP/HTTP exporter when OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT is set, ./otlp.ts), as service
 * "queuemed-stack"; without one they are still made (their ids are in the request log lines) and dropped.
 * Nothing here is registered globally: the stack passes span contexts explicitly, so two stacks in one process
 * (twoStacks.test) keep their traces apart.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { parseTraceparent } from '../../src/services/shared/trace';

export interface StackTracing {
  /** The server span of one request: the caller's trace continued, or a new trace. */
  request(name: string, traceparent: string | undefined, attributes?: Attributes): RequestSpan;
  shutdown(): Promise<void>;
}

export interface RequestSpan {
  readonly span: Span;
  readonly traceId: string;
  readonly spanId: string;
  /** A child span (database, function invocation); ended by the caller. */
  child(name: string, kind: SpanKind, attributes?: Attributes): Span;
  end(status: number): void;
}

/** `traceparent` of a span: what a callee receives to continue it. */
export const traceparentOf = (span: Span): string => {
  const c = span.spanContext();
  return `00-${c.traceId}-${c.spanId}-${(c.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00'}`;
};

/** Runs `work` inside `span`: the span records an exception and an error status when it throws. */
export async function inSpan<T>(span: Span | undefined, work: () => Promise<T>): Promise<T> {
  if (!span) return work();
  try {
    return await work();
  } catch (e) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.name : 'error' });
    throw e;
  } finally {
    span.end();
  }
}

/** The context a remote caller's valid traceparent names (its span as the parent), else the root. */
const parentContext = (header: string | undefined): Context => {
  const t = parseTraceparent(header);
  if (!t) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: t.traceId,
    spanId: t.spanId,
    traceFlags: t.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
};

/** The `service.name` the stack's spans carry (what a trace viewer lists them under). */
export const STACK_SERVICE_NAME = 'queuemed-stack';

export function createStackTracing(
  exporters: readonly SpanExporter[] = [],
  options: { batch?: boolean; resource?: Attributes } = {},
): StackTracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': STACK_SERVICE_NAME, ...options.resource }),
    spanProcessors: exporters.map((e) =>
      options.batch ? new BatchSpanProcessor({ exporter: e }) : new SimpleSpanProcessor({ exporter: e }),
    ),
  });
  const tracer: Tracer = provider.getTracer('queuemed-local-stack');
  return {
    request(name, traceparent, attributes = {}) {
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parentContext(traceparent));
      const ctx = trace.setSpan(ROOT_CONTEXT, span);
      const { traceId, spanId } = span.spanContext();
      let ended = false;
      return {
        span,
        traceId,
        spanId,
        child: (childName, kind, childAttributes = {}) =>
          tracer.startSpan(childName, { kind, attributes: childAttributes }, ctx),
        end(status) {
          if (ended) return;
          ended = true;
          span.setAttribute('http.response.status_code', status);
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}
