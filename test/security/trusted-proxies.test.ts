/**
 * review21 M3: behind the load balancer README "Several processes" recommends, every socket is the balancer's, so
 * every per-address limit was one global bucket (http.ts clientIp counted only the socket). Now a stack trusts the
 * X-Forwarded-For of the proxies QUEUEMED_TRUSTED_PROXIES names (option `trustedProxies`): the client is the
 * right-most hop that is not a trusted proxy; an untrusted peer's X-Forwarded-For is never read.
 *
 * Here the trusted proxy is 127.0.0.2 (a loopback address of its own: requests are sent from it with
 * `localAddress`), while plain 127.0.0.1 is an untrusted peer — one stack shows both sides. Covered: client logs,
 * anonymous public API (/functions/v1), kiosk pairing (/rest/v1), realtime sockets, and the address the gateway
 * hands to a function. Windows of an hour: no case depends on the clock or the machine's speed.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KINDS, startSecurityStack, type SecurityStack } from './helpers/stack';

const HOUR = 3_600_000;
const PROXY = '127.0.0.2';
const UNTRUSTED = '127.0.0.1';

describe.each(KINDS)('per-address limits behind a trusted proxy (%s)', (kind) => {
  let t: SecurityStack;
  beforeAll(async () => {
    t = await startSecurityStack(kind, {
      trustedProxies: `${PROXY} 10.9.0.0/16`,
      clientLogLimit: { max: 2, windowMs: HOUR },
      publicApiIpLimit: { max: 2, windowMs: HOUR },
      kioskPairingIpLimit: { max: 2, windowMs: HOUR },
      realtimeLimits: { socketsPerAddress: 1, joinsPerSocket: { max: 100, windowMs: HOUR } },
    });
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** One request from `from` (a local address) with the given X-Forwarded-For. */
  const send = (
    path: string,
    o: { from: string; xff?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; json: Record<string, unknown> | null }> =>
    new Promise((resolve, reject) => {
      const url = new URL(t.stack.url + path);
      const body = o.body === undefined ? undefined : JSON.stringify(o.body);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: body === undefined ? 'GET' : 'POST',
          localAddress: o.from,
          agent: false,
          headers: {
            apikey: t.stack.anonKey,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(o.xff === undefined ? {} : { 'x-forwarded-for': o.xff }),
            ...o.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Record<string, unknown> | null = null;
            try {
              json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
            } catch {
              json = null;
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const log = (from: string, xff?: string) =>
    send('/client-logs', {
      from,
      ...(xff ? { xff } : {}),
      body: { entries: [{ level: 'warn', msg: 'x' }] },
    }).then((r) => r.status);

  it('client logs: each client behind the proxy has its own budget; a hop the caller wrote is never the key', async () => {
    expect(await log(PROXY, '198.51.100.1')).toBe(204);
    expect(await log(PROXY, '198.51.100.1')).toBe(204);
    expect(await log(PROXY, '198.51.100.1')).toBe(429);
    // another client behind the same balancer (before: the balancer's one bucket, 429)
    expect(await log(PROXY, '198.51.100.2')).toBe(204);
    // the caller prepends a fresh address; the proxy appended the real one (198.51.100.1): still refused
    expect(await log(PROXY, '203.0.113.99, 198.51.100.1')).toBe(429);
    // a chain of trusted proxies (the balancer 10.9.0.7 in front of 127.0.0.2): the client left of them
    expect(await log(PROXY, '198.51.100.1, 10.9.0.7')).toBe(429);
    expect(await log(PROXY, '198.51.100.3, 10.9.0.7')).toBe(204);
    // IPv4-mapped spelling of the same client: the same key
    expect(await log(PROXY, '::ffff:198.51.100.1')).toBe(429);
  });

  it('an untrusted peer’s X-Forwarded-For is never read: its socket is the key', async () => {
    expect(await log(UNTRUSTED, '192.0.2.1')).toBe(204);
    expect(await log(UNTRUSTED, '192.0.2.2')).toBe(204);
    expect(await log(UNTRUSTED, '192.0.2.3')).toBe(429);
    expect(await log(UNTRUSTED)).toBe(429);
  });

  it('anonymous public API calls (/functions/v1) are counted per client behind the proxy', async () => {
    const anon = (xff: string) =>
      send('/functions/v1/api/v1/openapi.json', { from: PROXY, xff }).then((r) => r.status);
    expect(await anon('198.51.100.10')).not.toBe(429);
    expect(await anon('198.51.100.10')).not.toBe(429);
    expect(await anon('198.51.100.10')).toBe(429);
    expect(await anon('198.51.100.11')).not.toBe(429);
  });

  it('a function is handed the client the proxy names, not the proxy (its /rest/v1 calls are counted there)', async () => {
    const r = await send('/functions/v1/echo', {
      from: PROXY,
      xff: '198.51.100.20',
      body: {},
      headers: { authorization: `Bearer ${t.stack.anonKey}` },
    });
    expect(r.status).toBe(200);
    expect(r.json?.['clientAddress']).toBe('198.51.100.20');
    const direct = await send('/functions/v1/echo', {
      from: UNTRUSTED,
      xff: '198.51.100.21',
      body: {},
      headers: { authorization: `Bearer ${t.stack.anonKey}` },
    });
    expect(direct.json?.['clientAddress']).toMatch(/127\.0\.0\.1$/);
  });

  it('kiosk pairing codes (/rest/v1) are counted per client behind the proxy', async () => {
    const redeem = (xff: string) =>
      send('/rest/v1/rpc/redeem_kiosk_pairing_code', { from: PROXY, xff, body: { p_code: 'ZZZZ-2222' } });
    expect((await redeem('198.51.100.30')).json).toEqual({ paired: false });
    expect((await redeem('198.51.100.30')).json).toEqual({ paired: false });
    const refused = await redeem('198.51.100.30');
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ message: 'KIOSK.TOO_MANY_ATTEMPTS' });
    expect((await redeem('198.51.100.31')).json).toEqual({ paired: false });
  });

  it('realtime sockets are counted per client behind the proxy', async () => {
    const open = (xff: string): Promise<{ ws: WebSocket; status: number | 'open' }> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(
          `${t.stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${t.stack.anonKey}&vsn=1.0.0`,
          { localAddress: PROXY, headers: { 'x-forwarded-for': xff } },
        );
        ws.once('open', () => resolve({ ws, status: 'open' }));
        ws.once('unexpected-response', (_req, res) => {
          resolve({ ws, status: res.statusCode ?? 0 });
          res.resume();
        });
        ws.once('error', reject);
      });
    const a = await open('198.51.100.40');
    const b = await open('198.51.100.41');
    const again = await open('198.51.100.40');
    try {
      expect(a.status).toBe('open');
      expect(b.status).toBe('open');
      expect(again.status).toBe(429);
    } finally {
      for (const s of [a, b, again]) if (s.status === 'open') s.ws.close();
    }
  });
});
