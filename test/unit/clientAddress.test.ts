/**
 * secmisc18: the per-address limits key an IPv6 client by its /64 (a subscriber's whole prefix), an IPv4-mapped
 * address as its IPv4, and every spelling of one address the same (supabase/functions/_shared/clientAddress.ts).
 */
import { describe, expect, it } from 'vitest';
import { rateLimitAddress } from '../../supabase/functions/_shared/clientAddress';

describe('rateLimitAddress', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(rateLimitAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(rateLimitAddress('127.0.0.1')).toBe('127.0.0.1');
  });

  it('an IPv4-mapped IPv6 address is its IPv4 client (dotted or hex tail, any case)', () => {
    expect(rateLimitAddress('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(rateLimitAddress('::FFFF:1.2.3.4')).toBe('1.2.3.4');
    expect(rateLimitAddress('::ffff:102:304')).toBe('1.2.3.4');
    expect(rateLimitAddress('0:0:0:0:0:ffff:0102:0304')).toBe('1.2.3.4');
    expect(rateLimitAddress('::ffff:127.0.0.1')).toBe(rateLimitAddress('127.0.0.1'));
  });

  it('keys IPv6 by its /64: every address of one prefix is one key, the next prefix another', () => {
    const key = rateLimitAddress('2001:db8:0:1::1');
    expect(key).toBe('2001:db8:0:1::/64');
    for (const same of [
      '2001:db8:0:1:ffff:ffff:ffff:ffff',
      '2001:0db8:0000:0001:0000:0000:0000:0002',
      '2001:DB8:0:1:a:b:c:d',
      '2001:db8::1:1234:5678:9abc:def0',
      '2001:db8:0:1:1:2:192.0.2.33',
      '[2001:db8:0:1::99]',
    ])
      expect(rateLimitAddress(same), same).toBe(key);
    expect(rateLimitAddress('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(rateLimitAddress('2001:db8::')).toBe('2001:db8::/64');
    expect(rateLimitAddress('2001:db8:1::')).toBe('2001:db8:1::/64');
    expect(rateLimitAddress('2001:0:0:5::')).toBe('2001:0:0:5::/64');
  });

  it('drops a zone id (fe80::1%eth0 and fe80::2%2 are one link-local /64)', () => {
    expect(rateLimitAddress('fe80::1%eth0')).toBe('fe80::/64');
    expect(rateLimitAddress('fe80::2%2')).toBe('fe80::/64');
  });

  it('loopback, unspecified and IPv4-compatible forms have a key too', () => {
    expect(rateLimitAddress('::1')).toBe('::/64');
    expect(rateLimitAddress('::')).toBe('::/64');
  });

  it('no address or a malformed one is the one shared key "unknown"', () => {
    for (const bad of [
      undefined,
      null,
      '',
      'not-an-ip',
      '2001:db8::1::2',
      '1.2.3.4.5',
      'fe80::1%',
      '::ffff:999.1.1.1',
    ])
      expect(rateLimitAddress(bad), String(bad)).toBe('unknown');
  });
});
