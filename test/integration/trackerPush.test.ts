/**
 * trk25 (issue 14): the estimates store pushes each waiting visit's tracker what it shows, on a Realtime broadcast
 * topic only the link's holder learns (private.push_tracker_states → realtime.send → the local realtime service;
 * sock26: the topic is an HMAC of the stored hash under the database's own key, named by get_tracker_view). Over
 * the stack: a visit's topic carries its own place in line and nothing of another visit; a topic not named by the
 * view (the stored hash itself, trk25's sha256 of it that a reader of the stored hash could compute, a guess) hears
 * nothing; a changed running-late amount is pushed (mreview25 F10); a store that changes nothing a patient is shown
 * pushes nothing, and a new walk-in behind everyone pushes only its own state (cost ∝ changes); anon and staff
 * cannot read what was pushed nor push themselves.
 */
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchVisit } from '../../src/services/queue/repositories/trackerPush';
import { realtimeSocket, type SocketLike } from '../../src/services/queue/repositories/queueRowChannel';
import type { TrackedVisit } from '../../src/services/queue/api/publicScreens';
import { startAppStack, type AppStack } from './appStack';
import { parityClinic } from './queueStackKit';

const WAIT = { timeout: 30_000, interval: 50 };

/**
 * A socket joined to one broadcast topic (as the tracker's client joins it: private since fix26a): every broadcast
 * payload heard, the join's reply, and `send` — a client broadcast with a ref, resolving to its phx_reply (or
 * 'no reply').
 */
async function listen(app: AppStack, topic: string, o: { private?: boolean; token?: string } = {}) {
  const heard: Record<string, unknown>[] = [];
  const replies = new Map<string, (p: Record<string, unknown>) => void>();
  const ws = new WebSocket(
    `${app.stack.url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${app.stack.anonKey}&vsn=1.0.0`,
  );
  const joined = await new Promise<{ status: string; response: Record<string, unknown> }>(
    (resolve, reject) => {
      ws.on('error', reject);
      ws.on('open', () =>
        ws.send(
          JSON.stringify({
            topic: `realtime:${topic}`,
            event: 'phx_join',
            ref: '1',
            join_ref: '1',
            payload: {
              config: { broadcast: { self: false }, postgres_changes: [], private: o.private ?? true },
              access_token: o.token ?? app.stack.anonKey,
            },
          }),
        ),
      );
      ws.on('message', (d: WebSocket.RawData) => {
        const m = JSON.parse(String(d)) as {
          event: string;
          ref: string | null;
          payload: Record<string, unknown>;
        };
        if (m.event === 'phx_reply' && m.ref === '1') resolve(m.payload as never);
        else if (m.event === 'phx_reply' && m.ref) replies.get(m.ref)?.(m.payload);
        if (m.event === 'broadcast') heard.push(m.payload.payload as Record<string, unknown>);
      });
    },
  );
  let ref = 1;
  const send = (payload: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const r = String(++ref);
      replies.set(r, resolve);
      ws.send(
        JSON.stringify({
          topic: `realtime:${topic}`,
          event: 'broadcast',
          ref: r,
          join_ref: '1',
          payload: { type: 'broadcast', event: 'visit', payload },
        }),
      );
    });
  return { heard, joined, send, close: () => ws.close() };
}

/** What a waiting tracker shows before a push (the fields a push does not carry are kept). */
const shownVisit: TrackedVisit = {
  entry_id: 'e',
  clinic: { id: 'c', name: 'C', slug: 'c', default_language: 'fr', time_zone: 'Africa/Casablanca' },
  day: '2026-12-04',
  ticket: 'TS-001',
  status: 'waiting',
  slot_start: null,
  room: null,
  grace_ends_at: null,
  late: false,
  position: 2,
  queue_version: 0,
  clock: { time_zone: 'Africa/Casablanca', now: '2026-12-04T09:00:00Z', today: '2026-12-04', offsets: [] },
  late_note: null,
};

describe('a tracker pushed by the estimates store (local stack, PGlite)', () => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack('pglite');
  }, 300_000);
  afterAll(async () => {
    await app?.stop();
  });

  /** The topic the tracker learns from its read (get_tracker_view as anon, with the link's token). */
  const viewTopic = async (token: string): Promise<string> => {
    const { data, error } = await app.client().rpc('get_tracker_view', { p_tracking_token: token });
    expect(error).toBeNull();
    return (data as { push_topic: string }).push_topic;
  };

  it("each visit's topic carries its own place in line only; other topics, anon and staff get nothing", async () => {
    const c = await parityClinic(app, 'trk-push', 'TP');
    const walkIn = async (name: string) => {
      const r = await c.service.addWalkIn(c.clinicId, { patientName: name });
      if (!r.ok) throw new Error(r.error.code);
      return r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
    };
    const a = await walkIn('Amal Push');
    const b = await walkIn('Badr Push');
    const [ta, tb] = [await c.track(a), await c.track(b)];
    const topicA = await viewTopic(ta);
    const topicB = await viewTopic(tb);
    // sock26 (F8): the view names the visit's topic, the one the store pushes on — each visit its own
    const { rows: named } = await app.db.query<{ t: string }>(
      'select private.tracker_topic(tracking_token_hash) as t from public.queue_entries where id = $1',
      [a],
    );
    expect(named[0]?.t).toBe(topicA);
    expect(topicA).toMatch(/^tracker:[0-9a-f]{64}$/);
    expect(topicB).not.toBe(topicA);
    const la = await listen(app, topicA);
    const lb = await listen(app, topicB);
    // the stored hash itself as a topic (what a reader of queue_entries would hold), trk25's topic — sha256 of the
    // stored hash, which that reader could compute without the link (mreview25 F8) — and a made-up one
    const storedHash = createHash('sha256').update(ta).digest();
    const stored = await listen(app, `tracker:${storedHash.toString('hex')}`);
    const fromStored = await listen(app, `tracker:${createHash('sha256').update(storedHash).digest('hex')}`);
    const guess = await listen(app, `tracker:${'0'.repeat(64)}`);

    const store = async () => {
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
      const { data, error } = await c.client.rpc('store_queue_estimates', {
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
      return data as { stored: number; stale: boolean };
    };

    expect((await store()).stale).toBe(false);
    await expect.poll(() => la.heard.length, WAIT).toBe(1);
    await expect.poll(() => lb.heard.length, WAIT).toBe(1);
    expect(la.heard[0]).toMatchObject({
      status: 'waiting',
      position: 1,
      estimate: { display: { kind: 'unknown' } },
    });
    expect(lb.heard[0]).toMatchObject({ status: 'waiting', position: 2 });
    // nothing that names a person or another visit travels
    for (const p of [...la.heard, ...lb.heard])
      expect(Object.keys(p).sort()).toEqual(
        [
          'arrive_by',
          'desk_paused',
          'doctor_name',
          'estimate',
          'intake_closed',
          'late',
          'late_note',
          'position',
          'queue_version',
          'room',
          'status',
        ].sort(),
      );
    expect(JSON.stringify(la.heard)).not.toContain('Push');

    // a walk-in behind both: the next store pushes the newcomer's state only (A's and B's did not change)
    const cId = await walkIn('Chama Push');
    const lc = await listen(app, await viewTopic(await c.track(cId)));
    expect((await store()).stale).toBe(false);
    await expect.poll(() => lc.heard.length, WAIT).toBe(1);
    expect(lc.heard[0]).toMatchObject({ position: 3 });
    // a call of A moves B up: B is pushed, A (no longer waiting) is not
    const called = await c.service.callNext(c.clinicId, { practitionerId: c.practitionerId, room: 'Room 2' });
    if (!called.ok) throw new Error(called.error.code);
    expect((await store()).stale).toBe(false);
    await expect.poll(() => lb.heard.length, WAIT).toBe(2);
    expect(lb.heard[1]).toMatchObject({ position: 1 });
    await expect.poll(() => lc.heard.length, WAIT).toBe(2);
    expect(la.heard).toHaveLength(1);
    // fix25c F9: A (no longer waiting) left private.tracker_pushes; the waiting B and C keep their last state
    // (before: every visit ever pushed stayed there)
    const { rows: kept } = await app.db.query<{ entry_id: string }>(
      'select entry_id::text from private.tracker_pushes where entry_id = any ($1::uuid[])',
      [[a, b, cId]],
    );
    expect(kept.map((k) => k.entry_id).sort()).toEqual([b, cId].sort());

    // mreview25 F10: B changes its running-late amount (the flag stays true): the store pushes the new note, as the
    // view gives it (before: the state held the flag only — the same state, nothing pushed, the note stayed stale)
    const reportLate = async (minutes: number) => {
      const { error } = await app
        .client()
        .rpc('report_running_late', { p_tracking_token: tb, p_minutes: minutes });
      expect(error).toBeNull();
    };
    await reportLate(10);
    expect((await store()).stale).toBe(false);
    await expect.poll(() => lb.heard.length, WAIT).toBe(3);
    expect(lb.heard[2]).toMatchObject({ late: true, late_note: { minutes: 10 } });
    await reportLate(20);
    expect((await store()).stale).toBe(false);
    await expect.poll(() => lb.heard.length, WAIT).toBe(4);
    expect(lb.heard[3]).toMatchObject({ late: true, late_note: { minutes: 20 } });
    const view = await app.client().rpc('get_tracker_view', { p_tracking_token: tb });
    expect(view.error).toBeNull();
    expect(lb.heard[3]!.late_note).toEqual((view.data as { late_note: unknown }).late_note);

    expect(stored.heard).toEqual([]);
    expect(fromStored.heard).toEqual([]);
    expect(guess.heard).toEqual([]);

    // what was pushed and the push itself are the database's own: neither anon nor staff reach them
    const { rows: rights } = await app.db.query<{ r: boolean }>(
      `select bool_or(has_table_privilege(r, 'private.tracker_pushes', 'select')
                   or has_function_privilege(r, 'private.push_tracker_states(public.queues)', 'execute')
                   or has_function_privilege(r, 'private.tracker_topic(bytea)', 'execute')
                   or has_function_privilege(r, 'realtime.send(jsonb, text, text, boolean)', 'execute')) as r
         from unnest(array['anon', 'authenticated']) r`,
    );
    expect(rights[0]?.r).toBe(false);
    // sock26 (F8): the topic's key is read by no client role, nor the service role; the topic of a visit is named for
    // its own token only (another visit's token, a wrong one: nothing)
    const { rows: keyRights } = await app.db.query<{ r: boolean }>(
      `select bool_or(has_table_privilege(r, 'private.tracker_topic_key', 'select')
                   or has_function_privilege(r, 'private.tracker_topic(bytea)', 'execute')) as r
         from unnest(array['anon', 'authenticated', 'service_role']) r`,
    );
    expect(keyRights[0]?.r).toBe(false);
    const { rows: named2 } = await app.db.query<{
      own: string | null;
      other: string | null;
      none: string | null;
    }>(
      `select private.tracker_push_topic($1, $2) as own, private.tracker_push_topic($1, $3) as other,
              private.tracker_push_topic($1, 'parity-nope') as none`,
      [a, ta, tb],
    );
    expect(named2[0]).toEqual({ own: topicA, other: null, none: null });
    const keyRead = await app
      .client()
      .schema('private' as never)
      .from('tracker_topic_key')
      .select('*');
    expect(keyRead.error).not.toBeNull();
    expect(keyRead.data).toBeNull();
    const anon = app.client();
    // fix25b (F11): refused outright (an error, no rows), not merely empty: `data ?? []` passed on an error too
    const refused = await anon
      .schema('private' as never)
      .from('tracker_pushes')
      .select('*');
    expect(refused.error).not.toBeNull();
    expect(refused.data).toBeNull();
    for (const l of [la, lb, lc, stored, fromStored, guess]) l.close();
  });

  // fix26a (review26 M1): the push topic was a public channel, and on a public channel any client may send: a link
  // holder broadcast a forged push (any room text, place 1, version 999999999) and froze the patient's tracker.
  it('only the database sends on a tracker topic: anon, a patient and another clinic’s staff are refused, nothing relayed', async () => {
    const c = await parityClinic(app, 'trk-spoof', 'TS');
    const r = await c.service.addWalkIn(c.clinicId, { patientName: 'Dalia Spoof' });
    if (!r.ok) throw new Error(r.error.code);
    const id = r.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
    const token = await c.track(id);
    const topic = await viewTopic(token);
    const phone = await listen(app, topic);
    expect(phone.joined.status).toBe('ok');
    // and the tracker's own client (queueRowChannel, private join with the anon key) on the same topic
    const client: { version: number; shown: TrackedVisit | null }[] = [];
    let clientStatus = '';
    const stopClient = watchVisit(
      realtimeSocket(app.stack.url, app.stack.anonKey, (u) => new WebSocket(u) as unknown as SocketLike),
      topic,
      (version, merge) => client.push({ version, shown: merge(shownVisit) }),
      (st) => (clientStatus = st),
    );
    await expect.poll(() => clientStatus, WAIT).toBe('subscribed');
    const patient = await app.signUp('trk-spoof-pt', '+212661000326');
    const other = await app.newClinic('trk-spoof-other');
    const forged = {
      queue_version: 999_999_999,
      status: 'waiting',
      position: 1,
      estimate: { display: { kind: 'soon' } },
      desk_paused: false,
      intake_closed: false,
      arrive_by: null,
      late: false,
      room: 'Caisse: payez 200 DH',
      doctor_name: 'Dr Evil',
    };
    for (const token of [undefined, patient.token, other.token]) {
      // the topic still lets its holder in to READ (a SELECT policy admits 'tracker:' topics) …
      const attacker = await listen(app, topic, token ? { token } : {});
      expect(attacker.joined.status).toBe('ok');
      // … but no INSERT policy admits a send: a coded refusal, and the phone hears nothing
      const refused = await attacker.send(forged);
      expect(refused).toMatchObject({ status: 'error', response: { code: 'REALTIME.FORBIDDEN' } });
      attacker.close();
    }
    // the same name joined as a PUBLIC channel is another channel: its sends never reach the private one
    const publicSide = await listen(app, topic, { private: false });
    expect(publicSide.joined.status).toBe('ok');
    expect(await publicSide.send(forged)).toMatchObject({ status: 'ok' });
    // a private join of a topic no policy admits is refused (the policy is for 'tracker:' topics only)
    const board = await listen(app, 'public-queue:x:1');
    expect(board.joined).toMatchObject({ status: 'error', response: { code: 'REALTIME.FORBIDDEN' } });
    board.close();

    // the database's own push still arrives, on the private channel only
    const { rows } = await app.db.query<{ n: number }>(
      `select private.push_tracker_states(q) as n from public.queues q
        where q.id = (select queue_id from public.queue_entries where id = $1)`,
      [id],
    );
    expect(rows[0]?.n).toBe(1);
    await expect.poll(() => phone.heard.length, WAIT).toBe(1);
    expect(phone.heard[0]).toMatchObject({ status: 'waiting', position: 1 });
    expect(phone.heard[0]?.['room']).not.toBe(forged.room);
    await publicSide.send({}); // a round trip on that socket: anything sent to it before has arrived
    expect(publicSide.heard).toEqual([]);
    await expect.poll(() => client.length, WAIT).toBe(1);
    expect(client[0]?.shown).toMatchObject({ position: 1, room: phone.heard[0]?.['room'] });
    expect(client[0]?.version).not.toBe(forged.queue_version);
    stopClient();
    phone.close();
    publicSide.close();
  });
});
