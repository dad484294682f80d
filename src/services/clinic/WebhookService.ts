/**
 * WebhookService — the clinic's webhook endpoints and delivery log (issue 18). Input is validated here (an
 * http(s) URL, known event kinds); the database decides who may and which addresses are allowed (https,
 * no private/loopback host in production), writes the deliveries with the events, and signs nothing —
 * the `webhook-sweep` edge function sends them.
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, type Result } from '../shared/Result';
import {
  WEBHOOK_EVENT_TYPES,
  type CreatedWebhookEndpoint,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookRepository,
} from './repositories/WebhookRepository';

export const CreateWebhookInputSchema = z.object({
  clinicId: z.string().check(z.minLength(1), z.maxLength(200)),
  url: z
    .string()
    .check(z.trim(), z.minLength(10), z.maxLength(2000), z.regex(/^https?:\/\/\S+$/, 'an http(s) URL')),
  eventTypes: z
    .array(z.enum(WEBHOOK_EVENT_TYPES))
    .check(z.minLength(1), z.maxLength(WEBHOOK_EVENT_TYPES.length)),
  description: z.pipe(
    z._default(z.nullable(z.string().check(z.trim(), z.maxLength(120))), null),
    z.transform((s) => (s === '' ? null : s)),
  ),
});
export type CreateWebhookInput = z.input<typeof CreateWebhookInputSchema>;

export { WEBHOOK_EVENT_TYPES };

export const DELIVERY_LOG_SIZE = 50;

export class WebhookService {
  constructor(private readonly repo: WebhookRepository) {}

  listEndpoints(clinicId: string): Promise<Result<readonly WebhookEndpoint[], AppError>> {
    return this.repo.listEndpoints(clinicId);
  }

  listDeliveries(clinicId: string): Promise<Result<readonly WebhookDelivery[], AppError>> {
    return this.repo.listDeliveries(clinicId, DELIVERY_LOG_SIZE);
  }

  async create(input: CreateWebhookInput): Promise<Result<CreatedWebhookEndpoint, AppError>> {
    const p = CreateWebhookInputSchema.safeParse(input);
    if (!p.success) {
      const urlIssue = p.error.issues.some((i) => i.path[0] === 'url');
      return err(
        appError(urlIssue ? ErrorCodes.WEBHOOK_URL_INVALID : ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
          issues: p.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        }),
      );
    }
    return this.repo.create({ ...p.data, eventTypes: [...new Set(p.data.eventTypes)] });
  }

  setEnabled(endpointId: string, enabled: boolean): Promise<Result<void, AppError>> {
    return this.repo.setEnabled(endpointId, enabled);
  }

  remove(endpointId: string): Promise<Result<void, AppError>> {
    return this.repo.remove(endpointId);
  }

  resend(deliveryId: string): Promise<Result<void, AppError>> {
    return this.repo.resend(deliveryId);
  }
}
