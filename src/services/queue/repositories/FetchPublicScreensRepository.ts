/**
 * `PublicScreensRepository` over the wire formats supabase-js itself speaks, without supabase-js: PostgREST
 * RPC calls with plain fetch (`POST /rest/v1/rpc/<fn>`, `apikey` + `Authorization`), and Realtime with a small
 * Phoenix client (queueRowChannel.ts) instead of realtime-js: ONE socket for the feeds a screen watches (sock26). Works the same against Supabase and the
 * local stack. Every response is parsed with zod/mini; failures become coded AppErrors.
 */
import type { AppError } from '../../shared/AppError';
import { appError, ErrorCodes } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { mapPostgrestError, type PostgrestLikeError } from '../../shared/repositories/postgrest';
import type { BoardBranding } from '../api/boardBranding';
import {
  BoardClinicSchema,
  TrackedVisitSchema,
  WaitingBoardSchema,
  QueueDayStatusSchema,
  PushedBoardSchema,
  ScreenClockSchema,
  type QueueDayStatus,
  type ScreenClock,
  type BoardClinic,
  type TrackedVisit,
  type WaitingBoard,
} from '../api/publicScreens';
import type { QueueChangeFeed } from './QueueChangeFeed';
import * as z from '../../shared/lightSchema';
import { realtimeSocket, type SocketFactory } from './queueRowChannel';
import type { BoardFeed, PublicScreensRepository, VisitFeed } from './PublicScreensRepository';

export interface PublicScreensConfig {
  readonly supabaseUrl: string;
  readonly supabaseAnonKey: string;
  /**
   * The signed-in user's access token, or null when nobody is signed in (from the app's auth client,
   * which owns the session and its refresh). Only check-in needs it.
   */
  readonly accessToken?: () => Promise<string | null>;
  readonly fetch?: typeof fetch;
  /** Opens a WebSocket where the runtime has none (Node < 22 in tests); browsers use their own. */
  readonly socket?: SocketFactory;
}

const VersionRowsSchema = z.array(z.object({ version: z.number() }));

interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } };
}

export function createFetchPublicScreensRepository(config: PublicScreensConfig): PublicScreensRepository {
  const { supabaseUrl: url, supabaseAnonKey: key } = config;
  const doFetch = config.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const accessToken = config.accessToken ?? (async () => null);

  /** A PostgREST call: POST rpc/<fn> with `args`, or a GET of `path` without; the answer parsed with `schema`. */
  async function rpc<T>(
    path: string,
    args: Record<string, unknown> | null,
    schema: Parser<T> | null,
    token: string = key,
  ): Promise<Result<T, AppError>> {
    try {
      const res = await doFetch(`${url}/rest/v1/${args ? 'rpc/' : ''}${path}`, {
        method: args ? 'POST' : 'GET',
        headers: {
          apikey: key,
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        ...(args && { body: JSON.stringify(args) }),
      });
      // an empty (void RPC) or unparseable body: null
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) return err(mapPostgrestError((body ?? {}) as PostgrestLikeError, res.status));
      if (!schema) return ok(undefined as T);
      const parsed = schema.safeParse(body);
      return parsed.success
        ? ok(parsed.data)
        : err(appError(ErrorCodes.INTERNAL, `${path}: unexpected response shape`));
    } catch (e) {
      return err(appError(ErrorCodes.INTERNAL, e instanceof Error ? e.message : String(e)));
    }
  }

  // one socket for every channel this screen joins: the tracker's queue feed and its push topic share it (sock26)
  const watch = realtimeSocket(url, key, config.socket);

  const feed: QueueChangeFeed = {
    subscribe(clinicId, handlers) {
      return watch({
        clinicId,
        onRow(row) {
          if (typeof row.version !== 'number' || typeof row.id !== 'string') return;
          handlers.onChange({
            clinicId,
            queueId: row.id,
            day: String(row.day ?? ''),
            version: row.version,
            touchedAt: typeof row.updated_at === 'string' ? row.updated_at : undefined,
          });
        },
        onStatus: handlers.onStatus,
      });
    },
  };

  const boardFeed: BoardFeed = {
    subscribe(clinicId, handlers) {
      return watch({
        clinicId,
        table: 'waiting_boards',
        onRow(row) {
          const parsed = PushedBoardSchema.safeParse(row);
          if (!parsed.success) return; // a malformed row is never shown; the next change or reload heals it
          const board = parsed.data;
          handlers.onChange({
            clinicId,
            queueId: board.queue_id,
            day: board.day,
            version: board.version,
            board,
          });
        },
        onStatus: handlers.onStatus,
      });
    },
  };

  const visitFeed: VisitFeed = {
    subscribe(topic, onPush, onStatus) {
      let off: (() => void) | null | undefined;
      // its own chunk, after the first render (trackerPush.ts)
      void import('./trackerPush')
        .then((m) => m.watchVisit(watch, topic, onPush, onStatus))
        .then((stop) => (off === null ? stop() : (off = stop)));
      return () => {
        off?.();
        off = null;
      };
    },
  };

  return {
    // the visit, its estimate, the clinic clock of its day and its running-late note (issue 15.16): one request
    // (issue 14; the note with it since trk22, 20261222970001 — a queue change costs a phone one read)
    visit: (token) => rpc<TrackedVisit>('get_tracker_view', { p_tracking_token: token }, TrackedVisitSchema),
    boardClinic: (slugOrId) => rpc<BoardClinic>('get_public_clinic', { p_slug: slugOrId }, BoardClinicSchema),
    // the board, whether its day is closed and the clinic clock, read together (the board follows a new
    // day, and the clock's offsets cover today; a failed side read keeps the board)
    board: async (clinicId, boardKey) => {
      const [board, day, clock] = await Promise.all([
        rpc<WaitingBoard>(
          'get_waiting_board',
          { p_clinic_id: clinicId, p_board_key: boardKey || undefined }, // JSON leaves undefined out
          WaitingBoardSchema,
        ),
        rpc<QueueDayStatus>('get_queue_day_status', { p_clinic_id: clinicId }, QueueDayStatusSchema),
        rpc<ScreenClock>('get_clinic_clock', { p_clinic_id: clinicId }, ScreenClockSchema),
      ]);
      if (!board.ok) return board;
      return ok({
        ...board.value,
        // get_waiting_board has neither: a failed side read leaves it unknown (undefined)
        day_status: day.ok ? day.value.status : undefined,
        clock: clock.ok ? clock.value : undefined,
      });
    },
    // its schema loads with the first read (board20): the tracker never carries it
    boardBranding: async (clinicId) =>
      rpc<BoardBranding>(
        'get_board_branding',
        { p_clinic_id: clinicId },
        (await import('../api/boardBranding')).BoardBrandingSchema,
      ),
    reportLate: (token, minutes) =>
      rpc<void>(
        'report_running_late',
        { p_tracking_token: token, p_minutes: minutes }, // none: left out of the JSON
        null,
      ),
    withdrawLate: (token) => rpc<void>('withdraw_running_late', { p_tracking_token: token }, null),
    subscribePush: (token, sub) =>
      rpc<void>(
        'push_subscribe',
        { p_endpoint: sub.endpoint, p_p256dh: sub.p256dh, p_auth: sub.auth, p_tracking_token: token },
        null,
      ),
    unsubscribePush: (token, endpoint) =>
      rpc<void>('push_unsubscribe', { p_endpoint: endpoint ?? null, p_tracking_token: token }, null),
    async checkIn(entryId) {
      const token = await accessToken();
      if (!token) return err(appError(ErrorCodes.AUTH_REQUIRED, 'sign in to check in'));
      return rpc<void>('check_in', { p_entry_id: entryId }, null, token);
    },
    async queueVersion(clinicId, day) {
      const q = `clinic_id=eq.${encodeURIComponent(clinicId)}&day=eq.${encodeURIComponent(day)}&select=version`;
      const r = await rpc(`queues?${q}`, null, VersionRowsSchema);
      return r.ok ? ok(r.value[0]?.version ?? 0) : r;
    },
    signedIn: async () => !!(await accessToken()),
    feed,
    boardFeed,
    visitFeed,
  };
}
