/**
 * Web push (issue 20): "your turn is near" (almost_turn) and "you are called" (your_turn) to the browsers a
 * patient opted in from their visit's tracker. The database lists the visit's subscriptions and records the push
 * (channel push, cost 0, outside the messaging budget) under its idempotency key BEFORE any request
 * (notification_push_begin); each subscription gets one request built by the `web-push` library (RFC 8291
 * aes128gcm payload encrypted for the browser's keys, RFC 8292 VAPID JWT signed with our private key); an endpoint
 * answered 404/410 has expired and is removed (push_subscription_gone). No browser reached → failed, then the same
 * text by SMS once (notification_sms_fallback).
 *
 * Environment: VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY (base64url, `npx web-push generate-vapid-keys`; without them
 * there is no push: the tracker offers no button and every message keeps its route), VAPID_SUBJECT (mailto: or
 * https: contact the push services may use; default mailto:push@queuemed.invalid), WEB_PUSH_TTL (seconds a push
 * service keeps an undelivered push, default 900), WEB_PUSH_ALLOW_PRIVATE_URLS=1 (tests only: a push service on
 * 127.0.0.1 over http). Otherwise every request goes through the one outbound guard (outbound.ts), as webhooks do:
 * https, no private address — a host name is resolved once, judged, and the request sent to that address.
 *
 * A push service that is busy (429, 5xx, unreachable) is not a lost browser: the sender tries again later
 * (notification_push_defer / the sweep's notification_push_retry_due), honouring Retry-After.
 */
import type { Env } from './http.ts';
import type { OpenConnection } from './pinnedPost.ts';
import type { Resolve } from './outbound.ts';
import { outboundPost, outboundTarget } from './outbound.ts';

export interface PushConfig {
  publicKey: string;
  privateKey: string;
  subject: string;
  ttl: number;
  /** WEB_PUSH_ALLOW_PRIVATE_URLS=1: tests only (a push service on 127.0.0.1 over http). Off by default. */
  allowPrivate: boolean;
  /** The outbound guard's resolver and connection (tests); default: DNS and TCP + TLS. */
  resolve?: Resolve;
  open?: OpenConnection;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

export const pushFromEnv = (env: Env): PushConfig | null => {
  const publicKey = (env.get('VAPID_PUBLIC_KEY') ?? '').trim();
  const privateKey = (env.get('VAPID_PRIVATE_KEY') ?? '').trim();
  // a P-256 public key is 65 bytes (87 base64url characters), the private key 32 (43)
  if (
    publicKey.length !== 87 ||
    privateKey.length !== 43 ||
    !B64URL.test(publicKey) ||
    !B64URL.test(privateKey)
  )
    return null;
  const subject = (env.get('VAPID_SUBJECT') ?? '').trim();
  const ttl = Number(env.get('WEB_PUSH_TTL'));
  return {
    publicKey,
    privateKey,
    subject: /^(mailto:|https:\/\/)/.test(subject) ? subject : 'mailto:push@queuemed.invalid',
    ttl: Number.isInteger(ttl) && ttl >= 0 && ttl <= 86_400 ? ttl : 900,
    allowPrivate: env.get('WEB_PUSH_ALLOW_PRIVATE_URLS') === '1',
  };
};

export interface PushSubscriptionRow {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** What the service worker shows (public/push-sw.js): the server's text in the patient's language. */
export interface PushPayload {
  title: string;
  body: string;
  lang: 'ar' | 'fr' | 'en';
  dir: 'rtl' | 'ltr';
  /** One notification per visit: "you are called" replaces "your turn is near". */
  tag: string;
  /** Where a tap on the notification leads (the visit's tracker), or null. */
  url: string | null;
  kind: string;
}

export type PushOutcome =
  | { ok: true; status: number }
  /**
   * gone: the push service answered 404/410 (expired or unsubscribed) or the endpoint is not allowed.
   * busy: 429, 5xx or the service could not be reached — worth another try later (retryAfterS: its Retry-After).
   */
  | {
      ok: false;
      status: number | null;
      gone: boolean;
      busy: boolean;
      retryAfterS: number | null;
      reason: string;
    };

/** Whether the sender may call this endpoint, as far as the URL alone tells (outbound.ts judges names too). */
export const endpointAllowed = async (
  endpoint: string,
  allowPrivate: boolean,
  resolve?: Resolve,
): Promise<boolean> => {
  const t = await outboundTarget(endpoint, { allowPrivate, resolve });
  return t.kind === 'any' || t.kind === 'pinned';
};

/** Retry-After: delay-seconds or an HTTP date (RFC 9110 §10.2.3), as whole seconds from `nowMs`; else null. */
export const retryAfterSeconds = (value: string | null, nowMs: number): number | null => {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (!/[a-z]/i.test(v) || Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
};

interface WebPushLib {
  generateRequestDetails(
    subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
    payload: string,
    options: {
      vapidDetails: { subject: string; publicKey: string; privateKey: string };
      TTL: number;
      urgency: 'high' | 'normal';
      topic?: string;
    },
  ): { method: string; headers: Record<string, string | number>; body: Uint8Array | null; endpoint: string };
}

/** The web-push library, loaded on the first push (an SMS-only function never pays for it). */
let lib: Promise<WebPushLib> | null = null;
const webPush = (): Promise<WebPushLib> =>
  (lib ??= import('npm:web-push@^3').then((m) => (m.default ?? m) as unknown as WebPushLib));

/**
 * One push to one subscription: the request `web-push` builds (encrypted payload, VAPID Authorization), sent with
 * our own fetch (so a test's push service on 127.0.0.1 can receive it over http, and no proxy agent is involved).
 */
export const sendPush = async (
  sub: PushSubscriptionRow,
  payload: PushPayload,
  cfg: PushConfig,
  doFetch: typeof fetch,
  nowMs: () => number = () => Date.now(),
): Promise<PushOutcome> => {
  const refused = (reason: string): PushOutcome => ({
    ok: false,
    status: null,
    gone: true,
    busy: false,
    retryAfterS: null,
    reason,
  });
  let url: URL;
  try {
    url = new URL(sub.endpoint);
  } catch {
    return refused('push endpoint not allowed');
  }
  const wp = await webPush();
  let details: ReturnType<WebPushLib['generateRequestDetails']>;
  try {
    details = wp.generateRequestDetails(
      { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
      JSON.stringify(payload),
      {
        vapidDetails: { subject: cfg.subject, publicKey: cfg.publicKey, privateKey: cfg.privateKey },
        TTL: cfg.ttl,
        urgency: payload.kind === 'your_turn' ? 'high' : 'normal',
      },
    );
  } catch (e) {
    // keys the browser never made (not a point on P-256 …): this subscription can never receive a push
    return refused(`push keys unusable: ${String(e).slice(0, 120)}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(details.headers)) headers[k] = String(v);
  try {
    // the one outbound guard (outbound.ts), as webhooks: the endpoint's name resolved once, judged, pinned
    const answer = await outboundPost(url, headers, details.body ?? new Uint8Array(0), {
      allowPrivate: cfg.allowPrivate,
      resolve: cfg.resolve,
      open: cfg.open,
      fetch: doFetch,
      signal: AbortSignal.timeout(10_000),
    });
    if (answer.kind === 'refused') return refused('push endpoint not allowed');
    if (answer.kind === 'unresolved')
      return {
        ok: false,
        status: null,
        gone: false,
        busy: true,
        retryAfterS: null,
        reason: 'push service not reachable: its name did not resolve',
      };
    const status = answer.status;
    if (status >= 200 && status < 300) return { ok: true, status };
    return {
      ok: false,
      status,
      gone: status === 404 || status === 410,
      busy: status === 429 || status >= 500,
      retryAfterS: retryAfterSeconds(answer.headers.get('retry-after'), nowMs()),
      reason: `push service answered ${status}`,
    };
  } catch (e) {
    return {
      ok: false,
      status: null,
      gone: false,
      busy: true,
      retryAfterS: null,
      reason: `push network error: ${e instanceof Error ? e.name : 'error'}`,
    };
  }
};

/** The host of an endpoint, for logs (the full endpoint is a capability URL: never logged). */
export const endpointHost = (endpoint: string): string => {
  try {
    return new URL(endpoint).host;
  } catch {
    return '?';
  }
};
