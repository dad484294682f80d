/**
 * /realtime/v1/websocket: the Phoenix channel protocol as @supabase/realtime-js speaks it (vsn 1.0.0
 * JSON objects and 2.0.0 JSON arrays): phx_join with config.postgres_changes, heartbeat, access_token,
 * phx_leave, broadcast between sockets on one topic. Database changes arrive by LISTEN/NOTIFY
 * (triggers.sql) carrying the written row; each is checked under every subscriber's role and claims
 * (one round trip per batch), so a row RLS hides from a subscriber is never sent to it. The check is
 * Supabase Realtime's (realtime.apply_rls): a table without RLS needs none; under RLS the row is
 * re-selected by primary key when the change is handled, so an INSERT/UPDATE whose row is deleted (or
 * moved out of sight) before then is not delivered — on hosted Supabase neither. Tests that insert and
 * then delete wait for the INSERT first (test/conformance/realtime.test.ts).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Db, DbTx } from '../db/types.js';
import { apiKeyRole } from '../gate.js';
import { clientIp } from '../http.js';
import { RateLimiter, type RateLimit } from '../rateLimit.js';
import { type JwtClaims, type StackKeys, verifyJwt } from '../keys.js';
import { type ChangeFilter, matchesFilter, parseFilter } from './filters.js';

export const TRIGGERS_SQL = readFileSync(new URL('./triggers.sql', import.meta.url), 'utf8');
const CHANNEL = 'queuemed_realtime';
/** The advisory lock of the realtime DDL (triggers.sql and queuemed_realtime.install() take it too). */
const REALTIME_DDL_LOCK = 72_635_402;

interface Msg {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

interface Binding {
  id: number;
  event: string;
  schema: string;
  table: string;
  filter: ChangeFilter | null;
  filterText: string | undefined;
}

interface Auth {
  role: JwtClaims['role'];
  claims: JwtClaims;
}

interface Channel {
  conn: Conn;
  topic: string;
  joinRef: string | null;
  auth: Auth;
  bindings: Binding[];
  broadcastSelf: boolean;
  /** Joined with config.private (Realtime Authorization): hears only private sends, sends only with `write`. */
  private: boolean;
  /** A private channel: realtime.messages' INSERT policies admit a broadcast of this role on this topic. */
  write: boolean;
}

/**
 * sec19 (review19 M2a): what one client may hold open. Before, any number of sockets from one address and any
 * number of phx_join per socket — and every join with postgres_changes ran queuemed_realtime.install() (a global
 * advisory lock and a catalog scan), so a join flood serialised every subscriber behind it. npm start reads them
 * with the other limits (../limitsEnv.ts): QUEUEMED_REALTIME_IP_SOCKETS_MAX, QUEUEMED_REALTIME_JOINS_MAX and
 * QUEUEMED_REALTIME_JOINS_WINDOW_SECONDS.
 */
export interface RealtimeLimits {
  /** Open sockets per client address (an IPv6 client by its /64: ../../functions/_shared/clientAddress.ts). */
  socketsPerAddress: number;
  /** phx_join messages per socket and window. */
  joinsPerSocket: RateLimit;
  /** fix26a (review26 M3): client broadcasts per socket and window (default DEFAULT_BROADCASTS_PER_SOCKET). */
  broadcastsPerSocket?: RateLimit;
}

/**
 * fix26a (review26 M3): what one socket may hold. The app's topics are short (`realtime:tracker:<64 hex>` is 81
 * characters, `realtime:public-queue:<uuid>:<n>` under 70) and a socket holds 1–3 channels (a desk: its queue feed
 * and the notification settings; a tracker: its queue row, or its push topic), so 200 characters and 20 channels
 * leave room; a client frame holds a join or a broadcast of a few fields (64 KiB; it was the ws default 1 MiB).
 * The app sends no client broadcasts at all: 30 per 10 s per socket is for other clients of the stack.
 */
export const REALTIME_TOPIC_MAX = 200;
export const REALTIME_CHANNELS_PER_SOCKET = 20;
export const REALTIME_FRAME_MAX_BYTES = 64 * 1024;
export const DEFAULT_BROADCASTS_PER_SOCKET: RateLimit = { max: 30, windowMs: 10_000 };

/**
 * Generous: a clinic's screens and the phones in its waiting room may share one address (Wi-Fi, NAT), and
 * realtime-js joins a handful of channels and rejoins with a backoff of seconds. A tracker holds one socket (sock26:
 * its queue feed and its push topic share it; fix25b's 250 covered trk25's two).
 */
export const DEFAULT_REALTIME_LIMITS: RealtimeLimits = {
  socketsPerAddress: 100,
  joinsPerSocket: { max: 60, windowMs: 60_000 },
};

interface Conn {
  /** For the per-socket join budget. */
  id: number;
  /** The client address this socket counts under (RealtimeLimits.socketsPerAddress). */
  address: string;
  ws: WebSocket;
  vsn: string;
  keyRole: 'anon' | 'service_role';
  channels: Map<string, Channel>;
  /** Messages of one socket are handled in order (an access_token before a later join). */
  inbox: Promise<void>;
}

interface Change {
  schema: string;
  table: string;
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  pk: Record<string, unknown>;
  ts: string;
  /** INSERT/UPDATE: the row as written (absent when too big for a notification). */
  record?: Record<string, unknown>;
}

/**
 * Subscribers whose RLS inputs are the same share one re-read: same role and same claims apart from
 * what changes per session or token (iat, exp, session_id, amr). Policies read auth.uid(), auth.role()
 * and auth.jwt() content such as app_metadata, which all stay in the key.
 */
export function rlsKey(auth: { role: string; claims: Record<string, unknown> }): string {
  const { iat: _iat, exp: _exp, session_id: _sid, amr: _amr, ...rest } = auth.claims;
  return `${auth.role}|${JSON.stringify(rest, Object.keys(rest).sort())}`;
}

export interface RealtimeStats {
  connections: number;
  channels: number;
}

export class RealtimeServer {
  private wss = new WebSocketServer({ noServer: true, maxPayload: REALTIME_FRAME_MAX_BYTES });
  private conns = new Set<Conn>();
  /** Messages sent to clients since start (the stack's /metrics: realtime_messages_total). */
  messagesSent = 0;
  private nextId = 1;
  private unlisten: (() => Promise<void>) | null = null;
  private columnsCache = new Map<string, { name: string; type: string }[]>();
  private privCache = new Map<string, string[]>();
  private pending: string[] = [];
  private draining: Promise<void> | null = null;
  private checked: (Record<string, unknown> | true | null)[][] = [];
  /** False while the LISTEN connection is down (PostgreSQL): joins are refused until it is back. */
  private listening = true;
  /** Open sockets per client address. */
  private socketsByAddress = new Map<string, number>();
  private joins: RateLimiter;
  private broadcasts: RateLimiter;
  private nextConnId = 1;
  /** The one trigger check in flight: joins at the same moment share it. */
  private triggersCheck: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly keys: StackKeys,
    private readonly log: Logger,
    private readonly limits: RealtimeLimits = DEFAULT_REALTIME_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.joins = new RateLimiter(limits.joinsPerSocket);
    this.broadcasts = new RateLimiter(limits.broadcastsPerSocket ?? DEFAULT_BROADCASTS_PER_SOCKET);
  }

  async start(): Promise<void> {
    // Another stack on the same PostgreSQL may be starting at this moment: its `create or replace` of the
    // same functions would collide with ours (duplicate key / tuple concurrently updated). One at a time.
    await this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [REALTIME_DDL_LOCK]);
      await tx.exec(TRIGGERS_SQL);
    });
    await this.installTriggers();
    this.unlisten = await this.db.listen(CHANNEL, (payload) => this.onNotify(payload), {
      onLost: () => this.onListenLost(),
      onRestored: () => {
        this.listening = true;
        this.log.info('realtime: database connection restored, accepting subscriptions again');
      },
    });
  }

  /**
   * The LISTEN connection dropped: changes from now on may be missed, so every postgres_changes channel
   * is errored (realtime-js then rejoins with its backoff; the join succeeds once LISTEN is back, and the
   * app refetches on SUBSCRIBED — nothing missed stays missed).
   */
  private onListenLost(): void {
    this.listening = false;
    this.log.warn('realtime: database connection lost; erroring postgres_changes channels until it is back');
    for (const conn of this.conns) {
      for (const ch of [...conn.channels.values()]) {
        if (ch.bindings.length === 0) continue;
        this.send(conn, {
          join_ref: ch.joinRef,
          ref: null,
          topic: ch.topic,
          event: 'system',
          payload: {
            status: 'error',
            message: 'Database connection lost',
            extension: 'postgres_changes',
            channel: ch.topic.replace(/^realtime:/, ''),
          },
        });
        this.send(conn, {
          join_ref: ch.joinRef,
          ref: ch.joinRef,
          topic: ch.topic,
          event: 'phx_error',
          payload: {},
        });
        conn.channels.delete(ch.topic);
      }
    }
  }

  async installTriggers(): Promise<void> {
    await this.db.query('select queuemed_realtime.install()');
  }

  /**
   * Before a postgres_changes join: install the change trigger on a published table that has none yet (one added
   * to supabase_realtime after start) — and only then. The check is a plain catalog read without the DDL lock;
   * install() (lock + DDL) runs only when it finds such a table, and joins arriving together share one check.
   */
  private async ensureTriggers(): Promise<void> {
    if (!this.triggersCheck) {
      this.triggersCheck = (async () => {
        const { rows } = await this.db.query<{ missing: boolean }>(
          `select exists (
             select 1 from pg_publication_tables pt
               join pg_namespace ns on ns.nspname = pt.schemaname
               join pg_class c on c.relnamespace = ns.oid and c.relname = pt.tablename
              where pt.pubname = 'supabase_realtime'
                and exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary)
                and not exists (select 1 from pg_trigger tg
                                 where tg.tgrelid = c.oid and tg.tgname = 'zz_queuemed_realtime')) as missing`,
        );
        if (rows[0]?.missing) await this.installTriggers();
      })().finally(() => {
        this.triggersCheck = null;
      });
    }
    return this.triggersCheck;
  }

  stats(): RealtimeStats {
    let channels = 0;
    for (const c of this.conns) channels += c.channels.size;
    return { connections: this.conns.size, channels };
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const keyRole = apiKeyRole(
      this.keys,
      url.searchParams.get('apikey') ?? req.headers['apikey']?.toString(),
    );
    if (!keyRole) {
      socket.end(
        'HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"message":"Invalid API key"}',
      );
      return;
    }
    const address = clientIp(req);
    if ((this.socketsByAddress.get(address) ?? 0) >= this.limits.socketsPerAddress) {
      socket.end(
        'HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: 10\r\nconnection: close\r\n\r\n' +
          '{"code":"RATE.LIMITED","message":"Too many open realtime connections from this address"}',
      );
      return;
    }
    // counted now, not when the upgrade completes: sockets upgrading at once cannot all slip under the cap
    this.socketsByAddress.set(address, (this.socketsByAddress.get(address) ?? 0) + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const left = (this.socketsByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.socketsByAddress.set(address, left);
      else this.socketsByAddress.delete(address);
    };
    socket.once('close', release);
    const vsn = url.searchParams.get('vsn') ?? '1.0.0';
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = {
        id: this.nextConnId++,
        address,
        ws,
        vsn,
        keyRole,
        channels: new Map(),
        inbox: Promise.resolve(),
      };
      this.conns.add(conn);
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (isBinary) return;
        const text = data.toString();
        conn.inbox = conn.inbox
          .then(() => this.onMessage(conn, text))
          .catch((e: unknown) => {
            this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'realtime message failed');
          });
      });
      ws.on('close', () => {
        this.conns.delete(conn);
        release();
      });
      ws.on('error', () => {
        this.conns.delete(conn);
        release();
      });
    });
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    if (this.unlisten) await this.unlisten();
    await this.draining;
    this.wss.close();
  }

  // ---- protocol ---------------------------------------------------------------------------------

  private send(conn: Conn, m: Msg): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    // rt27: vsn 1.0.0 objects carry no join_ref — Phoenix's V1.JSONSerializer (hosted Realtime) leaves it out, so a
    // client matches a channel's close by its ref (= the join's ref), as realtime-js does; the local stack did not
    // show a client that relied on join_ref
    const text = conn.vsn.startsWith('2')
      ? JSON.stringify([m.join_ref, m.ref, m.topic, m.event, m.payload])
      : JSON.stringify({ ref: m.ref, topic: m.topic, event: m.event, payload: m.payload });
    if (m.event !== 'phx_reply' || m.topic !== 'phoenix')
      this.log.debug({ out: text.slice(0, 300) }, 'realtime send');
    conn.ws.send(text);
    this.messagesSent++;
  }

  private reply(conn: Conn, m: Msg, status: 'ok' | 'error', response: Record<string, unknown>): void {
    this.send(conn, {
      join_ref: m.join_ref,
      ref: m.ref,
      topic: m.topic,
      event: 'phx_reply',
      payload: { status, response },
    });
  }

  private decode(conn: Conn, text: string): Msg | null {
    try {
      const v = JSON.parse(text) as unknown;
      if (Array.isArray(v)) {
        const [join_ref, ref, topic, event, payload] = v as [
          string | null,
          string | null,
          string,
          string,
          Record<string, unknown>,
        ];
        return { join_ref, ref, topic, event, payload: payload ?? {} };
      }
      if (typeof v === 'object' && v !== null) {
        const o = v as Partial<Msg>;
        return {
          join_ref: o.join_ref ?? null,
          ref: o.ref ?? null,
          topic: String(o.topic ?? ''),
          event: String(o.event ?? ''),
          payload: o.payload ?? {},
        };
      }
    } catch {
      // fall through
    }
    conn.ws.close(1003, 'invalid message');
    return null;
  }

  private async authFor(conn: Conn, token: unknown): Promise<Auth | string> {
    if (typeof token !== 'string' || token === '')
      return { role: conn.keyRole, claims: { role: conn.keyRole } };
    const v = await verifyJwt(this.keys.jwtSecret, token);
    if (!v.ok) return v.reason === 'expired' ? 'Token has expired' : 'Invalid token';
    return { role: v.claims.role, claims: v.claims };
  }

  private async onMessage(conn: Conn, text: string): Promise<void> {
    const m = this.decode(conn, text);
    if (!m) return;
    if (m.event !== 'heartbeat') this.log.debug({ topic: m.topic, event: m.event }, 'realtime message');
    if (m.topic === 'phoenix' && m.event === 'heartbeat') {
      this.reply(conn, m, 'ok', {});
      return;
    }
    switch (m.event) {
      case 'phx_join':
        await this.join(conn, m);
        return;
      case 'phx_leave': {
        // rt27 (mreview26 F4), as Phoenix.Socket does: the leave of an older join of the topic (the server closed that
        // one already) is ignored; a leave of the channel is answered, then the channel is closed — a phx_close
        // whose ref and join_ref are its join's, which a client must not take for a later join of the same topic
        const ch = conn.channels.get(m.topic);
        if (ch && m.join_ref !== null && m.join_ref !== ch.joinRef) return;
        this.reply(conn, m, 'ok', {});
        if (ch) this.dropChannel(ch);
        return;
      }
      case 'access_token': {
        const ch = conn.channels.get(m.topic);
        if (!ch) return;
        const auth = await this.authFor(conn, m.payload.access_token);
        if (typeof auth === 'string') {
          this.closeChannel(ch, auth);
          return;
        }
        if (ch.private) {
          const can = await this.authorize(auth, ch.topic);
          if (!can.read && !can.write) {
            this.closeChannel(
              ch,
              'Unauthorized: You do not have permissions to read from this Channel topic',
            );
            return;
          }
          ch.write = can.write;
        }
        ch.auth = auth;
        return;
      }
      case 'broadcast': {
        const ch = conn.channels.get(m.topic);
        if (!ch) return;
        // fix26a (review26 M1): on a private channel only a role whose INSERT policy on realtime.messages admits the
        // topic may send (the tracker's push topics: none — the database is the only sender)
        if (ch.private && !ch.write) {
          if (m.ref)
            this.reply(conn, m, 'error', {
              code: 'REALTIME.FORBIDDEN',
              reason: 'Unauthorized: You do not have permissions to write to this Channel topic',
            });
          return;
        }
        // fix26a (review26 M3): 1 MB broadcasts relayed at any rate reached every socket on the topic
        if (!this.broadcasts.take(String(conn.id), this.now())) {
          if (m.ref)
            this.reply(conn, m, 'error', {
              code: 'RATE.LIMITED',
              reason: 'Too many broadcasts on this connection; try again later',
            });
          return;
        }
        for (const other of this.conns) {
          const oc = other.channels.get(m.topic);
          // a private channel and a public one of the same name are different channels (as on Supabase)
          if (!oc || oc.private !== ch.private || (oc === ch && !ch.broadcastSelf)) continue;
          this.send(other, {
            join_ref: oc.joinRef,
            ref: null,
            topic: m.topic,
            event: 'broadcast',
            payload: m.payload,
          });
        }
        if (m.ref) this.reply(conn, m, 'ok', {});
        return;
      }
      case 'presence':
        this.reply(conn, m, 'ok', {});
        return;
      default:
        if (m.ref) this.reply(conn, m, 'error', { reason: `unknown event ${m.event.slice(0, 40)}` });
    }
  }

  private closeChannel(ch: Channel, message: string): void {
    this.send(ch.conn, {
      join_ref: ch.joinRef,
      ref: null,
      topic: ch.topic,
      event: 'system',
      payload: { status: 'error', message, extension: 'system', channel: ch.topic.replace(/^realtime:/, '') },
    });
    this.dropChannel(ch);
  }

  /** Phoenix's close of a channel (Phoenix.Socket encode_close): ref = join_ref = the join's ref. */
  private dropChannel(ch: Channel): void {
    ch.conn.channels.delete(ch.topic);
    this.send(ch.conn, {
      join_ref: ch.joinRef,
      ref: ch.joinRef,
      topic: ch.topic,
      event: 'phx_close',
      payload: {},
    });
  }

  /**
   * fix26a: Realtime Authorization of a private channel (queuemed_realtime.authorize: realtime.messages' policies
   * under the role and claims, realtime.topic() = the topic without its 'realtime:' prefix, rolled back).
   */
  private async authorize(auth: Auth, topic: string): Promise<{ read: boolean; write: boolean }> {
    const { rows } = await this.db.query<{ r: { read: boolean; write: boolean } }>(
      'select queuemed_realtime.authorize($1, $2::jsonb, $3) as r',
      [auth.role, JSON.stringify(auth.claims), topic.replace(/^realtime:/, '')],
    );
    const r = rows[0]?.r;
    return { read: r?.read === true, write: r?.write === true };
  }

  private async join(conn: Conn, m: Msg): Promise<void> {
    // rt27: a join of a topic this connection has joined closes the old channel first (its phx_close, old ref), as
    // Phoenix does with a duplicate join — whatever the new join's outcome
    const old = conn.channels.get(m.topic);
    if (old) this.dropChannel(old);
    // fix26a (review26 M3): a topic of any length was kept (≈ 1 MB each, 60 a minute, no cap per socket)
    if (m.topic.length > REALTIME_TOPIC_MAX) {
      this.reply(conn, { ...m, topic: m.topic.slice(0, REALTIME_TOPIC_MAX) }, 'error', {
        code: 'REALTIME.TOPIC_TOO_LONG',
        reason: `A channel topic is at most ${REALTIME_TOPIC_MAX} characters`,
      });
      return;
    }
    if (!conn.channels.has(m.topic) && conn.channels.size >= REALTIME_CHANNELS_PER_SOCKET) {
      this.reply(conn, m, 'error', {
        code: 'REALTIME.TOO_MANY_CHANNELS',
        reason: `At most ${REALTIME_CHANNELS_PER_SOCKET} channels on one connection; leave one first`,
      });
      return;
    }
    if (!this.joins.take(String(conn.id), this.now())) {
      this.reply(conn, m, 'error', {
        code: 'RATE.LIMITED',
        reason: 'Too many joins on this connection; try again later',
      });
      return;
    }
    const auth = await this.authFor(conn, m.payload.access_token);
    if (typeof auth === 'string') {
      this.reply(conn, m, 'error', { reason: auth });
      return;
    }
    const config = (m.payload.config ?? {}) as {
      postgres_changes?: unknown;
      broadcast?: { self?: boolean };
      private?: unknown;
    };
    // fix26a (review26 M1): a private channel is joined only when the role may read or write its topic
    const isPrivate = config.private === true;
    let write = false;
    if (isPrivate) {
      const can = await this.authorize(auth, m.topic);
      if (!can.read && !can.write) {
        this.reply(conn, m, 'error', {
          code: 'REALTIME.FORBIDDEN',
          reason: 'Unauthorized: You do not have permissions to read from this Channel topic',
        });
        return;
      }
      write = can.write;
    }
    const wanted = Array.isArray(config.postgres_changes)
      ? (config.postgres_changes as Record<string, unknown>[])
      : [];
    const bindings: Binding[] = [];
    try {
      for (const w of wanted) {
        const event = String(w.event ?? '*').toUpperCase();
        if (!['*', 'INSERT', 'UPDATE', 'DELETE'].includes(event))
          throw new Error(`invalid event ${event.slice(0, 20)}`);
        const filterText = typeof w.filter === 'string' ? w.filter : undefined;
        bindings.push({
          id: this.nextId++,
          event: String(w.event ?? '*'),
          schema: String(w.schema ?? 'public'),
          table: typeof w.table === 'string' ? w.table : '*',
          filter: parseFilter(filterText),
          filterText,
        });
      }
    } catch (e) {
      this.reply(conn, m, 'error', {
        reason: e instanceof Error ? e.message : 'invalid postgres_changes config',
      });
      return;
    }
    if (bindings.length > 0) {
      const ready =
        this.listening &&
        (await this.ensureTriggers().then(
          () => true,
          () => false,
        ));
      if (!ready || !this.listening) {
        this.reply(conn, m, 'error', { reason: 'Realtime was unable to connect to the project database' });
        return;
      }
    }
    const ch: Channel = {
      conn,
      topic: m.topic,
      joinRef: m.join_ref ?? m.ref,
      auth,
      bindings,
      broadcastSelf: config.broadcast?.self === true,
      private: isPrivate,
      write,
    };
    conn.channels.set(m.topic, ch);
    this.reply(conn, m, 'ok', {
      postgres_changes: bindings.map((b) => ({
        id: b.id,
        event: b.event,
        schema: b.schema,
        table: b.table,
        ...(b.filterText !== undefined ? { filter: b.filterText } : {}),
      })),
    });
    if (bindings.length > 0) {
      this.send(conn, {
        join_ref: ch.joinRef,
        ref: null,
        topic: m.topic,
        event: 'system',
        payload: {
          message: 'Subscribed to PostgreSQL',
          status: 'ok',
          extension: 'postgres_changes',
          channel: m.topic.replace(/^realtime:/, ''),
        },
      });
    }
  }

  // ---- change delivery --------------------------------------------------------------------------

  private async columns(tx: DbTx, schema: string, table: string): Promise<{ name: string; type: string }[]> {
    const key = `${schema}.${table}`;
    const hit = this.columnsCache.get(key);
    if (hit) return hit;
    const { rows } = await tx.query<{ name: string; type: string }>(
      `select a.attname as name, t.typname as type
         from pg_attribute a join pg_type t on t.oid = a.atttypid
        where a.attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [schema, table],
    );
    this.columnsCache.set(key, rows);
    return rows;
  }

  private async selectableColumns(tx: DbTx, role: string, schema: string, table: string): Promise<string[]> {
    const key = `${role}|${schema}.${table}`;
    const hit = this.privCache.get(key);
    if (hit) return hit;
    const { rows } = await tx.query<{ name: string }>(
      `select a.attname as name from pg_attribute a
        where a.attrelid = (quote_ident($2) || '.' || quote_ident($3))::regclass and a.attnum > 0 and not a.attisdropped
          and has_column_privilege($1, a.attrelid, a.attnum, 'SELECT')
        order by a.attnum`,
      [role, schema, table],
    );
    const cols = rows.map((r) => r.name);
    this.privCache.set(key, cols);
    return cols;
  }

  /** Notifications arrive here in commit order; they are delivered in that order, a batch at a time. */
  private onNotify(payload: string): void {
    // realtime.send (the shim): a broadcast from the database goes out at once — nothing to re-check (a public
    // channel is reached by its topic's name, as on Supabase), so it never waits behind a batch's RLS check
    // (jsonb orders keys by length: a realtime.send starts with "event", a table change with "pk" or "ts")
    if (payload.startsWith('{"event"') && this.broadcastFromDb(payload)) return;
    this.pending.push(payload);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, 256);
      const changes: Change[] = [];
      for (const p of batch) {
        try {
          changes.push(JSON.parse(p) as Change);
        } catch {
          this.log.warn('realtime: unreadable notification');
        }
      }
      try {
        await this.deliver(changes);
      } catch (e) {
        this.log.error({ err: e instanceof Error ? e.message : String(e) }, 'realtime delivery failed');
      }
    }
  }

  /**
   * A `realtime.send(payload, event, topic, private)` of the database: sent as a broadcast to every socket joined to
   * `realtime:<topic>` (the topic realtime-js joins for channel(topic)). fix26a: a private message goes to the private
   * channels of that topic only (each joined after realtime.messages' policies admitted it), a public one to the
   * public channels only — on Supabase a private and a public channel of one name are different channels.
   * Returns false for a notification that is no broadcast (a table change: the drain's).
   */
  private broadcastFromDb(text: string): boolean {
    let m: { broadcast?: unknown; topic?: unknown; event?: unknown; private?: unknown; payload?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return false;
    }
    if (m.broadcast !== true) return false;
    if (typeof m.private !== 'boolean' || typeof m.topic !== 'string' || typeof m.event !== 'string')
      return true;
    const topic = `realtime:${m.topic}`;
    for (const conn of this.conns) {
      const ch = conn.channels.get(topic);
      if (!ch || ch.private !== m.private) continue;
      this.send(conn, {
        join_ref: ch.joinRef,
        ref: null,
        topic,
        event: 'broadcast',
        payload: { type: 'broadcast', event: m.event, payload: m.payload ?? {} },
      });
    }
    return true;
  }

  /** The channels a change is for, grouped by the RLS inputs of their subscribers. */
  private plan(change: Change, nowSec: number): Map<string, Group> {
    const groups = new Map<string, Group>();
    for (const conn of this.conns) {
      for (const ch of conn.channels.values()) {
        const ids = ch.bindings
          .filter(
            (b) =>
              (b.schema === '*' || b.schema === change.schema) &&
              (b.table === '*' || b.table === change.table) &&
              (b.event === '*' || b.event.toUpperCase() === change.type),
          )
          .map((b) => b.id);
        if (ids.length === 0) continue;
        const exp = ch.auth.claims.exp;
        if (typeof exp === 'number' && exp < nowSec) {
          this.closeChannel(ch, 'Token has expired');
          continue;
        }
        const key = rlsKey(ch.auth);
        const g = groups.get(key) ?? { auth: ch.auth, members: [] };
        g.members.push({ ch, ids });
        groups.set(key, g);
      }
    }
    return groups;
  }

  /**
   * Delivers a batch of changes: who may see what is decided in ONE database round trip for the whole
   * batch (queuemed_realtime.check: each group's role and claims, so RLS and column grants decide, as
   * Supabase Realtime's apply_rls does — no RLS on the table: visible; RLS: the row re-selected by primary
   * key now, so one already deleted is not sent); the row sent is the one the notification carried, so every
   * version reaches subscribers, in commit order. DELETE events carry the primary key only and are not
   * filtered by RLS or by the subscriber's filter (as on Supabase): a deleted row's other columns are
   * never read, compared or sent.
   */
  private async deliver(changes: Change[]): Promise<void> {
    const nowSec = Date.now() / 1000;
    const work: { change: Change; groups: Map<string, Group> }[] = [];
    for (const change of changes) {
      const groups = this.plan(change, nowSec);
      if (groups.size > 0) work.push({ change, groups });
    }
    if (work.length === 0) return;

    interface Item {
      schema: string;
      table: string;
      pk: Record<string, unknown>;
      reread: boolean;
      groups: { role: string; claims: Record<string, unknown>; cols: string[] }[];
    }
    const items: Item[] = [];
    /** Per work entry: group key → columns the group may select ([] = none), and the item index. */
    const meta: { cols: Map<string, string[]>; item: number | null; keys: string[] }[] = [];
    await this.db.transaction(async (tx) => {
      for (const { change, groups } of work) {
        await this.columns(tx, change.schema, change.table);
        const pkCols = Object.keys(change.pk);
        const cols = new Map<string, string[]>();
        const keys: string[] = [];
        const specs: Item['groups'] = [];
        for (const [key, g] of groups) {
          const c = await this.selectableColumns(tx, g.auth.role, change.schema, change.table);
          const ok = c.length > 0 && pkCols.every((k) => c.includes(k));
          cols.set(key, ok ? c : []);
          if (ok && change.type !== 'DELETE') {
            keys.push(key);
            specs.push({ role: g.auth.role, claims: g.auth.claims, cols: c });
          }
        }
        let item: number | null = null;
        if (specs.length > 0) {
          item = items.length;
          items.push({
            schema: change.schema,
            table: change.table,
            pk: change.pk,
            reread: change.record === undefined,
            groups: specs,
          });
        }
        meta.push({ cols, item, keys });
      }
      if (items.length === 0) return;
      const { rows } = await tx.query<{ r: string }>(`select queuemed_realtime.check($1::jsonb)::text as r`, [
        JSON.stringify(items),
      ]);
      this.checked = JSON.parse(rows[0]?.r ?? '[]') as (Record<string, unknown> | true | null)[][];
    });
    const checked = this.checked;
    this.checked = [];

    work.forEach(({ change, groups }, i) => {
      const m = meta[i];
      if (!m) return;
      const columns = this.columnsCache.get(`${change.schema}.${change.table}`) ?? [];
      const results = m.item === null ? [] : (checked[m.item] ?? []);
      for (const [key, g] of groups) {
        const cols = m.cols.get(key) ?? [];
        if (cols.length === 0) continue; // this role may not select the table (or its key)
        let record: Record<string, unknown> | null = null;
        if (change.type !== 'DELETE') {
          const r = results[m.keys.indexOf(key)];
          if (r === null || r === undefined) continue; // RLS hides the row from this subscriber
          record = r === true ? project(change.record ?? {}, cols) : r;
        }
        for (const { ch, ids } of g.members) {
          const matching = ids.filter((id) => {
            const b = ch.bindings.find((x) => x.id === id);
            if (!b) return false;
            // A DELETE is never compared with a filter: that would reveal the deleted row's values.
            return record === null ? true : matchesFilter(b.filter, record);
          });
          if (matching.length === 0) continue;
          this.send(ch.conn, {
            join_ref: ch.joinRef,
            ref: null,
            topic: ch.topic,
            event: 'postgres_changes',
            payload: {
              ids: matching,
              data: {
                schema: change.schema,
                table: change.table,
                commit_timestamp: change.ts,
                type: change.type,
                errors: null,
                columns,
                ...(record ? { record } : {}),
                ...(change.type !== 'INSERT' ? { old_record: change.pk } : {}),
              },
            },
          });
        }
      }
    });
  }
}

interface Group {
  auth: Auth;
  members: { ch: Channel; ids: number[] }[];
}

/** The row with only the columns a role may select, in the table's order. */
function project(row: Record<string, unknown>, cols: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of cols) if (c in row) out[c] = row[c];
  return out;
}
