// Issue 10 item 4: a realtime DELETE must not be a value oracle. Supabase sends a DELETE with the primary
// key only (no REPLICA IDENTITY FULL) and passes it through subscribers' filters, so a subscriber that
// guesses `cancel_reason=eq.<value>` on another clinic's queue_entries learns nothing from whether it hears the
// delete. Checked with a raw Phoenix websocket and with the real supabase-js, for an anonymous subscriber
// and for a signed-in user of another clinic, on PGlite and PostgreSQL. A marker (an UPDATE of the other
// clinic's `queues` row, committed after the DELETE and delivered after it in commit order) proves every event
// that was going to be sent has been. The marker is clinic B's queue because a signed-in user of another
// clinic no longer hears clinic A's queue row at all (issue 12, queue_pause_visibility); anonymous subscribers
// hear B's public version row like A's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { startAppStack, type AppStack } from '../integration/appStack';
import { saveWalkIn } from '../fixtures/stackWalkIns';

const KINDS = ['pglite', 'postgres'] as const;
const SECRET = 'allergic-to-penicillin-7731';

const waitFor = async (cond: () => boolean, what: string, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

interface Heard {
  deletes: Record<string, unknown>[];
  markers: number;
  raw: string[];
}
const heard = (): Heard => ({ deletes: [], markers: 0, raw: [] });

/** A raw Phoenix (vsn 1.0.0) subscriber: DELETE on queue_entries with `filter`, UPDATE on the queue row. */
async function rawSubscriber(
  url: string,
  apikey: string,
  token: string | null,
  filter: string,
  queueId: string,
  sink: Heard,
): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${apikey}&vsn=1.0.0`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const joined = new Promise<void>((resolve, reject) => {
    ws.on('message', (data: WebSocket.RawData) => {
      const text = data.toString();
      const m = JSON.parse(text) as { event: string; ref: string | null; payload: Record<string, unknown> };
      if (m.event === 'phx_reply' && m.ref === '1') {
        if ((m.payload as { status?: string }).status === 'ok') resolve();
        else reject(new Error(text));
        return;
      }
      if (m.event !== 'postgres_changes') return;
      sink.raw.push(text);
      const d = (m.payload as { data: { type: string; table: string; old_record?: Record<string, unknown> } })
        .data;
      if (d.table === 'queue_entries' && d.type === 'DELETE') sink.deletes.push(d.old_record ?? {});
      if (d.table === 'queues') sink.markers++;
    });
  });
  ws.send(
    JSON.stringify({
      topic: `realtime:oracle-${Math.random().toString(36).slice(2)}`,
      event: 'phx_join',
      ref: '1',
      join_ref: '1',
      payload: {
        ...(token ? { access_token: token } : {}),
        config: {
          postgres_changes: [
            { event: 'DELETE', schema: 'public', table: 'queue_entries', filter },
            { event: 'UPDATE', schema: 'public', table: 'queues', filter: `id=eq.${queueId}` },
          ],
        },
      },
    }),
  );
  await joined;
  return ws;
}

/** The same subscription through supabase-js. */
function jsSubscriber(
  client: SupabaseClient,
  filter: string,
  queueId: string,
  sink: Heard,
): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    const ch = client
      .channel(`oracle-${Math.random().toString(36).slice(2)}`)
      .on('postgres_changes', { event: 'DELETE', schema: 'public', table: 'queue_entries', filter }, (p) => {
        sink.raw.push(JSON.stringify(p));
        sink.deletes.push(p.old as Record<string, unknown>);
      })
      .on(
        'postgres_changes',
        { event: 'UPDATE', schema: 'public', table: 'queues', filter: `id=eq.${queueId}` },
        () => {
          sink.markers++;
        },
      )
      .subscribe((status, err) => {
        if (status === 'SUBSCRIBED') resolve(ch);
        else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(err ?? new Error(status));
      });
  });
}

describe.each(KINDS)('realtime DELETE is not a value oracle (%s)', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('anonymous and other-clinic subscribers hear the same thing whatever they guess, and only the primary key', async () => {
    const a = await app.newClinic('oracle-a');
    const b = await app.newClinic('oracle-b');
    const repo = new SupabaseQueueRepository(a.client);
    const [patient] = await app.addPatients(a.clinicId, ['Secret Patient']);
    if (!patient) throw new Error('no patients');
    await saveWalkIn(repo, a.clinicId, a.userId, patient);
    const { rows } = await app.db.query<{ id: string; queue_id: string }>(
      'update public.queue_entries set cancel_reason = $2 where clinic_id = $1 returning id, queue_id',
      [a.clinicId, SECRET],
    );
    const entry = rows[0];
    if (!entry) throw new Error('no entry');
    // clinic B's queue day, whose version row every subscriber may hear: the marker's queue
    const repoB = new SupabaseQueueRepository(b.client);
    const [firstB, markerB] = await app.addPatients(b.clinicId, ['B First', 'B Marker']);
    if (!firstB || !markerB) throw new Error('no patients in B');
    await saveWalkIn(repoB, b.clinicId, b.userId, firstB);
    const queueB = (
      await app.db.query<{ queue_id: string }>(
        'select queue_id from public.queue_entries where clinic_id = $1',
        [b.clinicId],
      )
    ).rows[0]?.queue_id;
    if (!queueB) throw new Error('no queue in B');

    const right = `cancel_reason=eq.${SECRET}`;
    const wrong = 'cancel_reason=eq.not-the-secret';
    const subs: Record<string, Heard> = {
      rawAnonRight: heard(),
      rawAnonWrong: heard(),
      rawOtherRight: heard(),
      rawOtherWrong: heard(),
      jsAnonRight: heard(),
      jsAnonWrong: heard(),
      jsOtherRight: heard(),
      jsOtherWrong: heard(),
    };
    const s = (k: string): Heard => subs[k] as Heard;
    const { url, anonKey } = app.stack;
    const sockets = [
      await rawSubscriber(url, anonKey, null, right, queueB, s('rawAnonRight')),
      await rawSubscriber(url, anonKey, null, wrong, queueB, s('rawAnonWrong')),
      await rawSubscriber(url, anonKey, b.token, right, queueB, s('rawOtherRight')),
      await rawSubscriber(url, anonKey, b.token, wrong, queueB, s('rawOtherWrong')),
    ];
    const anonClient = app.client();
    await jsSubscriber(anonClient, right, queueB, s('jsAnonRight'));
    await jsSubscriber(anonClient, wrong, queueB, s('jsAnonWrong'));
    await jsSubscriber(b.client, right, queueB, s('jsOtherRight'));
    await jsSubscriber(b.client, wrong, queueB, s('jsOtherWrong'));

    await app.db.query('delete from public.queue_entries where id = $1', [entry.id]);
    // The marker: a save bumps clinic B's queue version (an UPDATE of its queues row), after the delete.
    await saveWalkIn(repoB, b.clinicId, b.userId, markerB);
    await waitFor(() => Object.values(subs).every((h) => h.markers >= 1), 'the marker on every subscriber');
    for (const ws of sockets) ws.close();

    for (const [name, h] of Object.entries(subs)) {
      // Nothing of the deleted row but its key ever reaches a subscriber.
      for (const text of h.raw) expect(text, name).not.toContain(SECRET);
      for (const old of h.deletes) expect(old, name).toEqual({ id: entry.id });
    }
    // Whether a DELETE is heard never depends on the guessed value.
    for (const via of ['raw', 'js'])
      for (const who of ['Anon', 'Other'])
        expect(s(`${via}${who}Right`).deletes.length, `${via}${who}`).toBe(
          s(`${via}${who}Wrong`).deletes.length,
        );
    // Anonymous may not select queue_entries at all: no events. Another clinic's user hears the key only.
    expect(s('rawAnonRight').deletes).toEqual([]);
    expect(s('jsAnonRight').deletes).toEqual([]);
    expect(s('rawOtherRight').deletes).toEqual([{ id: entry.id }]);
    expect(s('jsOtherWrong').deletes).toEqual([{ id: entry.id }]);
  });
});
