/** In-memory `AuthGateway` for hook tests and demos (plain-text passwords: never use outside tests). */
import { appError, ErrorCodes } from '../AppError';
import { err, ok } from '../Result';
import type { AuthGateway, AuthSession } from './AuthGateway';

export class InMemoryAuthGateway implements AuthGateway {
  private current: AuthSession | null = null;
  private readonly users = new Map<string, { password: string; session: AuthSession }>();
  private readonly codes = new Map<string, string>();
  private readonly listeners = new Set<(s: AuthSession | null) => void>();
  /** The last code "sent" per phone (tests read it like the dev outbox). */
  readonly outbox = new Map<string, string>();

  private set(s: AuthSession | null) {
    this.current = s;
    for (const l of this.listeners) l(s);
  }
  async session() {
    return ok(this.current);
  }
  onChange(listener: (s: AuthSession | null) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async signUp(input: { email: string; password: string; fullName?: string }) {
    if (this.users.has(input.email))
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'user already registered'));
    if (input.password.length < 8) return err(appError(ErrorCodes.VALIDATION_FAILED, 'weak password'));
    const session = {
      userId: globalThis.crypto.randomUUID(),
      email: input.email,
      phone: null,
      fullName: input.fullName ?? null,
    };
    this.users.set(input.email, { password: input.password, session });
    this.set(session);
    return ok(session);
  }
  async signInWithPassword(email: string, password: string) {
    const u = this.users.get(email);
    if (!u || u.password !== password)
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'invalid login credentials'));
    this.set(u.session);
    return ok(u.session);
  }
  async sendOtp(phone: string) {
    const code = String(100000 + this.codes.size);
    this.codes.set(phone, code);
    this.outbox.set(phone, code);
    return ok(undefined);
  }
  async verifyOtp(phone: string, code: string) {
    if (this.codes.get(phone) !== code)
      return err(appError(ErrorCodes.AUTH_REQUIRED, 'token has expired or is invalid'));
    this.codes.delete(phone);
    const session = { userId: `phone:${phone}`, email: null, phone };
    this.set(session);
    return ok(session);
  }
  async signOut() {
    this.set(null);
    return ok(undefined);
  }
}
