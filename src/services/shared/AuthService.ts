/**
 * AuthService — sign-in (email or phone + password for staff, phone + one-time code for patients),
 * sign-up, sign-out and the session, over the `AuthGateway` port. Input is checked here before GoTrue sees it.
 */
import { z } from './zod';
import { appError, ErrorCodes, type AppError } from './AppError';
import { err, type Result } from './Result';
import type { AuthGateway, AuthSession } from './repositories/AuthGateway';
import { asciiEmail } from './models/email';

const SignUpSchema = z.object({
  email: z.string().check(z.trim(), z.toLowerCase(), z.email(), z.maxLength(255)),
  password: z.string().check(z.minLength(8), z.maxLength(200)),
  fullName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  language: z.optional(z.enum(['ar', 'fr', 'en'])),
});
const invalid = (what: string): AppError => appError(ErrorCodes.VALIDATION_FAILED, `Invalid ${what}`);

export class AuthService {
  constructor(private readonly gateway: AuthGateway) {}

  session(): Promise<Result<AuthSession | null, AppError>> {
    return this.gateway.session();
  }

  onChange(listener: (session: AuthSession | null) => void): () => void {
    return this.gateway.onChange(listener);
  }

  /** `identifier`: an email or a phone number. */
  async signInWithPassword(identifier: string, password: string): Promise<Result<AuthSession, AppError>> {
    if (identifier.trim() === '' || password === '') return err(invalid('credentials'));
    // sec26: an e-mail's international domain as punycode, the form sign-up stored (a phone goes as typed)
    const id = identifier.trim();
    return this.gateway.signInWithPassword(id.includes('@') ? asciiEmail(id) : id, password);
  }

  async signUp(input: z.input<typeof SignUpSchema>): Promise<Result<AuthSession | null, AppError>> {
    // sec26: an international domain goes to the auth service as punycode ("x@مثال.ma" → "x@xn--mgbh0fb.ma";
    // look-alike full-width letters and zero-width marks folded), as patients.email does (asciiEmail); the auth
    // service refuses any other non-ASCII domain (EMAIL.DOMAIN_NOT_ASCII) — and zod's e-mail check is ASCII-only
    const p = SignUpSchema.safeParse({ ...input, email: asciiEmail(input.email.trim().toLowerCase()) });
    if (!p.success) return err(invalid('sign-up'));
    return this.gateway.signUp(p.data);
  }

  async sendOtp(phone: string): Promise<Result<void, AppError>> {
    if (phone.trim() === '') return err(appError(ErrorCodes.PHONE_INVALID, 'A phone is required'));
    return this.gateway.sendOtp(phone);
  }

  async verifyOtp(phone: string, code: string): Promise<Result<AuthSession, AppError>> {
    if (!/^\s*\d{4,8}\s*$/.test(code)) return err(invalid('code'));
    return this.gateway.verifyOtp(phone, code.trim());
  }

  signOut(): Promise<Result<void, AppError>> {
    return this.gateway.signOut();
  }
}
