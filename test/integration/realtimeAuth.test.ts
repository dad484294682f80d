// Whose JWT a Realtime subscription carries (session 9's finding, issue 12 session 10). A channel is checked
// under the role and claims it joined with; one that joined as anon would silently receive nothing of a table
// RLS keeps to staff (queue_entries). Real supabase-js against the local stack:
// - the app's own client (services/composition/browserApp: supabase-js's auth, signed in with a password)
//   receives its clinic's entry changes, and so does the same client after a page reload (session restored
//   from localStorage, subscribed at once) — before shared/repositories/realtimeAuth it joined as anon;
// - a client built with the `accessToken` option and subscribed at once (no setAuth) does too — before, anon;
// - a signed-out client and another clinic's owner, subscribed the same way, receive none of them (the other
//   clinic's owner not even the queue row: 20261211400001);
// - and no change event carries the visit's tracking hash (20261208300001: column grants decide what Realtime
//   sends, as on Supabase).
import { closeDom } from './domGlobals';
import type { SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackendClient } from '../../src/services/composition/browserApp';
import { subscribeAsCaller } from '../../src/services/shared/repositories/realtimeAuth';
import { RealtimeClient as LazyRealtimeClient } from '../../src/services/composition/lazyRealtime';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { saveWalkIn } from '../fixtures/stackWalkIns';
import { startAppStack, type AppStack } from './appStack';

const WAIT = { timeout: 20_000, interval: 50 };

/**
 * The browser build's client: vite.config.ts aliases realtime-js to composition/lazyRealtime.ts, so
 * `client.realtime` is the stand-in, which builds the real client on the first subscription. Here the stand-in
 * takes the place of the real client supabase-js built (same URL and options) and hands that one out when it
 * loads; supabase-js's own calls (the auth events' setAuth) and the app's go through the stand-in.
 */
function withLazyRealtime(client: SupabaseClient): SupabaseClient {
  const c = client as unknown as { realtime: unknown };
  const real = c.realtime;
  let loads = 0;
  c.realtime = new LazyRealtimeClient('unused', {}, () => {
    loads += 1;
    // a constructor that answers the client supabase-js built (what the stand-in would build from the same args)
    return Promise.resolve({
      RealtimeClient: function () {
        return real;
      } as never,
    });
  });
  (client as unknown as { lazyLoads: () => number }).lazyLoads = () => loads;
  return client;
}

interface Heard {
  entries: Record<string, unknown>[];
  versions: number[];
  status: string[];
}

/** One channel with the clinic's entries (staff only) and its queue row (public), like a desk's screen. */
function listen(client: SupabaseClient, clinicId: string, name: string): Heard {
  const heard: Heard = { entries: [], versions: [], status: [] };
  const channel = client
    .channel(`rt-auth-${name}`)
    .on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'queue_entries', filter: `clinic_id=eq.${clinicId}` },
      (p) => heard.entries.push(p.new as Record<string, unknown>),
    )
    .on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'queues', filter: `clinic_id=eq.${clinicId}` },
      (p) => heard.versions.push(Number((p.new as { version?: unknown }).version)),
    );
  subscribeAsCaller(client, channel, (s) => heard.status.push(s));
  return heard;
}

describe('a signed-in user’s Realtime subscription carries their JWT (local stack, PostgreSQL)', () => {
  let app: AppStack;
  const g = globalThis as { WebSocket?: unknown; localStorage?: unknown; window?: { localStorage: unknown } };
  const saved = { WebSocket: g.WebSocket, localStorage: g.localStorage };
  beforeAll(async () => {
    // a browser page for the app's own client (jsdom's window and localStorage; Node 20 has no WebSocket)
    g.WebSocket = WebSocket;
    g.localStorage = g.window?.localStorage;
    app = await startAppStack('postgres');
  });
  afterAll(async () => {
    await app?.stop();
    g.WebSocket = saved.WebSocket;
    g.localStorage = saved.localStorage;
    closeDom();
  });

  it('the app’s client and an accessToken client get their clinic’s entries; anon and another clinic get none; no event carries the tracking hash', async () => {
    const owner = await app.newClinic('rtauth');
    const other = await app.newClinic('rtauth-other');
    const desk = await app.signUp('rtauth-desk');
    await app.db.query(
      `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'receptionist', 'Desk')`,
      [owner.clinicId, desk.userId],
    );
    const [amina, youssef] = await app.addPatients(owner.clinicId, ['Amina', 'Youssef']);
    if (!amina || !youssef) throw new Error('setup');

    // The app's own client, signed in as the screens sign in (supabase-js auth, no accessToken option) …
    const backend = { supabaseUrl: app.stack.url, supabaseAnonKey: app.stack.anonKey };
    const appClient = createBackendClient(backend);
    const signedIn = await appClient.auth.signInWithPassword({
      email: desk.email,
      password: 'secret-pass-123',
    });
    if (signedIn.error) throw new Error(signedIn.error.message);
    const viaApp = listen(appClient, owner.clinicId, 'app');
    // … and the page reloaded: a new client restores the session from localStorage and subscribes at once
    const reloaded = createBackendClient(backend);
    const viaReload = listen(reloaded, owner.clinicId, 'reload');
    // … and the same reload in the browser build, where Realtime loads on the first subscription
    const lazy = withLazyRealtime(createBackendClient(backend));
    const viaLazy = listen(lazy, owner.clinicId, 'lazy');
    // accessToken option, subscribed in the same tick the client is made (no realtime.setAuth anywhere)
    const viaToken = listen(app.client(owner.token), owner.clinicId, 'token');
    const viaAnon = listen(app.client(), owner.clinicId, 'anon');
    const viaOther = listen(app.client(other.token), owner.clinicId, 'other');
    for (const h of [viaApp, viaReload, viaLazy, viaToken, viaAnon, viaOther])
      await expect.poll(() => h.status.includes('SUBSCRIBED'), WAIT).toBe(true);
    expect((lazy as unknown as { lazyLoads: () => number }).lazyLoads()).toBe(1);

    // the tracking hash exists for booked visits; give the walk-in one, so a leak would show a value
    const repo = new SupabaseQueueRepository(owner.client);
    await saveWalkIn(repo, owner.clinicId, owner.userId, amina);
    const entryId = await app.db.transaction(async (tx) => {
      // identity columns are guarded by a trigger (and the feed's trigger is off in this transaction)
      await tx.exec('set local session_replication_role = replica');
      const { rows } = await tx.query<{ id: string }>(
        `update public.queue_entries set tracking_token_hash = private.hash_token('rt-auth-token')
          where clinic_id = $1 and patient_id = $2 returning id`,
        [owner.clinicId, amina.id],
      );
      return rows[0]?.id;
    });
    expect(entryId).toBeDefined();
    // a change of that visit with its hash set (the feed's trigger sends the whole row it wrote)
    await app.db.query(`update public.queue_entries set order_tiebreak = order_tiebreak where id = $1`, [
      entryId,
    ]);

    const sawEntry = (h: Heard) => () => h.entries.filter((e) => e['id'] === entryId).length;
    await expect.poll(sawEntry(viaApp), WAIT).toBeGreaterThanOrEqual(2); // the insert and the touch
    await expect.poll(sawEntry(viaReload), WAIT).toBeGreaterThanOrEqual(2);
    await expect.poll(sawEntry(viaLazy), WAIT).toBeGreaterThanOrEqual(2);
    await expect.poll(sawEntry(viaToken), WAIT).toBeGreaterThanOrEqual(2);
    for (const h of [viaApp, viaReload, viaLazy, viaToken])
      for (const e of h.entries) {
        expect(e).not.toHaveProperty('tracking_token_hash');
        expect(e).toHaveProperty('status'); // the rest of the row is there
      }

    // Silence is proved against later events on the same channel: the queue's version after a second walk-in
    // reaches anon (public), and the signed-in desks hear the second walk-in's entry, so the first walk-in's
    // entry events were long due everywhere. Another clinic's owner hears not even the queue row
    // (20261211400001: signed in, a queue row is for its clinic's staff and its patients' visits).
    await saveWalkIn(repo, owner.clinicId, owner.userId, youssef);
    const version = (
      await app.db.query<{ version: number }>(`select version from public.queues where clinic_id = $1`, [
        owner.clinicId,
      ])
    ).rows[0]?.version;
    expect(version).toBeGreaterThanOrEqual(2);
    await expect.poll(() => viaAnon.versions.includes(version ?? -1), WAIT).toBe(true);
    for (const h of [viaApp, viaReload, viaLazy, viaToken]) {
      await expect.poll(() => h.entries.some((e) => e['patient_id'] === youssef.id), WAIT).toBe(true);
      expect(h.versions).toContain(version);
    }
    expect(viaAnon.entries).toEqual([]);
    expect(viaOther.entries).toEqual([]);
    expect(viaOther.versions).toEqual([]);

    for (const c of [lazy, reloaded, appClient]) {
      await c.removeAllChannels();
      c.auth.stopAutoRefresh();
    }
    await appClient.auth.signOut();
  });
});
