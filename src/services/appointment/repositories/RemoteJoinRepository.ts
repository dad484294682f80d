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
  readonly reason: 'off' | 'closed_day' | 'day_closed' | 'intake_closed' | 'outside_hours' | 'full' | null;
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
  /** With the clinic's arrival window: be at the clinic by then (ISO); null = no window. */
  readonly arriveBy: string | null;
}

/**
 * The clinic's remote-join settings (its owners/admins set them in the rules tab): `cap` remote joins a day
 * (1-500; null = not offered) and `arrivalMinutes`, the time a joiner has to reach the clinic (5-240; null =
 * no window).
 */
export interface RemoteJoinSettings {
  readonly cap: number | null;
  readonly arrivalMinutes: number | null;
}

export interface RemoteJoinRepository {
  /** Anyone: whether the clinic takes remote joins now. */
  remoteJoinState(clinicId: string): Promise<Result<RemoteJoinState, AppError>>;
  /**
   * The signed-in patient joins the clinic's queue of today without a slot (QUEUE.REMOTE_JOIN_OFF / _FULL,
   * QUEUE.REMOTE_JOIN_OUTSIDE_HOURS, QUEUE.INTAKE_CLOSED, QUEUE.CLOSED, QUEUE.DUPLICATE_ENTRY, BOOKING.CLINIC_CLOSED when it may not).
   */
  joinRemotely(request: RemoteJoinRequest): Promise<Result<RemoteJoined, AppError>>;
  /** The clinic's staff: the current settings. */
  remoteJoinSettings(clinicId: string): Promise<Result<RemoteJoinSettings, AppError>>;
  /** The clinic's owners/admins: both settings in one statement (VALIDATION.FAILED out of range). */
  setRemoteJoin(
    clinicId: string,
    settings: RemoteJoinSettings,
  ): Promise<Result<RemoteJoinSettings, AppError>>;
}
