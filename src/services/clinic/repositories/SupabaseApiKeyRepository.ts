/** `ApiKeyRepository` on supabase-js: the create/list/revoke_api_key RPCs, results parsed by zod. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import type { AppError } from '../../shared/AppError';
import { ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import {
  API_KEY_SCOPES,
  type ApiKeyInfo,
  type ApiKeyRepository,
  type CreatedApiKey,
  type NewApiKey,
} from './ApiKeyRepository';

const instant = z.pipe(
  z.string(),
  z.transform((v) => new Date(v.replace(/^(\d{4}-\d\d-\d\d) /, '$1T')).toISOString()),
);
const Info = z.pipe(
  z.object({
    id: z.string(),
    name: z.string(),
    key_prefix: z.string(),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    rate_limit_per_minute: z.number().check(z.int()),
    expires_at: z.nullable(instant),
    revoked_at: z.nullable(instant),
    last_used_at: z.nullable(instant),
    created_at: instant,
    created_by_name: z._default(z.nullable(z.string()), null),
  }),
  z.transform((r): ApiKeyInfo => ({
    id: r.id,
    name: r.name,
    keyPrefix: r.key_prefix,
    scopes: r.scopes,
    rateLimitPerMinute: r.rate_limit_per_minute,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
    createdByName: r.created_by_name,
  })),
);
const Created = z.object({ id: z.string(), key: z.string().check(z.regex(/^qmk_[0-9a-f]{64}$/)) });

export class SupabaseApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly client: SupabaseClient) {}

  list(clinicId: string): Promise<Result<readonly ApiKeyInfo[], AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('list_api_keys', { p_clinic_id: clinicId }),
        z.array(Info),
        'list_api_keys',
      ),
    );
  }

  create(input: NewApiKey): Promise<Result<CreatedApiKey, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('create_api_key', {
          p_clinic_id: input.clinicId,
          p_name: input.name,
          p_scopes: [...input.scopes],
          p_expires_at: input.expiresAt,
          p_rate_limit_per_minute: input.rateLimitPerMinute,
        }),
        Created,
        'create_api_key',
      ),
    );
  }

  revoke(keyId: string): Promise<Result<void, AppError>> {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('revoke_api_key', { p_key_id: keyId }),
        z.unknown(),
        'revoke_api_key',
      );
      return r.ok ? ok(undefined) : r;
    });
  }
}
