/** `RemoteJoinRepository` on supabase-js: get_remote_join and join_queue_remotely (zod-parsed). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import type {
  RemoteJoined,
  RemoteJoinRepository,
  RemoteJoinRequest,
  RemoteJoinSettings,
  RemoteJoinState,
} from './RemoteJoinRepository';

const RemoteJoinStateSchema = z.pipe(
  z.object({
    open: z.boolean(),
    reason: z.nullable(z.enum(['off', 'closed_day', 'day_closed', 'intake_closed', 'outside_hours', 'full'])),
    remaining: z.nullable(z.number().check(z.int())),
  }),
  z.transform((r): RemoteJoinState => r),
);
const RemoteJoinedSchema = z.pipe(
  z.object({
    entry_id: z.string(),
    queue_id: z.string(),
    clinic_id: z.string(),
    day: z.string(),
    ticket_number: z.number().check(z.int()),
    ticket: z.string(),
    status: z.literal('waiting'),
    tracking_token: z.string().check(z.minLength(16)),
    arrive_by: z.optional(z.nullable(z.string())),
  }),
  z.transform((r): RemoteJoined => ({
    entryId: r.entry_id,
    queueId: r.queue_id,
    clinicId: r.clinic_id,
    day: r.day,
    ticketNumber: r.ticket_number,
    ticket: r.ticket,
    status: r.status,
    trackingToken: r.tracking_token,
    arriveBy: r.arrive_by ?? null,
  })),
);
const RemoteJoinSettingsSchema = z.pipe(
  z.object({
    remote_join_cap: z.nullable(z.number().check(z.int())),
    remote_arrival_minutes: z.nullable(z.number().check(z.int())),
  }),
  z.transform((r): RemoteJoinSettings => ({
    cap: r.remote_join_cap,
    arrivalMinutes: r.remote_arrival_minutes,
  })),
);

export class SupabaseRemoteJoinRepository implements RemoteJoinRepository {
  constructor(private readonly client: SupabaseClient) {}

  remoteJoinState(clinicId: string): Promise<Result<RemoteJoinState, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_remote_join', { p_clinic_id: clinicId }),
        RemoteJoinStateSchema,
        'get_remote_join',
      ),
    );
  }

  joinRemotely(request: RemoteJoinRequest): Promise<Result<RemoteJoined, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('join_queue_remotely', {
          p_clinic_id: request.clinicId,
          p_full_name: request.fullName ?? null,
          p_language: request.language ?? null,
        }),
        RemoteJoinedSchema,
        'join_queue_remotely',
      ),
    );
  }

  remoteJoinSettings(clinicId: string): Promise<Result<RemoteJoinSettings, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_remote_join_settings', { p_clinic_id: clinicId }),
        RemoteJoinSettingsSchema,
        'get_remote_join_settings',
      ),
    );
  }

  setRemoteJoin(
    clinicId: string,
    settings: RemoteJoinSettings,
  ): Promise<Result<RemoteJoinSettings, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('set_remote_join', {
          p_clinic_id: clinicId,
          p_cap: settings.cap,
          p_arrival_minutes: settings.arrivalMinutes,
        }),
        RemoteJoinSettingsSchema,
        'set_remote_join',
      ),
    );
  }
}
