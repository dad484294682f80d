/**
 * Clinic API keys port (REST /v1, issue 18): an owner/admin creates a key (shown once, stored hashed by
 * the database), lists the clinic's keys, revokes one. The database decides who may.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';

export const API_KEY_SCOPES = ['read', 'queue', 'bookings', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  /** The first characters of the key (`qmk_1a2b3c4d`): enough to recognise it, not a secret. */
  readonly keyPrefix: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly rateLimitPerMinute: number;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  readonly createdAt: string;
  /**
   * Who made the key: the member's name in this clinic, null when that account is gone. A key stops when its
   * maker leaves, is deactivated or stops being an owner/admin (20261217800002).
   */
  readonly createdByName: string | null;
}

export interface NewApiKey {
  readonly clinicId: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly expiresAt: string | null;
  readonly rateLimitPerMinute: number;
}

export interface CreatedApiKey {
  readonly id: string;
  /** The secret itself — returned once, never stored in clear. */
  readonly key: string;
}

export interface ApiKeyRepository {
  list(clinicId: string): Promise<Result<readonly ApiKeyInfo[], AppError>>;
  create(input: NewApiKey): Promise<Result<CreatedApiKey, AppError>>;
  revoke(keyId: string): Promise<Result<void, AppError>>;
}
