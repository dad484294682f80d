/** `WebhookRepository` on supabase-js: RLS-covered reads of the two tables, writes through the RPCs; zod-parsed. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import type { AppError } from '../../shared/AppError';
import { ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import {
  WEBHOOK_EVENT_TYPES,
  type CreatedWebhookEndpoint,
  type NewWebhookEndpoint,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookRepository,
} from './WebhookRepository';

const instant = z.pipe(
  z.string(),
  z.transform((v) => new Date(v.replace(/^(\d{4}-\d\d-\d\d) /, '$1T')).toISOString()),
);
const Endpoint = z.pipe(
  z.object({
    id: z.string(),
    url: z.string(),
    description: z.nullable(z.string()),
    event_types: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabled_reason: z.nullable(z.enum(['owner', 'failing'])),
    consecutive_failures: z.number().check(z.int()),
    created_at: instant,
  }),
  z.transform((r): WebhookEndpoint => ({
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    consecutiveFailures: r.consecutive_failures,
    createdAt: r.created_at,
  })),
);
const Delivery = z.pipe(
  z.object({
    id: z.string(),
    endpoint_id: z.string(),
    event_type: z.enum(WEBHOOK_EVENT_TYPES),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().check(z.int()),
    last_status_code: z.nullable(z.number().check(z.int())),
    last_error: z.nullable(z.string()),
    next_attempt_at: instant,
    delivered_at: z.nullable(instant),
    created_at: instant,
  }),
  z.transform((r): WebhookDelivery => ({
    id: r.id,
    endpointId: r.endpoint_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
  })),
);
const Created = z.object({ id: z.string(), secret: z.string().check(z.regex(/^whsec_[0-9a-f]{64}$/)) });

const done = (r: Result<unknown, AppError>): Result<void, AppError> => (r.ok ? ok(undefined) : r);

export class SupabaseWebhookRepository implements WebhookRepository {
  constructor(private readonly client: SupabaseClient) {}

  listEndpoints(clinicId: string): Promise<Result<readonly WebhookEndpoint[], AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client
          .from('webhook_endpoints')
          .select(
            'id, url, description, event_types, enabled, disabled_reason, consecutive_failures, created_at',
          )
          .eq('clinic_id', clinicId)
          .order('created_at', { ascending: false }),
        z.array(Endpoint),
        'webhook_endpoints',
      ),
    );
  }

  listDeliveries(clinicId: string, limit: number): Promise<Result<readonly WebhookDelivery[], AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client
          .from('webhook_deliveries')
          .select(
            'id, endpoint_id, event_type, status, attempts, last_status_code, last_error, next_attempt_at, delivered_at, created_at',
          )
          .eq('clinic_id', clinicId)
          .order('created_at', { ascending: false })
          .limit(limit),
        z.array(Delivery),
        'webhook_deliveries',
      ),
    );
  }

  create(input: NewWebhookEndpoint): Promise<Result<CreatedWebhookEndpoint, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('create_webhook_endpoint', {
          p_clinic_id: input.clinicId,
          p_url: input.url,
          p_event_types: [...input.eventTypes],
          p_description: input.description,
        }),
        Created,
        'create_webhook_endpoint',
      ),
    );
  }

  setEnabled(endpointId: string, enabled: boolean): Promise<Result<void, AppError>> {
    return guard(async () =>
      done(
        fromResponse(
          await this.client.rpc('set_webhook_endpoint_enabled', {
            p_endpoint_id: endpointId,
            p_enabled: enabled,
          }),
          z.unknown(),
          'set_webhook_endpoint_enabled',
        ),
      ),
    );
  }

  remove(endpointId: string): Promise<Result<void, AppError>> {
    return guard(async () =>
      done(
        fromResponse(
          await this.client.rpc('delete_webhook_endpoint', { p_endpoint_id: endpointId }),
          z.unknown(),
          'delete_webhook_endpoint',
        ),
      ),
    );
  }

  resend(deliveryId: string): Promise<Result<void, AppError>> {
    return guard(async () =>
      done(
        fromResponse(
          await this.client.rpc('resend_webhook_delivery', { p_delivery_id: deliveryId }),
          z.unknown(),
          'resend_webhook_delivery',
        ),
      ),
    );
  }
}
