// W3C trace context (issue 19): well-formed ids, the header read by the spec's rules, and the browser's fetch
// that starts one trace per request and remembers the last.
import { describe, expect, it, vi } from 'vitest';
import {
  childSpan,
  continueTrace,
  formatTraceparent,
  lastTraceId,
  newTrace,
  parseTraceparent,
  tracedFetch,
  commandTrace,
  commandTraceparent,
  cryptoRandom,
} from './trace';

const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it('reads a valid traceparent and refuses malformed ones', () => {
    expect(parseTraceparent(CALLER)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')!.sampled).toBe(false);
    for (const bad of [
      null,
      '',
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      `${CALLER}-extra`,
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
    ])
      expect(parseTraceparent(bad), String(bad)).toBeNull();
  });

  it('new traces and spans are well-formed; a child keeps the trace id; all-zero randomness is redrawn', () => {
    const t = newTrace();
    expect(parseTraceparent(formatTraceparent(t))).toEqual(t);
    const c = childSpan(t);
    expect(c.traceId).toBe(t.traceId);
    expect(c.spanId).not.toBe(t.spanId);
    let calls = 0;
    const zeroesFirst = (b: Uint8Array) => (calls++ === 0 ? b : b.fill(7));
    expect(newTrace(zeroesFirst).traceId).toBe('07'.repeat(16));
    expect(continueTrace(CALLER).traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(continueTrace('nonsense').traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("the browser's fetch sends a new traceparent with each request and remembers the last trace id", async () => {
    const seen: (string | null)[] = [];
    const f = tracedFetch((_input, init) => {
      seen.push(new Headers(init?.headers).get('traceparent'));
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    await f('http://127.0.0.1:1/rest/v1/rpc/x', { headers: { apikey: 'k' } });
    await f(new Request('http://127.0.0.1:1/rest/v1/rpc/y', { headers: { apikey: 'k' } }));
    const [a, b] = seen.map((h) => parseTraceparent(h));
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(a!.traceId).not.toBe(b!.traceId);
    expect(lastTraceId()).toBe(b!.traceId);
  });

  it("a command's trace is named after its id: every request of the command keeps it", async () => {
    const id = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
    const t = commandTrace(id);
    expect(t?.traceId).toBe('3f2504e04f8941d39a0c0305e82c3301');
    expect(commandTrace(id)?.spanId).not.toBe(t?.spanId); // a new span per request
    expect(commandTrace('not-a-uuid')).toBeNull();
    expect(commandTrace('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(commandTrace(null)).toBeNull();
    expect(parseTraceparent(commandTraceparent(id))?.traceId).toBe(t?.traceId);

    const seen: (string | null)[] = [];
    const f = tracedFetch((_input, init) => {
      seen.push(new Headers(init?.headers).get('traceparent'));
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    const named = commandTraceparent(id)!;
    await f('http://127.0.0.1:1/rest/v1/rpc/save_queue_step', { headers: { traceparent: named } });
    await f('http://127.0.0.1:1/functions/v1/send-sms', { headers: { traceparent: 'junk' } });
    expect(seen[0]).toBe(named);
    expect(lastTraceId()).not.toBe(t?.traceId); // the malformed one was replaced by a trace of its own
    expect(parseTraceparent(seen[1])).not.toBeNull();
    expect(parseTraceparent(seen[1])!.traceId).not.toBe(t?.traceId);
  });
});

describe('span ids come from a pool of CSPRNG bytes, each byte handed out once (turn25)', () => {
  it('calls the platform CSPRNG once for many span ids, and no two ids repeat', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const ids = new Set<string>();
    for (let i = 0; i < 60; i++) ids.add(commandTrace('0b0e7a4e-3c1d-4f2a-9b8c-7d6e5f4a3b2c')!.spanId);
    expect(ids.size).toBe(60);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    // 60 span ids × 8 bytes from 512-byte fills: at most two calls (one before the test may have been partly used)
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
    spy.mockRestore();
  });

  it('a request larger than the pool is filled from the CSPRNG at once, in the array it was given', () => {
    const given = new Uint8Array(2048);
    const b = cryptoRandom(given);
    expect(b).toBe(given);
    expect(b.some((x) => x !== 0)).toBe(true);
    expect(b.subarray(1024).some((x) => x !== 0)).toBe(true);
  });
});
