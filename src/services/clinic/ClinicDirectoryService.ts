/**
 * ClinicDirectoryService — the public clinic directory (issue 17, dir20; docs/domain-rules.md D1–D6). Input is
 * validated here (zod: trimmed, ≤ 80 characters, a known specialty, an offset within the cap); the database
 * judges who may and every rule again. Loaded on first use (services.directory()): the /clinics page and the
 * admin's listing section only.
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, type Result } from '../shared/Result';
import {
  DIRECTORY_LIMITS,
  SPECIALTIES,
  type ClinicDirectoryRepository,
  type ClinicListing,
  type DirectoryPage,
} from './repositories/ClinicDirectoryRepository';

const text = z._default(z.string().check(z.trim(), z.maxLength(DIRECTORY_LIMITS.maxQueryLength)), '');
const specialty = z._default(
  z.nullable(
    z.union([
      z.enum(SPECIALTIES),
      z.pipe(
        z.literal(''),
        z.transform(() => null),
      ),
    ]),
  ),
  null,
);

export const DirectorySearchSchema = z.object({
  query: text,
  city: text,
  specialty,
  offset: z._default(z.number().check(z.int(), z.gte(0), z.lte(DIRECTORY_LIMITS.maxOffset)), 0),
});

export const ClinicListingSchema = z.object({
  city: z._default(
    z.nullable(z.string().check(z.trim(), z.maxLength(DIRECTORY_LIMITS.maxQueryLength))),
    null,
  ),
  specialty,
  listed: z.boolean(),
});

const invalid = (e: z.core.$ZodError, problem: string): AppError =>
  appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
    problem,
    issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

export class ClinicDirectoryService {
  constructor(private readonly repo: ClinicDirectoryRepository) {}

  /** Anyone: one page of listed clinics (D5: ≤ 20; `nextOffset` for the next). */
  async search(input: z.input<typeof DirectorySearchSchema>): Promise<Result<DirectoryPage, AppError>> {
    const p = DirectorySearchSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error, p.error.issues[0]?.path[0] === 'offset' ? 'page' : 'length'));
    return this.repo.search(p.data);
  }

  /** The clinic's own entry (its staff). */
  listing(clinicId: string): Promise<Result<ClinicListing, AppError>> {
    return this.repo.listing(clinicId);
  }

  /** Owners/admins: city, specialty and whether the clinic is listed (D1, D3: a listed clinic has a city). */
  async setListing(
    clinicId: string,
    input: z.input<typeof ClinicListingSchema>,
  ): Promise<Result<ClinicListing, AppError>> {
    const p = ClinicListingSchema.safeParse(input);
    if (!p.success)
      return err(invalid(p.error, p.error.issues[0]?.path[0] === 'specialty' ? 'specialty' : 'city'));
    const city = p.data.city || null;
    if (p.data.listed && city === null)
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'A listed clinic needs a city', { problem: 'city' }));
    return this.repo.setListing(clinicId, { city, specialty: p.data.specialty, listed: p.data.listed });
  }
}
