/** Test doubles for the functions' Deno tests: a scripted PostgREST, a recording Twilio, a log sink. */
import type { Runtime } from '../_shared/context.ts';
import { createLogger } from '../_shared/log.ts';

export const SUPA_URL = 'http://supa.test';
export const TWILIO = 'http://twilio.test';
export const ANON = 'anon-key';
export const SERVICE = 'service-key';
export const CLINIC = '11111111-1111-4111-8111-111111111111';
export const ENTRY = '22222222-2222-4222-8222-222222222222';
export const NOTIF = '33333333-3333-4333-8333-333333333333';

export interface Recorded {
  /** 'rpc:<fn>' or 'twilio' in call order. */
  order: string[];
  rpc: {
    fn: string;
    args: Record<string, unknown>;
    auth: string | null;
    apikey: string | null;
    traceparent: string | null;
  }[];
  twilio: {
    url: string;
    auth: string | null;
    contentType: string | null;
    form: Record<string, string>;
    traceparent: string | null;
  }[];
  sleeps: number[];
  logs: string[];
}

export type RpcScript = (fn: string, args: Record<string, unknown>) => { status: number; body: unknown };
export type TwilioScript = (n: number) => { status: number; body: unknown; headers?: Record<string, string> };

export const okRpc =
  (over: Partial<Record<string, unknown>> = {}): RpcScript =>
  (fn, args) => {
    if (fn in over) return { status: 200, body: over[fn] };
    switch (fn) {
      case 'notification_prepare':
        return {
          status: 200,
          body: {
            kind: args.p_kind ?? 'your_turn',
            entry_id: args.p_entry_id ?? ENTRY,
            event_id: 41,
            idempotency_key: 'your_turn:e1:c1',
            language: 'fr',
            template: 'Ticket {ticket}, it is your turn. Room {room}.',
            values: { ticket: 'A-007', room: '2', patient_name: 'Amina' },
            tracking_token_ok: false,
          },
        };
      case 'notification_recipient':
        return {
          status: 200,
          body: { phone: '+212612345678', language: 'fr', opted_out: false, patient_id: null },
        };
      case 'sms_budget_reserve':
        return {
          status: 200,
          body: { notification_id: NOTIF, status: 'queued', reserved: true, duplicate: false, alert: false },
        };
      case 'sms_budget_settle':
        return { status: 200, body: { notification_id: NOTIF, status: 'sent', attempts: 1 } };
      case 'notification_record_attempt':
        return { status: 200, body: 1 };
      default:
        return { status: 200, body: null };
    }
  };

export const twilioOk: TwilioScript = (n) => ({
  status: 201,
  body: { sid: `SM${String(n).padStart(32, '0')}`, status: 'queued', num_segments: '1', price: null },
});

export const makeRuntime = (
  opts: {
    env?: Record<string, string | undefined>;
    rpc?: RpcScript;
    twilio?: TwilioScript;
    /** send-sms's limit (send_sms_admit): answered here, whatever `rpc` scripts; default admitted. */
    admit?: { status: number; body: unknown };
  } = {},
): { rt: Runtime; rec: Recorded } => {
  const rec: Recorded = { order: [], rpc: [], twilio: [], sleeps: [], logs: [] };
  const env: Record<string, string | undefined> = {
    SUPABASE_URL: SUPA_URL,
    SUPABASE_ANON_KEY: ANON,
    SUPABASE_SERVICE_ROLE_KEY: SERVICE,
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
    TWILIO_AUTH_TOKEN: 'secret-token',
    TWILIO_FROM: 'QueueMed',
    TWILIO_API_BASE: TWILIO,
    TWILIO_RETRY_BASE_MS: '100',
    ...opts.env,
  };
  const rpc = opts.rpc ?? okRpc();
  const twilio = opts.twilio ?? twilioOk;
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    await Promise.resolve();
    const url = String(input instanceof Request ? input.url : input);
    const headers = new Headers(init?.headers);
    if (url.startsWith(`${SUPA_URL}/rest/v1/rpc/`)) {
      const fn = url.slice(`${SUPA_URL}/rest/v1/rpc/`.length);
      const args = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
      rec.order.push(`rpc:${fn}`);
      rec.rpc.push({
        fn,
        args,
        auth: headers.get('authorization'),
        apikey: headers.get('apikey'),
        traceparent: headers.get('traceparent'),
      });
      const r =
        fn === 'send_sms_admit' ? (opts.admit ?? { status: 200, body: { admitted: true } }) : rpc(fn, args);
      return new Response(JSON.stringify(r.body), {
        status: r.status,
        headers: { 'content-type': 'application/json' },
      });
    }
    if (url.startsWith(TWILIO)) {
      rec.order.push('twilio');
      const form = Object.fromEntries(new URLSearchParams(String(init?.body ?? '')));
      rec.twilio.push({
        url,
        auth: headers.get('authorization'),
        contentType: headers.get('content-type'),
        form,
        traceparent: headers.get('traceparent'),
      });
      const r = twilio(rec.twilio.length);
      return new Response(JSON.stringify(r.body), {
        status: r.status,
        headers: { 'content-type': 'application/json', ...r.headers },
      });
    }
    throw new Error(`unexpected fetch ${url}`);
  };
  const rt: Runtime = {
    env: { get: (k) => env[k] },
    fetch: fakeFetch as typeof fetch,
    sleep: (ms) => {
      rec.sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    log: createLogger('test', (l) => rec.logs.push(l)),
  };
  return { rt, rec };
};

export const post = (path: string, body: unknown, token: string | null = 'user-jwt'): Request =>
  new Request(`http://fn.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
