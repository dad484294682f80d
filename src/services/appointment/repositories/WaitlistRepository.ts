/**
 * Waitlist port (issue 17, "waitlist and gap filling"): a patient with a booked visit asks for an earlier
 * slot on its day; when one frees the database offers it to the first request and holds it for the clinic's
 * minutes; the patient accepts (the visit moves, one transaction) or the offer passes on. The database judges
 * every rule (supabase/migrations/20261208400002_waitlist_offers.sql); the fake (InMemoryWaitlistRepository)
 * keeps the patient-facing shapes and codes. Its own small module, loaded on first use (AppServices.waitlist):
 * only My visits and the admin rules tab carry it.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';

export type WaitlistStatus = 'waiting' | 'offered';

/** An open request as the patient (and, with the name, the staff) see it. */
export interface WaitlistRequest {
  readonly requestId: string;
  readonly entryId: string;
  readonly day: string;
  readonly status: WaitlistStatus;
  readonly requestedAt: string;
  /** The visit's own slot (ISO). */
  readonly visitSlotStart: string | null;
  readonly ticket: string;
  /** Place among the day's waiting requests (1 = next to be offered); null while offered. */
  readonly position: number | null;
  /** While offered: the earlier slot held for the patient, until offerExpiresAt (ISO). */
  readonly offeredSlotStart: string | null;
  readonly offerExpiresAt: string | null;
}

export interface StaffWaitlistRequest extends WaitlistRequest {
  readonly patientName: string | null;
}

/** The clinic's waitlist for its staff: the open requests from today on, and how long an offer is held. */
export interface ClinicWaitlist {
  readonly offerMinutes: number;
  readonly requests: readonly StaffWaitlistRequest[];
}

/** The visit after an accepted offer (a new booking at the earlier slot; the old one is cancelled). */
export interface AcceptedOffer {
  readonly entryId: string;
  readonly ticket: string;
  readonly slotStart: string;
  readonly rescheduledFrom: string;
}

export interface WaitlistRepository {
  /** The signed-in patient asks for an earlier slot for their booked visit (idempotent: one open request). */
  requestEarlierSlot(entryId: string): Promise<Result<{ requestId: string; position: number }, AppError>>;
  /** Withdraw a request, or decline a running offer (its slot passes to the next request). */
  withdrawEarlierSlot(requestId: string): Promise<Result<void, AppError>>;
  /** Take the offered slot (WAITLIST.OFFER_EXPIRED when it is no longer open). */
  acceptEarlierSlot(requestId: string): Promise<Result<AcceptedOffer, AppError>>;
  /** The signed-in patient's open requests. */
  myEarlierSlotRequests(): Promise<Result<readonly WaitlistRequest[], AppError>>;
  /** The clinic's staff: its open requests. */
  clinicWaitlist(clinicId: string): Promise<Result<ClinicWaitlist, AppError>>;
  /** Owners/admins: how long an offer is held (5-240 minutes). */
  setOfferMinutes(clinicId: string, minutes: number): Promise<Result<number, AppError>>;
}
