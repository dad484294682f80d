/**
 * Remote-join port (issue 17, "join today's queue from my phone", a virtual walk-in). Its own small module,
 * loaded with the clinic page's card only (AppServices.remoteJoin): no other screen carries it. The database
 * judges every rule (public.join_queue_remotely); the fake (InMemoryBookingWorld.remoteAs) applies the same.
 * Both pass test/fixtures/contracts/bookingRepositoryContract.ts.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { Language } from './BookingRepository';

/**
 * "Join today's queue from my phone" (issue 17, a virtual walk-in): whether the clinic offers it now, and
 * why not. `remaining` = places left today (null when not offered).
 */
export interface RemoteJoinState {
  readonly open: boolean;
  readonly reason: 'off' | 'closed_day' | 'day_closed' | 'intake_closed' | 'full' | null;
  readonly remaining: number | null;
}

export interface RemoteJoinRequest {
  readonly clinicId: string;
  /** The patient's name when they have no record in this clinic yet. */
  readonly fullName?: string | null;
  readonly language?: Language | null;
}

/** A remote join: a waiting walk-in of today with its own ticket and tracking link (shown once). */
export interface RemoteJoined {
  readonly entryId: string;
  readonly queueId: string;
  readonly clinicId: string;
  readonly day: string;
  readonly ticketNumber: number;
  readonly ticket: string;
  readonly status: 'waiting';
  readonly trackingToken: string;
}

export interface RemoteJoinRepository {
  /** Anyone: whether the clinic takes remote joins now. */
  remoteJoinState(clinicId: string): Promise<Result<RemoteJoinState, AppError>>;
  /**
   * The signed-in patient joins the clinic's queue of today without a slot (QUEUE.REMOTE_JOIN_OFF / _FULL,
   * QUEUE.INTAKE_CLOSED, QUEUE.CLOSED, QUEUE.DUPLICATE_ENTRY, BOOKING.CLINIC_CLOSED when it may not).
   */
  joinRemotely(request: RemoteJoinRequest): Promise<Result<RemoteJoined, AppError>>;
}
