/**
 * review21 (tooling): under `npm run test:e2e:night` (QUEUEMED_FAKE_NOW) a REST /v1 call with a clinic's qmk_ API
 * key answered 401 "JWT expired": the `api` function's Deno host signed the key's 5-minute identity token with the
 * machine's clock while the gateway checked it with the stack's shifted one. The stack now hands its clock offset
 * to the function hosts. An integrator's path, as one takes it: an owner's fresh clinic, a key made with
 * create_api_key, then /v1 and MCP with that key — at any hour, and at the night run's pinned ones (a pinned hour
 * ahead of the machine failed the key's token; one behind it dated /v1's asOf by the machine's clock).
 */
import { expect, test } from '@playwright/test';
import { PASSWORD, clinicNow, newOwnerClinic } from './helpers';

test('an API key reads the queue over /v1 and MCP, whatever the stack’s clock', async ({ page }) => {
  const { email, clinicId } = await newOwnerClinic(page, 'apiclock', 'Cabinet Horloge');
  const { supabaseAnonKey } = (await (await page.request.get('/config.json')).json()) as {
    supabaseAnonKey: string;
  };
  const signedIn = await page.request.post('/auth/v1/token?grant_type=password', {
    headers: { apikey: supabaseAnonKey },
    data: { email, password: PASSWORD },
  });
  expect(signedIn.ok(), await signedIn.text()).toBe(true);
  const { access_token: token } = (await signedIn.json()) as { access_token: string };
  const created = await page.request.post('/rest/v1/rpc/create_api_key', {
    headers: { apikey: supabaseAnonKey, authorization: `Bearer ${token}` },
    data: { p_clinic_id: clinicId, p_name: 'night agent', p_scopes: ['read'] },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const { key } = (await created.json()) as { key: string };

  const queue = await page.request.get(`/functions/v1/api/v1/clinics/${clinicId}/queue`, {
    headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
  });
  expect(queue.status(), await queue.text()).toBe(200);
  // dated by the stack's clock (the night run's pinned hour), not the machine's: an hour is far more than any delay
  const { asOf } = (await queue.json()) as { asOf: string };
  expect(Math.abs(Date.parse(asOf) - clinicNow())).toBeLessThan(3_600_000);

  const mcp = await page.request.post('/functions/v1/mcp', {
    headers: { 'x-api-key': key, accept: 'application/json, text/event-stream' },
    data: {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'todays_queue', arguments: { clinicId } },
    },
  });
  expect(mcp.status()).toBe(200);
  const body = (await mcp.json()) as { result: { isError?: boolean; content: { text: string }[] } };
  expect(body.result.isError, body.result.content[0]?.text.slice(0, 300)).toBeFalsy();
});
