/**
 * "Book a visit" at the desk (issue 17), BookingService.deskBook's body — its own chunk, loaded on first use, so
 * the screens that only show bookings (the desk's first render, My visits, the kiosk) do not carry it.
 *
 * The phone goes through the one domain parser (06…, 00212…, Arabic-Indic digits) and on in E.164 — a malformed
 * one is refused (PHONE.INVALID) before anything is written. A caller named by phone and name is found or made
 * AND booked in one transaction (staff_desk_book: same phone AND name in this clinic, then the slot or the day's
 * place with the staff rules — capacity, hours, closed days, one visit a day; no notice/horizon): a refused
 * booking leaves no new patient record. A patient picked from the search is booked directly.
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { loadPhoneNumber } from '../shared/loadPhoneNumber';
import { err, ok, type Result } from '../shared/Result';
import type {
  BookingWithLink,
  FluidBookingWithLink,
  StaffBookFluidInput,
  StaffBookInput,
} from './BookingService';
import type { DeskBooked, StaffDeskBookRequest, StaffPatient } from './repositories/BookingRepository';

const id = z.string().check(z.minLength(1), z.maxLength(200));

/**
 * A patient picked from the desk search (patientId) or named by phone and name (found or created), and exactly
 * one of a slot (slotted type) or a day (fluid type).
 */
export const DeskBookInputSchema = z
  .object({
    clinicId: id,
    patient: z.union([
      z.object({ patientId: id }),
      z.object({
        fullName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
        phone: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
        language: z.optional(z.nullable(z.enum(['ar', 'fr', 'en']))),
      }),
    ]),
    slotStart: z.optional(
      z.nullable(z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'Invalid timestamp'))),
    ),
    day: z.optional(z.nullable(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)))),
    appointmentTypeId: z.optional(z.nullable(id)),
    practitionerId: z.optional(z.nullable(id)),
  })
  .check(
    z.refine((v) => !v.slotStart !== !v.day, { message: 'exactly one of slotStart and day', path: ['day'] }),
  );

export type DeskBookInput = z.input<typeof DeskBookInputSchema>;
/** A desk booking: the visit (slot times null for a fluid place) and whose it is. */
export type DeskBooking = (BookingWithLink | FluidBookingWithLink) & { readonly patient: StaffPatient };

/**
 * What deskBook needs: the repository's staffDeskBook, BookingService's two staff booking paths, and its
 * `booked` (tracking link, AppointmentBooked event, log) for the one-transaction answer.
 */
export async function deskBook(
  repo: { staffDeskBook(r: StaffDeskBookRequest): Promise<Result<DeskBooked, AppError>> },
  ports: {
    staffBook(r: StaffBookInput): Promise<Result<BookingWithLink, AppError>>;
    staffBookFluid(r: StaffBookFluidInput): Promise<Result<FluidBookingWithLink, AppError>>;
    booked(r: Result<DeskBooked, AppError>): Result<DeskBooked & { readonly trackingUrl: string }, AppError>;
  },
  input: DeskBookInput,
): Promise<Result<DeskBooking, AppError>> {
  const p = DeskBookInputSchema.safeParse(input);
  if (!p.success)
    return err(
      appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
        issues: p.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      }),
    );
  const { clinicId, patient: who, slotStart, day } = p.data;
  const target = {
    clinicId,
    appointmentTypeId: p.data.appointmentTypeId ?? null,
    practitionerId: p.data.practitionerId ?? null,
  };
  if (!('patientId' in who)) {
    const { PhoneNumber } = await loadPhoneNumber();
    const phone = PhoneNumber.create(who.phone);
    if (!phone.ok) return phone;
    return ports.booked(
      await repo.staffDeskBook({
        ...target,
        fullName: who.fullName,
        phone: phone.value.e164,
        language: who.language ?? null,
        slotStart: slotStart ? new Date(slotStart).toISOString() : null,
        day: slotStart ? null : (day ?? null),
      }),
    );
  }
  const patient: StaffPatient = { patientId: who.patientId, fullName: '', created: false };
  const r = slotStart
    ? await ports.staffBook({ ...target, patientId: who.patientId, slotStart })
    : await ports.staffBookFluid({ ...target, patientId: who.patientId, day: day ?? '' });
  return r.ok ? ok({ ...r.value, patient }) : r;
}
