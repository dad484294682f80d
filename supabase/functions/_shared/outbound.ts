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
 * - refused: a loopback, private, link-local, CGNAT, multicast or unspecified address (IPv4, IPv6, and IPv6 forms
 *   that carry an IPv4 address — mapped, compatible, NAT64, 6to4 — judged by that address); IPv6 outside 2000::/3.
 *
 * `allowPrivate` is the one explicit switch for the tests' receivers on 127.0.0.1 (and a self-hosted LAN for
 * webhooks): http and private addresses allowed, plain fetch. Each caller reads its own environment variable
 * (WEBHOOK_ALLOW_PRIVATE_URLS, WEB_PUSH_ALLOW_PRIVATE_URLS); both are off unless set to exactly `1`.
 */
import type { OpenConnection } from './pinnedPost.ts';
import { openDenoConnection, pinnedRequest } from './pinnedPost.ts';

/** The eight 16-bit groups of an IPv6 literal (`::` expanded, a trailing dotted IPv4 read), or null if it is none. */
const ipv6Groups = (a: string): number[] | null => {
  let text = a;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const o = dotted.slice(2).map(Number);
    if (o.some((n) => n > 255)) return null;
    tail.push((o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!);
    text = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const fixed = [...head, ...rest].map((g) => parseInt(g, 16));
  const missing = 8 - fixed.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [
    ...head.map((g) => parseInt(g, 16)),
    ...Array<number>(halves.length === 2 ? missing : 0).fill(0),
    ...rest.map((g) => parseInt(g, 16)),
    ...tail,
  ];
};

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * Loopback, private, link-local, CGNAT, multicast or unspecified: never an outbound target in production. IPv6
 * is allowed only in global unicast (2000::/3), and an IPv6 form that carries an IPv4 address (IPv4-mapped,
 * -compatible and -translated, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by that IPv4 address; Teredo
 * (2001::/32, whose inner address can't be judged) and the documentation prefix are refused.
 */
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
  if (!a.includes(':')) return false;
  const g = ipv6Groups(a.replace(/%.*$/, ''));
  if (!g) return true; // not an address we can read: never a target
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // ::/96 (unspecified, loopback, IPv4-compatible), ::ffff:0:0/96 (mapped), ::ffff:0:0:0/96 (translated)
  if (zeros(0, 5) && (g[5] === 0 || g[5] === 0xffff)) {
    if (g[5] === 0 && g[6] === 0) return true; // :: and ::1 (and ::0.0.x.x)
    return isPrivateAddress(v4Of(g[6]!, g[7]!));
  }
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return isPrivateAddress(v4Of(g[6]!, g[7]!));
  // NAT64, well-known prefix 64:ff9b::/96
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return isPrivateAddress(v4Of(g[6]!, g[7]!));
  // 6to4 2002:AABB:CCDD::/48
  if (g[0] === 0x2002) return isPrivateAddress(v4Of(g[1]!, g[2]!));
  // Teredo 2001::/32 and documentation 2001:db8::/32
  if (g[0] === 0x2001 && (g[1] === 0 || g[1] === 0xdb8)) return true;
  // everything outside global unicast: ULA fc00::/7, link-local fe80::/10, multicast ff00::/8, 64:ff9b:1::/48, …
  return (g[0]! & 0xe000) !== 0x2000;
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
    host === 'localhost.' || // the same name to DNS: refused here, not left to the resolver's answer
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
