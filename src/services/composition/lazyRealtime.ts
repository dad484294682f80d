/**
 * What the browser build gets for `@supabase/realtime-js` (vite.config.ts aliases it here; tests and Node use
 * the real package). supabase-js constructs its RealtimeClient eagerly, which put realtime-js and its phoenix
 * socket (≈ 14.6 KiB gzipped) in every signed-in screen's first load, though nothing subscribes before the
 * screen has rendered (issue 14: the dashboard's first render). This stand-in has the client's surface that
 * supabase-js and QueueMed use (`setAuth`, `channel`, `removeChannel`, `getChannels`, `removeAllChannels`)
 * and loads the real package on the first call that needs it, then forwards every call, in order, to a real
 * client built with the same URL and options supabase-js gave. A channel records its `on(…)` bindings and
 * makes the real channel when it is subscribed (after `setAuth()`, see shared/repositories/realtimeAuth.ts),
 * so the real client sees the same calls in the same order as without the stand-in.
 * test/unit/lazyRealtime.test.ts drives it on the real realtime-js; the e2e specs run it in the built app.
 */
import type * as RealtimeJs from '@supabase/realtime-js';

type RealModule = typeof RealtimeJs;
type RealClient = InstanceType<RealModule['RealtimeClient']>;
type RealChannel = ReturnType<RealClient['channel']>;
type ChannelParams = Parameters<RealClient['channel']>[1];
type RemoveResponse = Awaited<ReturnType<RealClient['removeChannel']>>;

// the deep path escapes the build's alias of the bare name (which points here)
const loadReal = (): Promise<RealModule> =>
  import('@supabase/realtime-js/dist/module/index.js') as unknown as Promise<RealModule>;

export class LazyRealtimeChannel {
  private readonly bindings: unknown[][] = [];
  /** the real channel, once subscribed */
  real: RealChannel | null = null;
  removed = false;

  constructor(
    private readonly owner: RealtimeClient,
    readonly topic: string,
    private readonly params: ChannelParams,
  ) {}

  on(...args: unknown[]): this {
    if (this.real) (this.real.on as (...a: unknown[]) => unknown)(...args);
    else this.bindings.push(args);
    return this;
  }

  subscribe(...args: Parameters<RealChannel['subscribe']>): this {
    this.join(args, 0);
    return this;
  }

  /**
   * Builds and subscribes the real channel once the package is loaded. When the load fails (a dropped
   * connection, or a deploy that removed the old hashed chunk), the caller hears CHANNEL_ERROR — as from a
   * real channel whose join failed — and the join is tried again with backoff (1 s, 2 s, … 30 s), as
   * realtime-js rejoins a failed channel itself, until the channel is removed.
   */
  private join(args: Parameters<RealChannel['subscribe']>, attempt: number): void {
    if (this.removed) return;
    this.owner.loaded().then(
      (client) => {
        if (this.removed || this.real) return;
        const real = client.channel(this.topic, this.params);
        for (const b of this.bindings) (real.on as (...a: unknown[]) => unknown)(...b);
        this.bindings.length = 0;
        this.real = real;
        real.subscribe(...args);
      },
      (error: unknown) => {
        if (this.removed || this.real) return;
        const callback = args[0];
        if (typeof callback === 'function')
          callback('CHANNEL_ERROR' as never, error instanceof Error ? error : new Error(String(error)));
        setTimeout(() => this.join(args, attempt + 1), Math.min(30_000, 1_000 * 2 ** attempt));
      },
    );
  }

  unsubscribe(timeout?: number): ReturnType<RealChannel['unsubscribe']> {
    this.removed = true;
    return this.real ? this.real.unsubscribe(timeout) : Promise.resolve('ok');
  }
}

export class RealtimeClient {
  private client: Promise<RealClient> | null = null;
  private channels: LazyRealtimeChannel[] = [];
  /** the last `setAuth` before the real client was wanted: replayed on it (supabase-js calls it on sign-in) */
  private pendingAuth: { token?: string | null } | null = null;

  constructor(
    private readonly endPoint: string,
    private readonly options?: unknown,
    private readonly load: () => Promise<Pick<RealModule, 'RealtimeClient'>> = loadReal,
  ) {}

  /** the real client, loaded and built on first need; after a failed load the next call loads again */
  loaded(): Promise<RealClient> {
    if (this.client) return this.client;
    const auth = this.pendingAuth;
    const client = this.load().then(async ({ RealtimeClient: Real }) => {
      const real = new Real(this.endPoint, this.options as ConstructorParameters<typeof Real>[1]);
      // the newest token asked for while loading wins over the one remembered before
      const token = this.pendingAuth ?? auth;
      this.pendingAuth = null;
      if (token) await real.setAuth(token.token).catch(() => undefined);
      return real;
    });
    this.client = client;
    client.catch(() => {
      // forget the failed load (the next subscription tries again); keep the token for it
      if (this.client === client) this.client = null;
      this.pendingAuth ??= auth;
    });
    return client;
  }

  /** a token (or none: the client's own token source) for Realtime; before the client exists, only remembered */
  setAuth(token?: string | null): Promise<void> {
    const wanted = token === undefined ? {} : { token };
    if (!this.client) {
      // no channel yet: nothing to tell; the latest call is replayed when the client is built
      this.pendingAuth = wanted;
      return Promise.resolve();
    }
    this.pendingAuth = wanted; // replayed if the client is still loading (or its load fails)
    return this.client.then(
      (c) => {
        if (this.pendingAuth === wanted) this.pendingAuth = null;
        return c.setAuth(token);
      },
      () => undefined, // the load failed: remembered for the next one (supabase-js does not await this)
    );
  }

  channel(topic: string, params?: ChannelParams): LazyRealtimeChannel {
    const ch = new LazyRealtimeChannel(this, topic, params);
    this.channels.push(ch);
    return ch;
  }

  getChannels(): LazyRealtimeChannel[] {
    return [...this.channels];
  }

  async removeChannel(channel: LazyRealtimeChannel): Promise<RemoveResponse> {
    this.channels = this.channels.filter((c) => c !== channel);
    channel.removed = true;
    if (!channel.real || !this.client) return 'ok';
    const client = await this.client;
    return client.removeChannel(channel.real);
  }

  removeAllChannels(): Promise<RemoveResponse[]> {
    return Promise.all([...this.channels].map((c) => this.removeChannel(c)));
  }
}
