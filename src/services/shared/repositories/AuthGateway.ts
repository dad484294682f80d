/** The authentication port the hooks use (GoTrue through supabase-js in the app; in-memory in tests). */
import type { AppError } from '../AppError';
import type { Result } from '../Result';

export interface AuthSession {
  readonly userId: string;
  readonly email: string | null;
  readonly phone: string | null;
  /** The account's name (sign-up metadata), when it has one. */
  readonly fullName?: string | null;
}

export interface AuthGateway {
  session(): Promise<Result<AuthSession | null, AppError>>;
  /** Called on sign-in, sign-out and token refresh; returns the unsubscribe function. */
  onChange(listener: (session: AuthSession | null) => void): () => void;
  /** `identifier`: an email, or a phone (staff may sign in with either). */
  signInWithPassword(identifier: string, password: string): Promise<Result<AuthSession, AppError>>;
  signUp(input: {
    email: string;
    password: string;
    fullName?: string;
    language?: 'ar' | 'fr' | 'en';
  }): Promise<Result<AuthSession | null, AppError>>;
  /** Sends a one-time code by SMS (patients sign in with their phone). */
  sendOtp(phone: string): Promise<Result<void, AppError>>;
  /** Signs in with the code; the clinic records carrying that (now proven) phone become the account's. */
  verifyOtp(phone: string, code: string): Promise<Result<AuthSession, AppError>>;
  signOut(): Promise<Result<void, AppError>>;
}
