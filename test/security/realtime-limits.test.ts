/**
 * sec19, review19 M2a: the local stack's realtime took any number of sockets from one address and any number of
 * phx_join per socket, and every postgres_changes join ran queuemed_realtime.install() — a global advisory lock and
 * a catalog scan — so a join flood from one client queued every subscriber behind the DDL lock. Now: open sockets
 * per client address and joins per socket are capped (QUEUEMED_REALTIME_*, supabase/local/limitsEnv.ts), and a join
 * installs triggers only when a published table still lacks one (a table added after start keeps working).
 * Raw Phoenix (vsn 1.0.0) sockets; windows of an hour so no case depends on the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestStack, type TestStack } from '../conformance/harness';

const HOUR = 3_600_000;

const socketUrl = (t: TestStack) =>
  `${t.stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${t.stack.anonKey}&vsn=1.0.0`;

/** Opens a socket: 'open', or the HTTP status the upgrade was refused with. */
const open = (t: TestStack): Promise<{ ws: WebSocket; status: number | 'open' }> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(t));
    ws.once('open', () => resolve({ ws, status: 'open' }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws, status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.once('error', reject);
  });

let ref = 0;
/** Sends a phx_join and resolves with its phx_reply status and response. */
const join = (ws: WebSocket, topic: string, config: Record<string, unknown> = {}) =>
  new Promise<{ status: string; response: Record<string, unknown> }>((resolve) => {
    const r = String(++ref);
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { event: string; ref: string | null; payload: never };
      if (m.event !== 'phx_reply' || m.ref !== r) return;
      ws.off('message', on);
      resolve(m.payload);
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ topic, event: 'phx_join', ref: r, join_ref: r, payload: { config } }));
  });

const closed = (ws: WebSocket) =>
  new Promise<void>((resolve) => {
    if (ws.readyState === ws.CLOSED) resolve();
    else ws.once('close', () => resolve());
    ws.close();
  });

describe('realtime: sockets per address and joins per socket are capped', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack('pglite', {
      realtimeLimits: { socketsPerAddress: 3, joinsPerSocket: { max: 4, windowMs: HOUR } },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a fourth socket from one address is refused with 429; closing one makes room again', async () => {
    const three = await Promise.all([open(t), open(t), open(t)]);
    expect(three.map((s) => s.status)).toEqual(['open', 'open', 'open']);
    const fourth = await open(t);
    expect(fourth.status).toBe(429);
    await closed(three[0]!.ws);
    // the server counts the close when it sees it: try again until it has (no fixed wait)
    let again = await open(t);
    for (let i = 0; again.status !== 'open' && i < 200; i++) {
      expect(again.status).toBe(429);
      await new Promise((r) => setImmediate(r));
      again = await open(t);
    }
    expect(again.status).toBe('open');
    await Promise.all([three[1]!.ws, three[2]!.ws, again.ws].map(closed));
  });

  it('joins over the socket’s budget get an error reply; another socket still joins', async () => {
    // the previous case's sockets may still be closing on the server: wait for a free place the same way
    let a = await open(t);
    for (let i = 0; a.status !== 'open' && i < 200; i++) {
      await new Promise((r) => setImmediate(r));
      a = await open(t);
    }
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push((await join(a.ws, `realtime:room-${i}`)).status);
    expect(replies).toEqual(['ok', 'ok', 'ok', 'ok', 'error', 'error']);
    const over = await join(a.ws, 'realtime:room-x');
    expect(over.response['reason']).toMatch(/too many joins/i);
    const b = await open(t);
    expect(b.status).toBe('open');
    expect((await join(b.ws, 'realtime:room-0')).status).toBe('ok');
    await Promise.all([a.ws, b.ws].map(closed));
  });
});

describe('realtime: a join does not take the trigger DDL lock when every published table has its trigger', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack('postgres');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const changes = { postgres_changes: [{ event: '*', schema: 'public', table: 'cf_tickets' }] };

  it('joins while another session holds the realtime DDL lock (it used to queue behind it)', async () => {
    const s = await open(t);
    expect(s.status).toBe('open');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(72635402)');
      locked();
      await held;
    });
    await isLocked;
    try {
      // old code: install() waited for the lock, so this reply never came while it was held
      expect((await join(s.ws, 'realtime:locked', changes)).status).toBe('ok');
    } finally {
      release();
      await holder;
    }
    await closed(s.ws);
  });

  it('a table published after start still gets its trigger on the first join, and its changes arrive', async () => {
    await t.db.exec(`create table public.cf_late (id int primary key, label text);
      grant select on public.cf_late to anon;
      alter publication supabase_realtime add table public.cf_late;`);
    const s = await open(t);
    const seen: string[] = [];
    s.ws.on('message', (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as {
        event: string;
        payload: { data?: { record?: { label?: string } } };
      };
      if (m.event === 'postgres_changes' && m.payload.data?.record?.label)
        seen.push(m.payload.data.record.label);
    });
    const late = { postgres_changes: [{ event: 'INSERT', schema: 'public', table: 'cf_late' }] };
    expect((await join(s.ws, 'realtime:late', late)).status).toBe('ok');
    await t.db.query(`insert into public.cf_late values (1, 'after-start')`);
    for (let i = 0; !seen.includes('after-start') && i < 2000; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['after-start']);
    await closed(s.ws);
  });
});

/**
 * fix26a (review26 M3): a join kept a topic of any length (≈ 1 MB each) and a socket any number of channels (4
 * sockets → +380 MB in 8 s), and a client broadcast of 1 MB was relayed to every socket on the topic at any rate.
 * Now: topics ≤ 200 characters, ≤ 20 channels per socket (coded error replies), client frames ≤ 64 KiB, and a
 * per-socket rate of client broadcasts (here 3 per hour, so no case depends on the clock).
 */
describe('realtime: topic length, channels per socket, frame size and client broadcasts are capped', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack('pglite', {
      realtimeLimits: {
        socketsPerAddress: 20,
        joinsPerSocket: { max: 1000, windowMs: HOUR },
        broadcastsPerSocket: { max: 3, windowMs: HOUR },
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const opened = async () => {
    const s = await open(t);
    expect(s.status).toBe('open');
    return s.ws;
  };

  it('refuses a topic over 200 characters with a coded error; 200 are taken', async () => {
    const ws = await opened();
    const long = await join(ws, `realtime:${'x'.repeat(192)}`); // 201
    expect(long.status).toBe('error');
    expect(long.response['code']).toBe('REALTIME.TOPIC_TOO_LONG');
    expect((await join(ws, `realtime:${'x'.repeat(191)}`)).status).toBe('ok'); // 200
    await closed(ws);
  });

  it('refuses a 21st channel on one socket; a rejoin of a held topic and a join after a leave are taken', async () => {
    const ws = await opened();
    for (let i = 0; i < 20; i++) expect((await join(ws, `realtime:ch-${i}`)).status).toBe('ok');
    const over = await join(ws, 'realtime:ch-20');
    expect(over.status).toBe('error');
    expect(over.response['code']).toBe('REALTIME.TOO_MANY_CHANNELS');
    expect((await join(ws, 'realtime:ch-3')).status).toBe('ok'); // already held: not a new channel
    ws.send(JSON.stringify({ topic: 'realtime:ch-0', event: 'phx_leave', ref: 'leave', payload: {} }));
    expect((await join(ws, 'realtime:ch-20')).status).toBe('ok');
    await closed(ws);
  });

  it('closes a socket that sends a frame over 64 KiB (1009); 60 KiB is read', async () => {
    const ws = await opened();
    expect((await join(ws, 'realtime:f')).status).toBe('ok');
    const big = JSON.stringify({
      topic: 'realtime:f',
      event: 'heartbeat',
      ref: 'b',
      payload: { p: 'z'.repeat(65 * 1024) },
    });
    const code = await new Promise<number>((resolve) => {
      ws.once('close', (c: number) => resolve(c));
      ws.send(big);
    });
    expect(code).toBe(1009);
    // just under the cap is read (and answered)
    const ws2 = await opened();
    const r = await new Promise<{ status: string }>((resolve) => {
      ws2.on('message', (d: WebSocket.RawData) => {
        const m = JSON.parse(d.toString()) as { ref: string; payload: { status: string } };
        if (m.ref === 'hb') resolve(m.payload);
      });
      ws2.send(
        JSON.stringify({
          topic: 'phoenix',
          event: 'heartbeat',
          ref: 'hb',
          payload: { p: 'z'.repeat(60 * 1024) },
        }),
      );
    });
    expect(r.status).toBe('ok');
    await closed(ws2);
  });

  it('relays at most the socket’s budget of client broadcasts; the next is refused (RATE.LIMITED) and not relayed', async () => {
    const [a, b] = [await opened(), await opened()];
    expect((await join(a, 'realtime:room-b')).status).toBe('ok');
    expect((await join(b, 'realtime:room-b')).status).toBe('ok');
    const heard: unknown[] = [];
    b.on('message', (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as { event: string; payload: { payload: unknown } };
      if (m.event === 'broadcast') heard.push(m.payload.payload);
    });
    const send = (n: number) =>
      new Promise<{ status: string; response: Record<string, unknown> }>((resolve) => {
        const r = `b${n}`;
        const on = (d: WebSocket.RawData) => {
          const m = JSON.parse(d.toString()) as { event: string; ref: string; payload: never };
          if (m.event !== 'phx_reply' || m.ref !== r) return;
          a.off('message', on);
          resolve(m.payload);
        };
        a.on('message', on);
        a.send(
          JSON.stringify({
            topic: 'realtime:room-b',
            event: 'broadcast',
            ref: r,
            payload: { type: 'broadcast', event: 'x', payload: { n } },
          }),
        );
      });
    const replies = [];
    for (let n = 1; n <= 4; n++) replies.push(await send(n));
    expect(replies.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'error']);
    expect(replies[3]!.response['code']).toBe('RATE.LIMITED');
    // a round trip on b: everything relayed to it before has arrived
    expect((await join(b, 'realtime:room-c')).status).toBe('ok');
    expect(heard).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await Promise.all([a, b].map(closed));
  });
});
