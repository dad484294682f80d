// Attack review of session 18, finding 3: one anonymous request to /functions/v1/mcp ran 100 tool calls (a JSON-RPC
// batch of find_free_slots over 31 days), and 40 anonymous /v1 …/slots calls all answered 200. Now, over HTTP on
// the local stack with the real `api` and `mcp` functions, on PGlite and PostgreSQL:
//   - anonymous calls (no credential, or only the anon key) of REST /v1 and MCP are counted per client address
//     together (scope public_api_ip): past the limit, 429 RATE.LIMITED with Retry-After; a key's calls are not;
//   - an MCP JSON-RPC batch is refused (400, -32600) and runs nothing;
//   - one /slots call spans at most 7 days (422 VALIDATION.FAILED beyond).
// The window is an hour, so no assertion depends on how fast the machine is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack, type Kind } from '../integration/appStack';

const ROOT = new URL('../../', import.meta.url).pathname;
const LIMIT = 6;

describe.each(['pglite', 'postgres'] as Kind[])('anonymous public API limits on %s', (kind) => {
  let app: AppStack;
  let clinicId = '';
  let key = '';
  let day = '';
  let owner: Awaited<ReturnType<AppStack['newClinic']>>;
  const api = () => `${app.stack.url}/functions/v1/api`;
  const addDays = (d: string, n: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    app = await startAppStack(kind, {
      functionsDir: `${ROOT}supabase/functions`,
      configToml: `${ROOT}supabase/config.toml`,
      publicApiIpLimit: { max: LIMIT, windowMs: 3_600_000 },
    });
    owner = await app.newClinic('publimit');
    clinicId = owner.clinicId;
    const { data, error } = await owner.client.rpc('create_api_key', {
      p_clinic_id: clinicId,
      p_name: 'agent',
      p_scopes: ['read'],
    });
    if (error) throw new Error(error.message);
    key = (data as { key: string }).key;
    const { rows } = await app.db.query<{ d: string }>(`select to_char(now(), 'YYYY-MM-DD') as d`);
    day = rows[0]!.d;
  }, 400_000);
  afterAll(async () => {
    await app?.stop();
  });

  const mcp = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.stack.url}/functions/v1/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const findSlots = (id: number) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'find_free_slots', arguments: { clinicId, from: day } },
  });

  /** Each case starts with no anonymous call counted for 127.0.0.1. */
  const forgetCounts = () => app.db.query(`delete from auth.rate_limits`);

  it('one /slots call spans at most 7 days (422 VALIDATION.FAILED beyond)', async () => {
    await forgetCounts();
    const wide = await fetch(`${api()}/v1/clinics/${clinicId}/slots?from=${day}&to=${addDays(day, 8)}`);
    expect(wide.status).toBe(422);
    expect(((await wide.json()) as { code: string }).code).toBe('VALIDATION.FAILED');
    const week = await fetch(`${api()}/v1/clinics/${clinicId}/slots?from=${day}&to=${addDays(day, 7)}`);
    expect(week.status).toBe(200);
  });

  it('an MCP batch of 100 find_free_slots is refused (400, -32600); one message still answers', async () => {
    await forgetCounts();
    const batch = await mcp(Array.from({ length: 100 }, (_, i) => findSlots(i + 1)));
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { error: { code: number } }).error.code).toBe(-32600);
    const one = await mcp(findSlots(1));
    expect(one.status).toBe(200);
    expect(((await one.json()) as { result: { isError?: boolean } }).result.isError).toBeFalsy();
  });

  it('anonymous calls of /v1 and MCP stop at the limit per address (429 RATE.LIMITED); a key’s calls do not', async () => {
    await forgetCounts();
    // no credential, or only the anon key: counted together, REST and MCP alike
    for (let i = 1; i <= LIMIT; i += 1) {
      const r =
        i % 2 === 0
          ? await mcp(findSlots(i))
          : await fetch(`${api()}/v1/clinics/${clinicId}/slots?from=${day}`, {
              headers: i === 1 ? {} : { authorization: `Bearer ${app.stack.anonKey}` },
            });
      expect(r.status, `call ${i}`).toBe(200);
    }
    const over = await fetch(`${api()}/v1/clinics/${clinicId}/slots?from=${day}`);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(((await over.json()) as { code: string }).code).toBe('RATE.LIMITED');
    const overMcp = await mcp(findSlots(99));
    expect(overMcp.status).toBe(429);
    expect(((await overMcp.json()) as { code: string }).code).toBe('RATE.LIMITED');
    // a key's calls are the key's own window, not the address's
    const withKey = await fetch(`${api()}/v1/clinics/${clinicId}/slots?from=${day}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(withKey.status).toBe(200);
    const mcpWithKey = await mcp(findSlots(100), { 'x-api-key': key });
    expect(mcpWithKey.status).toBe(200);
  });

  it('a made-up token that claims `anon` is anonymous too: counted, then 429 (the API serves it unverified)', async () => {
    await forgetCounts();
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    // not the stack's anon key, not signed by anyone: the API takes its claims as "no credentials"
    const forged = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ role: 'anon', n: 1 })}.c2lnbmF0dXJl`;
    const headers = { authorization: `Bearer ${forged}` };
    for (let i = 1; i <= LIMIT; i += 1) {
      const r =
        i % 2 === 0
          ? await mcp(findSlots(i), headers)
          : await fetch(`${api()}/v1/clinics/${clinicId}/slots?from=${day}`, { headers });
      expect(r.status, `call ${i}`).toBe(200);
    }
    const over = await fetch(`${api()}/v1/clinics/${clinicId}/slots?from=${day}`, { headers });
    expect(over.status).toBe(429);
    expect(((await over.json()) as { code: string }).code).toBe('RATE.LIMITED');
    expect((await mcp(findSlots(99), headers)).status).toBe(429);
  });
  // sec19 (review19 M2c): a signed-in user's token used to escape the count — anyone may sign up (or create a
  // clinic of their own), so an account was a way around the address's limit
  it('a plain user’s token (a patient, another clinic’s owner) counts as public; staff of the path’s clinic do not', async () => {
    await forgetCounts();
    const patient = await app.signUp('publimit-patient');
    const other = await app.newClinic('publimit-other');
    const slots = (token: string) =>
      fetch(`${api()}/v1/clinics/${clinicId}/slots?from=${day}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT; i += 1)
      statuses.push((await slots(i % 2 ? patient.token : other.token)).status);
    expect(statuses).toEqual(Array.from({ length: LIMIT }, () => 200));
    const over = await slots(patient.token);
    expect(over.status).toBe(429);
    expect(((await over.json()) as { code: string }).code).toBe('RATE.LIMITED');
    expect((await slots(other.token)).status).toBe(429);
    expect((await mcp(findSlots(7), { authorization: `Bearer ${patient.token}` })).status).toBe(429);
    // the clinic's own staff are not a public caller of their clinic's routes
    expect((await slots(owner.token)).status).toBe(200);
  });
});
