/**
 * One guard for every request the server sends to a URL that someone outside chose: a clinic's webhook endpoint
 * (webhook-sweep) and a patient browser's push endpoint (push.ts). Without it a stored URL could make the server
 * reach the inside: the metadata service (169.254.169.254), the database, the local stack on 127.0.0.1.
 *
 * - https only, no user:password@, no `localhost` names;
 * - an address literal is judged as it is; a host name is resolved ONCE (A and AAAA), every address judged, and
 *   the request goes to exactly those addresses (pinnedPost.ts: TLS keeps the name for SNI and the certificate)
 *   — so a name that answers a public address to the check and 127.0.0.1 at connect time (DNS rebinding) can't
 *   reach the inside;
 * - refused: a loopback, private, link-local, CGNAT, multicast or unspecified address (IPv4, IPv6, IPv4-mapped).
 *
 * `allowPrivate` is the one explicit switch for the tests' receivers on 127.0.0.1 (and a self-hosted LAN for
 * webhooks): http and private addresses allowed, plain fetch. Each caller reads its own environment variable
 * (WEBHOOK_ALLOW_PRIVATE_URLS, WEB_PUSH_ALLOW_PRIVATE_URLS); both are off unless set to exactly `1`.
 */
import type { OpenConnection } from './pinnedPost.ts';
import { openDenoConnection, pinnedRequest } from './pinnedPost.ts';

/** Loopback, private, link-local, CGNAT, multicast or unspecified: never an outbound target in production. */
export const isPrivateAddress = (ip: string): boolean => {
  const a = ip.toLowerCase().replace(/^\[|\]$/g, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const [o1, o2] = [Number(v4[1]), Number(v4[2])];
    return (
      o1 === 0 ||
      o1 === 10 ||
      o1 === 127 ||
      (o1 === 100 && o2 >= 64 && o2 <= 127) ||
      (o1 === 169 && o2 === 254) ||
      (o1 === 172 && o2 >= 16 && o2 <= 31) ||
      (o1 === 192 && o2 === 168) ||
      (o1 === 198 && (o2 === 18 || o2 === 19)) ||
      o1 >= 224
    );
  }
  if (a.includes(':')) {
    if (a === '::' || a === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped) return isPrivateAddress(mapped[1]!);
    // the URL parser writes an IPv4-mapped address in hex (::ffff:7f00:1 for ::ffff:127.0.0.1)
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
    if (hex) {
      const hi = parseInt(hex[1]!, 16);
      const lo = parseInt(hex[2]!, 16);
      return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    return /^(fc|fd|fe[89ab]|ff)/.test(a);
  }
  return false;
};

/** The addresses of a host name (A and AAAA). */
export type Resolve = (host: string) => Promise<string[]>;

export const denoResolve: Resolve = async (host) => {
  const out: string[] = [];
  for (const type of ['A', 'AAAA'] as const) {
    try {
      out.push(...(await Deno.resolveDns(host, type)));
    } catch {
      // no record of this type
    }
  }
  return out;
};

export interface OutboundPolicy {
  /** Tests (a receiver on 127.0.0.1) and a self-hosted LAN only: http and private addresses allowed. */
  allowPrivate: boolean;
  resolve?: Resolve | undefined;
}

export type OutboundTarget =
  /** allowPrivate: any http(s) URL, by plain fetch. */
  | { kind: 'any' }
  /** Judged addresses: the request goes to the first that accepts the connection, nothing else. */
  | { kind: 'pinned'; addresses: string[] }
  /** Never allowed (the URL itself is wrong for us); `reason` is safe to record. */
  | { kind: 'refused'; reason: string }
  /** The name did not resolve (it may next time). */
  | { kind: 'unresolved' };

export const REFUSED_PRIVATE = 'refused: the host is a private or local address';

/** Where a request to `url` may go. The name is resolved once; that answer is both judged and used. */
export const outboundTarget = async (url: string | URL, policy: OutboundPolicy): Promise<OutboundTarget> => {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return { kind: 'refused', reason: 'invalid URL' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return { kind: 'refused', reason: 'refused: only https URLs' };
  if (u.username !== '' || u.password !== '')
    return { kind: 'refused', reason: 'refused: credentials in the URL' };
  if (policy.allowPrivate) return { kind: 'any' };
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const literal = /^[\d.]+$/.test(host) || host.includes(':');
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.localhost.') ||
    (literal && isPrivateAddress(host))
  )
    return { kind: 'refused', reason: REFUSED_PRIVATE };
  if (u.protocol !== 'https:') return { kind: 'refused', reason: 'refused: only https URLs' };
  if (literal) return { kind: 'pinned', addresses: [host] };
  let addrs: string[];
  try {
    addrs = await (policy.resolve ?? denoResolve)(host);
  } catch {
    return { kind: 'unresolved' };
  }
  if (addrs.length === 0) return { kind: 'unresolved' };
  if (addrs.some(isPrivateAddress)) return { kind: 'refused', reason: REFUSED_PRIVATE };
  return { kind: 'pinned', addresses: addrs };
};

export type OutboundAnswer =
  | { kind: 'answered'; status: number; headers: Headers }
  | { kind: 'refused'; reason: string }
  | { kind: 'unresolved' };

export interface OutboundDeps extends OutboundPolicy {
  /** The connection to a judged address (default: TCP + TLS with the URL's name as SNI). */
  open?: OpenConnection | undefined;
  /** Used only when allowPrivate (tests): plain fetch. */
  fetch: typeof fetch;
  signal?: AbortSignal | undefined;
}

/**
 * POST `body` to `url` through the guard: refused/unresolved come back as values (nothing was sent); a network
 * failure or timeout throws (the caller records it). Redirects are never followed (a 3xx is just a status). The
 * answer's body is not read.
 */
export const outboundPost = async (
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array,
  deps: OutboundDeps,
): Promise<OutboundAnswer> => {
  const to = await outboundTarget(url, deps);
  if (to.kind === 'refused' || to.kind === 'unresolved') return to;
  if (to.kind === 'any') {
    const res = await deps.fetch(url, {
      method: 'POST',
      redirect: 'manual',
      ...(deps.signal ? { signal: deps.signal } : {}),
      headers,
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    await res.body?.cancel();
    return { kind: 'answered', status: res.status, headers: res.headers };
  }
  const r = await pinnedRequest(
    deps.open ?? openDenoConnection,
    url,
    to.addresses,
    headers,
    body,
    deps.signal,
  );
  return { kind: 'answered', status: r.status, headers: r.headers };
};
