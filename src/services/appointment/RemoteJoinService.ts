/**
 * "Join today's queue from my phone" (issue 17, a virtual walk-in): a signed-in patient takes a place in a
 * clinic's queue of today without a slot, when the clinic allows it. The database judges the clinic's cap,
 * its intake switch and the one-visit-a-day rule under the day's lock; this service validates the input and
 * hands back the ticket with its tracking link (the same tracker as every visit). Loaded on demand with the
 * clinic page's card (AppServices.remoteJoin), so no other screen carries it.
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import type { Logger } from '../shared/Logger';
import { err, ok, type Result } from '../shared/Result';
import type {
  RemoteJoined,
  RemoteJoinRepository,
  RemoteJoinSettings,
  RemoteJoinState,
} from './repositories/RemoteJoinRepository';

const id = z.string().check(z.minLength(1), z.maxLength(200));
export const RemoteJoinInputSchema = z.object({
  clinicId: id,
  fullName: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)))),
  language: z.optional(z.nullable(z.enum(['ar', 'fr', 'en']))),
});
export type RemoteJoinInput = z.input<typeof RemoteJoinInputSchema>;
/** The owners' form: remote joins a day (1-500) and the arrival window (5-240 min); null = off / none. */
export const RemoteJoinSettingsSchema = z.object({
  cap: z.nullable(z.number().check(z.int(), z.gte(1), z.lte(500))),
  arrivalMinutes: z.nullable(z.number().check(z.int(), z.gte(5), z.lte(240))),
});
export type { RemoteJoinSettings };
export type RemoteJoinedWithLink = RemoteJoined & { readonly trackingUrl: string };

const invalid = (e: z.core.$ZodError): AppError =>
  appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
    issues: e.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
  });

export class RemoteJoinService {
  constructor(
    private readonly repo: RemoteJoinRepository,
    private readonly trackingUrl: (token: string) => string = (t) => `/t/${t}`,
    private readonly logger?: Logger,
  ) {}

  /** Whether the clinic takes remote joins now, and why not. */
  async state(clinicId: string): Promise<Result<RemoteJoinState, AppError>> {
    const p = id.safeParse(clinicId);
    if (!p.success) return err(invalid(p.error));
    return this.repo.remoteJoinState(p.data);
  }

  async join(input: RemoteJoinInput): Promise<Result<RemoteJoinedWithLink, AppError>> {
    const p = RemoteJoinInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    const r = await this.repo.joinRemotely(p.data);
    if (!r.ok) {
      this.logger?.info({ code: r.error.code }, 'remote join refused');
      return r;
    }
    this.logger?.info({ clinicId: r.value.clinicId, entryId: r.value.entryId }, 'joined remotely');
    return ok({ ...r.value, trackingUrl: this.trackingUrl(r.value.trackingToken) });
  }

  /** The clinic's staff: the current cap and arrival window. */
  async settings(clinicId: string): Promise<Result<RemoteJoinSettings, AppError>> {
    const p = id.safeParse(clinicId);
    if (!p.success) return err(invalid(p.error));
    return this.repo.remoteJoinSettings(p.data);
  }

  /** The clinic's owners/admins: turn remote joins on (a cap) or off (null), with an optional arrival window. */
  async saveSettings(
    clinicId: string,
    settings: RemoteJoinSettings,
  ): Promise<Result<RemoteJoinSettings, AppError>> {
    const c = id.safeParse(clinicId);
    if (!c.success) return err(invalid(c.error));
    const p = RemoteJoinSettingsSchema.safeParse(settings);
    if (!p.success) return err(invalid(p.error));
    const r = await this.repo.setRemoteJoin(c.data, p.data);
    if (r.ok)
      this.logger?.info(
        { clinicId: c.data, cap: r.value.cap, arrivalMinutes: r.value.arrivalMinutes },
        'remote join settings saved',
      );
    return r;
  }
}
