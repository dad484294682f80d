/**
 * Expected failures are values, not exceptions (ARCHITECTURE.md §4).
 * A `Result` is either `{ ok: true, value }` or `{ ok: false, error }` where `error` carries a stable code.
 */
import type { AppError } from './AppError';

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E = AppError> = { readonly ok: false; readonly error: E };
export type Result<T, E = AppError> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });
