/** A clinic's public page (anyone, signed in or not): name, contact, visit types, weekly hours, doctors, booking rules. */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { VisitTypeNames } from '../../clinic/api';

export interface PublicClinic {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly timeZone: string;
  readonly defaultLanguage: 'ar' | 'fr' | 'en';
  readonly phone: string | null;
  readonly address: string | null;
  readonly appointmentTypes: readonly {
    readonly id: string;
    readonly name: string;
    readonly durationMinutes: number;
    /** Effective (F4): its own mode, else the clinic's. Fluid: a place in the day's line, no time. */
    readonly bookingMode: 'slotted' | 'fluid';
    /** Its name per language (types19): show `visitTypeLabel(type, language)`. */
    readonly names: VisitTypeNames;
    /** One of the palette's, or none. */
    readonly color: string | null;
    /** The doctors (member ids) who offer it; null = every doctor. */
    readonly practitionerIds: readonly string[] | null;
  }[];
  /** weekday 0 = Sunday; local `HH:mm`. */
  readonly workingHours: readonly {
    readonly weekday: number;
    readonly start: string;
    readonly end: string;
  }[];
  /** displayName null: the stored name is not fit for a public page (it holds an e-mail address, fix21d). */
  readonly practitioners: readonly { readonly id: string; readonly displayName: string | null }[];
  readonly booking: {
    readonly horizonDays: number;
    readonly minBookingNoticeMinutes: number;
    readonly minCancelNoticeMinutes: number;
  };
}

export interface PublicClinicRepository {
  /** By slug or id; NOT_FOUND when there is no such clinic. */
  publicClinic(slugOrId: string): Promise<Result<PublicClinic, AppError>>;
}
