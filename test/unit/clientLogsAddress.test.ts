/**
 * sec19 (review19 L1): the local stack's POST /client-logs counted each raw socket address, so an IPv6 client took a
 * fresh address of its /64 per batch and never met its budget. It keys like every other per-address limit now
 * (supabase/functions/_shared/clientAddress.ts): an IPv6 client by its /64, an IPv4-mapped address as its IPv4.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../supabase/local/http';
import { createClientLogs } from '../../supabase/local/clientLogs';

const NOW = Date.UTC(2026, 11, 2, 9, 0);

const post = (remoteAddress: string): IncomingMessage => {
  const body = Buffer.from(JSON.stringify({ entries: [{ level: 'warn', msg: 'x' }] }));
  const req = Readable.from([body]) as unknown as IncomingMessage;
  Object.assign(req, { headers: { 'content-length': String(body.length) }, socket: { remoteAddress } });
  return req;
};

const status = async (
  handle: ReturnType<typeof createClientLogs>,
  remoteAddress: string,
): Promise<number> => {
  let code = 0;
  const res = { writeHead: (s: number) => ((code = s), res), end: () => res } as unknown as ServerResponse;
  try {
    await handle(post(remoteAddress), res);
  } catch (e) {
    if (e instanceof HttpError) return e.status;
    throw e;
  }
  return code;
};

describe('local /client-logs budget per client address', () => {
  const logs = () => createClientLogs(pino({ level: 'silent' }), { max: 2, windowMs: 60_000 }, () => NOW);

  it('counts every address of one IPv6 /64 as one client', async () => {
    const handle = logs();
    expect([
      await status(handle, '2001:db8:0:1::a'),
      await status(handle, '2001:db8:0:1:ffff::b'),
      await status(handle, '2001:DB8:0:1::c'),
    ]).toEqual([204, 204, 429]);
    expect(await status(handle, '2001:db8:0:2::a')).toBe(204);
  });

  it('counts an IPv4-mapped address as its IPv4 client', async () => {
    const handle = logs();
    expect([
      await status(handle, '192.0.2.7'),
      await status(handle, '::ffff:192.0.2.7'),
      await status(handle, '::ffff:c000:207'),
    ]).toEqual([204, 204, 429]);
  });
});
