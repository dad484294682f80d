/**
 * In-memory `WebhookRepository` for the in-memory composition (tests, demos): the database's URL rule in
 * short (https only; a loopback/private literal or a local name refused), no deliveries unless a test adds
 * them with `addDelivery`.
 */
import type { Clock } from '../../shared/Clock';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import type {
  CreatedWebhookEndpoint,
  NewWebhookEndpoint,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookRepository,
} from './WebhookRepository';

const PRIVATE_HOST =
  /^(localhost|.*\.(localhost|local|internal|lan)|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|169\.254\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|\[.*\]|[^.]+)$/i;

export class InMemoryWebhookRepository implements WebhookRepository {
  private readonly endpoints = new Map<string, WebhookEndpoint & { clinicId: string }>();
  private readonly deliveries = new Map<string, WebhookDelivery & { clinicId: string }>();
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  listEndpoints(clinicId: string): Promise<Result<readonly WebhookEndpoint[], AppError>> {
    return Promise.resolve(ok([...this.endpoints.values()].filter((e) => e.clinicId === clinicId).reverse()));
  }

  listDeliveries(clinicId: string, limit: number): Promise<Result<readonly WebhookDelivery[], AppError>> {
    return Promise.resolve(
      ok(
        [...this.deliveries.values()]
          .filter((d) => d.clinicId === clinicId)
          .reverse()
          .slice(0, limit),
      ),
    );
  }

  create(input: NewWebhookEndpoint): Promise<Result<CreatedWebhookEndpoint, AppError>> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      return Promise.resolve(err(appError(ErrorCodes.WEBHOOK_URL_INVALID, 'an https URL is required')));
    }
    if (url.protocol !== 'https:' || url.username !== '')
      return Promise.resolve(err(appError(ErrorCodes.WEBHOOK_URL_INVALID, 'an https URL is required')));
    if (PRIVATE_HOST.test(url.hostname))
      return Promise.resolve(err(appError(ErrorCodes.WEBHOOK_URL_PRIVATE, 'a private or local address')));
    const n = ++this.seq;
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    this.endpoints.set(id, {
      id,
      clinicId: input.clinicId,
      url: input.url,
      description: input.description,
      eventTypes: [...input.eventTypes],
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
      createdAt: this.clock.now().toISOString(),
    });
    return Promise.resolve(ok({ id, secret: `whsec_${String(n).padStart(64, '0')}` }));
  }

  setEnabled(endpointId: string, enabled: boolean): Promise<Result<void, AppError>> {
    const e = this.endpoints.get(endpointId);
    if (!e) return Promise.resolve(err(appError(ErrorCodes.NOT_FOUND, 'no such webhook endpoint')));
    this.endpoints.set(endpointId, {
      ...e,
      enabled,
      disabledReason: enabled ? null : 'owner',
      consecutiveFailures: enabled ? 0 : e.consecutiveFailures,
    });
    return Promise.resolve(ok(undefined));
  }

  remove(endpointId: string): Promise<Result<void, AppError>> {
    if (!this.endpoints.delete(endpointId))
      return Promise.resolve(err(appError(ErrorCodes.NOT_FOUND, 'no such webhook endpoint')));
    for (const [id, d] of this.deliveries) if (d.endpointId === endpointId) this.deliveries.delete(id);
    return Promise.resolve(ok(undefined));
  }

  resend(deliveryId: string): Promise<Result<void, AppError>> {
    const d = this.deliveries.get(deliveryId);
    if (!d) return Promise.resolve(err(appError(ErrorCodes.NOT_FOUND, 'no such webhook delivery')));
    this.deliveries.set(deliveryId, {
      ...d,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: this.clock.now().toISOString(),
    });
    return Promise.resolve(ok(undefined));
  }

  /** Test/demo hook: a delivery as the database would have written and the sweep updated it. */
  addDelivery(clinicId: string, d: WebhookDelivery): void {
    this.deliveries.set(d.id, { ...d, clinicId });
  }

  /** Test/demo hook: the sweep disabled an endpoint after repeated failures. */
  markFailing(endpointId: string, failures: number): void {
    const e = this.endpoints.get(endpointId);
    if (e)
      this.endpoints.set(endpointId, {
        ...e,
        enabled: false,
        disabledReason: 'failing',
        consecutiveFailures: failures,
      });
  }
}
