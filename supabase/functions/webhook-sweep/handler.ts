/**
 * POST /functions/v1/webhook-sweep — sends the webhook outbox (issue 18). Service role only: the local stack
 * calls it on an interval, Supabase on a schedule (pg_cron + pg_net, like notification-sweep).
 *
 * The database wrote one delivery per (endpoint, event) in the event's own transaction; here
 * `webhook_claim` leases the due ones, each is POSTed with its exact body and
 *   QueueMed-Signature: t=<unix s>,v1=<HMAC-SHA256(secret, "<t>.<body>")>   (../_shared/webhookSignature.ts)
 *   QueueMed-Event-Id: evt_<id>   QueueMed-Delivery-Id   QueueMed-Event-Type
 * and the outcome goes back through `webhook_record_attempt` (2xx delivered; else retried with backoff by the
 * database). Redirects are not followed. Unless WEBHOOK_ALLOW_PRIVATE_URLS=1, a host that is or resolves to
 * a loopback/private/link-local address is refused (recorded as a failed attempt, nothing sent), and the
 * host name is resolved ONCE: the request goes to the very address that was judged (TLS keeps the name for
 * SNI and the certificate, `Host:` keeps it too; ../_shared/pinnedPost.ts), so a name that resolves to a
 * public address at the check and to 127.0.0.1 at connect time (DNS rebinding) cannot reach the inside.
 *
 * A name with several addresses: every one is judged, and they are tried in order until one accepts the
 * connection (a request once written is never sent to a second address).
 *
 * An endpoint the database disables after repeated failures (webhook_record_attempt → endpoint_disabled) owes
 * its owner one notice: the database writes that debt in the same transaction (webhook_endpoints.failing_disables)
 * and the notification sweep sends it through the notifications outbox (kind webhook_disabled, the owner's
 * channel, the message log) — nothing is sent from here.
 *
 * Body (optional JSON): { limit?: 1-200 (20) }. Answer 200: { claimed, delivered, failed, disabled } — disabled:
 * endpoints this run switched off (their owner notices are owed to the notification sweep).
 */
import { z } from 'npm:zod@^4.6.7';
import { isServiceToken, rpcFor } from '../_shared/context.ts';
import type { Runtime } from '../_shared/context.ts';
import { bearerToken, fail, json } from '../_shared/http.ts';
import type { OpenConnection } from '../_shared/pinnedPost.ts';
import { outboundPost } from '../_shared/outbound.ts';
import { signWebhook, SIGNATURE_HEADER } from '../_shared/webhookSignature.ts';

const Options = z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict();

const Claimed = z.object({
  delivery_id: z.string(),
  endpoint_id: z.string(),
  url: z.string(),
  secret: z.string(),
  attempt: z.number().int(),
  event_id: z.number().int(),
  event_type: z.string(),
  body: z.string(),
});
type Claimed = z.infer<typeof Claimed>;

export interface WebhookSweepDeps {
  /** Unix milliseconds for the signature's timestamp. */
  now?: () => number;
  /** Addresses of a host name (A and AAAA). */
  resolve?: (host: string) => Promise<string[]>;
  timeoutMs?: number;
  /** Opens a connection to a resolved address (default: TCP + TLS with the URL's name as SNI). */
  open?: OpenConnection;
}

const PARALLEL = 4;

export const createWebhookSweepHandler =
  (rt: Runtime, deps: WebhookSweepDeps = {}) =>
  async (req: Request): Promise<Response> => {
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'POST only');
    const token = bearerToken(req);
    if (!token || !isServiceToken(rt, token)) return fail(403, 'AUTH.FORBIDDEN', 'service role only');
    const text = await req.text();
    let raw: unknown = {};
    try {
      raw = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return fail(400, 'VALIDATION.FAILED', 'the body must be JSON');
    }
    const opts = Options.safeParse(raw);
    if (!opts.success) return fail(400, 'VALIDATION.FAILED', 'invalid options');
    const allowPrivate = rt.env.get('WEBHOOK_ALLOW_PRIVATE_URLS') === '1';
    const now = deps.now ?? (() => Date.now());
    const timeoutMs = deps.timeoutMs ?? 10_000;

    const rpc = rpcFor(rt, token, req);
    const items = z
      .array(Claimed)
      .parse(await rpc('webhook_claim', { p_limit: opts.data.limit, p_lease_seconds: 60 }));
    let delivered = 0;
    let failed = 0;
    let disabledNow = 0;

    const sendOne = async (
      item: Claimed,
    ): Promise<{ ok: boolean; status: number | null; error: string | null }> => {
      let url: URL;
      try {
        url = new URL(item.url);
      } catch {
        return { ok: false, status: null, error: 'invalid URL' };
      }
      const t = Math.floor(now() / 1000);
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), timeoutMs);
      try {
        const headers = {
          'content-type': 'application/json',
          'user-agent': 'QueueMed-Webhooks/1',
          [SIGNATURE_HEADER]: await signWebhook(item.secret, t, item.body),
          'QueueMed-Event-Id': `evt_${item.event_id}`,
          'QueueMed-Event-Type': item.event_type,
          'QueueMed-Delivery-Id': item.delivery_id,
        };
        // the one outbound guard (../_shared/outbound.ts): https, no private address, the name resolved once
        const answer = await outboundPost(url, headers, item.body, {
          allowPrivate,
          resolve: deps.resolve,
          open: deps.open,
          fetch: rt.fetch,
          signal: ctrl.signal,
        });
        if (answer.kind === 'unresolved')
          return { ok: false, status: null, error: 'network: the host name could not be resolved' };
        if (answer.kind === 'refused') return { ok: false, status: null, error: answer.reason };
        const status = answer.status;
        const ok = status >= 200 && status < 300;
        return { ok, status, error: ok ? null : `HTTP ${status}` };
      } catch (e) {
        const aborted = ctrl.signal.aborted;
        return {
          ok: false,
          status: null,
          error: aborted
            ? `timeout after ${timeoutMs} ms`
            : `network: ${e instanceof Error ? e.message.slice(0, 200) : 'error'}`,
        };
      } finally {
        clearTimeout(timer);
      }
    };

    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const r = await sendOne(item);
        let disabled = false;
        try {
          const rec = (await rpc('webhook_record_attempt', {
            p_delivery_id: item.delivery_id,
            p_ok: r.ok,
            p_status_code: r.status,
            p_error: r.error,
          })) as { endpoint_disabled?: boolean } | null;
          disabled = rec?.endpoint_disabled === true;
        } catch (e) {
          // the lease expires and the next sweep sends it again (receivers dedupe by QueueMed-Event-Id)
          rt.log.error('webhook: attempt not recorded', {
            delivery_id: item.delivery_id,
            err: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
          });
        }
        if (disabled) {
          disabledNow++;
          rt.log.warn('webhook: endpoint disabled after repeated failures', {
            endpoint_id: item.endpoint_id,
          });
        }
        if (r.ok) delivered++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
    if (items.length > 0)
      rt.log.info('webhook sweep', {
        claimed: items.length,
        delivered,
        failed,
        disabled: disabledNow,
      });
    return json(200, { claimed: items.length, delivered, failed, disabled: disabledNow });
  };
