import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchQueueRow, type SocketLike } from './queueRowChannel';

afterEach(() => vi.useRealTimers());

/** A scripted socket: records what the client sends; the test plays the server. */
function fakeSockets() {
  const sockets: (SocketLike & { url: string; sent: Record<string, unknown>[]; closed: boolean })[] = [];
  const factory = (url: string) => {
    const s = {
      url,
      sent: [] as Record<string, unknown>[],
      closed: false,
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
      send(data: string) {
        this.sent.push(JSON.parse(data) as Record<string, unknown>);
      },
      close() {
        if (this.closed) return;
        this.closed = true;
        this.onclose?.({});
      },
    } as SocketLike & { url: string; sent: Record<string, unknown>[]; closed: boolean };
    sockets.push(s);
    return s;
  };
  const reply = (s: (typeof sockets)[number], m: Record<string, unknown>) =>
    s.onmessage?.({ data: JSON.stringify(m) });
  return { sockets, factory, reply };
}

describe('watchQueueRow (the light screens’ realtime client)', () => {
  it('joins one postgres_changes binding on the clinic’s queue row and hands over each row it is sent', () => {
    const { sockets, factory, reply } = fakeSockets();
    const rows: unknown[] = [];
    const status: string[] = [];
    const stop = watchQueueRow({
      url: 'https://p.example.test',
      apiKey: 'anon-key',
      clinicId: 'c1',
      socket: factory,
      onRow: (r) => rows.push(r),
      onStatus: (s) => status.push(s),
    });
    const s = sockets[0]!;
    expect(s.url).toBe('wss://p.example.test/realtime/v1/websocket?apikey=anon-key&vsn=1.0.0');
    s.onopen?.({});
    const join = s.sent[0] as {
      topic: string;
      event: string;
      ref: string;
      join_ref: string;
      payload: { access_token: string; config: { postgres_changes: unknown[] } };
    };
    expect(join.event).toBe('phx_join');
    expect(join.ref).toBe(join.join_ref);
    expect(join.payload.config.postgres_changes).toEqual([
      { event: '*', schema: 'public', table: 'queues', filter: 'clinic_id=eq.c1' },
    ]);
    expect(join.payload.access_token).toBe('anon-key');
    reply(s, {
      topic: join.topic,
      event: 'phx_reply',
      ref: join.ref,
      payload: { status: 'ok', response: {} },
    });
    expect(status).toEqual(['subscribed']);
    const record = { id: 'q1', clinic_id: 'c1', day: '2026-11-30', version: 7 };
    reply(s, {
      topic: join.topic,
      event: 'postgres_changes',
      payload: { ids: [1], data: { type: 'UPDATE', record } },
    });
    reply(s, {
      topic: 'realtime:other',
      event: 'postgres_changes',
      payload: { data: { record: { id: 'x' } } },
    });
    expect(rows).toEqual([record]);
    stop();
    expect(s.closed).toBe(true);
    expect(sockets).toHaveLength(1); // stopped: no reconnect
  });

  it('a lost connection is reported and rejoined with backoff; an unanswered heartbeat counts as lost', () => {
    vi.useFakeTimers();
    const { sockets, factory, reply } = fakeSockets();
    const status: string[] = [];
    const stop = watchQueueRow({
      url: 'http://127.0.0.1:1',
      apiKey: 'k',
      clinicId: 'c1',
      socket: factory,
      onRow: () => undefined,
      onStatus: (s) => status.push(s),
    });
    const joinOk = (s: (typeof sockets)[number]) => {
      s.onopen?.({});
      const j = s.sent[0] as { topic: string; ref: string };
      reply(s, { topic: j.topic, event: 'phx_reply', ref: j.ref, payload: { status: 'ok' } });
    };
    joinOk(sockets[0]!);
    sockets[0]!.close(); // the server went away
    expect(status).toEqual(['subscribed', 'disconnected']);
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    joinOk(sockets[1]!);
    expect(status).toEqual(['subscribed', 'disconnected', 'subscribed']);
    // two heartbeat periods without a reply: the client gives the socket up and reconnects
    vi.advanceTimersByTime(25_000);
    expect(sockets[1]!.sent.at(-1)).toMatchObject({ topic: 'phoenix', event: 'heartbeat' });
    vi.advanceTimersByTime(25_000);
    expect(sockets[1]!.closed).toBe(true);
    expect(status.at(-1)).toBe('disconnected');
    vi.advanceTimersByTime(1_000);
    expect(sockets).toHaveLength(3);
    stop();
  });

  // fix26a H1 (review26): any client may broadcast on a public topic — the board's changes channel is one; a forged
  // `broadcast` there was rendered as the clinic's board. And the push topic must not take a postgres_changes.
  it('a postgres_changes channel never takes a broadcast as a row; a broadcast channel never takes a postgres_changes', () => {
    const { sockets, factory, reply } = fakeSockets();
    const board: unknown[] = [];
    const stopBoard = watchQueueRow({
      url: 'https://p.example.test',
      apiKey: 'anon-key',
      clinicId: 'c1',
      table: 'waiting_boards',
      socket: factory,
      onRow: (r) => board.push(r),
    });
    const pushed: unknown[] = [];
    const stopPush = watchQueueRow({
      url: 'https://p.example.test',
      apiKey: 'anon-key',
      clinicId: '',
      broadcast: 'tracker:abc',
      socket: factory,
      onRow: (r) => pushed.push(r),
    });
    const [b, p] = [sockets[0]!, sockets[1]!];
    b.onopen?.({});
    p.onopen?.({});
    const bj = b.sent[0] as { topic: string; ref: string; payload: { config: { private: boolean } } };
    const pj = p.sent[0] as { topic: string; ref: string; payload: { config: { private: boolean } } };
    // the push topic is joined as a private channel (only the database may send there); the changes one is public
    expect(pj.topic).toBe('realtime:tracker:abc');
    expect(pj.payload.config.private).toBe(true);
    expect(bj.payload.config.private).toBe(false);
    for (const [s, j] of [
      [b, bj],
      [p, pj],
    ] as const)
      reply(s, { topic: j.topic, event: 'phx_reply', ref: j.ref, payload: { status: 'ok', response: {} } });
    const forged = {
      queue_id: 'q',
      clinic_id: 'c1',
      version: 999_999_999,
      now_serving: [{ ticket: 'URGENT' }],
    };
    reply(b, {
      topic: bj.topic,
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'x', payload: forged },
    });
    reply(p, {
      topic: pj.topic,
      event: 'postgres_changes',
      payload: { ids: [1], data: { type: 'UPDATE', record: forged } },
    });
    expect(board).toEqual([]);
    expect(pushed).toEqual([]);
    // what each is for still arrives
    const row = { clinic_id: 'c1', version: 3 };
    reply(b, { topic: bj.topic, event: 'postgres_changes', payload: { ids: [1], data: { record: row } } });
    reply(p, {
      topic: pj.topic,
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'visit', payload: row },
    });
    expect(board).toEqual([row]);
    expect(pushed).toEqual([row]);
    stopBoard();
    stopPush();
  });
});
