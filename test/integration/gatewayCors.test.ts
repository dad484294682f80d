// The gateway CORS check an operator runs against a hosted project (npm run check:cors, issue 19): it passes
// on the local stack, whose preflights allow the trace headers, and it names `traceparent` when a gateway's
// preflight leaves it out (a node:http stand-in answering as a gateway that predates trace headers would).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGatewayCors, corsCheckPassed } from '../../scripts/gatewayCors';
import { startAppStack, type AppStack } from './appStack';

describe('gateway CORS check (trace headers)', () => {
  let app: AppStack;
  let old: Server;
  let oldUrl: string;
  beforeAll(async () => {
    app = await startAppStack('pglite');
    old = createServer((req, res) => {
      res
        .writeHead(req.method === 'OPTIONS' ? 200 : 404, {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type',
        })
        .end();
    });
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
    oldUrl = `http://127.0.0.1:${(old.address() as { port: number }).port}`;
  }, 300_000);
  afterAll(async () => {
    await app?.stop();
    await new Promise<void>((resolve) => old.close(() => resolve()));
  });

  it('passes on the local stack: REST, Auth and functions allow traceparent and tracestate', async () => {
    const results = await checkGatewayCors(app.stack.url);
    expect(results.map((r) => r.path)).toEqual([
      '/rest/v1/rpc/get_queue',
      '/auth/v1/token',
      '/functions/v1/api/v1/openapi.json',
    ]);
    for (const r of results) expect(r).toMatchObject({ refused: [], originAllowed: true });
    expect(corsCheckPassed(results)).toBe(true);
  });

  it('fails, naming the trace headers, on a gateway that does not allow them', async () => {
    const results = await checkGatewayCors(oldUrl);
    for (const r of results) expect(r.refused).toEqual(['traceparent', 'tracestate']);
    expect(corsCheckPassed(results)).toBe(false);
  });
});
