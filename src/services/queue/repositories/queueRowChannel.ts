/**
 * The smallest Realtime client the light screens need (≈ 1 KiB instead of realtime-js's 16 KiB gzipped):
 * one Phoenix channel (protocol vsn 1.0.0, JSON messages, as Supabase Realtime and the local stack speak
 * it) with one `postgres_changes` binding — the `public.queues` (or `waiting_boards`) rows of one clinic — or one
 * broadcast topic (a visit's tracker, trk25), plus the heartbeat and
 * a reconnect with backoff. Reports 'subscribed' after every (re)join, so the screen can check what it
 * missed while it was away, and 'disconnected' when the channel is lost.
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

export interface QueueRowChannelOptions {
  /** The project's URL (http[s]://…); the socket is `ws[s]://…/realtime/v1/websocket`. */
  readonly url: string;
  readonly apiKey: string;
  readonly clinicId: string;
  /** The public table whose rows of this clinic to watch: `queues` (default) or `waiting_boards`. */
  readonly table?: 'queues' | 'waiting_boards';
  /**
   * trk25: join this broadcast topic instead (no postgres_changes; `clinicId` unused): each broadcast's payload is
   * handed to onRow (a visit's tracker, pushed by the database's realtime.send).
   */
  readonly broadcast?: string;
  readonly socket?: SocketFactory;
  readonly onRow: (row: Record<string, unknown>) => void;
  readonly onStatus?: (status: FeedStatus) => void;
}

const HEARTBEAT_MS = 25_000;
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000];
let seq = 0;

export function watchQueueRow(o: QueueRowChannelOptions): () => void {
  const open: SocketFactory = o.socket ?? ((u) => new WebSocket(u) as unknown as SocketLike);
  const endpoint =
    `${o.url.replace(/^http/, 'ws').replace(/\/$/, '')}/realtime/v1/websocket` +
    `?apikey=${encodeURIComponent(o.apiKey)}&vsn=1.0.0`;
  const topic = o.broadcast ? `realtime:${o.broadcast}` : `realtime:public-queue:${o.clinicId}:${++seq}`;
  let ws: SocketLike | null = null;
  let stopped = false;
  let ref = 0;
  let attempt = 0;
  let beat: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    if (stopped) return;
    const socket = open(endpoint);
    ws = socket;
    let joinRef = '';
    let heartbeatRef: string | null = null;
    const send = (t: string, event: string, payload: unknown, joinedBy: string | null = null) => {
      const r = String(++ref);
      socket.send(JSON.stringify({ topic: t, event, payload, ref: r, join_ref: joinedBy }));
      return r;
    };
    socket.onopen = () => {
      joinRef = String(ref + 1);
      send(
        topic,
        'phx_join',
        {
          config: {
            broadcast: { ack: false, self: false },
            presence: { key: '' },
            postgres_changes: o.broadcast
              ? []
              : [
                  {
                    event: '*',
                    schema: 'public',
                    table: o.table ?? 'queues',
                    filter: `clinic_id=eq.${o.clinicId}`,
                  },
                ],
            // fix26a M1: the push topic is a private channel (Realtime Authorization): only the database may send
            private: Boolean(o.broadcast),
          },
          access_token: o.apiKey,
        },
        joinRef,
      );
      beat = setInterval(() => {
        // the last heartbeat went unanswered: the connection is dead even if the socket says otherwise
        if (heartbeatRef !== null) return socket.close();
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
      if (m.topic === 'phoenix' && m.ref === heartbeatRef) heartbeatRef = null;
      if (m.topic !== topic) return;
      if (m.event === 'phx_reply' && m.ref === joinRef) {
        if ((m.payload as { status?: string } | undefined)?.status === 'ok') {
          attempt = 0;
          o.onStatus?.('subscribed');
        } else socket.close();
      } else if (m.event === (o.broadcast ? 'broadcast' : 'postgres_changes')) {
        // fix26a H1: any client may broadcast on a public topic: a changes channel never takes a broadcast as a row
        const p = m.payload as { data?: { record?: unknown }; payload?: unknown } | undefined;
        const record = m.event === 'broadcast' ? p?.payload : p?.data?.record;
        if (record && typeof record === 'object') o.onRow(record as Record<string, unknown>);
      } else if (m.event === 'phx_error' || m.event === 'phx_close') socket.close();
    };
    socket.onerror = () => socket.close();
    socket.onclose = () => {
      clearInterval(beat);
      if (ws !== socket) return; // already replaced
      ws = null;
      if (stopped) return;
      o.onStatus?.('disconnected');
      retry = setTimeout(connect, BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]);
    };
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    clearInterval(beat);
    const s = ws;
    ws = null;
    s?.close();
  };
}
