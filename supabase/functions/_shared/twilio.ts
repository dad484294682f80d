/**
 * Twilio: the Messages API (send with retries), webhook signatures and TwiML replies.
 *
 * Configuration (environment): TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID +
 * TWILIO_API_KEY_SECRET for Basic auth with an API key), TWILIO_FROM (default sender: a number or an
 * alphanumeric sender id) or TWILIO_MESSAGING_SERVICE_SID, TWILIO_SENDERS (JSON {clinic_id: sender}
 * — a clinic's own sender; "MG…" means a messaging service), TWILIO_API_BASE (default
 * https://api.twilio.com; tests point it at a fake), TWILIO_MAX_ATTEMPTS (3), TWILIO_RETRY_BASE_MS (400).
 * Without account credentials the functions run in simulation mode (messages recorded as `simulated`).
 */
import type { Env } from './http.ts';
import { redactPhones } from './log.ts';

export interface TwilioConfig {
  accountSid: string;
  authUser: string;
  authSecret: string;
  authToken: string;
  apiBase: string;
  defaultFrom: string | null;
  messagingServiceSid: string | null;
  senders: Record<string, string>;
  maxAttempts: number;
  retryBaseMs: number;
}

const int = (v: string | undefined, def: number, lo: number, hi: number): number => {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isInteger(n) && n >= lo && n <= hi ? n : def;
};

/** null → simulation mode. */
export const twilioFromEnv = (env: Env): TwilioConfig | null => {
  const accountSid = env.get('TWILIO_ACCOUNT_SID') ?? '';
  const authToken = env.get('TWILIO_AUTH_TOKEN') ?? '';
  if (accountSid === '' || authToken === '') return null;
  let senders: Record<string, string> = {};
  try {
    const raw = JSON.parse(env.get('TWILIO_SENDERS') ?? '{}') as unknown;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      senders = Object.fromEntries(
        Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    }
  } catch {
    senders = {};
  }
  return {
    accountSid,
    authToken,
    authUser: env.get('TWILIO_API_KEY_SID') || accountSid,
    authSecret: env.get('TWILIO_API_KEY_SECRET') || authToken,
    apiBase: (env.get('TWILIO_API_BASE') || 'https://api.twilio.com').replace(/\/$/, ''),
    defaultFrom: env.get('TWILIO_FROM') || null,
    messagingServiceSid: env.get('TWILIO_MESSAGING_SERVICE_SID') || null,
    senders,
    maxAttempts: int(env.get('TWILIO_MAX_ATTEMPTS'), 3, 1, 10),
    retryBaseMs: int(env.get('TWILIO_RETRY_BASE_MS'), 400, 0, 60_000),
  };
};

/** The sender parameters for a clinic: its own (clinics.sms_sender, else TWILIO_SENDERS), else the platform's. */
export const senderParams = (
  cfg: TwilioConfig,
  clinicId: string,
  clinicSender: string | null = null,
): Record<string, string> => {
  const s = clinicSender ?? cfg.senders[clinicId] ?? cfg.messagingServiceSid ?? cfg.defaultFrom;
  if (!s)
    throw new Error('no SMS sender configured (TWILIO_FROM, TWILIO_MESSAGING_SERVICE_SID or TWILIO_SENDERS)');
  return /^MG[0-9a-fA-F]{32}$/.test(s) ? { MessagingServiceSid: s } : { From: s };
};

export type TwilioOutcome =
  | { ok: true; sid: string; segments: number | null; price: number | null; status: string }
  | { ok: false; retryable: boolean; httpStatus: number; reason: string; retryAfterMs: number | null };

const b64 = (s: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

/** One POST /2010-04-01/Accounts/{sid}/Messages.json. Never throws for HTTP or network failures. */
export const createMessage = async (
  cfg: TwilioConfig,
  params: Record<string, string>,
  f: typeof fetch = fetch,
): Promise<TwilioOutcome> => {
  let res: Response;
  try {
    res = await f(`${cfg.apiBase}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${b64(`${cfg.authUser}:${cfg.authSecret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(params).toString(),
    });
  } catch (e) {
    return {
      ok: false,
      retryable: true,
      httpStatus: 0,
      reason: `network: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300),
      retryAfterMs: null,
    };
  }
  const text = await res.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    body = {};
  }
  if (res.status >= 200 && res.status < 300 && typeof body.sid === 'string') {
    const seg = Number(body.num_segments);
    const price =
      body.price === null || body.price === undefined || body.price === ''
        ? null
        : Math.abs(Number(body.price));
    return {
      ok: true,
      sid: body.sid,
      segments: Number.isInteger(seg) && seg >= 0 ? seg : null,
      price: price !== null && Number.isFinite(price) ? price : null,
      status: typeof body.status === 'string' ? body.status : 'queued',
    };
  }
  // 2xx without a message sid: accepted or not, retrying could send twice — give up, not retry.
  const retryable = res.status === 429 || res.status >= 500;
  const ra = Number(res.headers.get('retry-after'));
  const code = body.code === undefined ? '' : ` ${String(body.code)}`;
  const msg = typeof body.message === 'string' ? `: ${redactPhones(body.message)}` : '';
  return {
    ok: false,
    retryable,
    httpStatus: res.status,
    reason: `twilio HTTP ${res.status}${code}${msg}`.slice(0, 500),
    retryAfterMs: Number.isFinite(ra) && ra > 0 ? Math.min(ra * 1000, 10_000) : null,
  };
};

/** Exponential backoff with full jitter: base·2^(n-1) + random·base (n = failed attempts so far). */
export const backoffMs = (
  cfg: Pick<TwilioConfig, 'retryBaseMs'>,
  failed: number,
  random: () => number,
): number => Math.round(cfg.retryBaseMs * 2 ** (failed - 1) + random() * cfg.retryBaseMs);

// ── Webhook signatures (https://www.twilio.com/docs/usage/webhooks/webhooks-security) ─────────────
/** base64(HMAC-SHA1(authToken, url + each POST parameter name+value, names sorted)). */
export const twilioSignature = async (
  authToken: string,
  url: string,
  params: Record<string, string>,
): Promise<string> => {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(authToken),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(data)));
  return btoa(String.fromCharCode(...sig));
};

const sameString = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
};

export const verifyTwilioSignature = async (
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | null,
): Promise<boolean> => {
  if (!signature || authToken === '') return false;
  return sameString(await twilioSignature(authToken, url, params), signature);
};

/**
 * The URL Twilio signed: the public functions URL (TWILIO_WEBHOOK_BASE_URL, else SUPABASE_URL +
 * /functions/v1) + /<function> + the query string. Inside the runtime `req.url` is an internal address.
 */
export const publicFunctionUrl = (env: Env, name: string, req: Request): string => {
  const base = (
    env.get('TWILIO_WEBHOOK_BASE_URL') || `${(env.get('SUPABASE_URL') ?? '').replace(/\/$/, '')}/functions/v1`
  ).replace(/\/$/, '');
  return `${base}/${name}${new URL(req.url).search}`;
};

/** Form-encoded POST parameters as Twilio sends them (each name once). */
export const formParams = async (req: Request): Promise<Record<string, string>> => {
  const text = await req.text();
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
};

const xmlEscape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** A TwiML answer: one reply message, or none. */
export const twiml = (message: string | null): Response =>
  new Response(
    `<?xml version="1.0" encoding="UTF-8"?><Response>${message === null ? '' : `<Message>${xmlEscape(message)}</Message>`}</Response>`,
    { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } },
  );
