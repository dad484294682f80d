/**
 * The narrow port of the two light public screens (issue 13 "light screens stay light", issue 14): the
 * patient's tracker and the waiting-room board. Only what those screens read and do, no query builder,
 * no auth client: its adapter (FetchPublicScreensRepository) is plain fetch + Realtime, every value
 * zod-validated (zod/mini), so the tracker stays within its size budget on a cheap phone.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { BoardClinic, PushedBoard, TrackedVisit, WaitingBoard } from '../api/publicScreens';
import type { VisitPushHandler } from './trackerPush';
import type { BoardBranding } from '../api/boardBranding';
import type { FeedStatus, QueueChange, QueueChangeFeed } from './QueueChangeFeed';

export interface PublicScreensRepository {
  /** The visit behind a private tracking link (`get_tracker_view`: status + stored estimate + clinic clock, one request); NOT_FOUND for an unknown link. */
  visit(trackingToken: string): Promise<Result<TrackedVisit, AppError>>;
  /** The clinic behind a board address (slug or id). */
  boardClinic(slugOrId: string): Promise<Result<BoardClinic, AppError>>;
  /**
   * Today's board of a clinic (`get_waiting_board`): now serving and the next tickets, with the day's status and the
   * clinic clock. Names (where the clinic shows them) only with `boardKey`, the key of a screen paired to it (board18).
   */
  board(clinicId: string, boardKey?: string | null): Promise<Result<WaitingBoard, AppError>>;
  /** The board's logo and colours (`get_board_branding`, board20): read once per screen. */
  boardBranding(clinicId: string): Promise<Result<BoardBranding, AppError>>;
  /** "I'm running late" by about `minutes` (5–180; none: not said), by the tracking link (no sign-in needed). */
  reportLate(trackingToken: string, minutes?: number): Promise<Result<void, AppError>>;
  /** Undo "I'm running late" (the note is gone; nothing else about the visit changes). */
  withdrawLate(trackingToken: string): Promise<Result<void, AppError>>;
  /**
   * Web push (issue 20): store this browser's push subscription for the visit behind the link, so "your turn is
   * near" and "you are called" reach it as notifications (`push_subscribe`; a visit that is over → VALIDATION).
   */
  subscribePush(trackingToken: string, subscription: WebPushSubscription): Promise<Result<void, AppError>>;
  /** Revoke: this browser's subscription for the visit (or all of the visit's, without an endpoint). */
  unsubscribePush(trackingToken: string, endpoint?: string): Promise<Result<void, AppError>>;
  /** Check in to a booked visit of today (the signed-in patient's own). */
  checkIn(entryId: string): Promise<Result<void, AppError>>;
  /**
   * The version of a clinic's queue of `day` (0 when it has none yet): one tiny read, so a screen that went
   * live after its first load knows whether it missed a change, without reloading its data.
   */
  queueVersion(clinicId: string, day: string): Promise<Result<number, AppError>>;
  /** Whether someone is signed in on this device (check-in needs it). */
  signedIn(): Promise<boolean>;
  /** Changes of a clinic's queue (the queue row: its version), live. */
  readonly feed: QueueChangeFeed;
  /** A clinic's board as each queue change leaves it (`public.waiting_boards`), carried by the event itself. */
  readonly boardFeed: BoardFeed;
  /**
   * trk25: what the estimates store pushes to this visit's tracker when what it shows changed (a Realtime broadcast on
   * the visit's topic, private.push_tracker_states — get_tracker_view names it: push_topic, sock26), rendered without
   * a read, on the socket of `feed`. Absent — the tracker reads at the estimates' touch instead.
   */
  readonly visitFeed?: VisitFeed;
}

export interface VisitFeed {
  /** `onPush(version, merge)`: `merge` makes the shown visit of that version, or null when it cannot (read). */
  /** `onStatus` (fix25b): the push channel joined / dropped — a push missed while it was down is read after */
  subscribe(topic: string, onPush: VisitPushHandler, onStatus?: (status: FeedStatus) => void): () => void;
}

/** What a browser's PushSubscription.toJSON() carries: where to push, and the keys to encrypt for. */
export interface WebPushSubscription {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

/** A queue change that carries the board it produced. */
export interface BoardChange extends QueueChange {
  readonly board: PushedBoard;
}

export interface BoardFeed {
  subscribe(
    clinicId: string,
    handlers: { onChange(change: BoardChange): void; onStatus?(status: FeedStatus): void },
  ): () => void;
}
