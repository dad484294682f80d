/**
 * The key a client address is counted under by the per-address limits (SMS codes, sign-ups, failed sign-ins,
 * bookings). secmisc18: an IPv6 subscriber is routed a whole /64 (2^64 addresses), so keying on the full address
 * let one client take a fresh address per request and never meet a limit. Now:
 *
 * - IPv4 → the address itself (`192.0.2.7`);
 * - IPv4-mapped IPv6 (`::ffff:192.0.2.7`, `::ffff:c000:207`, how a dual-stack socket reports IPv4) → the IPv4;
 * - any other IPv6 → its /64 prefix in one lower-case spelling (`2001:db8:0:1::/64`), whatever its spelling
 *   (compressed, zero-padded, upper case, an embedded IPv4 tail) and without a zone id (`fe80::1%eth0`);
 * - anything else (no socket address) → `unknown`, one shared key.
 *
 * It lives in functions/_shared because the hosted client-logs function uses it too (`supabase functions deploy`
 * bundles what is under supabase/functions); the local stack imports it from here.
 *
 * Node's own parser decides what an address is (net.isIPv4 / net.isIPv6); this only rewrites what it accepted.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address Node accepts (no zone id), or null. */
function groups(address: string): number[] | null {
  if (!isIPv6(address)) return null;
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = dotted[1]!.split('.').map(Number);
    tail.push(((v4[0]! << 8) | v4[1]!) >>> 0, ((v4[2]! << 8) | v4[3]!) >>> 0);
    text = text.slice(0, -dotted[1]!.length);
    // "::ffff:" leaves a trailing ':' before the IPv4 part (but "::" stays "::")
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const [head = '', rest] = text.split('::');
  const left = parse(head);
  const right = [...(rest === undefined ? [] : parse(rest)), ...tail];
  const fill = 8 - left.length - right.length;
  const all = rest === undefined ? [...left, ...right] : [...left, ...Array<number>(fill).fill(0), ...right];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

export function rateLimitAddress(address: string | undefined | null): string {
  if (!address) return 'unknown';
  const bare = address.trim().replace(/^\[|\]$/g, '');
  if (isIPv4(bare)) return bare;
  const zoneless = bare.replace(/%[\w.-]+$/, '');
  const g = groups(zoneless);
  if (!g) return 'unknown';
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 client it is
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
  }
  // one spelling per /64: the four prefix groups in lower-case hex, trailing zero groups folded into "::"
  const prefix = g.slice(0, 4);
  let end = 4;
  while (end > 0 && prefix[end - 1] === 0) end--;
  return `${prefix
    .slice(0, end)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}
