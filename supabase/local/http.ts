/**
 * Small HTTP helpers shared by the gateway's services: bounded body reading, JSON replies and the
 * PostgREST-shaped error body. Nothing here ever puts a stack trace or SQL text into a response.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { rateLimitAddress } from '../functions/_shared/clientAddress.js';
import { firstInWindow } from './rateLimit.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

/**
 * The gateway's per-address refusal of an RPC, as PostgREST would send a function's own PT429: the app's code in
 * `message` (supabase-js → AppError), `reason` and `retry_after_seconds` in `details`, and Retry-After. Logged
 * without the address (it is personal data); the limit's name and the RPC say which counter refused.
 */
export function addressLimitError(
  log: { warn: (obj: object, msg: string) => void },
  refusal: {
    rpc: string;
    limit: string;
    code: string;
    reason: string;
    hint: string;
    retryAfterSeconds: number;
    /** review22 L3: with both, one line per address and window (not one per refused call); never logged itself. */
    address?: string;
    resetAtMs?: number;
  },
): HttpError {
  const { address, resetAtMs } = refusal;
  if (address === undefined || resetAtMs === undefined || firstInWindow(refusal.limit, address, resetAtMs))
    log.warn(
      { rpc: refusal.rpc, limit: refusal.limit, retryAfterSeconds: refusal.retryAfterSeconds },
      `${refusal.limit} limit per address`,
    );
  return new HttpError(
    429,
    {
      code: 'PT429',
      message: refusal.code,
      details: JSON.stringify({ reason: refusal.reason, retry_after_seconds: refusal.retryAfterSeconds }),
      hint: refusal.hint,
    },
    { 'retry-after': String(refusal.retryAfterSeconds) },
  );
}

/** A PostgREST-style error: {code, message, details, hint}. */
export function pgrstError(
  status: number,
  code: string,
  message: string,
  details: string | null = null,
  hint: string | null = null,
): HttpError {
  return new HttpError(status, { code, details, hint, message });
}

export const bodyTooLarge = (): HttpError =>
  pgrstError(413, 'PGRST413', 'Payload Too Large', `The request body exceeds ${MAX_BODY_BYTES} bytes`);

/** Reads the whole body, rejecting (413) as soon as it grows past `limit`. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return Promise.reject(bodyTooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(bodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

/** The deepest nesting of arrays/objects any request body may have (the app's deepest is < 10). */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a JSON text, without recursion (strings are skipped); stops past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** True when any string or key in a parsed JSON value holds a NUL character (Postgres text cannot). */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

export type JsonProblem = 'invalid' | 'too_deep' | 'nul';

/**
 * Parses a JSON text the gateway will hand to Postgres: malformed, nested deeper than MAX_JSON_DEPTH
 * (serialising it again would overflow the stack) or holding NUL characters (no Postgres text can) is
 * a problem the caller turns into its own 400.
 */
export function parseJsonText(
  text: string,
): { ok: true; value: unknown } | { ok: false; problem: JsonProblem } {
  if (jsonDepth(text) > MAX_JSON_DEPTH) return { ok: false, problem: 'too_deep' };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (containsNul(value)) return { ok: false, problem: 'nul' };
  return { ok: true, value };
}

const JSON_PROBLEM_MESSAGE: Record<JsonProblem, string> = {
  invalid: 'Empty or invalid json',
  too_deep: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
  nul: 'JSON strings may not contain NUL characters (\\u0000)',
};
export const jsonProblemMessage = (p: JsonProblem): string => JSON_PROBLEM_MESSAGE[p];

/** Parses a JSON body; an empty body is `undefined`; malformed JSON is PostgREST's PGRST102. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.length === 0) return undefined;
  const r = parseJsonText(raw.toString('utf8'));
  if (!r.ok) throw pgrstError(400, 'PGRST102', jsonProblemMessage(r.problem), null, null);
  return r.value;
}

/** decodeURIComponent that answers a malformed escape (`%ZZ`) with a 400 instead of throwing. */
export function decodePathSegment(s: string): string {
  let out: string;
  try {
    out = decodeURIComponent(s);
  } catch {
    throw pgrstError(400, 'PGRST100', 'Invalid percent-encoding in the request path');
  }
  if (out.includes('\u0000'))
    throw pgrstError(400, 'PGRST100', 'NUL characters are not allowed in the request path');
  return out;
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer | null,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, headers);
  res.end(body ?? undefined);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, err.body, err.headers);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * review21 M3: the proxies whose X-Forwarded-For the stack believes (QUEUEMED_TRUSTED_PROXIES: addresses and
 * CIDR ranges, comma- or space-separated; default none). Behind the load balancer of README "Several processes"
 * every socket is the balancer's, so without this every per-address limit was one global bucket.
 */
export interface TrustedProxies {
  /** True when `address` (a socket address or an X-Forwarded-For hop) is one of the trusted proxies. */
  has(address: string): boolean;
  readonly size: number;
}

/** No proxy is trusted: X-Forwarded-For is never read (the default). */
export const NO_TRUSTED_PROXIES: TrustedProxies = { has: () => false, size: 0 };

/** One address in a form BlockList takes: brackets and a zone id dropped, IPv4-mapped IPv6 as its IPv4. */
function plainAddress(raw: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  let a = raw
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%[\w.-]+$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1]!;
  if (isIPv4(a)) return { address: a, family: 'ipv4' };
  if (isIPv6(a)) {
    // ::ffff:c000:207 (the hex spelling of a mapped IPv4) — the IPv4 it is
    const g = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(a);
    if (g) {
      const hi = parseInt(g[1]!, 16);
      const lo = parseInt(g[2]!, 16);
      return { address: [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.'), family: 'ipv4' };
    }
    return { address: a, family: 'ipv6' };
  }
  return null;
}

/**
 * Parses QUEUEMED_TRUSTED_PROXIES (or the stack option): `10.0.0.5, 10.1.0.0/16 fd00::/8`. A word that is no
 * address or CIDR range throws, naming it (a typo must not silently trust nobody — or everybody).
 */
export function parseTrustedProxies(spec: string | readonly string[] | undefined | null): TrustedProxies {
  const words = (typeof spec === 'string' ? spec.split(/[\s,]+/) : [...(spec ?? [])])
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 0) return NO_TRUSTED_PROXIES;
  const list = new BlockList();
  for (const word of words) {
    const [addr = '', bits, extra] = word.split('/');
    const a = plainAddress(addr);
    const max = a?.family === 'ipv4' ? 32 : 128;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
    if (!a || extra !== undefined || !(prefix >= 0 && prefix <= max)) {
      throw new Error(
        `QUEUEMED_TRUSTED_PROXIES: ${JSON.stringify(word)} is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)`,
      );
    }
    if (prefix === max) list.addAddress(a.address, a.family);
    else list.addSubnet(a.address, prefix, a.family);
  }
  return {
    has: (address) => {
      const a = plainAddress(address);
      return a !== null && list.check(a.address, a.family);
    },
    size: words.length,
  };
}

/**
 * Who sent a request: the socket's address, unless that socket is a trusted proxy — then the right-most
 * X-Forwarded-For hop that is not a trusted proxy (each proxy appends the address it was called from, so the
 * hops a caller writes himself are all to the left of it and never chosen while a hop nearer us is untrusted).
 * When every hop is trusted, the left-most; a hop's port is dropped (`198.51.100.1:1234`, `[2001:db8::1]:443`);
 * when a hop is not an address at all, `unknown` (review22 L4: the untrusted end, whose address no proxy of ours
 * could read — one shared key, never the proxy's own nor the caller's text). An untrusted peer's X-Forwarded-For
 * is never read.
 */
export function resolveClientAddress(
  socketAddr: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string {
  const peer = socketAddr ?? 'unknown';
  if (trusted.size === 0 || !trusted.has(peer)) return peer;
  const text = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = text
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  let nearest = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hopAddress(hops[i]!);
    // review22 L4: a hop that is no address ends the trusted chain: the client is unknown — one shared key, never
    // the proxy's own (a mark or budget of the proxy must not be everyone's behind it), never the caller's text
    if (!plainAddress(hop)) return UNREADABLE_HOP;
    if (!trusted.has(hop)) return hop;
    nearest = hop;
  }
  return nearest;
}

/** The client a hop that is no address resolves to (`unknown`, the word proxies write; rateLimitAddress keeps it). */
export const UNREADABLE_HOP = 'unknown';

/**
 * review22 L4: an X-Forwarded-For hop with its port dropped — `198.51.100.1:1234` and `[2001:db8::1]:443` as some
 * proxies (Azure, IIS) write them; before, such a hop was unreadable and the request counted as the proxy's.
 */
function hopAddress(hop: string): string {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(hop);
  if (v4) return v4[1]!;
  const v6 = /^\[([^\]]+)\]:\d{1,5}$/.exec(hop);
  return v6 ? v6[1]! : hop;
}

const resolved = new WeakMap<IncomingMessage, string>();

/**
 * Settles, once per request as it enters the stack (HTTP and WebSocket upgrade), the address every per-address
 * limit counts it under (clientIp, limitAddress, the address handed to functions). Requests never stamped (a
 * unit test's bare request) count their socket's.
 */
export function stampClientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  const address = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted);
  resolved.set(req, address);
  return address;
}

/** The raw address a request came from (resolved through trusted proxies; normalized where it is counted). */
export function requestAddress(req: IncomingMessage): string {
  return resolved.get(req) ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * The client address used for rate limits — the one function every per-address limit keys on (public reads,
 * /v1, kiosk pairing, sign-in, sign-up, SMS codes, realtime sockets, client logs): the socket's, or behind a
 * trusted proxy the client it names (requestAddress); an IPv6 client by its /64 and an IPv4-mapped one as its
 * IPv4 (../functions/_shared/clientAddress.ts) — one key per subscriber, not per address.
 */
export function clientIp(req: IncomingMessage): string {
  return rateLimitAddress(requestAddress(req));
}

/**
 * apiaddr18: the function host (api, mcp) calls /rest/v1 from 127.0.0.1 for every caller of /functions/v1, so
 * keyed on the socket all of /v1 shared one address. The gateway sets CLIENT_ADDRESS_HEADER on each request it
 * proxies to a function (overwriting the caller's), the functions forward it with the stack's per-process
 * FORWARD_SECRET_HEADER, and a limit believes it only from a loopback socket presenting that secret
 * (timing-safe compare); anything else — an outside caller's header, a wrong or missing secret — is ignored.
 */
export const CLIENT_ADDRESS_HEADER = 'x-queuemed-client-address';
export const FORWARD_SECRET_HEADER = 'x-queuemed-forward-secret';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** clientIp, or the address the function host forwarded when it proves itself with the stack's secret. */
export function limitAddress(req: IncomingMessage, forwardSecret: string | null | undefined): string {
  const forwarded = header(req, CLIENT_ADDRESS_HEADER);
  return forwarded && fromFunctionHost(req, forwardSecret) ? rateLimitAddress(forwarded) : clientIp(req);
}

/**
 * sec22b: the client address an audit row records (the database reads it as queuemed.client_address): the one the
 * stack settled as the request entered (requestAddress — the socket's, or behind a trusted proxy the client it
 * names), or the one the function host forwarded when it proves itself with the stack's secret. The full address
 * (not the /64 a limit counts), an IPv4-mapped one as its IPv4; null when there is none.
 */
export function auditAddress(req: IncomingMessage, forwardSecret: string | null | undefined): string | null {
  const forwarded = header(req, CLIENT_ADDRESS_HEADER);
  const raw = forwarded && fromFunctionHost(req, forwardSecret) ? forwarded.trim() : requestAddress(req);
  if (!raw || raw === 'unknown') return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(raw);
  return (mapped ? mapped[1]! : raw).slice(0, 64);
}

/**
 * True when the request is the stack's own function host calling /rest/v1 on a client's behalf: a loopback socket
 * presenting the per-process forward secret (sec20: the gateway counted that client's call already, at
 * /functions/v1, and must not count it twice).
 */
export function fromFunctionHost(req: IncomingMessage, forwardSecret: string | null | undefined): boolean {
  const presented = header(req, FORWARD_SECRET_HEADER);
  if (!forwardSecret || !presented || !LOOPBACK.has(req.socket.remoteAddress ?? '')) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(forwardSecret).digest();
  return timingSafeEqual(a, b);
}

export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD',
  'access-control-allow-headers':
    'authorization, x-client-info, apikey, content-type, content-profile, accept-profile, prefer, range, x-supabase-api-version, x-retry-count, x-region, traceparent, tracestate, baggage',
  'access-control-expose-headers': 'content-range, x-supabase-api-version',
  'access-control-max-age': '86400',
};
