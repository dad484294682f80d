/** Records what would be sent (tests, demos); at most once per idempotency key. */
import { ok } from '../../shared/Result';
import type { OutgoingSms, SmsChannel } from '../repositories/NotificationPorts';

export class InMemorySmsChannel implements SmsChannel {
  readonly sent: OutgoingSms[] = [];
  private readonly keys = new Set<string>();

  async send(message: OutgoingSms) {
    if (this.keys.has(message.idempotencyKey)) return ok({ status: 'duplicate' as const, providerId: null });
    this.keys.add(message.idempotencyKey);
    this.sent.push(message);
    return ok({ status: 'simulated' as const, providerId: `sim-${this.sent.length}` });
  }
}
