/**
 * sock26 (issue 14, mreview25 F1): a tracker holds ONE realtime socket — its queue feed and its visit's push topic
 * (trk25) are two channels of it. Since trk25 each phone had opened two sockets, so a waiting room behind one NAT
 * needed two per phone against QUEUEMED_REALTIME_IP_SOCKETS_MAX (fix25b had raised the default 100 → 250 to cope).
 * Over the local stack with ONE socket allowed per address: the tracker's port hears both the queue row's change and
 * its visit's push, over the one socket it opened; a second socket from the address is refused (the cap is real).
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchPublicScreensRepository } from '../../src/services/queue/repositories/FetchPublicScreensRepository';
import type { FeedStatus, QueueChange } from '../../src/services/queue/repositories/QueueChangeFeed';
import type { TrackedVisit } from '../../src/services/queue/api/publicScreens';
import { startAppStack, type AppStack } from './appStack';
import { parityClinic } from './queueStackKit';

const WAIT = { timeout: 30_000, interval: 50 };

describe('a tracker on one realtime socket (local stack, PGlite, one socket per address)', () => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack('pglite', {
      realtimeLimits: { socketsPerAddress: 1, joinsPerSocket: { max: 60, windowMs: 60_000 } },
    });
  }, 300_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('hears its queue feed and its push topic over the one socket it opens', async () => {
    const c = await parityClinic(app, 'one-socket', 'OS');
    const walkIn = async (name: string) => {
      const r = await c.service.addWalkIn(c.clinicId, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
      return r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
    };
    await walkIn('Amal Socket');
    const token = await c.track(await walkIn('Badr Socket'));

    const opened: WebSocket[] = [];
    const port = createFetchPublicScreensRepository({
      supabaseUrl: app.stack.url,
      supabaseAnonKey: app.stack.anonKey,
      socket: (u) => {
        const ws = new WebSocket(u);
        opened.push(ws);
        return ws as never;
      },
    });
    const visit = await port.visit(token);
    if (!visit.ok) throw new Error(visit.error.code);
    const topic = visit.value.push_topic;
    expect(topic).toMatch(/^tracker:[0-9a-f]{64}$/);

    const changes: QueueChange[] = [];
    const pushes: { version: number; shown: TrackedVisit | null }[] = [];
    const status = { feed: [] as FeedStatus[], push: [] as FeedStatus[] };
    const offFeed = port.feed.subscribe(c.clinicId, {
      onChange: (ch) => changes.push(ch),
      onStatus: (st) => status.feed.push(st),
    });
    const offPush = port.visitFeed!.subscribe(
      topic!,
      (version, merge) => pushes.push({ version, shown: merge(visit.value) }),
      (st) => status.push.push(st),
    );
    await expect
      .poll(() => status.feed.includes('subscribed') && status.push.includes('subscribed'), WAIT)
      .toBe(true);

    // the desk's estimates for the queue's version: the row is touched (the feed) and each visit pushed (its topic)
    const { rows } = await app.db.query<{ version: number; day: string; now: string }>(
      `select q.version, q.day::text as day, private.now()::text as now
         from public.queues q where q.clinic_id = $1 order by q.day desc limit 1`,
      [c.clinicId],
    );
    const q = rows[0]!;
    const { rows: waiting } = await app.db.query<{ id: string }>(
      `select e.id from public.queue_entries e join public.queues q on q.id = e.queue_id
        where q.clinic_id = $1 and q.day = $2 and e.status = 'waiting'`,
      [c.clinicId, q.day],
    );
    const { error } = await c.client.rpc('store_queue_estimates', {
      p_clinic_id: c.clinicId,
      p_day: q.day,
      p_version: q.version,
      p_estimates: waiting.map((w) => ({
        entry_id: w.id,
        minutes: 0,
        low: 0,
        high: 0,
        display: { kind: 'unknown' },
      })),
      p_as_of: q.now,
    });
    expect(error).toBeNull();
    await expect.poll(() => pushes.length, WAIT).toBe(1);
    expect(pushes[0]).toMatchObject({ version: q.version, shown: { position: 2, ticket: 'OS-002' } });
    await expect
      .poll(() => changes.some((ch) => ch.version === q.version && !!ch.touchedAt), WAIT)
      .toBe(true);
    expect(opened).toHaveLength(1);
    expect(status).toEqual({ feed: ['subscribed'], push: ['subscribed'] });

    // the cap is in force: a second socket from this address is refused while the tracker's is open
    const refused = await new Promise<number>((resolve) => {
      const extra = new WebSocket(
        `${app.stack.url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${app.stack.anonKey}&vsn=1.0.0`,
      );
      extra.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      extra.on('open', () => {
        extra.close();
        resolve(101);
      });
      extra.on('error', () => undefined);
    });
    expect(refused).toBe(429);

    // rt27 (mreview26 F4): the screen leaves its push topic and joins it again (its effect re-runs: a day change, a
    // StrictMode double mount). The server answers the leave and closes the left channel (phx_close, ref = the old
    // join's, as Phoenix does); that close must not be taken for the new channel's: it stays subscribed, no re-join
    const again: { version: number; shown: TrackedVisit | null }[] = [];
    const statusAgain: FeedStatus[] = [];
    const heardByClient: string[] = [];
    opened[0]!.on('message', (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as { event: string };
      heardByClient.push(m.event);
    });
    offPush();
    const offAgain = port.visitFeed!.subscribe(
      topic!,
      (version, merge) => again.push({ version, shown: merge(visit.value) }),
      (st) => statusAgain.push(st),
    );
    await expect.poll(() => statusAgain.includes('subscribed'), WAIT).toBe(true);
    await expect.poll(() => heardByClient.includes('phx_close'), WAIT).toBe(true);
    const { error: error2 } = await c.client.rpc('store_queue_estimates', {
      p_clinic_id: c.clinicId,
      p_day: q.day,
      p_version: q.version,
      p_estimates: waiting.map((w) => ({
        entry_id: w.id,
        minutes: 0,
        low: 0,
        high: 0,
        display: { kind: 'soon' },
      })),
      p_as_of: q.now,
    });
    expect(error2).toBeNull();
    await expect.poll(() => again.length, WAIT).toBe(1);
    expect(again[0]!.shown).toMatchObject({ estimate: { display: { kind: 'soon' } } });
    expect(statusAgain).toEqual(['subscribed']);
    expect(opened).toHaveLength(1);

    offAgain();
    offFeed();
    await expect.poll(() => opened[0]!.readyState, WAIT).toBe(WebSocket.CLOSED);
  });
});
