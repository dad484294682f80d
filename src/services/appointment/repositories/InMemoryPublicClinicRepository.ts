/**
 * In-memory fake of `PublicClinicRepository` — `get_public_clinic` over the in-memory clinic world: the same
 * clinics, hours, visit types and team the admin screens edit, shown as the public page shows them (active
 * visit types by name, hours by weekday then start, active practitioners by name, the booking settings).
 * Anyone may read it (no actor). Passes the public clinic contract suite (fake + local stack).
 */
import { effectiveBookingMode } from '../models/BookingMode';
import type { ClinicSettings, VisitTypeNames } from '../../clinic/api';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import type { PublicClinic, PublicClinicRepository } from './PublicClinicRepository';

/** What the directory reads — the in-memory clinic world has this shape (structural: no cross-module import). */
export interface PublicClinicSource {
  readonly clinics: ReadonlyMap<
    string,
    {
      readonly id: string;
      readonly slug: string;
      readonly name: string;
      readonly timeZone: string;
      readonly defaultLanguage: 'ar' | 'fr' | 'en';
      readonly phone: string | null;
      readonly address: string | null;
      readonly settings: ClinicSettings;
    }
  >;
  readonly members: ReadonlyMap<
    string,
    {
      readonly id: string;
      readonly clinicId: string;
      readonly role: string;
      readonly displayName: string;
      readonly active: boolean;
    }
  >;
  readonly hours: ReadonlyMap<
    string,
    readonly { readonly weekday: number; readonly start: string; readonly end: string }[]
  >;
  readonly types: ReadonlyMap<
    string,
    readonly {
      readonly id: string;
      readonly name: string;
      readonly durationMinutes: number;
      readonly active: boolean;
      readonly bookingMode?: 'slotted' | 'fluid' | null;
      readonly names?: VisitTypeNames;
      readonly color?: string | null;
      readonly practitionerIds?: readonly string[] | null;
    }[]
  >;
}

// Postgres orders text by the database collation; the fake compares code points, which agrees for the
// ASCII and Arabic names the tests use.
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class InMemoryPublicClinicRepository implements PublicClinicRepository {
  constructor(private readonly source: PublicClinicSource) {}

  async publicClinic(slugOrId: string): Promise<Result<PublicClinic, AppError>> {
    const key = slugOrId.toLowerCase();
    const c = [...this.source.clinics.values()].find((x) => x.slug === key || x.id.toLowerCase() === key);
    if (!c) return err(appError(ErrorCodes.NOT_FOUND, 'clinic not found'));
    return ok({
      id: c.id,
      slug: c.slug,
      name: c.name,
      timeZone: c.timeZone,
      defaultLanguage: c.defaultLanguage,
      phone: c.phone,
      address: c.address,
      appointmentTypes: (this.source.types.get(c.id) ?? [])
        .filter((t) => t.active)
        .map((t) => ({
          id: t.id,
          name: t.name,
          durationMinutes: t.durationMinutes,
          bookingMode: effectiveBookingMode(t.bookingMode, c.settings.booking_mode),
          names: t.names ?? {},
          color: t.color ?? null,
          practitionerIds: t.practitionerIds ?? null,
        }))
        .sort((a, b) => byText(a.name, b.name)),
      workingHours: [...(this.source.hours.get(c.id) ?? [])]
        .map((h) => ({ weekday: h.weekday, start: h.start, end: h.end }))
        .sort((a, b) => a.weekday - b.weekday || byText(a.start, b.start)),
      practitioners: [...this.source.members.values()]
        .filter((m) => m.clinicId === c.id && m.active && (m.role === 'practitioner' || m.role === 'owner'))
        .sort((a, b) => byText(a.displayName, b.displayName))
        // fix21d: like get_public_clinic, a stored name holding an e-mail address is answered as null
        .map((m) => ({ id: m.id, displayName: m.displayName.includes('@') ? null : m.displayName })),
      booking: {
        horizonDays: c.settings.booking_horizon_days,
        minBookingNoticeMinutes: c.settings.min_booking_notice_minutes,
        minCancelNoticeMinutes: c.settings.min_cancel_notice_minutes,
      },
    });
  }
}
