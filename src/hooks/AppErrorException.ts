import type { AppError, ErrorCode } from '../services/shared/AppError';
import type { Result } from '../services/shared/Result';

/**
 * What mutations and queries reject with: an Error carrying the stable AppError `code` (translate it with
 * `errorMessage(i18n, error.code)`; never show `message`).
 */
export class AppErrorException extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'AppErrorException';
    this.code = appError.code;
    this.details = appError.details;
  }
}

/** Unwraps a service Result for react-query: the value, or throws AppErrorException. */
export const unwrap = <T>(r: Result<T, AppError>): T => {
  if (!r.ok) throw new AppErrorException(r.error);
  return r.value;
};
