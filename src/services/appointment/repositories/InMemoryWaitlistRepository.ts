/**
 * The waitlist port on the in-memory booking world (tests, demos): requests of the world's visits with the
 * database's shapes and codes. Offers are made by the test (`offer`), standing in for the database's
 * trigger when a slot frees; accepting moves the visit as accept_earlier_slot does. The freeing/holding rules
 * themselves are the database's (supabase/tests/waitlistOffers.test.ts).
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import type { Clock } from '../../shared/Clock';
import { err, ok, type Result } from '../../shared/Result';
import type { InMemoryBookingWorld } from './InMemoryBookingRepository';
import type {
  AcceptedOffer,
  ClinicWaitlist,
  WaitlistRepository,
  WaitlistRequest,
} from './WaitlistRepository';

interface Row {
  id: string;
  entryId: string;
  clinicId: string;
  day: string;
  status: 'waiting' | 'offered' | 'accepted' | 'withdrawn' | 'expired';
  createdAt: number;
  offeredSlotStart: string | null;
  offerExpiresAt: number | null;
}

const fail = (code: AppError['code'], message: string): Result<never, AppError> =>
  err(appError(code, message));

export class InMemoryWaitlist {
  readonly rows: Row[] = [];
  readonly offerMinutes = new Map<string, number>();
  private seq = 0;
  constructor(
    readonly world: InMemoryBookingWorld,
    readonly clock: Clock,
  ) {}

  as(userId: string | null): WaitlistRepository {
    return new InMemoryWaitlistRepository(this, userId);
  }

  /** Stand-in for the database's trigger: the request is offered `slotStart`, held for the clinic's minutes. */
  offer(requestId: string, slotStart: string): void {
    const r = this.rows.find((x) => x.id === requestId && x.status === 'waiting');
    if (!r) throw new Error('no waiting request');
    r.status = 'offered';
    r.offeredSlotStart = slotStart;
    r.offerExpiresAt = this.clock.now().getTime() + (this.offerMinutes.get(r.clinicId) ?? 15) * 60_000;
  }

  nextId(): string {
    this.seq += 1;
    return `00000000-0000-4000-8000-${String(this.seq).padStart(12, '0')}`;
  }
}

class InMemoryWaitlistRepository implements WaitlistRepository {
  constructor(
    private readonly w: InMemoryWaitlist,
    private readonly userId: string | null,
  ) {}

  private now() {
    return this.w.clock.now().getTime();
  }

  private open(r: Row) {
    return r.status === 'waiting' || (r.status === 'offered' && (r.offerExpiresAt ?? 0) > this.now());
  }

  private view(r: Row): WaitlistRequest {
    const v = this.w.world.visits.find((x) => x.entryId === r.entryId)!;
    const waiting = this.w.rows.filter(
      (o) => o.clinicId === r.clinicId && o.day === r.day && o.status === 'waiting',
    );
    return {
      requestId: r.id,
      entryId: r.entryId,
      day: r.day,
      status: r.status === 'offered' ? 'offered' : 'waiting',
      requestedAt: new Date(r.createdAt).toISOString(),
      visitSlotStart: v.slotStart,
      ticket: `A-${String(v.ticketNumber).padStart(3, '0')}`,
      position: r.status === 'waiting' ? waiting.filter((o) => o.createdAt <= r.createdAt).length : null,
      offeredSlotStart: r.status === 'offered' ? r.offeredSlotStart : null,
      offerExpiresAt:
        r.status === 'offered' && r.offerExpiresAt ? new Date(r.offerExpiresAt).toISOString() : null,
    };
  }

  private mineRow(requestId: string): Row | undefined {
    return this.w.rows.find(
      (r) =>
        r.id === requestId &&
        this.w.world.visits.find((v) => v.entryId === r.entryId)?.userId === this.userId,
    );
  }

  async requestEarlierSlot(entryId: string) {
    if (!this.userId) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in');
    const v = this.w.world.visits.find((x) => x.entryId === entryId && x.userId === this.userId);
    if (!v) return fail(ErrorCodes.NOT_FOUND, 'visit not found');
    if (v.remote || v.status !== 'scheduled' || Date.parse(v.slotStart) <= this.now())
      return fail(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'only a booked visit still ahead can ask');
    let r = this.w.rows.find(
      (x) => x.entryId === entryId && (x.status === 'waiting' || x.status === 'offered'),
    );
    if (!r) {
      r = {
        id: this.w.nextId(),
        entryId,
        clinicId: v.clinicId,
        day: v.day,
        status: 'waiting',
        createdAt: this.now(),
        offeredSlotStart: null,
        offerExpiresAt: null,
      };
      this.w.rows.push(r);
    }
    return ok({ requestId: r.id, position: this.view(r).position ?? 0 });
  }

  async withdrawEarlierSlot(requestId: string): Promise<Result<void, AppError>> {
    const r = this.mineRow(requestId);
    if (!r || (r.status !== 'waiting' && r.status !== 'offered'))
      return fail(ErrorCodes.NOT_FOUND, 'request not found');
    r.status = 'withdrawn';
    return ok(undefined);
  }

  async acceptEarlierSlot(requestId: string): Promise<Result<AcceptedOffer, AppError>> {
    const r = this.mineRow(requestId);
    if (!r) return fail(ErrorCodes.NOT_FOUND, 'request not found');
    if (r.status !== 'offered' || (r.offerExpiresAt ?? 0) <= this.now() || !r.offeredSlotStart)
      return fail(ErrorCodes.WAITLIST_OFFER_EXPIRED, 'this offer is no longer open');
    const old = this.w.world.visits.find((v) => v.entryId === r.entryId)!;
    r.status = 'accepted';
    old.status = 'cancelled';
    const entryId = this.w.nextId();
    const ticketNumber = (this.w.world.nextTicket.get(`${old.clinicId}:${old.day}`) ?? 100) + 1;
    this.w.world.nextTicket.set(`${old.clinicId}:${old.day}`, ticketNumber);
    const length = Date.parse(old.slotEnd) - Date.parse(old.slotStart);
    this.w.world.visits.push({
      ...old,
      entryId,
      ticketNumber,
      status: 'scheduled',
      slotStart: r.offeredSlotStart,
      slotEnd: new Date(Date.parse(r.offeredSlotStart) + length).toISOString(),
      rescheduledFrom: old.entryId,
    });
    return ok({
      entryId,
      ticket: `A-${String(ticketNumber).padStart(3, '0')}`,
      slotStart: r.offeredSlotStart,
      rescheduledFrom: old.entryId,
    });
  }

  async myEarlierSlotRequests() {
    if (!this.userId) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in');
    const mine = this.w.rows.filter(
      (r) => this.open(r) && this.w.world.visits.find((v) => v.entryId === r.entryId)?.userId === this.userId,
    );
    return ok(mine.map((r) => this.view(r)));
  }

  async clinicWaitlist(clinicId: string): Promise<Result<ClinicWaitlist, AppError>> {
    const c = this.w.world.clinics.get(clinicId);
    if (!c || !this.userId || !c.staffUserIds.includes(this.userId))
      return fail(ErrorCodes.AUTH_FORBIDDEN, 'staff only');
    return ok({
      offerMinutes: this.w.offerMinutes.get(clinicId) ?? 15,
      requests: this.w.rows
        .filter((r) => r.clinicId === clinicId && this.open(r))
        .map((r) => ({
          ...this.view(r),
          patientName:
            this.w.world.patients.get(this.w.world.visits.find((v) => v.entryId === r.entryId)!.patientId)
              ?.fullName ?? null,
        })),
    });
  }

  async setOfferMinutes(clinicId: string, minutes: number) {
    const c = this.w.world.clinics.get(clinicId);
    // owners/admins only, as public.set_waitlist_offer_minutes (private.require_admin): not a receptionist
    if (!c || !this.userId || !c.adminUserIds.includes(this.userId))
      return fail(ErrorCodes.AUTH_FORBIDDEN, 'admins only');
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 240)
      return fail(ErrorCodes.VALIDATION_FAILED, 'an offer is held 5 to 240 minutes');
    this.w.offerMinutes.set(clinicId, minutes);
    return ok(minutes);
  }
}
