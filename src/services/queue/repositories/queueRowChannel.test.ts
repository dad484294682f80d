import { afterEach, describe, expect, it, vi } from 'vitest';
import { realtimeSocket, watchQueueRow, type SocketLike } from './queueRowChannel';

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

  describe('several channels on one socket (sock26, mreview25 F1: a tracker held two sockets)', () => {
    type Sent = { topic: string; event: string; ref: string; join_ref: string | null };
    const setup = () => {
      const fake = fakeSockets();
      const watch = realtimeSocket('http://127.0.0.1:1', 'k', fake.factory);
      const heard = { queue: [] as unknown[], push: [] as unknown[] };
      const status = { queue: [] as string[], push: [] as string[] };
      const offQueue = watch({
        clinicId: 'c1',
        onRow: (r) => heard.queue.push(r),
        onStatus: (st) => status.queue.push(st),
      });
      const offPush = watch({
        clinicId: '',
        broadcast: 'tracker:abc',
        onRow: (r) => heard.push.push(r),
        onStatus: (st) => status.push.push(st),
      });
      const joins = (s: (typeof fake.sockets)[number]) =>
        (s.sent as unknown as Sent[]).filter((m) => m.event === 'phx_join');
      const ok = (s: (typeof fake.sockets)[number], j: Sent) =>
        fake.reply(s, { topic: j.topic, event: 'phx_reply', ref: j.ref, payload: { status: 'ok' } });
      // time passes on a healthy connection: the server answers every heartbeat (rt27's tests run for minutes)
      let answered = 0;
      const live = (ms: number) => {
        for (let left = ms; left > 0; left -= 1_000) {
          vi.advanceTimersByTime(Math.min(1_000, left));
          const s = fake.sockets.at(-1)!;
          const sent = s.sent as unknown as Sent[];
          for (; answered < sent.length; answered++)
            if (sent[answered]!.event === 'heartbeat')
              fake.reply(s, { topic: 'phoenix', event: 'phx_reply', ref: sent[answered]!.ref, payload: {} });
        }
      };
      return { ...fake, watch, heard, status, offQueue, offPush, joins, ok, live };
    };

    it('joins both topics on ONE socket, each with its own join ref, and routes each message to its channel', () => {
      const t = setup();
      expect(t.sockets).toHaveLength(1);
      const s = t.sockets[0]!;
      s.onopen?.({});
      const [q, p] = t.joins(s);
      expect(q!.topic).toMatch(/^realtime:q[0-9]+$/);
      expect(p!.topic).toBe('realtime:tracker:abc');
      expect(q!.join_ref).toBe(q!.ref);
      expect(p!.join_ref).toBe(p!.ref);
      expect(p!.join_ref).not.toBe(q!.join_ref);
      t.ok(s, q!);
      t.ok(s, p!);
      expect(t.status).toEqual({ queue: ['subscribed'], push: ['subscribed'] });
      t.reply(s, {
        topic: p!.topic,
        event: 'broadcast',
        payload: { event: 'visit', payload: { position: 2 } },
      });
      t.reply(s, {
        topic: q!.topic,
        event: 'postgres_changes',
        payload: { data: { record: { id: 'q1', version: 3 } } },
      });
      expect(t.heard).toEqual({ queue: [{ id: 'q1', version: 3 }], push: [{ position: 2 }] });
      // one channel leaves: a phx_leave, the socket stays for the other; the last one closes it
      t.offPush();
      expect(s.sent.at(-1)).toMatchObject({ topic: p!.topic, event: 'phx_leave', join_ref: p!.join_ref });
      expect(s.closed).toBe(false);
      t.offQueue();
      expect(s.closed).toBe(true);
      expect(t.sockets).toHaveLength(1);
    });

    it('one heartbeat for the socket; a lost socket re-joins BOTH channels on the next one', () => {
      vi.useFakeTimers();
      const t = setup();
      const s = t.sockets[0]!;
      s.onopen?.({});
      for (const j of t.joins(s)) t.ok(s, j);
      vi.advanceTimersByTime(25_000);
      const beats = (s.sent as unknown as Sent[]).filter((m) => m.event === 'heartbeat');
      expect(beats).toHaveLength(1);
      expect(beats[0]!.topic).toBe('phoenix');
      t.reply(s, { topic: 'phoenix', event: 'phx_reply', ref: beats[0]!.ref, payload: { status: 'ok' } });
      s.close(); // the server went away
      expect(t.status).toEqual({
        queue: ['subscribed', 'disconnected'],
        push: ['subscribed', 'disconnected'],
      });
      vi.advanceTimersByTime(1_000);
      expect(t.sockets).toHaveLength(2);
      const s2 = t.sockets[1]!;
      s2.onopen?.({});
      const again = t.joins(s2);
      expect(again.map((j) => j.topic)).toEqual(t.joins(s).map((j) => j.topic));
      for (const j of again) t.ok(s2, j);
      expect(t.status.queue.at(-1)).toBe('subscribed');
      expect(t.status.push.at(-1)).toBe('subscribed');
      t.offQueue();
      t.offPush();
    });

    it("one topic's error (join refused, phx_error) re-joins that topic alone; the other keeps hearing", () => {
      vi.useFakeTimers();
      const t = setup();
      const s = t.sockets[0]!;
      s.onopen?.({});
      const [q, p] = t.joins(s);
      t.ok(s, q!);
      // the push topic's join is refused (e.g. the joins budget): only it is down, and it is retried later
      t.reply(s, { topic: p!.topic, event: 'phx_reply', ref: p!.ref, payload: { status: 'error' } });
      expect(s.closed).toBe(false);
      expect(t.status).toEqual({ queue: ['subscribed'], push: ['disconnected'] });
      vi.advanceTimersByTime(1_000);
      const p2 = t.joins(s).at(-1)!;
      expect(p2.topic).toBe(p!.topic);
      expect(p2.join_ref).not.toBe(p!.join_ref);
      t.ok(s, p2);
      expect(t.status.push).toEqual(['disconnected', 'subscribed']);
      // its channel crashes on the server: again only the push topic goes down
      t.reply(s, { topic: p!.topic, event: 'phx_error', ref: p2.ref, join_ref: p2.join_ref, payload: {} });
      expect(t.status.push.at(-1)).toBe('disconnected');
      expect(t.status.queue).toEqual(['subscribed']);
      t.reply(s, {
        topic: q!.topic,
        event: 'postgres_changes',
        payload: { data: { record: { id: 'q1', version: 4 } } },
      });
      expect(t.heard.queue).toEqual([{ id: 'q1', version: 4 }]);
      // a broadcast on the topic while it is down is not handed on (its rejoin reads what it missed)
      t.reply(s, { topic: p!.topic, event: 'broadcast', payload: { payload: { position: 1 } } });
      expect(t.heard.push).toEqual([]);
      vi.advanceTimersByTime(1_000);
      t.ok(s, t.joins(s).at(-1)!);
      expect(t.status.push.at(-1)).toBe('subscribed');
      expect(t.sockets).toHaveLength(1);
      t.offQueue();
      t.offPush();
    });
    // rt27 (mreview26 F4): Phoenix (hosted Realtime) closes a left channel with a phx_close whose ref is that join's ref
    // (vsn 1.0.0 JSON carries no join_ref). A screen that leaves a topic and joins it again (a day or clinic change, a
    // StrictMode double mount) must not take that stale close for its new channel.
    it('a stale phx_close of a left join of the same topic leaves the new channel subscribed', () => {
      vi.useFakeTimers();
      const t = setup();
      const s = t.sockets[0]!;
      s.onopen?.({});
      for (const j of t.joins(s)) t.ok(s, j);
      const old = t.joins(s)[1]!;
      t.offPush(); // phx_leave with the old join ref
      const pushes: unknown[] = [];
      const status: string[] = [];
      const offAgain = t.watch({
        clinicId: '',
        broadcast: 'tracker:abc',
        onRow: (r) => pushes.push(r),
        onStatus: (st) => status.push(st),
      });
      const fresh = t.joins(s).at(-1)!;
      expect(fresh.topic).toBe(old.topic);
      expect(fresh.join_ref).not.toBe(old.join_ref);
      // what Phoenix sends: the leave's reply, the old channel's close (ref = its join ref), then the new join's reply
      const leave = (s.sent as unknown as Sent[]).find((m) => m.event === 'phx_leave')!;
      t.reply(s, { topic: old.topic, event: 'phx_reply', ref: leave.ref, payload: { status: 'ok' } });
      t.reply(s, { topic: old.topic, event: 'phx_close', ref: old.ref, payload: {} });
      t.ok(s, fresh);
      // the v2 serializer's shape of the same close (join_ref and ref both the old join's), and a late phx_error
      t.reply(s, { topic: old.topic, event: 'phx_close', ref: old.ref, join_ref: old.join_ref, payload: {} });
      t.reply(s, { topic: old.topic, event: 'phx_error', ref: old.ref, join_ref: old.join_ref, payload: {} });
      expect(status).toEqual(['subscribed']);
      t.reply(s, { topic: old.topic, event: 'broadcast', payload: { payload: { position: 1 } } });
      expect(pushes).toEqual([{ position: 1 }]);
      t.live(60_000);
      expect(t.joins(s)).toHaveLength(3); // no re-join: the new channel was never lost
      // its own close still counts: lost, re-joined later
      t.reply(s, { topic: fresh.topic, event: 'phx_close', ref: fresh.ref, payload: {} });
      expect(status).toEqual(['subscribed', 'disconnected']);
      vi.advanceTimersByTime(1_000);
      expect(t.joins(s)).toHaveLength(4);
      offAgain();
      t.offQueue();
    });

    // rt27 (mreview26 F5): a push join refused for ever (a deployment without the tracker_push_receive policy) re-joined
    // every 10 s all day and stretched the socket's own reconnect backoff
    it('a push channel refused again and again rests 5 min between tries (one disconnected); the socket keeps its own backoff', () => {
      vi.useFakeTimers();
      const t = setup();
      const s = t.sockets[0]!;
      s.onopen?.({});
      const [q] = t.joins(s);
      t.ok(s, q!);
      const refuse = () => {
        const p = t.joins(s).at(-1)!;
        expect(p.topic).toBe('realtime:tracker:abc');
        t.reply(s, {
          topic: p.topic,
          event: 'phx_reply',
          ref: p.ref,
          payload: { status: 'error', response: { reason: 'Unauthorized' } },
        });
      };
      refuse();
      // its own backoff: 1, 2, 4, 8 s, then after its 5th refusal one try every 5 min
      for (const wait of [1_000, 2_000, 4_000, 8_000]) {
        vi.advanceTimersByTime(wait - 1);
        const before = t.joins(s).length;
        vi.advanceTimersByTime(1);
        expect(t.joins(s)).toHaveLength(before + 1);
        refuse();
      }
      const pushJoins = () => t.joins(s).filter((j) => j.topic === 'realtime:tracker:abc').length;
      expect(pushJoins()).toBe(5);
      // an hour: 12 more joins (main: 360 at one every 10 s), each after a 5 min rest — never given up for good
      // (mreview27 M2: a refusal may be a passing outage of the database while the socket stays open)
      for (let i = 0; i < 12; i++) {
        t.live(299_999);
        const before = pushJoins();
        t.live(1);
        expect(pushJoins()).toBe(before + 1);
        refuse();
      }
      expect(pushJoins()).toBe(17);
      expect(t.status.push).toEqual(['disconnected']); // once, not at every refusal
      expect(t.status.queue).toEqual(['subscribed']); // the queue feed (the reads) is untouched
      t.reply(s, {
        topic: q!.topic,
        event: 'postgres_changes',
        payload: { data: { record: { version: 9 } } },
      });
      expect(t.heard.queue).toEqual([{ version: 9 }]);
      // the socket's reconnect is not stretched by the channel's refusals: back after 1 s
      s.close();
      vi.advanceTimersByTime(1_000);
      expect(t.sockets).toHaveLength(2);
      // on the new socket the push is tried again (once); a join that succeeds gives it its full count back
      const s2 = t.sockets[1]!;
      s2.onopen?.({});
      const again = t.joins(s2);
      expect(again.map((j) => j.topic)).toEqual([q!.topic, 'realtime:tracker:abc']);
      for (const j of again) t.ok(s2, j);
      expect(t.status.push).toEqual(['disconnected', 'subscribed']);
      t.offQueue();
      t.offPush();
    });

    // mreview27 M2: rt27 gave the push up for good after 5 refusals — a 20 s outage of the database behind an open
    // socket left every tracker without its push (one read per queue change each) for as long as the socket lived
    it('a push refused through a passing outage comes back on the same socket after its rest', () => {
      vi.useFakeTimers();
      const t = setup();
      const s = t.sockets[0]!;
      s.onopen?.({});
      const [q] = t.joins(s);
      t.ok(s, q!);
      const last = () =>
        t
          .joins(s)
          .filter((j) => j.topic === 'realtime:tracker:abc')
          .at(-1)!;
      const refuse = () =>
        t.reply(s, {
          topic: last().topic,
          event: 'phx_reply',
          ref: last().ref,
          payload: { status: 'error', response: { reason: 'unable to connect to the project database' } },
        });
      refuse();
      for (const wait of [1_000, 2_000, 4_000, 8_000]) {
        t.live(wait);
        refuse();
      }
      t.live(300_000); // the database is back: the rested try is answered
      t.ok(s, last());
      expect(t.status.push).toEqual(['disconnected', 'subscribed']);
      expect(t.sockets).toHaveLength(1);
      t.offQueue();
      t.offPush();
    });

    it('a changes channel is never given up: refused joins are retried every 10 s at most', () => {
      vi.useFakeTimers();
      const t = setup();
      const s = t.sockets[0]!;
      s.onopen?.({});
      const queueJoins = () => t.joins(s).filter((j) => j.topic !== 'realtime:tracker:abc');
      const refuse = () => {
        const j = queueJoins().at(-1)!;
        t.reply(s, { topic: j.topic, event: 'phx_reply', ref: j.ref, payload: { status: 'error' } });
      };
      refuse();
      for (let i = 0; i < 8; i++) {
        t.live(10_000);
        refuse();
      }
      expect(queueJoins()).toHaveLength(9);
      t.live(10_000);
      t.ok(s, queueJoins().at(-1)!);
      expect(t.status.queue).toEqual(['disconnected', 'subscribed']);
      t.offQueue();
      t.offPush();
    });
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
