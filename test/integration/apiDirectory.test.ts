// The clinic directory in REST /v1 and MCP (issue 17 leftovers, feat21b), over HTTP on the local stack with the real
// migrations and the real Deno functions `api` and `mcp`: GET /v1/clinics and the MCP tool `find_clinics` answer what
// the /clinics page's search_clinic_directory answers (D1–D6 of docs/domain-rules.md: listed clinics only, never one
// held for SMS approval, folded literal search, ≤ 20 a page, the walk stops at offset 200), bad input is a 422
// VALIDATION.FAILED problem, and every call without a key counts under the public per-address limit together with
// /v1's and MCP's other anonymous calls (scope public_api_ip; a patient's or a staff member's token too: the path
// names no clinic). The window is an hour, so no assertion depends on how fast the machine is.
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack, type AppStack } from './appStack';

const ROOT = new URL('../../', import.meta.url).pathname;
const LIMIT = 12;

interface DirPage {
  data: { id: string; slug: string; name: string; city: string; specialty: string | null; pageUrl: string }[];
  nextCursor: string | null;
}

describe('the clinic directory in REST /v1 and MCP (pglite)', () => {
  let app: AppStack;
  let owner: Awaited<ReturnType<AppStack['newClinic']>>;
  let key = '';
  const api = () => `${app.stack.url}/functions/v1/api`;
  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${api()}/v1/clinics${query}`, { headers: { accept: 'application/json', ...headers } });
  const mcp = (id: number, args: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${app.stack.url}/functions/v1/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'find_clinics', arguments: args },
      }),
    });
  /** Each case starts with no public call counted for 127.0.0.1. */
  const forgetCounts = () => app.db.query(`delete from auth.rate_limits`);
  const cursorOf = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  beforeAll(async () => {
    app = await startAppStack('pglite', {
      functionsDir: `${ROOT}supabase/functions`,
      configToml: `${ROOT}supabase/config.toml`,
      publicApiIpLimit: { max: LIMIT, windowMs: 3_600_000 },
      // as npm start: the SPA's public reads over /rest/v1 share the count (supabase/local/main.ts)
      publicReadIpLimit: { max: LIMIT, windowMs: 3_600_000 },
    });
    owner = await app.newClinic('dir21');
    const { data, error } = await owner.client.rpc('create_api_key', {
      p_clinic_id: owner.clinicId,
      p_name: 'directory agent',
      p_scopes: ['read'],
    });
    if (error) throw new Error(error.message);
    key = (data as { key: string }).key;
    // 23 listed dentists in Tangier, one listed clinic in Fès with an Arabic name, one listed but held for SMS
    // approval (D2), one not listed (D1) — superuser set-up, as the directory's database test does
    for (const sql of [
      `insert into public.clinics (slug, name, city, specialty, directory_listed)
         select 'dir21-' || n, 'Dir21 Cabinet ' || lpad(n::text, 2, '0'), 'Tanger', 'dentistry', true
           from generate_series(1, 23) n`,
      `insert into public.clinics (slug, name, city, specialty, directory_listed, address)
         values ('dir21-amal', 'مصحة الأمل Dir21', 'Fès', 'general', true, '3 rue Atlas')`,
      `insert into public.clinics (slug, name, city, specialty, directory_listed, sms_held)
         values ('dir21-held', 'Dir21 Held', 'Tanger', 'dentistry', true, true)`,
      `insert into public.clinics (slug, name, city, specialty, directory_listed, phone)
         values ('dir21-hidden', 'Dir21 Hidden', 'Tanger', 'dentistry', false, '+212522111111')`,
    ])
      await app.db.query(sql);
  }, 400_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('GET /v1/clinics: listed clinics only (D1, D2), 20 a page with a cursor (D5), folded search (D6), page links', async () => {
    await forgetCounts();
    const first = await get('?q=dir21');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/json');
    const p1 = (await first.json()) as DirPage;
    expect(p1.data.map((c) => c.name)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Dir21 Cabinet ${String(i + 1).padStart(2, '0')}`),
    );
    expect(p1.data[0]).toEqual({
      id: expect.any(String),
      slug: 'dir21-1',
      name: 'Dir21 Cabinet 01',
      city: 'Tanger',
      specialty: 'dentistry',
      address: null,
      pageUrl: expect.stringMatching(/\/c\/dir21-1$/),
    });
    expect(JSON.stringify(p1)).not.toContain('+212');
    expect(p1.nextCursor).toEqual(expect.any(String));
    const p2 = (await (await get(`?q=dir21&cursor=${p1.nextCursor}`)).json()) as DirPage;
    // the last page: the three other cabinets and the Arabic-named clinic (code-point order), never held or hidden
    expect(p2.data.map((c) => c.slug)).toEqual(['dir21-21', 'dir21-22', 'dir21-23', 'dir21-amal']);
    expect(p2.nextCursor).toBeNull();
    // D6: folded and literal — hamza, accents and case do not matter
    const amal = (await (await get(`?q=${encodeURIComponent('الامل')}&city=FES`)).json()) as DirPage;
    expect(amal.data.map((c) => c.slug)).toEqual(['dir21-amal']);
    const dentists = (await (await get('?city=tanger&specialty=dentistry')).json()) as DirPage;
    expect(dentists.data).toHaveLength(20);
    expect(dentists.data.every((c) => c.specialty === 'dentistry' && c.city === 'Tanger')).toBe(true);
    // an empty specialty is any; SQL and LIKE metacharacters are plain text
    expect((await get('?q=dir21&specialty=')).status).toBe(200);
    const meta = (await (await get(`?q=${encodeURIComponent("%'; select 1 --")}`)).json()) as DirPage;
    expect(meta).toEqual({ data: [], nextCursor: null });
    // documented: the served OpenAPI document has the route, and the answers (a page, a problem) validate against it
    const doc = (await (await fetch(`${api()}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.paths['/v1/clinics']?.['get']?.operationId).toBe('searchClinicDirectory');
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(doc as object, 'openapi.json');
    const conforms = (status: number, ct: string, body: unknown) => {
      const validate = ajv.compile({
        $ref: `openapi.json#/paths/~1v1~1clinics/get/responses/${status}/content/${ct.replace('/', '~1')}/schema`,
      });
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    };
    conforms(200, 'application/json', p1);
    conforms(200, 'application/json', p2);
    conforms(422, 'application/problem+json', await (await get('?specialty=astrology')).json());
  });

  it('bad input is 422 VALIDATION.FAILED (problem+json): an unknown specialty, a long query, a forged or too-far cursor', async () => {
    await forgetCounts();
    for (const query of [
      '?specialty=astrology',
      `?q=${'a'.repeat(81)}`,
      `?city=${'b'.repeat(81)}`,
      '?cursor=zzz',
      `?cursor=${cursorOf({ o: 220 })}`,
      `?cursor=${cursorOf({ o: -20 })}`,
    ]) {
      const r = await get(query);
      expect(r.status, query).toBe(422);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(((await r.json()) as { code: string }).code, query).toBe('VALIDATION.FAILED');
    }
  });

  it('MCP find_clinics answers without a credential; bad input is a tool error', async () => {
    await forgetCounts();
    const r = await mcp(1, { query: 'dir21 cabinet 2', city: 'Tanger' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      result: { isError?: boolean; content: { type: string; text: string }[] };
    };
    expect(body.result.isError).toBeFalsy();
    const found = JSON.parse(body.result.content[0]!.text) as DirPage;
    expect(found.data.map((c) => c.slug)).toEqual(['dir21-20', 'dir21-21', 'dir21-22', 'dir21-23']);
    const bad = (await (await mcp(2, { specialty: 'astrology' })).json()) as {
      result: { isError?: boolean };
    };
    expect(bad.result.isError).toBe(true);
    const long = (await (await mcp(3, { query: 'x'.repeat(81) })).json()) as {
      result: { isError?: boolean };
    };
    expect(long.result.isError).toBe(true);
  });

  it('every call without a key counts under the public per-address limit with /v1 and MCP (429 RATE.LIMITED); a key’s do not', async () => {
    await forgetCounts();
    const patient = await app.signUp('dir21-patient');
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT; i += 1) {
      const r =
        i % 4 === 0
          ? await mcp(i, { query: 'dir21' })
          : i % 4 === 1
            ? await get('?q=dir21')
            : i % 4 === 2
              ? await get('?q=dir21', { authorization: `Bearer ${patient.token}` })
              : // a clinic's own staff: the directory names no clinic, so they are a public caller here
                await get('?q=dir21', { authorization: `Bearer ${owner.token}` });
      statuses.push(r.status);
    }
    expect(statuses).toEqual(Array.from({ length: LIMIT }, () => 200));
    const over = await get('?q=dir21');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { code: string }).code).toBe('RATE.LIMITED');
    expect((await get('?q=dir21', { authorization: `Bearer ${owner.token}` })).status).toBe(429);
    expect((await mcp(99, { query: 'dir21' })).status).toBe(429);
    // the same counter as the SPA's own search (search_clinic_directory over /rest/v1, PUBLIC_READ_RPCS)
    const rest = await app.client().rpc('search_clinic_directory', { p_query: 'dir21' });
    expect(rest.status).toBe(429);
    // a key's calls are the key's own window
    const withKey = await get('?q=dir21', { authorization: `Bearer ${key}` });
    expect(withKey.status).toBe(200);
    expect(((await withKey.json()) as DirPage).data).toHaveLength(20);
    expect((await mcp(100, { query: 'dir21' }, { 'x-api-key': key })).status).toBe(200);
  });
});
