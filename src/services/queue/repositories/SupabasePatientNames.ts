/**
 * `PatientNames` on supabase-js: one `patients` read of the ids asked (RLS `patients_select`: staff of the
 * clinic), id and name only, zod-parsed.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { fromResponse, guard, isUuid } from '../../shared/repositories/postgrest';
import { MAX_NAMES_PER_LOOKUP, type PatientNames } from './PatientNames';

const NamesSchema = z.array(z.object({ id: z.string(), full_name: z.string() }));

export class SupabasePatientNames implements PatientNames {
  constructor(private readonly client: SupabaseClient) {}

  async namesOf(
    clinicId: string,
    patientIds: readonly string[],
  ): Promise<Result<ReadonlyMap<string, string>, AppError>> {
    const ids = [...new Set(patientIds)];
    if (!isUuid(clinicId) || ids.length > MAX_NAMES_PER_LOOKUP || !ids.every((id) => isUuid(id)))
      return err(
        appError(ErrorCodes.VALIDATION_FAILED, 'patient names: a clinic and at most 20 patient ids'),
      );
    if (ids.length === 0) return ok(new Map());
    return guard(async () => {
      const res = await this.client
        .from('patients')
        .select('id, full_name')
        .eq('clinic_id', clinicId)
        .in('id', ids);
      const rows = fromResponse(res, NamesSchema, 'patient names');
      if (!rows.ok) return rows;
      return ok(new Map(rows.value.map((r) => [r.id, r.full_name])));
    });
  }
}
