/** `WaitlistRepository` on supabase-js: the waitlist RPCs (20261207300002, 20261208400002), zod-parsed. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import type { AppError } from '../../shared/AppError';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import { ok, type Result } from '../../shared/Result';
import type {
  AcceptedOffer,
  ClinicWaitlist,
  StaffWaitlistRequest,
  WaitlistRepository,
  WaitlistRequest,
} from './WaitlistRepository';

const RequestRow = z.object({
  request_id: z.string(),
  entry_id: z.string(),
  day: z.string(),
  status: z.enum(['waiting', 'offered']),
  requested_at: z.string(),
  visit_slot_start: z.nullable(z.string()),
  ticket: z.string(),
  position: z.nullable(z.number().check(z.int())),
  offered_slot_start: z.nullable(z.string()),
  offer_expires_at: z.nullable(z.string()),
});
const toRequest = (r: z.infer<typeof RequestRow>): WaitlistRequest => ({
  requestId: r.request_id,
  entryId: r.entry_id,
  day: r.day,
  status: r.status,
  requestedAt: r.requested_at,
  visitSlotStart: r.visit_slot_start,
  ticket: r.ticket,
  position: r.position,
  offeredSlotStart: r.offered_slot_start,
  offerExpiresAt: r.offer_expires_at,
});
const MyRequestsSchema = z.pipe(
  z.array(RequestRow),
  z.transform((rows) => rows.map(toRequest)),
);
const ClinicWaitlistSchema = z.pipe(
  z.object({
    offer_minutes: z.number().check(z.int()),
    requests: z.array(z.extend(RequestRow, { patient_name: z.nullable(z.string()) })),
  }),
  z.transform((r): ClinicWaitlist => ({
    offerMinutes: r.offer_minutes,
    requests: r.requests.map((x): StaffWaitlistRequest => ({ ...toRequest(x), patientName: x.patient_name })),
  })),
);
const RequestedSchema = z.pipe(
  z.object({ request_id: z.string(), position: z.number().check(z.int()) }),
  z.transform((r) => ({ requestId: r.request_id, position: r.position })),
);
const WithdrawnSchema = z.object({ request_id: z.string(), status: z.literal('withdrawn') });
const AcceptedSchema = z.pipe(
  z.object({
    entry_id: z.string(),
    ticket: z.string(),
    slot_start: z.string(),
    rescheduled_from: z.string(),
  }),
  z.transform((r): AcceptedOffer => ({
    entryId: r.entry_id,
    ticket: r.ticket,
    slotStart: r.slot_start,
    rescheduledFrom: r.rescheduled_from,
  })),
);
const OfferMinutesSchema = z.pipe(
  z.object({ offer_minutes: z.number().check(z.int()) }),
  z.transform((r) => r.offer_minutes),
);

export class SupabaseWaitlistRepository implements WaitlistRepository {
  constructor(private readonly client: SupabaseClient) {}

  requestEarlierSlot(entryId: string) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('request_earlier_slot', { p_entry_id: entryId }),
        RequestedSchema,
        'request_earlier_slot',
      ),
    );
  }

  withdrawEarlierSlot(requestId: string): Promise<Result<void, AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('withdraw_earlier_slot', { p_request_id: requestId }),
        WithdrawnSchema,
        'withdraw_earlier_slot',
      );
      return r.ok ? ok(undefined) : r;
    });
  }

  acceptEarlierSlot(requestId: string) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('accept_earlier_slot', { p_request_id: requestId }),
        AcceptedSchema,
        'accept_earlier_slot',
      ),
    );
  }

  myEarlierSlotRequests() {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('my_earlier_slot_requests'),
        MyRequestsSchema,
        'my_earlier_slot_requests',
      ),
    );
  }

  clinicWaitlist(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('clinic_waitlist', { p_clinic_id: clinicId }),
        ClinicWaitlistSchema,
        'clinic_waitlist',
      ),
    );
  }

  setOfferMinutes(clinicId: string, minutes: number) {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('set_waitlist_offer_minutes', { p_clinic_id: clinicId, p_minutes: minutes }),
        OfferMinutesSchema,
        'set_waitlist_offer_minutes',
      ),
    );
  }
}
