// W3C trace context (issue 19): well-formed ids, the header read by the spec's rules, and the browser's fetch
// that starts one trace per request and remembers the last.
import { describe, expect, it } from 'vitest';
import {
  childSpan,
  continueTrace,
  formatTraceparent,
  lastTraceId,
  newTrace,
  parseTraceparent,
  tracedFetch,
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
});
