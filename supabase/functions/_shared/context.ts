/** What a function needs from its environment, built once per request (tests pass their own). */
import type { Env } from './http.ts';
import { sleep } from './http.ts';
import type { Log } from './log.ts';
import { makeRpc, supaFromEnv } from './rest.ts';
import type { Rpc } from './rest.ts';
import type { SendDeps } from './send.ts';
import { segmentPriceFrom } from './send.ts';
import { twilioFromEnv } from './twilio.ts';

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

/** An RPC client acting with `token` (the service key → the service role). */
export const rpcFor = (rt: Runtime, token: string): Rpc => {
  const s = supaFromEnv(rt.env);
  return makeRpc({
    url: s.url,
    apiKey: token === s.serviceKey ? s.serviceKey : s.anonKey,
    token,
    fetch: rt.fetch,
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
  return {
    rpc,
    twilio: twilioFromEnv(rt.env),
    fetch: rt.fetch,
    sleep: rt.sleep,
    random: rt.random,
    log: rt.log,
    segmentPrice: segmentPriceFrom(rt.env.get('SMS_SEGMENT_PRICE')),
    statusCallbackUrl:
      rt.env.get('TWILIO_STATUS_CALLBACK') === 'off' ? null : `${base}/twilio-status-callback`,
  };
};
