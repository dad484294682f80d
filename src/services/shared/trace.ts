/**
 * W3C Trace Context, the light way (issue 19, operations): no OpenTelemetry SDK and no exporter — the ids only.
 * The browser's supabase-js sends `traceparent: 00-<trace id>-<span id>-01` with every request (a fresh trace
 * per request); the local stack logs each request with its trace id; an edge function logs with it and passes
 * it on (a child span) to the RPCs it makes; the browser's log entries carry the trace id of the last request
 * the page made, so a warning on the screen and the server's lines of the call behind it share one id.
 * Any OpenTelemetry collector reads these headers as they are.
 */

export interface TraceContext {
  /** 32 lowercase hex, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex, not all zero: the caller's span (the parent of whatever answers it). */
  readonly spanId: string;
  readonly sampled: boolean;
}

const hex = (bytes: number, random: (b: Uint8Array) => Uint8Array): string => {
  for (;;) {
    const s = Array.from(random(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
    if (!/^0+$/.test(s)) return s;
  }
};
/**
 * Random bytes from a pool the platform's CSPRNG fills 512 bytes at a time (turn25, issue 12): every request of
 * a command draws a span id, and node's webcrypto getRandomValues cost ~0.2 ms a call under load (its argument
 * checks and one system call per 8 bytes) — ~0.7 ms of the storm's client CPU per command. The bytes are the
 * same CSPRNG's, each handed out once.
 */
const POOL_BYTES = 512;
let pool = new Uint8Array(0);
let poolAt = 0;
export const cryptoRandom = (b: Uint8Array): Uint8Array => {
  if (b.length > POOL_BYTES) {
    // into a fresh array, then copied: getRandomValues takes only views of an ArrayBuffer (TypeScript 7's lib says
    // so; a SharedArrayBuffer's view is refused at run time too), and `b` may be any Uint8Array
    b.set(globalThis.crypto.getRandomValues(new Uint8Array(b.length)));
    return b;
  }
  if (poolAt + b.length > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolAt = 0;
  }
  b.set(pool.subarray(poolAt, poolAt + b.length));
  pool.fill(0, poolAt, poolAt + b.length);
  poolAt += b.length;
  return b;
};

/** A new trace (a root span). */
export const newTrace = (random: (b: Uint8Array) => Uint8Array = cryptoRandom): TraceContext => ({
  traceId: hex(16, random),
  spanId: hex(8, random),
  sampled: true,
});

/** The same trace, a new span (what a server uses for the calls it makes while answering). */
export const childSpan = (
  t: TraceContext,
  random: (b: Uint8Array) => Uint8Array = cryptoRandom,
): TraceContext => ({
  ...t,
  spanId: hex(8, random),
});

export const formatTraceparent = (t: TraceContext): string =>
  `00-${t.traceId}-${t.spanId}-${t.sampled ? '01' : '00'}`;

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** A `traceparent` header read by the W3C rules; null for anything malformed, all-zero ids or version ff. */
export function parseTraceparent(header: string | null | undefined): TraceContext | null {
  if (!header || header.length > 512) return null;
  const m = TRACEPARENT.exec(header.trim());
  if (!m) return null;
  const [, version, traceId, spanId, flags] = m as unknown as [string, string, string, string, string];
  if (version === 'ff' || (version === '00' && header.trim().length !== 55)) return null;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** The caller's trace continued (a new span of it), or a new trace when the header is absent or malformed. */
export const continueTrace = (header: string | null | undefined): TraceContext => {
  const t = parseTraceparent(header);
  return t ? childSpan(t) : newTrace();
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The trace of one user action, named after its command id (a UUID: 32 hex digits, the W3C trace id's size):
 * the command's requests (load, save), the events it logged (their correlation id is the command id) and the
 * messages those events send (send-sms gets the correlation id) share one trace id. A new span each call.
 * Null for anything but a UUID (or the all-zero one, which W3C forbids).
 */
export function commandTrace(
  commandId: string | null | undefined,
  random: (b: Uint8Array) => Uint8Array = cryptoRandom,
): TraceContext | null {
  if (!commandId || !UUID.test(commandId)) return null;
  const traceId = commandId.replace(/-/g, '').toLowerCase();
  if (/^0+$/.test(traceId)) return null;
  return { traceId, spanId: hex(8, random), sampled: true };
}

/** `traceparent` of a command's trace (see commandTrace), or null. */
export const commandTraceparent = (commandId: string | null | undefined): string | null => {
  const t = commandTrace(commandId);
  return t ? formatTraceparent(t) : null;
};

let last: string | null = null;

/**
 * The fetch the browser's supabase-js uses: a request that names its trace (a valid `traceparent` set by the
 * caller: a command's, see commandTrace) keeps it; any other request starts a trace of its own. The page
 * remembers the last trace id.
 */
export function tracedFetch(inner: typeof fetch = (...a) => globalThis.fetch(...a)): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const given = parseTraceparent(headers.get('traceparent'));
    const t = given ?? newTrace();
    last = t.traceId;
    headers.set('traceparent', formatTraceparent(t));
    return inner(input, { ...init, headers });
  };
}

/** The trace id of the last request this page made (null before any). */
export const lastTraceId = (): string | null => last;
