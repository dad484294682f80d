/**
 * The browser build's Realtime stand-in (src/services/composition/lazyRealtime.ts, issue 14): realtime-js loads
 * on the first subscription, not with supabase-js, and the real client then sees the same calls in the same
 * order as without the stand-in. The real package on the local stack: test/integration/realtimeAuth.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import viteConfig from '../../vite.config';
import { RealtimeClient } from '../../src/services/composition/lazyRealtime';

/** A real-client double that writes down what it is asked, in order. */
function fakeRealtime() {
  const log: string[] = [];
  let loads = 0;
  class Real {
    constructor(url: string, opts: { tag?: string }) {
      log.push(`new ${url} ${opts.tag ?? ''}`);
    }
    setAuth(token?: string | null) {
      log.push(`setAuth ${token === undefined ? '(own source)' : String(token)}`);
      return Promise.resolve();
    }
    channel(topic: string) {
      log.push(`channel ${topic}`);
      const ch = {
        on: (type: string, filter: { table: string }) => (log.push(`on ${type} ${filter.table}`), ch),
        subscribe: () => (log.push(`subscribe ${topic}`), ch),
        unsubscribe: () => Promise.resolve('ok' as const),
        topic,
      };
      return ch;
    }
    removeChannel(ch: { topic: string }) {
      log.push(`remove ${ch.topic}`);
      return Promise.resolve('ok' as const);
    }
  }
  const load = () => {
    loads += 1;
    return Promise.resolve({ RealtimeClient: Real as never });
  };
  return { log, load, loads: () => loads };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('Realtime loads on the first subscription (browser build)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('nothing loads while the screen only signs in; a subscription builds the client with supabase-js’s args, replays the last token, then binds and subscribes', async () => {
    const f = fakeRealtime();
    const rt = new RealtimeClient('ws://127.0.0.1/realtime/v1', { tag: 'opts' }, f.load);
    await rt.setAuth('token-1'); // supabase-js on SIGNED_IN
    await rt.setAuth('token-2'); // on TOKEN_REFRESHED
    const ch = rt.channel('queue:c1:1');
    ch.on('postgres_changes', { table: 'queue_entries' }, () => undefined);
    ch.on('postgres_changes', { table: 'queues' }, () => undefined);
    await settle();
    expect(f.loads()).toBe(0);
    expect(f.log).toEqual([]);

    // realtimeAuth.subscribeAsCaller: setAuth() (the client's own token source), then subscribe
    await rt.setAuth();
    ch.subscribe(() => undefined);
    await settle();
    expect(f.loads()).toBe(1);
    expect(f.log).toEqual([
      'new ws://127.0.0.1/realtime/v1 opts',
      'setAuth (own source)',
      'channel queue:c1:1',
      'on postgres_changes queue_entries',
      'on postgres_changes queues',
      'subscribe queue:c1:1',
    ]);

    // loaded: calls go straight through, in order
    await rt.setAuth('token-3');
    expect(f.log.at(-1)).toBe('setAuth token-3');
    expect(rt.getChannels()).toEqual([ch]);
    expect(await rt.removeChannel(ch)).toBe('ok');
    expect(f.log.at(-1)).toBe('remove queue:c1:1');
    expect(rt.getChannels()).toEqual([]);
    expect(f.loads()).toBe(1);
  });

  it('a channel removed before the client loaded never subscribes', async () => {
    const f = fakeRealtime();
    const rt = new RealtimeClient('ws://x', {}, f.load);
    const a = rt.channel('a').on('postgres_changes', { table: 'queues' }, () => undefined);
    const b = rt.channel('b').on('postgres_changes', { table: 'queues' }, () => undefined);
    a.subscribe();
    b.subscribe();
    expect(await rt.removeChannel(a)).toBe('ok'); // while the package is still loading
    await settle();
    expect(f.log).toEqual(['new ws://x ', 'channel b', 'on postgres_changes queues', 'subscribe b']);
    await rt.removeAllChannels();
    expect(f.log.at(-1)).toBe('remove b');
    expect(rt.getChannels()).toEqual([]);
  });

  it('a failed load (dropped connection, removed chunk) is told to the channel and tried again with backoff; the token asked for meanwhile is the one used', async () => {
    vi.useFakeTimers();
    const f = fakeRealtime();
    let failures = 1;
    const load = () => (failures-- > 0 ? Promise.reject(new Error('chunk load failed')) : f.load());
    const rt = new RealtimeClient('ws://x', {}, load);
    const statuses: string[] = [];
    const ch = rt.channel('queue:c1:1').on('postgres_changes', { table: 'queues' }, () => undefined);
    await rt.setAuth('token-1');
    ch.subscribe((status: string) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses).toEqual(['CHANNEL_ERROR']); // the screen hears it (before: nothing, ever)
    expect(f.log).toEqual([]);
    // supabase-js's token refresh meanwhile must not reject (nothing awaits it there)
    await expect(rt.setAuth('token-2')).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(999);
    expect(f.loads()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.loads()).toBe(1);
    expect(f.log).toEqual([
      'new ws://x ',
      'setAuth token-2',
      'channel queue:c1:1',
      'on postgres_changes queues',
      'subscribe queue:c1:1',
    ]);
  });

  it('a channel removed while its load keeps failing stops trying', async () => {
    vi.useFakeTimers();
    let loads = 0;
    const rt = new RealtimeClient('ws://x', {}, () => {
      loads += 1;
      return Promise.reject(new Error('offline'));
    });
    const ch = rt.channel('a');
    ch.subscribe();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(loads).toBe(2); // first try, then the retry after 1 s
    await rt.removeChannel(ch);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(loads).toBe(2);
  });

  it('the build aliases @supabase/realtime-js (the bare name only) to the stand-in', () => {
    const alias = (viteConfig as { resolve?: { alias?: { find: RegExp; replacement: string }[] } }).resolve
      ?.alias;
    const entry = alias?.find((a) => a.find.test('@supabase/realtime-js'));
    expect(entry?.replacement).toMatch(/src\/services\/composition\/lazyRealtime\.ts$/);
    // the stand-in's own import of the real package must escape the alias
    expect(entry?.find.test('@supabase/realtime-js/dist/module/index.js')).toBe(false);
  });
});
