/**
 * ApiKeyService — clinic API keys for REST /v1 (issue 18): create (the key is shown once; the database
 * keeps only its SHA-256), list, revoke. Input is validated here; the database decides who may (owners
 * and admins of the clinic, never a key itself).
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, type Result } from '../shared/Result';
import {
  API_KEY_SCOPES,
  type ApiKeyInfo,
  type ApiKeyRepository,
  type CreatedApiKey,
} from './repositories/ApiKeyRepository';

export const CreateApiKeyInputSchema = z.object({
  clinicId: z.string().check(z.minLength(1), z.maxLength(200)),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  scopes: z.array(z.enum(API_KEY_SCOPES)).check(z.minLength(1), z.maxLength(4)),
  expiresAt: z._default(
    z.nullable(z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'Invalid timestamp'))),
    null,
  ),
  rateLimitPerMinute: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_000)), 120),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInputSchema>;

export class ApiKeyService {
  constructor(private readonly repo: ApiKeyRepository) {}

  list(clinicId: string): Promise<Result<readonly ApiKeyInfo[], AppError>> {
    return this.repo.list(clinicId);
  }

  async create(input: CreateApiKeyInput): Promise<Result<CreatedApiKey, AppError>> {
    const p = CreateApiKeyInputSchema.safeParse(input);
    if (!p.success)
      return err(
        appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
          issues: p.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        }),
      );
    return this.repo.create({
      ...p.data,
      scopes: [...new Set(p.data.scopes)],
      expiresAt: p.data.expiresAt === null ? null : new Date(p.data.expiresAt).toISOString(),
    });
  }

  revoke(keyId: string): Promise<Result<void, AppError>> {
    return this.repo.revoke(keyId);
  }
}
