/**
 * `ClinicDirectoryRepository` on supabase-js (dir20): search_clinic_directory (anyone), get_clinic_listing (staff),
 * set_clinic_listing (owners/admins), each answer parsed with zod. Loaded with the directory page and the admin's
 * listing section only (services.directory()).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import {
  DIRECTORY_LIMITS,
  SPECIALTIES,
  type ClinicDirectoryRepository,
  type ClinicListing,
  type ClinicListingInput,
  type DirectoryPage,
  type DirectorySearch,
} from './ClinicDirectoryRepository';

const specialty = z.nullable(z.enum(SPECIALTIES));

const DirectoryPageSchema = z.pipe(
  z.object({
    items: z
      .array(
        z.object({
          id: z.string(),
          slug: z.string().check(z.minLength(1)),
          name: z.string(),
          city: z.string(),
          specialty,
          address: z.nullable(z.string()),
        }),
      )
      .check(z.maxLength(DIRECTORY_LIMITS.pageSize)),
    next_offset: z.nullable(z.number().check(z.int(), z.gte(0))),
  }),
  z.transform((p): DirectoryPage => ({
    items: p.items.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      city: c.city,
      specialty: c.specialty,
      address: c.address,
    })),
    nextOffset: p.next_offset,
  })),
);

const ListingSchema = z.pipe(
  z.object({ city: z.nullable(z.string()), specialty, listed: z.boolean(), sms_held: z.boolean() }),
  z.transform((l): ClinicListing => ({
    city: l.city,
    specialty: l.specialty,
    listed: l.listed,
    smsHeld: l.sms_held,
  })),
);

export class SupabaseClinicDirectoryRepository implements ClinicDirectoryRepository {
  constructor(private readonly client: SupabaseClient) {}

  search(s: DirectorySearch): Promise<Result<DirectoryPage, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('search_clinic_directory', {
          p_query: s.query,
          p_city: s.city,
          p_specialty: s.specialty,
          p_offset: s.offset,
          p_limit: DIRECTORY_LIMITS.pageSize,
        }),
        DirectoryPageSchema,
        'search_clinic_directory',
      ),
    );
  }

  listing(clinicId: string): Promise<Result<ClinicListing, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_clinic_listing', { p_clinic_id: clinicId }),
        ListingSchema,
        'get_clinic_listing',
      ),
    );
  }

  setListing(clinicId: string, l: ClinicListingInput): Promise<Result<ClinicListing, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('set_clinic_listing', {
          p_clinic_id: clinicId,
          p_city: l.city,
          p_specialty: l.specialty,
          p_listed: l.listed,
        }),
        ListingSchema,
        'set_clinic_listing',
      ),
    );
  }
}
