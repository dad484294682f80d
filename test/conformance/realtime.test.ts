// Realtime conformance through @supabase/realtime-js: postgres_changes delivery with filters, RLS
// re-checked per subscriber (a member of clinic B hears nothing of clinic A), access-token refresh,
// heartbeats — on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel, RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { signJwt } from '../../supabase/local/keys';
import { KINDS, call, startTestStack, type TestStack } from './harness';

type Row = { id: number; clinic_id: number; label: string; n: number };

const waitFor = async (cond: () => boolean, what: string, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

function subscribe(
  c: SupabaseClient,
  name: string,
  filter: string | undefined,
  sink: RealtimePostgresChangesPayload<Row>[],
): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    const ch = c
      .channel(name)
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'cf_tickets', ...(filter ? { filter } : {}) },
        (p: RealtimePostgresChangesPayload<Row>) => sink.push(p),
      )
      .subscribe((status, err) => {
        if (status === 'SUBSCRIBED') resolve(ch);
        else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(err ?? new Error(status));
      });
  });
}

type Sign = { id: number; clinic_id: number; label: string };

function subscribeSigns(
  c: SupabaseClient,
  name: string,
  sink: RealtimePostgresChangesPayload<Sign>[],
): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    const ch = c
      .channel(name)
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'cf_signs' },
        (p: RealtimePostgresChangesPayload<Sign>) => sink.push(p),
      )
      .subscribe((status, err) => {
        if (status === 'SUBSCRIBED') resolve(ch);
        else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(err ?? new Error(status));
      });
  });
}

describe.each(KINDS)('Realtime on %s', (kind) => {
  let t: TestStack;
  const users: Record<'a' | 'b', { id: string; token: string; client: SupabaseClient }> = {} as never;
  const svc = (fn: string, body: unknown) =>
    call(t.stack, `/rest/v1/rpc/${fn}`, {
      method: 'POST',
      apikey: t.stack.serviceKey,
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await startTestStack(kind);
    for (const [who, clinic] of [
      ['a', 1],
      ['b', 2],
    ] as const) {
      const client = t.client();
      const { data, error } = await client.auth.signUp({
        email: `rt-${who}-${kind}@example.test`,
        password: 'secret-pass',
      });
      expect(error).toBeNull();
      users[who] = { id: data.user?.id ?? '', token: data.session?.access_token ?? '', client };
      expect((await svc('cf_join', { p_user: data.user?.id, p_clinic: clinic })).status).toBe(204);
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('delivers INSERT and UPDATE to members of the clinic, and nothing to a member of another clinic', async () => {
    const heardA: RealtimePostgresChangesPayload<Row>[] = [];
    const heardB: RealtimePostgresChangesPayload<Row>[] = [];
    await subscribe(users.a.client, 'a-all', undefined, heardA);
    await subscribe(users.b.client, 'b-all', undefined, heardB);
    const ins = await svc('cf_ticket_add', { p_clinic: 1, p_label: 'A-1' });
    const row = ins.json as Row;
    await waitFor(() => heardA.length >= 1, 'insert event');
    const first = heardA[0] as RealtimePostgresChangesPayload<Row>;
    expect(first.eventType).toBe('INSERT');
    expect(first.schema).toBe('public');
    expect(first.table).toBe('cf_tickets');
    // exactly the columns the subscriber may select: `secret` is not granted
    expect(first.new).toEqual({ id: row.id, clinic_id: 1, label: 'A-1', n: 0 });
    expect(typeof first.commit_timestamp).toBe('string');
    expect(first.errors).toBeNull();
    await svc('cf_ticket_bump', { p_id: row.id });
    await waitFor(() => heardA.length >= 2, 'update event');
    const second = heardA[1] as RealtimePostgresChangesPayload<Row>;
    expect(second.eventType).toBe('UPDATE');
    expect(second.new).toMatchObject({ id: row.id, n: 1 });
    expect(second.old).toEqual({ id: row.id });
    // Clinic B's own change arrives to B; by then A's events (sent earlier, same ordered feed) would have too.
    await svc('cf_ticket_add', { p_clinic: 2, p_label: 'B-1' });
    await waitFor(() => heardB.length >= 1, 'clinic B event');
    expect(heardB.map((p) => (p.new as Row).label)).toEqual(['B-1']);
    expect(heardA.map((p) => (p as { new: Row }).new.label)).toEqual(['A-1', 'A-1']);
    await users.a.client.removeAllChannels();
    await users.b.client.removeAllChannels();
  });

  it('carries each change itself: every version a transaction wrote arrives, in order, as written (no re-read per subscriber)', async () => {
    const heardA: RealtimePostgresChangesPayload<Row>[] = [];
    const heardA2: RealtimePostgresChangesPayload<Row>[] = [];
    await subscribe(users.a.client, 'a-versions', undefined, heardA);
    const second = t.client();
    await second.realtime.setAuth(users.a.token);
    await subscribe(second, 'a-versions-2', undefined, heardA2);
    const row = (await svc('cf_ticket_add', { p_clinic: 1, p_label: 'A-versions' })).json as Row;
    // five UPDATEs of the same row in one transaction: a re-read at delivery would see n = 5 five times
    expect((await svc('cf_ticket_bump_times', { p_id: row.id, p_times: 5 })).status).toBe(200);
    const updates = (heard: RealtimePostgresChangesPayload<Row>[]) =>
      heard
        .filter((p) => p.eventType === 'UPDATE' && (p.new as Row).id === row.id)
        .map((p) => (p.new as Row).n);
    await waitFor(() => updates(heardA).length >= 5 && updates(heardA2).length >= 5, 'five versions');
    expect(updates(heardA)).toEqual([1, 2, 3, 4, 5]);
    expect(updates(heardA2)).toEqual([1, 2, 3, 4, 5]);
    await users.a.client.removeAllChannels();
    await second.removeAllChannels();
  });

  it('applies postgres_changes filters (eq, in, gt) and per-event bindings', async () => {
    const eq: RealtimePostgresChangesPayload<Row>[] = [];
    const inF: RealtimePostgresChangesPayload<Row>[] = [];
    const gt: RealtimePostgresChangesPayload<Row>[] = [];
    const svcClient = t.client({ key: t.stack.serviceKey });
    await subscribe(svcClient, 'f-eq', 'label=eq.F-2', eq);
    await subscribe(svcClient, 'f-in', 'clinic_id=in.(5,6)', inF);
    await subscribe(svcClient, 'f-gt', 'clinic_id=gt.5', gt);
    const inserts: RealtimePostgresChangesPayload<Row>[] = [];
    await new Promise<void>((resolve, reject) => {
      svcClient
        .channel('only-inserts')
        .on(
          'postgres_changes',
          { event: 'INSERT', schema: 'public', table: 'cf_tickets', filter: 'clinic_id=eq.6' },
          (p: RealtimePostgresChangesPayload<Row>) => inserts.push(p),
        )
        .subscribe((s, err) =>
          s === 'SUBSCRIBED' ? resolve() : s === 'CHANNEL_ERROR' ? reject(err) : undefined,
        );
    });
    await svc('cf_ticket_add', { p_clinic: 4, p_label: 'F-1' });
    const r2 = (await svc('cf_ticket_add', { p_clinic: 5, p_label: 'F-2' })).json as Row;
    const r3 = (await svc('cf_ticket_add', { p_clinic: 6, p_label: 'F-3' })).json as Row;
    await svc('cf_ticket_bump', { p_id: r3.id });
    await waitFor(
      () => gt.length >= 2 && inF.length >= 3 && eq.length >= 1 && inserts.length >= 1,
      'filtered events',
    );
    // a final marker proves nothing else was on its way
    await svc('cf_ticket_add', { p_clinic: 6, p_label: 'F-end' });
    await waitFor(() => inserts.length >= 2, 'marker');
    expect(eq.map((p) => (p.new as Row).id)).toEqual([r2.id]);
    expect(inF.map((p) => `${p.eventType}:${(p.new as Row).label}`)).toEqual([
      'INSERT:F-2',
      'INSERT:F-3',
      'UPDATE:F-3',
      'INSERT:F-end',
    ]);
    expect(gt.map((p) => `${p.eventType}:${(p.new as Row).label}`)).toEqual([
      'INSERT:F-3',
      'UPDATE:F-3',
      'INSERT:F-end',
    ]);
    expect(inserts.map((p) => (p.new as Row).label)).toEqual(['F-3', 'F-end']);
    await svcClient.removeAllChannels();
  });

  // Supabase Realtime passes DELETEs through filters (realtime apply_rls, 2022-09 "pass through delete
  // events on filter") with the primary key only: comparing a filter with the deleted row's other columns
  // would tell any subscriber those values (issue 10 item 4).
  it('DELETE events carry only the primary key (as on Supabase) and are never compared with a filter', async () => {
    const svcClient = t.client({ key: t.stack.serviceKey });
    const eight: RealtimePostgresChangesPayload<Row>[] = [];
    const nine: RealtimePostgresChangesPayload<Row>[] = [];
    await subscribe(svcClient, 'd-8', 'clinic_id=eq.8', eight);
    await subscribe(svcClient, 'd-9', 'clinic_id=eq.9', nine);
    const row = (await svc('cf_ticket_add', { p_clinic: 8, p_label: 'D-1' })).json as Row;
    // The INSERT is delivered before the row is deleted: cf_tickets has row level security, so (as on Supabase)
    // an INSERT is only sent if its row can still be selected when realtime handles it (next case).
    await waitFor(() => eight.length >= 1, 'insert before delete');
    await svc('cf_ticket_delete', { p_id: row.id });
    await svc('cf_ticket_add', { p_clinic: 9, p_label: 'D-end' });
    await waitFor(() => eight.length >= 2 && nine.length >= 2, 'delete + marker').catch((e: unknown) => {
      throw new Error(`${String(e)}: ${JSON.stringify({ eight, nine })}`);
    });
    expect(eight.map((p) => p.eventType)).toEqual(['INSERT', 'DELETE']);
    expect(eight[1]?.old).toEqual({ id: row.id });
    expect(nine.map((p) => p.eventType)).toEqual(['DELETE', 'INSERT']);
    expect(nine[0]?.old).toEqual({ id: row.id });
    await svcClient.removeAllChannels();
  });

  // Supabase Realtime (realtime.apply_rls, walrus): on a table without row level security an INSERT/UPDATE is
  // sent as the WAL captured it, to every role that may select the primary key — no re-read, so a row already
  // deleted still arrives; with row level security the row is re-selected by primary key under the subscriber's
  // role when the change is handled, so a row gone by then is not sent (hosted drops it too). A DELETE is sent
  // with the primary key only. Written in ONE transaction, so the row is gone before any delivery, on any load.
  it('judges a change as Supabase does: without RLS every captured version arrives even when its row is gone; with RLS a row gone before delivery is not sent', async () => {
    const signsA: RealtimePostgresChangesPayload<Sign>[] = [];
    const signsB: RealtimePostgresChangesPayload<Sign>[] = [];
    const ticketsA: RealtimePostgresChangesPayload<Row>[] = [];
    const ticketsB: RealtimePostgresChangesPayload<Row>[] = [];
    await subscribeSigns(users.a.client, 'signs-a', signsA);
    await subscribeSigns(users.b.client, 'signs-b', signsB);
    await subscribe(users.a.client, 'flash-a', undefined, ticketsA);
    await subscribe(users.b.client, 'flash-b', undefined, ticketsB);
    const signId = (await svc('cf_sign_flash', { p_clinic: 1, p_label: 'S-1' })).json as number;
    const ticketId = (await svc('cf_ticket_flash', { p_clinic: 1, p_label: 'T-flash' })).json as number;
    // markers, one per subscriber's clinic: the feed is in commit order, so once a marker is heard, every
    // earlier event for that subscriber has been heard
    await svc('cf_ticket_add', { p_clinic: 1, p_label: 'A-marker' });
    await svc('cf_ticket_add', { p_clinic: 2, p_label: 'B-marker' });
    const heard = (p: RealtimePostgresChangesPayload<Row>) =>
      p.eventType === 'INSERT' ? (p.new as Row).label : null;
    await waitFor(
      () => ticketsA.some((p) => heard(p) === 'A-marker') && ticketsB.some((p) => heard(p) === 'B-marker'),
      'markers',
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}: ${JSON.stringify({ signsA, signsB, ticketsA, ticketsB })}`);
    });
    // no RLS: both clinics' members hear all three versions, with only the granted columns (never `pin`)
    for (const signs of [signsA, signsB]) {
      expect(signs.map((p) => p.eventType)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
      expect(signs[0]?.new).toEqual({ id: signId, clinic_id: 1, label: 'S-1' });
      expect(signs[1]?.new).toEqual({ id: signId, clinic_id: 1, label: 'S-1 (2)' });
      expect(signs[2]?.old).toEqual({ id: signId });
    }
    // RLS: the flashed ticket could not be re-selected, so its INSERT reaches nobody — not clinic 1's member
    // (as on Supabase) and never clinic 2's; the DELETE (primary key only) reaches both, as on Supabase
    expect(ticketsA.map((p) => `${p.eventType}:${heard(p) ?? (p.old as { id: number }).id}`)).toEqual([
      `DELETE:${ticketId}`,
      'INSERT:A-marker',
    ]);
    expect(ticketsB.map((p) => `${p.eventType}:${heard(p) ?? (p.old as { id: number }).id}`)).toEqual([
      `DELETE:${ticketId}`,
      'INSERT:B-marker',
    ]);
    for (const p of [...ticketsA, ...ticketsB])
      if (p.eventType === 'INSERT') expect(p.new).not.toHaveProperty('secret');
    await users.a.client.removeAllChannels();
    await users.b.client.removeAllChannels();
  });

  it('an anon subscriber sees nothing under RLS; a refreshed access token takes effect on the open channel', async () => {
    const anonHeard: RealtimePostgresChangesPayload<Row>[] = [];
    const anon = t.client();
    await subscribe(anon, 'anon-all', undefined, anonHeard);
    // user A's channel, opened with a token, then switched to user B's token: only B's clinic afterwards
    const switching = t.client();
    await switching.auth.signInWithPassword({ email: `rt-a-${kind}@example.test`, password: 'secret-pass' });
    const heard: RealtimePostgresChangesPayload<Row>[] = [];
    const ch = await subscribe(switching, 'switch', undefined, heard);
    expect(ch.state).toBe('joined');
    await svc('cf_ticket_add', { p_clinic: 1, p_label: 'S-A1' });
    await waitFor(() => heard.length >= 1, 'A event');
    await switching.realtime.setAuth(users.b.token);
    // The socket's messages are handled in order: once a later join is answered, the token is in effect.
    await subscribe(switching, 'after-switch', 'id=eq.0', []);
    await svc('cf_ticket_add', { p_clinic: 1, p_label: 'S-A2' });
    await svc('cf_ticket_add', { p_clinic: 2, p_label: 'S-B1' });
    await waitFor(() => heard.length >= 2, 'B event');
    expect(heard.map((p) => (p.new as Row).label)).toEqual(['S-A1', 'S-B1']);
    expect(anonHeard).toEqual([]);
    await anon.removeAllChannels();
    await switching.removeAllChannels();
  });

  it('speaks the raw protocol: vsn 2.0.0 arrays, heartbeat reply, join error for an expired token, 401 for a bad apikey', async () => {
    const ws = new WebSocket(
      `${t.stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${t.stack.anonKey}&vsn=2.0.0`,
    );
    const msgs: unknown[][] = [];
    ws.on('message', (d) => msgs.push(JSON.parse(d.toString()) as unknown[]));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify([null, '1', 'phoenix', 'heartbeat', {}]));
    const expired = await signJwt(t.stack.jwtSecret, { role: 'authenticated', sub: users.a.id }, -5);
    ws.send(
      JSON.stringify([
        '2',
        '2',
        'realtime:x',
        'phx_join',
        { config: { postgres_changes: [] }, access_token: expired },
      ]),
    );
    await waitFor(() => msgs.length >= 2, 'replies');
    expect(msgs[0]).toEqual([null, '1', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    expect(msgs[1]?.slice(0, 4)).toEqual(['2', '2', 'realtime:x', 'phx_reply']);
    expect((msgs[1]?.[4] as { status: string }).status).toBe('error');
    // a joined channel that receives an expired access_token is closed with a system error
    ws.send(
      JSON.stringify([
        '3',
        '3',
        'realtime:y',
        'phx_join',
        { config: { postgres_changes: [] }, access_token: users.a.token },
      ]),
    );
    await waitFor(() => msgs.length >= 3, 'join reply');
    expect(msgs[2]?.slice(1, 4)).toEqual(['3', 'realtime:y', 'phx_reply']);
    expect((msgs[2]?.[4] as { status: string }).status).toBe('ok');
    ws.send(JSON.stringify(['3', '4', 'realtime:y', 'access_token', { access_token: expired }]));
    await waitFor(() => msgs.some((m) => m[3] === 'phx_close'), 'channel close');
    const system = msgs.find((m) => m[2] === 'realtime:y' && m[3] === 'system');
    expect(system?.[4]).toMatchObject({ status: 'error', message: 'Token has expired' });
    ws.close();
    const bad = new WebSocket(
      `${t.stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=nope&vsn=2.0.0`,
    );
    const status = await new Promise<number>((resolve) => {
      bad.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      bad.on('error', () => resolve(-1));
    });
    expect(status).toBe(401);
  });

  // rt27 (mreview26 F4): the channel lifecycle as Phoenix (hosted Realtime) speaks it on vsn 1.0.0 — a leave is answered
  // and then the channel closed with a phx_close whose ref is its join's ref (no join_ref field in v1 JSON); a join of
  // a topic already joined closes the old channel first; a leave of an older join is ignored. A client that matched a
  // close by topic alone lost its new channel after a leave and a join of the same topic (queueRowChannel.test.ts).
  it('leave, re-join and duplicate join close the old channel with its own ref, as Phoenix does', async () => {
    const ws = new WebSocket(
      `${t.stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${t.stack.anonKey}&vsn=1.0.0`,
    );
    const msgs: Record<string, unknown>[] = [];
    ws.on('message', (d) => msgs.push(JSON.parse(d.toString()) as Record<string, unknown>));
    await new Promise((r) => ws.once('open', r));
    const topic = 'realtime:rt27-lifecycle';
    const send = (event: string, ref: string, joinRef: string | null) =>
      ws.send(JSON.stringify({ topic, event, ref, join_ref: joinRef, payload: { config: {} } }));
    const after = async (n: number) => {
      await waitFor(() => msgs.length >= n, `${n} messages`);
      return msgs.slice(n - 1);
    };
    send('phx_join', '1', '1');
    expect((await after(1))[0]).toEqual({
      ref: '1',
      topic,
      event: 'phx_reply',
      payload: { status: 'ok', response: { postgres_changes: [] } },
    });
    send('phx_leave', '2', '1');
    await after(3);
    expect(msgs.slice(1, 3)).toEqual([
      { ref: '2', topic, event: 'phx_reply', payload: { status: 'ok', response: {} } },
      { ref: '1', topic, event: 'phx_close', payload: {} }, // the left join's ref; v1 JSON has no join_ref
    ]);
    send('phx_join', '3', '3');
    expect((await after(4))[0]).toMatchObject({ ref: '3', event: 'phx_reply', payload: { status: 'ok' } });
    // a leave of the older join (raced a close the server already sent): ignored, the new channel stays
    send('phx_leave', '4', '1');
    ws.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', ref: '5', payload: {} }));
    expect((await after(5))[0]).toMatchObject({ ref: '5', topic: 'phoenix', event: 'phx_reply' });
    // joining the topic again on the same connection: the old channel's close (ref 3) first, then the join's reply
    send('phx_join', '6', '6');
    await after(7);
    expect(msgs.slice(5, 7)).toEqual([
      { ref: '3', topic, event: 'phx_close', payload: {} },
      { ref: '6', topic, event: 'phx_reply', payload: { status: 'ok', response: { postgres_changes: [] } } },
    ]);
    // a leave of a topic not joined: answered, nothing to close
    ws.send(
      JSON.stringify({ topic: 'realtime:never', event: 'phx_leave', ref: '7', join_ref: '7', payload: {} }),
    );
    send('phx_leave', '8', '6');
    await after(10);
    expect(msgs.slice(7).map((m) => [m.ref, m.topic, m.event])).toEqual([
      ['7', 'realtime:never', 'phx_reply'],
      ['8', topic, 'phx_reply'],
      ['6', topic, 'phx_close'],
    ]);
    ws.close();
  });

  // fix26a (review26 M1): Realtime Authorization as Supabase does it — a private channel is joined when the role's
  // SELECT policies on realtime.messages admit a message of its topic (realtime.topic()), a client broadcast on it
  // is relayed when its INSERT policies admit one; a private and a public channel of one name are different
  // channels. Through realtime-js (config.private, broadcast.ack).
  it('private channels: joined by the SELECT policy, sent on by the INSERT policy, apart from the public channel', async () => {
    await t.db.exec(`
      drop policy if exists cf_read on realtime.messages;
      drop policy if exists cf_write_read on realtime.messages;
      drop policy if exists cf_write on realtime.messages;
      create policy cf_read on realtime.messages for select to anon
        using ((select realtime.topic()) = 'cf-read' and extension = 'broadcast');
      create policy cf_write_read on realtime.messages for select to authenticated
        using ((select realtime.topic()) = 'cf-write');
      create policy cf_write on realtime.messages for insert to authenticated
        with check ((select realtime.topic()) = 'cf-write' and extension = 'broadcast'
                    and (select auth.uid()) = '${users.a.id}'::uuid);`);
    // realtime-js sends a client broadcast as a binary frame (vsn 2.0.0), which the local server does not read: the
    // sends are the raw JSON protocol (vsn 1.0.0), as the tracker's own client speaks it
    const open = async (topic: string, priv: boolean, token: string) => {
      const ws = new WebSocket(
        `${t.stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${t.stack.anonKey}&vsn=1.0.0`,
      );
      const heard: unknown[] = [];
      const replies = new Map<string, (p: { status: string; response: Record<string, unknown> }) => void>();
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { event: string; ref: string | null; payload: never };
        if (m.event === 'phx_reply' && m.ref) replies.get(m.ref)?.(m.payload);
        if (m.event === 'broadcast') heard.push((m.payload as { payload: unknown }).payload);
      });
      await new Promise((r) => ws.once('open', r));
      let ref = 0;
      const push = (event: string, payload: Record<string, unknown>) =>
        new Promise<{ status: string; response: Record<string, unknown> }>((resolve) => {
          const r = String(++ref);
          replies.set(r, resolve);
          ws.send(JSON.stringify({ topic: `realtime:${topic}`, event, ref: r, join_ref: '1', payload }));
        });
      const joined = await push('phx_join', {
        config: { private: priv, broadcast: { self: false }, postgres_changes: [] },
        access_token: token,
      });
      const send = (payload: Record<string, unknown>) =>
        push('broadcast', { type: 'broadcast', event: 'x', payload });
      return { joined, heard, send, close: () => ws.close() };
    };
    const anonKey = t.stack.anonKey;
    // a topic no policy admits: refused; one the anon SELECT policy admits: joined, but no send
    expect((await open('cf-none', true, anonKey)).joined).toMatchObject({
      status: 'error',
      response: { code: 'REALTIME.FORBIDDEN' },
    });
    const readOnly = await open('cf-read', true, anonKey);
    expect(readOnly.joined.status).toBe('ok');
    expect(await readOnly.send({ forged: true })).toMatchObject({
      status: 'error',
      response: { code: 'REALTIME.FORBIDDEN' },
    });
    // b (authenticated, not admitted by the INSERT policy) may read cf-write but not send; a may send
    const b = await open('cf-write', true, users.b.token);
    const a = await open('cf-write', true, users.a.token);
    const pub = await open('cf-write', false, anonKey);
    expect([b.joined.status, a.joined.status, pub.joined.status]).toEqual(['ok', 'ok', 'ok']);
    expect((await b.send({ from: 'b' })).status).toBe('error');
    expect((await a.send({ from: 'a' })).status).toBe('ok');
    await waitFor(() => b.heard.length === 1, 'a’s broadcast at b');
    expect(b.heard).toEqual([{ from: 'a' }]);
    // the public channel of that name heard nothing; its own sends never reach the private one
    expect((await pub.send({ from: 'public' })).status).toBe('ok');
    expect((await a.send({ from: 'a2' })).status).toBe('ok');
    await waitFor(() => b.heard.length === 2, 'a’s second broadcast at b');
    expect(b.heard).toEqual([{ from: 'a' }, { from: 'a2' }]);
    expect(pub.heard).toEqual([]);
    // still joined with realtime-js (config.private): a private channel's join as the library sends it
    const viaJs = await new Promise<string>((resolve) => {
      t.client()
        .channel('cf-read', { config: { private: true } })
        .subscribe((status) => {
          if (status !== 'CLOSED') resolve(status);
        });
    });
    expect(viaJs).toBe('SUBSCRIBED');
    // nothing of the checks was stored
    const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from realtime.messages');
    expect(rows[0]?.n).toBe(0);
    for (const c of [readOnly, a, b, pub]) c.close();
  });
});
