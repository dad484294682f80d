/**
 * Webhooks port (issue 18): an owner/admin registers an endpoint (URL + event kinds; the signing secret comes
 * back once), lists endpoints and the delivery log, switches an endpoint off/on, deletes it, resends a
 * delivery. Deliveries are written by the database with the events; the database decides who may.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';

export const WEBHOOK_EVENT_TYPES = [
  'visit.booked',
  'visit.cancelled',
  'patient.checked_in',
  'patient.called',
  'patient.no_show',
  'visit.finished',
  'day.ended',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly eventTypes: readonly WebhookEventType[];
  readonly enabled: boolean;
  /** Why it is off: switched off by a person, or disabled after repeated failures. */
  readonly disabledReason: 'owner' | 'failing' | null;
  readonly consecutiveFailures: number;
  readonly createdAt: string;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly eventType: WebhookEventType;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string;
  readonly deliveredAt: string | null;
  readonly createdAt: string;
}

export interface NewWebhookEndpoint {
  readonly clinicId: string;
  readonly url: string;
  readonly eventTypes: readonly WebhookEventType[];
  readonly description: string | null;
}

export interface CreatedWebhookEndpoint {
  readonly id: string;
  /** The signing secret (`whsec_…`) — returned once. */
  readonly secret: string;
}

export interface WebhookRepository {
  listEndpoints(clinicId: string): Promise<Result<readonly WebhookEndpoint[], AppError>>;
  /** The newest deliveries of the clinic (at most `limit`). */
  listDeliveries(clinicId: string, limit: number): Promise<Result<readonly WebhookDelivery[], AppError>>;
  create(input: NewWebhookEndpoint): Promise<Result<CreatedWebhookEndpoint, AppError>>;
  setEnabled(endpointId: string, enabled: boolean): Promise<Result<void, AppError>>;
  remove(endpointId: string): Promise<Result<void, AppError>>;
  resend(deliveryId: string): Promise<Result<void, AppError>>;
}
