/**
 * The smallest Realtime client the light screens need (≈ 1 KiB instead of realtime-js's 16 KiB gzipped): one
 * Phoenix socket (protocol vsn 1.0.0, JSON messages, as Supabase Realtime and the local stack speak it) carrying
 * every channel a screen watches — a `postgres_changes` binding on the `public.queues` (or `waiting_boards`) rows of
 * one clinic, a visit's broadcast topic (its tracker, trk25) — each joined with its own join ref, one heartbeat for
 * the socket, and a reconnect with backoff that re-joins every channel (sock26, mreview25 F1: a tracker held two
 * sockets, its queue feed and its push topic — a waiting room behind one NAT needed two per phone). A channel's own
 * error (its join refused, phx_error / phx_close of its own join — matched by ref, rt27) re-joins that channel alone,
 * later, on its own backoff; the others stay. Each channel hears 'subscribed' after every (re)join, so its screen can
 * check what it missed while it was away, and 'disconnected' once when it is lost. A push channel refused again and
 * again is given up until the socket opens anew (rt27, docs/security.md): its screen works by reads.
 */
import type { FeedStatus } from './QueueChangeFeed';

/** What the client needs of a WebSocket (the browser's, or `ws` in Node tests). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}
export type SocketFactory = (url: string) => SocketLike;

/** One channel on the socket. */
export interface ChannelOptions {
  readonly clinicId: string;
  /** The public table whose rows of this clinic to watch: `queues` (default) or `waiting_boards`. */
  readonly table?: 'queues' | 'waiting_boards';
  /**
   * trk25: join this broadcast topic instead (no postgres_changes; `clinicId` unused): each broadcast's payload is
   * handed to onRow (a visit's tracker, pushed by the database's realtime.send).
   */
  readonly broadcast?: string;
  readonly onRow: (row: Record<string, unknown>) => void;
  readonly onStatus?: (status: FeedStatus) => void;
}

export interface QueueRowChannelOptions extends ChannelOptions {
  /** The project's URL (http[s]://…); the socket is `ws[s]://…/realtime/v1/websocket`. */
  readonly url: string;
  readonly apiKey: string;
  readonly socket?: SocketFactory;
}

/** Joins a channel on the shared socket; returns its leave (the socket closes with its last channel). */
export type WatchChannel = (o: ChannelOptions) => () => void;

const HEARTBEAT_MS = 25_000;
/** 1, 2, 4, 8, then every 10 s */
const backoff = (n: number) => Math.min(1_000 * 2 ** n, 10_000);
/**
 * rt27 (mreview26 F5): a push channel lost this many times in a row (its private join refused for ever: a deployment
 * without the tracker_push_receive policy) then rests PUSH_REST_MS between tries — 12 joins an hour, not one every
 * 10 s all day; its screen heard 'disconnected' once and keeps working by reads. Never given up for good (mreview27
 * M2): a refusal may be the database's passing outage while the socket stays open.
 */
const PUSH_TRIES = 5;
const PUSH_REST_MS = 300_000;

interface Channel {
  readonly o: ChannelOptions;
  readonly topic: string;
  /** the ref of its join on the open socket (null: not joined) */
  joinRef: string | null;
  retry?: ReturnType<typeof setTimeout>;
  /** its losses since its last join (its own backoff: the socket's reconnect keeps its own count) */
  n: number;
}

/** One socket for the channels of a screen (opened with the first, closed with the last). */
export function realtimeSocket(url: string, apiKey: string, open?: SocketFactory): WatchChannel {
  const connectTo: SocketFactory = open ?? ((u) => new WebSocket(u) as unknown as SocketLike);
  const endpoint =
    `${url.replace(/^http/, 'ws').replace(/\/$/, '')}/realtime/v1/websocket` +
    `?apikey=${encodeURIComponent(apiKey)}&vsn=1.0.0`;
  const channels = new Set<Channel>();
  let ws: SocketLike | null = null;
  let up = false; // ws is open
  let ref = 0;
  let attempt = 0;
  let heartbeatRef: string | null = null;
  let beat: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  // no join ref: left out of the JSON (a heartbeat's, as phoenix.js sends it)
  const send = (topic: string, event: string, payload: unknown, joinRef?: string | null) => {
    const r = String(++ref);
    ws?.send(JSON.stringify({ topic, event, payload, ref: r, join_ref: joinRef }));
    return r;
  };
  const join = (c: Channel) => {
    if (!up) return; // joined when the socket opens
    c.joinRef = String(ref + 1);
    send(
      c.topic,
      'phx_join',
      {
        config: {
          broadcast: { ack: false, self: false },
          presence: { key: '' },
          postgres_changes: c.o.broadcast
            ? []
            : [
                {
                  event: '*',
                  schema: 'public',
                  table: c.o.table ?? 'queues',
                  filter: `clinic_id=eq.${c.o.clinicId}`,
                },
              ],
          // fix26a M1: the push topic is a private channel (Realtime Authorization): only the database may send
          private: Boolean(c.o.broadcast),
        },
        access_token: apiKey,
      },
      c.joinRef,
    );
  };
  const down = (c: Channel) => {
    clearTimeout(c.retry);
    c.joinRef = null;
    // once per outage (rt27): not again for each of its failed re-joins
    if (!c.n) c.o.onStatus?.('disconnected');
  };
  // this channel alone is lost (its join refused, its channel crashed or closed): re-join it later — a push lost
  // PUSH_TRIES times in a row only after its rest (the changes channels back off to 10 s: nothing else tells their screens)
  const lose = (c: Channel) => {
    down(c);
    // (a resting push keeps its count: it rests again if refused again)
    c.retry = setTimeout(
      () => join(c),
      c.o.broadcast && c.n >= PUSH_TRIES - 1 ? PUSH_REST_MS : backoff(c.n++),
    );
  };

  const connect = () => {
    const socket = connectTo(endpoint);
    ws = socket;
    socket.onopen = () => {
      up = true;
      heartbeatRef = null;
      channels.forEach(join); // a resting push too: at once (its count is kept until a join succeeds)
      beat = setInterval(() => {
        // the last heartbeat went unanswered: the connection is dead even if the socket says otherwise
        if (heartbeatRef) return socket.close();
        heartbeatRef = send('phoenix', 'heartbeat', {});
      }, HEARTBEAT_MS);
    };
    socket.onmessage = (ev) => {
      let m: { topic?: string; event?: string; ref?: string | null; payload?: Record<string, unknown> };
      try {
        m = JSON.parse(String(ev.data)) as typeof m;
      } catch {
        return;
      }
      if (m.ref === heartbeatRef) heartbeatRef = null; // the heartbeat's reply (refs are unique on the socket)
      for (const c of channels) {
        if (m.topic !== c.topic || !c.joinRef) continue;
        if (m.event === 'phx_reply' && m.ref === c.joinRef) {
          if ((m.payload as { status?: string } | undefined)?.status !== 'ok') lose(c);
          else {
            attempt = c.n = 0;
            c.o.onStatus?.('subscribed');
          }
        } else if (m.event === (c.o.broadcast ? 'broadcast' : 'postgres_changes')) {
          // fix26a H1: any client may broadcast on a public topic: a changes channel never takes a broadcast as a row
          const p = m.payload as { data?: { record?: unknown }; payload?: unknown } | undefined;
          const record = m.event === 'broadcast' ? p?.payload : p?.data?.record;
          if (record && typeof record === 'object') c.o.onRow(record as Record<string, unknown>);
        } else if ((m.event === 'phx_error' || m.event === 'phx_close') && (m.ref ?? c.joinRef) === c.joinRef)
          // rt27 (mreview26 F4): Phoenix closes a left channel with its join ref as the message's ref (the vsn 1.0.0
          // JSON carries no join_ref) — after a leave and a join of the same topic, that stale close is not ours
          // (realtime-js ignores it too)
          lose(c);
      }
    };
    // an error is followed by close (WebSocket and `ws` alike): onclose reconnects
    socket.onclose = () => {
      if (ws !== socket) return; // already replaced
      clearInterval(beat);
      ws = null;
      up = false;
      channels.forEach(down);
      if (channels.size) retry = setTimeout(connect, backoff(attempt++));
    };
  };

  return (o) => {
    const c: Channel = {
      o,
      // a broadcast by its name; a postgres_changes channel by a name unique on the socket
      topic: `realtime:${o.broadcast ?? `q${++ref}`}`,
      joinRef: null,
      n: 0,
    };
    channels.add(c);
    if (up) join(c);
    else if (!ws && channels.size === 1) {
      clearTimeout(retry);
      connect();
    }
    return () => {
      if (!channels.delete(c)) return;
      clearTimeout(c.retry);
      if (c.joinRef) send(c.topic, 'phx_leave', {}, c.joinRef);
      if (channels.size) return;
      clearTimeout(retry);
      ws?.close(); // its onclose: no channel left, no reconnect
    };
  };
}

/** One channel on a socket of its own (a screen that watches one thing). */
export const watchQueueRow = (o: QueueRowChannelOptions): (() => void) =>
  realtimeSocket(o.url, o.apiKey, o.socket)(o);
