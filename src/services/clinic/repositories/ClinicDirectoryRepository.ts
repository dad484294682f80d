/**
 * The public clinic directory (issue 17, dir20; docs/domain-rules.md D1–D6). Anyone searches the listed clinics
 * (search_clinic_directory: listed, never held for SMS approval, public columns only, ≤ 20 a page, offset ≤ 200);
 * a clinic's staff read its entry (get_clinic_listing) and its owners/admins set it (set_clinic_listing).
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';

import { DIRECTORY_LIMITS, SPECIALTIES, type Specialty } from '../api/directory';

export { DIRECTORY_LIMITS, SPECIALTIES, type Specialty };

export interface DirectorySearch {
  /** Part of the clinic's name ('' = any). */
  readonly query: string;
  /** Part of the clinic's city ('' = any). */
  readonly city: string;
  readonly specialty: Specialty | null;
  /** 0, or a page's `nextOffset`. */
  readonly offset: number;
}

/** What the directory shows of a clinic: what its public page shows anyway, without the phone number. */
export interface DirectoryClinic {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly city: string;
  readonly specialty: Specialty | null;
  readonly address: string | null;
}

export interface DirectoryPage {
  readonly items: readonly DirectoryClinic[];
  /** The next page's offset, or null when this is the last page (or the offset cap is reached). */
  readonly nextOffset: number | null;
}

/** A clinic's own entry, as its staff see it. */
export interface ClinicListing {
  readonly city: string | null;
  readonly specialty: Specialty | null;
  readonly listed: boolean;
  /** Held for SMS approval: not shown in the directory whatever `listed` says (D2). */
  readonly smsHeld: boolean;
}

export interface ClinicListingInput {
  readonly city: string | null;
  readonly specialty: Specialty | null;
  readonly listed: boolean;
}

export interface ClinicDirectoryRepository {
  /** Anyone. VALIDATION.FAILED `{ problem: 'length' | 'specialty' | 'page' }` beyond the caps. */
  search(search: DirectorySearch): Promise<Result<DirectoryPage, AppError>>;
  /** The clinic's staff (AUTH.FORBIDDEN otherwise). */
  listing(clinicId: string): Promise<Result<ClinicListing, AppError>>;
  /**
   * Owners/admins (AUTH.FORBIDDEN otherwise). VALIDATION.FAILED `{ problem: 'city' }` for a city that is too long,
   * holds a web address or phone number, or is missing while `listed` (D3); `{ problem: 'specialty' }`.
   */
  setListing(clinicId: string, listing: ClinicListingInput): Promise<Result<ClinicListing, AppError>>;
}
