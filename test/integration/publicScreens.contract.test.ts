// The light screens' port (FetchPublicScreensRepository: plain fetch + realtime-js, zod/mini) against the
// local stack with the real migrations, on PGlite and PostgreSQL: every read parses, errors are coded,
// the queue version it reads is the one realtime announces, and a change reaches the feed.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchPublicScreensRepository } from '../../src/services/queue/repositories/FetchPublicScreensRepository';
import { SupabaseBookingRepository } from '../../src/services/appointment/repositories/SupabaseBookingRepository';
import type { QueueChange } from '../../src/services/queue/repositories/QueueChangeFeed';
import type { BoardChange } from '../../src/services/queue/repositories/PublicScreensRepository';
import { ErrorCodes } from '../../src/services/shared/AppError';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['pglite', 'postgres'];

describe.each(KINDS)('the tracker and board port on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('reads the visit, the board and the queue version, and hears the next change on the feed', async () => {
    const c = await parityClinic(app, `screens-${kind}`, 'QS');
    const first = await c.service.addWalkIn(c.clinicId, { patientName: 'First Patient' });
    const second = await c.service.addWalkIn(c.clinicId, { patientName: 'Second Patient' });
    if (!first.ok || !second.ok) throw new Error('walk-in failed');
    const secondId = second.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '';
    const port = createFetchPublicScreensRepository({
      supabaseUrl: app.stack.url,
      supabaseAnonKey: app.stack.anonKey,
      socket: (u) => new WebSocket(u) as never,
    });

    const visit = await port.visit(await c.track(secondId));
    if (!visit.ok) throw new Error(visit.error.code);
    expect(visit.value).toMatchObject({ ticket: 'QS-002', status: 'waiting', position: 2 });
    expect(visit.value.clinic.id).toBe(c.clinicId);
    // the clinic clock of the visit's day comes in the same answer (clinic times never by browser rules)
    expect(visit.value.clock).toMatchObject({
      time_zone: visit.value.clinic.time_zone,
      today: visit.value.day,
    });
    expect(visit.value.clock.offsets.length).toBeGreaterThan(0);

    const unknown = await port.visit('no-such-link-0000000000');
    expect(unknown.ok ? null : unknown.error.code).toBe(ErrorCodes.NOT_FOUND);

    const clinic = await port.boardClinic(c.clinicId);
    if (!clinic.ok) throw new Error(clinic.error.code);
    expect(clinic.value.id).toBe(c.clinicId);
    const board = await port.board(c.clinicId);
    if (!board.ok) throw new Error(board.error.code);
    expect(board.value.next.map((n) => n.ticket)).toEqual(['QS-001', 'QS-002']);
    expect(board.value.clock).toMatchObject({
      time_zone: board.value.clinic.time_zone,
      today: board.value.day,
    });
    const version = await port.queueVersion(c.clinicId, board.value.day);
    expect(version).toEqual({ ok: true, value: board.value.version });
    expect(visit.value.queue_version).toBe(board.value.version);
    const none = await port.queueVersion(c.clinicId, '2000-01-01');
    expect(none).toEqual({ ok: true, value: 0 });

    // live: subscribe, then a call — the feed announces the new version, which the reads then show
    const changes: QueueChange[] = [];
    const boards: BoardChange[] = [];
    let joined!: () => void;
    let boardJoined!: () => void;
    const subscribed = new Promise<void>((r) => (joined = r));
    const boardSubscribed = new Promise<void>((r) => (boardJoined = r));
    const off = port.feed.subscribe(c.clinicId, {
      onChange: (ch) => changes.push(ch),
      onStatus: (s) => s === 'subscribed' && joined(),
    });
    // the board's own feed: the event carries the board the change left (public.waiting_boards)
    const offBoard = port.boardFeed.subscribe(c.clinicId, {
      onChange: (ch) => boards.push(ch),
      onStatus: (s) => s === 'subscribed' && boardJoined(),
    });
    try {
      await Promise.all([subscribed, boardSubscribed]);
      const called = await c.service.callNext(c.clinicId, {
        practitionerId: c.practitionerId,
        room: 'Room 2',
      });
      if (!called.ok) throw new Error(called.error.code);
      await expect.poll(() => changes.length, { timeout: 20_000 }).toBeGreaterThan(0);
      const after = await port.board(c.clinicId);
      if (!after.ok) throw new Error(after.error.code);
      expect(changes.at(-1)).toMatchObject({ clinicId: c.clinicId, day: after.value.day });
      expect(changes.at(-1)?.version).toBe(after.value.version);
      expect(after.value.now_serving.map((s) => s.ticket)).toEqual(['QS-001']);
      const moved = await port.visit(await c.track(secondId));
      expect(moved.ok && moved.value.position).toBe(1);
      // the pushed board is the board get_waiting_board answers at that version, for an anonymous screen
      await expect.poll(() => boards.at(-1)?.version, { timeout: 20_000 }).toBe(after.value.version);
      const pushed = boards.at(-1)!;
      expect(pushed).toMatchObject({ clinicId: c.clinicId, day: after.value.day });
      expect(pushed.board.now_serving).toEqual(after.value.now_serving);
      expect(pushed.board.next).toEqual(after.value.next);
      expect(pushed.board.day_status).toBe('open');
    } finally {
      off();
      offBoard();
    }
  });

  it("board18: names reach only the clinic's paired screen, and the pushed board carries none", async () => {
    const c = await parityClinic(app, `screens-names-${kind}`, 'QN');
    await app.db.query(
      `update public.clinics set settings = coalesce(settings, '{}'::jsonb) || '{"board_show_names": true}' where id = $1`,
      [c.clinicId],
    );
    const first = await c.service.addWalkIn(c.clinicId, { patientName: 'Nour Bennani' });
    if (!first.ok) throw new Error('walk-in failed');
    // the owner pairs a board screen through the booking adapter (admin → Board screens)
    const paired = await new SupabaseBookingRepository(c.client).pairKiosk(c.clinicId, 'TV', 'board');
    if (!paired.ok) throw new Error(paired.error.code);
    const port = createFetchPublicScreensRepository({
      supabaseUrl: app.stack.url,
      supabaseAnonKey: app.stack.anonKey,
      socket: (u) => new WebSocket(u) as never,
    });
    const anon = await port.board(c.clinicId);
    if (!anon.ok) throw new Error(anon.error.code);
    expect(anon.value.next).toEqual([expect.objectContaining({ ticket: 'QN-001', name: null })]);
    expect(anon.value).toMatchObject({ paired: false, names_hidden: true });
    const tv = await port.board(c.clinicId, paired.value.token);
    if (!tv.ok) throw new Error(tv.error.code);
    expect(tv.value.next).toEqual([expect.objectContaining({ ticket: 'QN-001', name: 'Nour B.' })]);
    expect(tv.value).toMatchObject({ paired: true, names_hidden: false });

    const boards: BoardChange[] = [];
    let joined!: () => void;
    const subscribed = new Promise<void>((r) => (joined = r));
    const off = port.boardFeed.subscribe(c.clinicId, {
      onChange: (ch) => boards.push(ch),
      onStatus: (s) => s === 'subscribed' && joined(),
    });
    try {
      await subscribed;
      const called = await c.service.callNext(c.clinicId, {
        practitionerId: c.practitionerId,
        room: 'Room 2',
      });
      if (!called.ok) throw new Error(called.error.code);
      await expect.poll(() => boards.length, { timeout: 20_000 }).toBeGreaterThan(0);
      const pushed = boards.at(-1)!.board;
      expect(pushed.now_serving).toEqual([expect.objectContaining({ ticket: 'QN-001', name: null })]);
      expect(JSON.stringify(boards)).not.toContain('Nour');
      const again = await port.board(c.clinicId, paired.value.token);
      expect(again.ok && again.value.now_serving[0]?.name).toBe('Nour B.');
    } finally {
      off();
    }
    // unpaired: the same key reads tickets only
    const revoked = await new SupabaseBookingRepository(c.client).revokeKiosk(paired.value.id, 'board');
    expect(revoked.ok).toBe(true);
    const after = await port.board(c.clinicId, paired.value.token);
    expect(after.ok && after.value).toMatchObject({ paired: false, names_hidden: true });
    expect(after.ok && after.value.now_serving[0]?.name).toBeNull();
  });

  it('check-in without a session is refused with AUTH.REQUIRED, before any request', async () => {
    let requests = 0;
    const port = createFetchPublicScreensRepository({
      supabaseUrl: app.stack.url,
      supabaseAnonKey: app.stack.anonKey,
      fetch: (...a) => (requests++, fetch(...a)),
    });
    const r = await port.checkIn('00000000-0000-0000-0000-000000000000');
    expect(r.ok ? null : r.error.code).toBe(ErrorCodes.AUTH_REQUIRED);
    expect(requests).toBe(0);
    expect(await port.signedIn()).toBe(false);
  });
});
