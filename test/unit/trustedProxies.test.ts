/**
 * review21 M3: which address a request is counted under behind a trusted proxy (supabase/local/http.ts
 * resolveClientAddress; QUEUEMED_TRUSTED_PROXIES). The right-most X-Forwarded-For hop that is not a trusted proxy;
 * an untrusted peer's header never read; a bad setting stops the start naming the word.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  clientIp,
  NO_TRUSTED_PROXIES,
  parseTrustedProxies,
  resolveClientAddress,
  stampClientAddress,
} from '../../supabase/local/http';

const trusted = parseTrustedProxies('10.0.0.5, 10.1.0.0/16 fd00::/8');

describe('trusted proxies', () => {
  it('reads nobody’s X-Forwarded-For by default', () => {
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1', NO_TRUSTED_PROXIES)).toBe('10.0.0.5');
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1', parseTrustedProxies(''))).toBe('10.0.0.5');
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1', parseTrustedProxies(undefined))).toBe('10.0.0.5');
  });

  it('never reads an untrusted peer’s header', () => {
    expect(resolveClientAddress('203.0.113.9', '10.0.0.5, 198.51.100.1', trusted)).toBe('203.0.113.9');
  });

  it('takes the right-most hop that is not a trusted proxy', () => {
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1');
    // the caller's own prepended hops are left of the one our proxy appended
    expect(resolveClientAddress('10.0.0.5', '1.2.3.4, 198.51.100.1', trusted)).toBe('198.51.100.1');
    // a chain of trusted proxies (CIDR, IPv6, mapped spelling)
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1, 10.1.2.3, fd00::7', trusted)).toBe('198.51.100.1');
    expect(resolveClientAddress('::ffff:10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(resolveClientAddress('10.0.0.5', ['198.51.100.1', '10.1.0.9'], trusted)).toBe('198.51.100.1');
    expect(resolveClientAddress('10.0.0.5', '2001:db8::1', trusted)).toBe('2001:db8::1');
  });

  it('all hops trusted: the left-most; no header: the proxy', () => {
    expect(resolveClientAddress('10.0.0.5', '10.1.0.1, 10.1.0.2', trusted)).toBe('10.1.0.1');
    expect(resolveClientAddress('10.0.0.5', undefined, trusted)).toBe('10.0.0.5');
    expect(resolveClientAddress('10.0.0.5', '', trusted)).toBe('10.0.0.5');
  });

  it('review22 L4: a hop that is no address is the untrusted end — `unknown`, never the proxy nor the text', () => {
    // before: the nearest trusted proxy, so every such client shared (and marked as known) the proxy's own address
    expect(resolveClientAddress('10.0.0.5', "198.51.100.1, 10.1.0.2, x' or 1=1", trusted)).toBe('unknown');
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1, junk, 10.1.0.2', trusted)).toBe('unknown');
    expect(resolveClientAddress('10.0.0.5', 'unknown', trusted)).toBe('unknown');
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1:99999999', trusted)).toBe('unknown');
    expect(resolveClientAddress('10.0.0.5', '[2001:db8::1]:x', trusted)).toBe('unknown');
    // a readable hop to the right still wins: the caller's own unreadable text to its left is never reached
    expect(resolveClientAddress('10.0.0.5', 'unknown, 198.51.100.1', trusted)).toBe('198.51.100.1');
  });

  it('review22 L4: a hop with a port is its address (IPv4 and bracketed IPv6), trusted or not', () => {
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1:1234', trusted)).toBe('198.51.100.1');
    expect(resolveClientAddress('10.0.0.5', '[2001:db8::1]:443', trusted)).toBe('2001:db8::1');
    expect(resolveClientAddress('10.0.0.5', '[2001:db8::1]', trusted)).toBe('[2001:db8::1]');
    // a trusted proxy's hop written with a port is still trusted: the walk goes on to the client
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1, 10.1.0.2:8080', trusted)).toBe('198.51.100.1');
    expect(resolveClientAddress('10.0.0.5', '203.0.113.7, [fd00::7]:443', trusted)).toBe('203.0.113.7');
    const req = {
      socket: { remoteAddress: '10.0.0.5' },
      headers: { 'x-forwarded-for': '[2001:db8:1:2:3::9]:50000' },
    } as unknown as IncomingMessage;
    stampClientAddress(req, trusted);
    expect(clientIp(req)).toBe('2001:db8:1:2::/64');
  });

  it('refuses a setting that is not an address or CIDR range, naming it', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.local', '10.0.0.1/8/1', 'fd00::/129', '10.0.0.0/x', '*']) {
      expect(() => parseTrustedProxies(bad), bad).toThrow(/QUEUEMED_TRUSTED_PROXIES/);
    }
    expect(parseTrustedProxies(['::1', '127.0.0.0/8']).has('127.0.0.9')).toBe(true);
    expect(parseTrustedProxies('0.0.0.0/0').has('::ffff:8.8.8.8')).toBe(true);
  });

  it('clientIp keys a stamped request by the resolved client (an IPv6 client by its /64)', () => {
    const req = (remoteAddress: string, xff: string) =>
      ({ socket: { remoteAddress }, headers: { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;
    const a = req('10.0.0.5', '2001:db8:1:2:3::9');
    expect(clientIp(a)).toBe('10.0.0.5'); // not stamped: the socket
    stampClientAddress(a, trusted);
    expect(clientIp(a)).toBe('2001:db8:1:2::/64');
    const b = req('203.0.113.9', '198.51.100.1');
    stampClientAddress(b, trusted);
    expect(clientIp(b)).toBe('203.0.113.9');
  });
});
