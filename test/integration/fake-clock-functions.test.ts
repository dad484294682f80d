/**
 * review21 (tooling): under QUEUEMED_FAKE_NOW (test:e2e:night) a REST /v1 call with a qmk_ API key answered 401
 * "JWT expired" — the `api` function (a Deno process of its own) signed the key's 5-minute identity token with the
 * real clock while the gateway checked it with the stack's shifted one, and /v1's asOf came from the real clock.
 * The stack now hands its offset to every function host (functions/host.js shifts Date by it), so the function
 * host and the gateway keep one clock. Here the test process's clock is shifted 6 hours ahead (as start.mjs does
 * under QUEUEMED_FAKE_NOW) before the stack starts: /v1 and MCP with an API key answer, and date as the stack does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installClockOffset } from '../../supabase/local/fakeClock';
import { startAppStack, type AppStack, type Kind } from './appStack';

const ROOT = new URL('../../', import.meta.url).pathname;
const OFFSET_MS = 6 * 3_600_000;

describe.each(['pglite', 'postgres'] as Kind[])('API keys under a shifted clock on %s', (kind) => {
  let app: AppStack;
  let restore = () => {};
  let clinicId = '';
  let key = '';
  beforeAll(async () => {
    restore = installClockOffset(OFFSET_MS);
    app = await startAppStack(kind, {
      functionsDir: `${ROOT}supabase/functions`,
      configToml: `${ROOT}supabase/config.toml`,
    });
    const owner = await app.newClinic('fakeclock');
    clinicId = owner.clinicId;
    const { data, error } = await owner.client.rpc('create_api_key', {
      p_clinic_id: clinicId,
      p_name: 'night agent',
      p_scopes: ['read'],
    });
    if (error) throw new Error(error.message);
    key = (data as { key: string }).key;
  }, 400_000);
  afterAll(async () => {
    await app?.stop();
    restore();
  });

  it('/v1 with a qmk_ key answers (not 401 "JWT expired"), and its asOf is the stack’s clock', async () => {
    const r = await fetch(`${app.stack.url}/functions/v1/api/v1/clinics/${clinicId}/queue`, {
      headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
    });
    const body = (await r.json()) as { asOf?: string; detail?: string };
    expect(r.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    // the stack's (shifted) clock, not the machine's: an hour is far more than any delay, far less than 6
    expect(Math.abs(Date.parse(body.asOf ?? '') - Date.now())).toBeLessThan(3_600_000);
  });

  it('MCP with the key answers a staff tool', async () => {
    const r = await fetch(`${app.stack.url}/functions/v1/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-api-key': key,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'todays_queue', arguments: { clinicId } },
      }),
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { result: { isError?: boolean; content: { text: string }[] } };
    expect(body.result.isError, body.result.content[0]?.text.slice(0, 300)).toBeFalsy();
  });
});
