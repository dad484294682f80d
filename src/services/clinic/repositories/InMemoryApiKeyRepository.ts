/** In-memory `ApiKeyRepository` for the in-memory composition (tests, demos): no hashing, no database rules. */
import type { Clock } from '../../shared/Clock';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import type { ApiKeyInfo, ApiKeyRepository, CreatedApiKey, NewApiKey } from './ApiKeyRepository';

export class InMemoryApiKeyRepository implements ApiKeyRepository {
  private readonly keys = new Map<string, ApiKeyInfo & { clinicId: string }>();
  private seq = 0;

  /** `creatorName(clinicId)`: the acting member's name in that clinic (the database reads it from clinic_members). */
  constructor(
    private readonly clock: Clock,
    private readonly creatorName: (clinicId: string) => string | null = () => null,
  ) {}

  list(clinicId: string): Promise<Result<readonly ApiKeyInfo[], AppError>> {
    return Promise.resolve(ok([...this.keys.values()].filter((k) => k.clinicId === clinicId).reverse()));
  }

  create(input: NewApiKey): Promise<Result<CreatedApiKey, AppError>> {
    const n = ++this.seq;
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const key = `qmk_${String(n).padStart(64, '0')}`;
    this.keys.set(id, {
      id,
      clinicId: input.clinicId,
      name: input.name,
      keyPrefix: key.slice(0, 12),
      scopes: input.scopes,
      rateLimitPerMinute: input.rateLimitPerMinute,
      expiresAt: input.expiresAt,
      revokedAt: null,
      lastUsedAt: null,
      createdAt: this.clock.now().toISOString(),
      createdByName: this.creatorName(input.clinicId),
    });
    return Promise.resolve(ok({ id, key }));
  }

  revoke(keyId: string): Promise<Result<void, AppError>> {
    const k = this.keys.get(keyId);
    if (!k) return Promise.resolve(err(appError(ErrorCodes.NOT_FOUND, 'no such API key')));
    this.keys.set(keyId, { ...k, revokedAt: k.revokedAt ?? this.clock.now().toISOString() });
    return Promise.resolve(ok(undefined));
  }
}
