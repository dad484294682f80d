/**
 * The browser build's edge-function stand-in (src/services/composition/lazyFunctions.ts, issue 14): functions-js
 * loads on the first `invoke`, not with supabase-js; the call then reaches the real client with supabase-js's
 * arguments and the last token, and its errors are the package's own classes.
 */
import { describe, expect, it } from 'vitest';
import * as RealFunctionsJs from '@supabase/functions-js';
import viteConfig from '../../vite.config';
import * as Lazy from '../../src/services/composition/lazyFunctions';

describe('functions-js loads on the first edge-function call (browser build)', () => {
  it('nothing loads until invoke; then the real client sends the request with the headers and token it was given', async () => {
    let loads = 0;
    const seen: { url: string; auth: string | null; apikey: string | null; body: string }[] = [];
    const customFetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      seen.push({
        url: String(input),
        auth: h.get('Authorization'),
        apikey: h.get('apikey'),
        body: String(init?.body),
      });
      return Promise.resolve(Response.json({ ok: true }));
    };
    const client = new Lazy.FunctionsClient(
      'http://127.0.0.1:1/functions/v1',
      { headers: { apikey: 'anon' }, customFetch: customFetch as typeof fetch },
      () => ((loads += 1), Promise.resolve(RealFunctionsJs)),
    );
    client.setAuth('staff-token');
    expect(loads).toBe(0);
    const { data, error } = await client.invoke('send-sms', { body: { to: 'x' } });
    expect(loads).toBe(1);
    expect(error).toBeNull();
    expect(data).toEqual({ ok: true });
    expect(seen).toEqual([
      {
        url: 'http://127.0.0.1:1/functions/v1/send-sms',
        auth: 'Bearer staff-token',
        apikey: 'anon',
        body: '{"to":"x"}',
      },
    ]);
  });

  it('a function’s error answer is the package’s own FunctionsHttpError; a failed load rejects the call and the next one loads again', async () => {
    let calls = 0;
    const client = new Lazy.FunctionsClient(
      'http://127.0.0.1:1/functions/v1',
      { customFetch: (() => Promise.resolve(new Response('{}', { status: 500 }))) as typeof fetch },
      () =>
        ++calls === 1
          ? Promise.reject(new Error('chunk load failed'))
          : // the module build the stand-in loads in the browser (Node resolves the bare name to the CommonJS one)
            (import('@supabase/functions-js/dist/module/FunctionsClient.js') as unknown as Promise<
              typeof RealFunctionsJs
            >),
    );
    await expect(client.invoke('send-sms')).rejects.toThrow('chunk load failed');
    const { error } = await client.invoke('send-sms');
    expect(calls).toBe(2);
    // the stand-in's error classes are the ones the real client throws
    expect(error).toBeInstanceOf(Lazy.FunctionsHttpError);
    expect(error).toBeInstanceOf(Lazy.FunctionsError);
    expect(Lazy.FunctionRegion.Any).toBe(RealFunctionsJs.FunctionRegion.Any);
  });

  it('the browser build aliases @supabase/functions-js to the stand-in, and the stand-in’s own imports escape it', () => {
    const alias = (viteConfig as { resolve?: { alias?: { find: RegExp; replacement: string }[] } }).resolve
      ?.alias;
    const entry = alias?.find((a) => a.find.test('@supabase/functions-js'));
    expect(entry?.replacement).toMatch(/src\/services\/composition\/lazyFunctions\.ts$/);
    expect(entry?.find.test('@supabase/functions-js/dist/module/FunctionsClient.js')).toBe(false);
  });
});
