/**
 * In-memory fake of `ClinicDirectoryRepository` over the in-memory clinic world (dir20): the same clinics and team
 * the admin screens edit, with their listing kept here and a set of clinics held for SMS approval. It answers as
 * the database does (D1–D6): listed and not held only, folded substring match (never a pattern), by folded name in
 * code order, 20 a page, offset ≤ 200, the same refusals. Passes the directory contract (fake + local stack).
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import {
  DIRECTORY_LIMITS,
  SPECIALTIES,
  type ClinicDirectoryRepository,
  type ClinicListing,
  type ClinicListingInput,
  type DirectoryPage,
  type DirectorySearch,
  type Specialty,
} from './ClinicDirectoryRepository';
import type { InMemoryClinicWorld } from './InMemoryClinicRepository';

/** private.directory_fold: NFKD, marks and Arabic diacritics/tatweel out, alef/ya/ta-marbuta forms, lower case. */
export function directoryFold(s: string): string {
  const map: Record<string, string> = {
    ى: 'ي',
    ٱ: 'ا',
    ة: 'ه',
    Ø: 'o',
    ø: 'o',
    Đ: 'd',
    đ: 'd',
    Ł: 'l',
    ł: 'l',
  };
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, '')
    .replace(/[ىٱةØøĐđŁłıİ]/g, (c) => map[c] ?? 'i')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß|ẞ/g, 'ss')
    .replace(/\s+/g, ' ')
    .trim();
}

const refused = (problem: string): Result<never, AppError> =>
  err(appError(ErrorCodes.VALIDATION_FAILED, 'Refused', { problem }));
// N1's rule for names, roughly: a web address or a run of 6+ digits
const spammy = (s: string) =>
  /([a-z][a-z0-9+.-]*:\/\/|www\.)/i.test(s) || /[0-9](?:[0-9 ().\-/]*[0-9]){5}/.test(s);
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class InMemoryClinicDirectory {
  readonly listings = new Map<
    string,
    { city: string | null; specialty: Specialty | null; listed: boolean }
  >();
  /** Clinics held for SMS approval (clinics.sms_held): never listed (D2). */
  readonly held = new Set<string>();
  constructor(readonly world: InMemoryClinicWorld) {}
  as(userId: string | null): ClinicDirectoryRepository {
    return new InMemoryClinicDirectoryRepository(this, userId);
  }
}

class InMemoryClinicDirectoryRepository implements ClinicDirectoryRepository {
  constructor(
    private readonly d: InMemoryClinicDirectory,
    private readonly userId: string | null,
  ) {}

  private role(clinicId: string): string | null {
    return (
      [...this.d.world.members.values()].find(
        (m) => m.clinicId === clinicId && m.userId === this.userId && m.active,
      )?.role ?? null
    );
  }

  private entry(clinicId: string): ClinicListing {
    const l = this.d.listings.get(clinicId);
    return {
      city: l?.city ?? null,
      specialty: l?.specialty ?? null,
      listed: l?.listed ?? false,
      smsHeld: this.d.held.has(clinicId),
    };
  }

  async search(s: DirectorySearch): Promise<Result<DirectoryPage, AppError>> {
    if (s.query.length > DIRECTORY_LIMITS.maxQueryLength || s.city.length > DIRECTORY_LIMITS.maxQueryLength)
      return refused('length');
    if (s.specialty !== null && !(SPECIALTIES as readonly string[]).includes(s.specialty))
      return refused('specialty');
    if (!Number.isInteger(s.offset) || s.offset < 0 || s.offset > DIRECTORY_LIMITS.maxOffset)
      return refused('page');
    const q = directoryFold(s.query);
    const city = directoryFold(s.city);
    const all = [...this.d.world.clinics.values()]
      .flatMap((c) => {
        const l = this.d.listings.get(c.id);
        if (!l?.listed || l.city === null || this.d.held.has(c.id)) return [];
        if (q && !directoryFold(c.name).includes(q)) return [];
        if (city && !directoryFold(l.city).includes(city)) return [];
        if (s.specialty !== null && l.specialty !== s.specialty) return [];
        return [
          {
            key: directoryFold(c.name),
            clinic: {
              id: c.id,
              slug: c.slug,
              name: c.name,
              city: l.city,
              specialty: l.specialty,
              address: c.address,
            },
          },
        ];
      })
      .sort((a, b) => byCode(a.key, b.key) || byCode(a.clinic.id, b.clinic.id));
    const size = DIRECTORY_LIMITS.pageSize;
    const more = all.length > s.offset + size;
    return ok({
      items: all.slice(s.offset, s.offset + size).map((x) => x.clinic),
      nextOffset: more && s.offset + size <= DIRECTORY_LIMITS.maxOffset ? s.offset + size : null,
    });
  }

  async listing(clinicId: string): Promise<Result<ClinicListing, AppError>> {
    if (this.userId === null) return err(appError(ErrorCodes.AUTH_REQUIRED, 'sign in first'));
    if (this.role(clinicId) === null) return err(appError(ErrorCodes.AUTH_FORBIDDEN, 'staff only'));
    return ok(this.entry(clinicId));
  }

  async setListing(clinicId: string, input: ClinicListingInput): Promise<Result<ClinicListing, AppError>> {
    if (this.userId === null) return err(appError(ErrorCodes.AUTH_REQUIRED, 'sign in first'));
    const role = this.role(clinicId);
    if (role !== 'owner' && role !== 'admin')
      return err(appError(ErrorCodes.AUTH_FORBIDDEN, 'owner or admin only'));
    const city = (input.city ?? '').normalize('NFC').replace(/\s+/g, ' ').trim() || null;
    if (city !== null && (city.length > DIRECTORY_LIMITS.maxQueryLength || spammy(city)))
      return refused('city');
    if (input.specialty !== null && !(SPECIALTIES as readonly string[]).includes(input.specialty))
      return refused('specialty');
    if (input.listed && city === null) return refused('city');
    this.d.listings.set(clinicId, { city, specialty: input.specialty, listed: input.listed });
    return ok(this.entry(clinicId));
  }
}
