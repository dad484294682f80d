/** `AuthGateway` on supabase-js auth (GoTrue; the local stack serves the same endpoints). */
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { appError, ErrorCodes, type AppError } from '../AppError';
import { err, ok, type Result } from '../Result';
import { toE164Digits } from '../models/phoneInput';
import type { AuthGateway, AuthSession } from './AuthGateway';

const toSession = (s: Session | null): AuthSession | null =>
  s
    ? {
        userId: s.user.id,
        email: s.user.email ?? null,
        phone: s.user.phone ? `+${s.user.phone.replace(/^\+/, '')}` : null,
        fullName: typeof s.user.user_metadata?.full_name === 'string' ? s.user.user_metadata.full_name : null,
      }
    : null;

/** GoTrue errors → AppError codes (wrong password, rate limits, bad code: the UI shows a translated message). */
const authError = (e: { message: string; status?: number; code?: string }): AppError =>
  appError(
    // sec22a: the local auth refuses a code to a number outside the deployment's SMS countries
    e.code === 'phone_country_not_allowed'
      ? ErrorCodes.PHONE_COUNTRY_NOT_ALLOWED
      : e.code === 'phone_not_mobile' // sec25: a landline of an allowed country (+2125…): a mobile is needed
        ? ErrorCodes.PHONE_NOT_MOBILE
        : e.code === 'email_domain_not_ascii' // sec26: an invisible character or a non-ASCII domain (local auth)
          ? ErrorCodes.EMAIL_DOMAIN_NOT_ASCII
          : e.status === 422 || e.status === 400
            ? e.code === 'person_name_not_allowed' // fix23a: a sign-up's name breaking rule P1 (a link, a phone…)
              ? ErrorCodes.PERSON_NAME_NOT_ALLOWED
              : ErrorCodes.VALIDATION_FAILED
            : e.status === 401 || e.status === 403
              ? ErrorCodes.AUTH_REQUIRED
              : e.status === 429
                ? ErrorCodes.RATE_LIMITED // over_sms_send_rate_limit, over_request_rate_limit, …: "try again later"
                : ErrorCodes.INTERNAL,
    e.message,
    { authCode: e.code ?? null, status: e.status ?? null },
  );

export class SupabaseAuthGateway implements AuthGateway {
  constructor(private readonly client: SupabaseClient) {}

  async session(): Promise<Result<AuthSession | null, AppError>> {
    const { data, error } = await this.client.auth.getSession();
    return error ? err(authError(error)) : ok(toSession(data.session));
  }

  onChange(listener: (session: AuthSession | null) => void): () => void {
    const { data } = this.client.auth.onAuthStateChange((_event, s) => listener(toSession(s)));
    return () => data.subscription.unsubscribe();
  }

  async signInWithPassword(identifier: string, password: string): Promise<Result<AuthSession, AppError>> {
    const { data, error } = identifier.includes('@')
      ? await this.client.auth.signInWithPassword({ email: identifier.trim(), password })
      : await this.client.auth.signInWithPassword({ phone: toE164Digits(identifier), password });
    const s = toSession(data.session);
    return error ? err(authError(error)) : s ? ok(s) : err(appError(ErrorCodes.AUTH_REQUIRED, 'no session'));
  }

  async signUp(input: {
    email: string;
    password: string;
    fullName?: string;
    language?: 'ar' | 'fr' | 'en';
  }): Promise<Result<AuthSession | null, AppError>> {
    const { data, error } = await this.client.auth.signUp({
      email: input.email,
      password: input.password,
      options: { data: { full_name: input.fullName, preferred_language: input.language } },
    });
    return error ? err(authError(error)) : ok(toSession(data.session));
  }

  async sendOtp(phone: string): Promise<Result<void, AppError>> {
    const { error } = await this.client.auth.signInWithOtp({ phone: toE164Digits(phone) });
    return error ? err(authError(error)) : ok(undefined);
  }

  async verifyOtp(phone: string, code: string): Promise<Result<AuthSession, AppError>> {
    const { data, error } = await this.client.auth.verifyOtp({
      phone: toE164Digits(phone),
      token: code.trim(),
      type: 'sms',
    });
    const s = toSession(data.session);
    if (error) return err(authError(error));
    if (!s) return err(appError(ErrorCodes.AUTH_REQUIRED, 'no session'));
    // a walk-in record with the same (now proven) phone becomes the patient's own; best effort
    await this.client.rpc('claim_patient_records').then(
      () => undefined,
      () => undefined,
    );
    return ok(s);
  }

  /** Signs this browser out (scope `local`: a receptionist's sign-out must not end the doctor's tablet session). */
  async signOut(): Promise<Result<void, AppError>> {
    const { error } = await this.client.auth.signOut({ scope: 'local' });
    return error ? err(authError(error)) : ok(undefined);
  }
}
