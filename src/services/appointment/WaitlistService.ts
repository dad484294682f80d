/**
 * Waitlist and gap filling (issue 17): a patient asks for an earlier slot for a booked visit, is offered one
 * when it frees (by SMS and in My visits), and accepts or declines it; the clinic's staff see the open
 * requests and its admins set how long an offer is held. The database decides who gets which slot, holds it,
 * moves the visit in one transaction and expires offers on its own clock; this service validates input and
 * logs outcomes (ids and codes only — never a phone or a name). Loaded on first use (AppServices.waitlist).
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import type { Logger } from '../shared/Logger';
import { err, type Result } from '../shared/Result';
import type {
  AcceptedOffer,
  ClinicWaitlist,
  WaitlistRepository,
  WaitlistRequest,
} from './repositories/WaitlistRepository';

export type { AcceptedOffer, ClinicWaitlist, WaitlistRequest };

const id = z.string().check(z.minLength(1), z.maxLength(200));
/** How long an offer is held: 5 to 240 minutes (the database's range). */
export const OfferMinutesSchema = z.number().check(z.int(), z.gte(5), z.lte(240));

const invalid = (e: z.core.$ZodError): AppError =>
  appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
    issues: e.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
  });

export class WaitlistService {
  constructor(
    private readonly repo: WaitlistRepository,
    private readonly logger?: Logger,
  ) {}

  /** Ask for an earlier slot for a booked visit still ahead (asking twice returns the same request). */
  async request(entryId: string): Promise<Result<{ requestId: string; position: number }, AppError>> {
    const p = id.safeParse(entryId);
    if (!p.success) return err(invalid(p.error));
    const r = await this.repo.requestEarlierSlot(p.data);
    this.logger?.info(
      r.ok ? { entryId: p.data } : { code: r.error.code },
      r.ok ? 'earlier slot requested' : 'earlier slot refused',
    );
    return r;
  }

  /** Withdraw the request, or decline a running offer (the slot goes to the next request at once). */
  async withdraw(requestId: string): Promise<Result<void, AppError>> {
    const p = id.safeParse(requestId);
    if (!p.success) return err(invalid(p.error));
    return this.repo.withdrawEarlierSlot(p.data);
  }

  /** Take the offered slot: the visit moves (WAITLIST.OFFER_EXPIRED once it is no longer open). */
  async accept(requestId: string): Promise<Result<AcceptedOffer, AppError>> {
    const p = id.safeParse(requestId);
    if (!p.success) return err(invalid(p.error));
    const r = await this.repo.acceptEarlierSlot(p.data);
    if (r.ok) this.logger?.info({ requestId: p.data, entryId: r.value.entryId }, 'earlier slot accepted');
    else this.logger?.info({ requestId: p.data, code: r.error.code }, 'earlier slot not accepted');
    return r;
  }

  /** The signed-in patient's open requests and offers. */
  mine(): Promise<Result<readonly WaitlistRequest[], AppError>> {
    return this.repo.myEarlierSlotRequests();
  }

  /** The clinic's staff: its open requests, first come first. */
  async forClinic(clinicId: string): Promise<Result<ClinicWaitlist, AppError>> {
    const p = id.safeParse(clinicId);
    if (!p.success) return err(invalid(p.error));
    return this.repo.clinicWaitlist(p.data);
  }

  /** Owners/admins: how long an offer is held. */
  async setOfferMinutes(clinicId: string, minutes: number): Promise<Result<number, AppError>> {
    const c = id.safeParse(clinicId);
    if (!c.success) return err(invalid(c.error));
    const m = OfferMinutesSchema.safeParse(minutes);
    if (!m.success) return err(invalid(m.error));
    return this.repo.setOfferMinutes(c.data, m.data);
  }
}
