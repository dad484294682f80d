/** What a function needs from its environment, built once per request (tests pass their own). */
import type { Env } from './http.ts';
import { sleep } from './http.ts';
import type { Log, LogFields } from './log.ts';
import { childSpan, continueTrace, formatTraceparent } from '../../../src/services/shared/trace.ts';
import { forwardedClient, makeRpc, supaFromEnv } from './rest.ts';
import type { Rpc } from './rest.ts';
import type { SendDeps } from './send.ts';
import { segmentPriceFrom, whatsappPriceFrom } from './send.ts';
import { twilioFromEnv } from './twilio.ts';
import { DEFAULT_EMAIL_FROM, emailFromEnv, smtpMailer } from './email.ts';
import type { Mailer } from './email.ts';
import { unsubscribeFromEnv } from './unsubscribe.ts';
import { pushFromEnv } from './push.ts';

/** One SMTP adapter per process (nodemailer pools nothing here, but loads once). */
let mailerCache: { url: string; mailer: Mailer } | null = null;
const mailerFor = (env: Env): { mailer: Mailer | null; from: string } => {
  const cfg = emailFromEnv(env);
  if (cfg === null) return { mailer: null, from: DEFAULT_EMAIL_FROM };
  if (mailerCache?.url !== cfg.url) mailerCache = { url: cfg.url, mailer: smtpMailer(cfg) };
  return { mailer: mailerCache.mailer, from: cfg.from };
};

export interface Runtime {
  env: Env;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  log: Log;
}

export const defaultRuntime = (env: Env, log: Log): Runtime => ({
  env,
  fetch: (...a) => fetch(...a),
  sleep,
  random: Math.random,
  log,
});

/**
 * The runtime for one request, in the caller's W3C trace (issue 19; src/services/shared/trace.ts): every log
 * line carries `trace_id`, and the calls made to the project's own API (RPCs) send `traceparent` with a span of
 * this function — so the browser's request, this function's lines and the database calls share one id. Calls to
 * other hosts (Twilio, SMTP, webhooks) get no trace header.
 */
export const tracedRuntime = (rt: Runtime, req: Request): Runtime & { traceId: string } => {
  const trace = continueTrace(req.headers.get('traceparent'));
  const own = (rt.env.get('SUPABASE_URL') ?? '').replace(/\/$/, '');
  const withTrace = (fields?: LogFields): LogFields => ({ ...fields, trace_id: trace.traceId });
  return {
    ...rt,
    traceId: trace.traceId,
    log: {
      info: (msg, fields) => rt.log.info(msg, withTrace(fields)),
      warn: (msg, fields) => rt.log.warn(msg, withTrace(fields)),
      error: (msg, fields) => rt.log.error(msg, withTrace(fields)),
    },
    fetch: (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (own === '' || !(url === own || url.startsWith(`${own}/`))) return rt.fetch(input, init);
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set('traceparent', formatTraceparent(childSpan(trace)));
      return rt.fetch(input, { ...init, headers });
    },
  };
};

/**
 * An RPC client acting with `token` (the service key → the service role). `caller`: the request the function is
 * answering — its client's address goes with every call (forwardedClient), so audit rows and per-address limits see
 * that client, not the function host's 127.0.0.1 (mreview22 L7). Every handler passes its request.
 */
export const rpcFor = (rt: Runtime, token: string, caller?: Request): Rpc => {
  const s = supaFromEnv(rt.env);
  const headers = caller ? forwardedClient(caller, rt.env.get('QUEUEMED_FORWARD_SECRET') ?? '') : undefined;
  return makeRpc({
    url: s.url,
    apiKey: token === s.serviceKey ? s.serviceKey : s.anonKey,
    token,
    fetch: rt.fetch,
    ...(headers ? { headers } : {}),
  });
};

export const isServiceToken = (rt: Runtime, token: string): boolean => {
  const key = rt.env.get('SUPABASE_SERVICE_ROLE_KEY') ?? '';
  return key !== '' && token === key;
};

export const sendDeps = (rt: Runtime, rpc: Rpc): SendDeps => {
  const base = (
    rt.env.get('TWILIO_WEBHOOK_BASE_URL') ||
    `${(rt.env.get('SUPABASE_URL') ?? '').replace(/\/$/, '')}/functions/v1`
  ).replace(/\/$/, '');
  const push = pushFromEnv(rt.env);
  return {
    rpc,
    twilio: twilioFromEnv(rt.env),
    fetch: rt.fetch,
    sleep: rt.sleep,
    random: rt.random,
    log: rt.log,
    segmentPrice: segmentPriceFrom(rt.env.get('SMS_SEGMENT_PRICE')),
    email: mailerFor(rt.env),
    unsubscribe: unsubscribeFromEnv(rt.env),
    // TWILIO_WHATSAPP_FROM: the platform's WhatsApp number (E.164, without the whatsapp: prefix)
    whatsapp: {
      from: (rt.env.get('TWILIO_WHATSAPP_FROM') ?? '').replace(/^whatsapp:/, '') || null,
      price: whatsappPriceFrom(rt.env.get('WHATSAPP_MESSAGE_PRICE')),
    },
    push,
    // push endpoints and keys are the server's only: read with the service key (not the caller's token)
    serviceRpc: push ? rpcFor(rt, supaFromEnv(rt.env).serviceKey) : undefined,
    statusCallbackUrl:
      rt.env.get('TWILIO_STATUS_CALLBACK') === 'off' ? null : `${base}/twilio-status-callback`,
  };
};
