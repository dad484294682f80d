// Web push (issue 20): deliver() for "near"/"called" when the patient opted in — against a fake push service on
// 127.0.0.1 that checks what a real one checks: one POST per subscription, a VAPID Authorization (ES256 JWT for the
// endpoint's origin, verified here with our public key) and an aes128gcm body that only the browser's private key
// opens (decrypted here: the payload is the server's text). 410 → the subscription removed and the SMS fallback
// once; no VAPID keys → no push at all. The database side is supabase/tests/webPush.test.ts.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createECDH, randomBytes } from 'node:crypto';
import ece from 'npm:http_ece@1.2.0';
import webpush from 'npm:web-push@^3';
import { CLINIC, ENTRY, NOTIF, SERVICE, makeRuntime, okRpc } from '../_test/fakes.ts';
import type { RpcScript } from '../_test/fakes.ts';
import { rpcFor, sendDeps } from './context.ts';
import { endpointAllowed, pushFromEnv, retryAfterSeconds } from './push.ts';
import { deliver, retryDuePushes } from './send.ts';

const PHONE = '+212612345678';
const FALLBACK_ID = '44444444-4444-4444-8444-444444444444';
const SUB_ID = '55555555-5555-4555-8555-555555555555';
const vapid = webpush.generateVAPIDKeys();

const b64u = (b: Uint8Array): string =>
  btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromB64u = (s: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );

/** A browser's push keys: what PushSubscription.toJSON() gives, and the private half to open the payload. */
const browserKeys = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth), authBuf: auth };
};

interface Received {
  method: string;
  path: string;
  headers: Headers;
  body: Uint8Array;
}

/** A push service on 127.0.0.1 answering each request with `status(n)` (and `headers(n)`). */
const pushService = (
  status: (n: number) => number,
  headers: (n: number) => Record<string, string> = () => ({}),
) => {
  const got: Received[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    got.push({
      method: req.method,
      path: new URL(req.url).pathname,
      headers: req.headers,
      body: new Uint8Array(await req.arrayBuffer()),
    });
    return new Response(null, { status: status(got.length), headers: headers(got.length) });
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return { got, origin, close: () => server.shutdown() };
};

/** Verifies a VAPID header (RFC 8292) with our public key; answers the JWT's claims. */
const verifyVapid = async (header: string | null, publicKey: string) => {
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(header ?? '');
  assert.ok(m, `a VAPID Authorization header, got ${header}`);
  assert.equal(m[2], publicKey);
  const [h, p, sig] = m[1]!.split('.');
  const key = await crypto.subtle.importKey(
    'raw',
    fromB64u(publicKey),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const ok = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    fromB64u(sig!),
    new TextEncoder().encode(`${h}.${p}`),
  );
  assert.ok(ok, 'the JWT is signed with the VAPID private key');
  return JSON.parse(new TextDecoder().decode(fromB64u(p!))) as { aud: string; exp: number; sub: string };
};

const routedBySms = (subs: { endpoint: string; p256dh: string; auth: string }[], over = {}): RpcScript =>
  okRpc({
    notification_recipient: {
      phone: PHONE,
      language: 'ar',
      opted_out: false,
      channel: 'sms',
      sender: null,
      patient_id: null,
    },
    notification_push_begin: {
      mode: 'push',
      notification_id: NOTIF,
      status: 'queued',
      duplicate: false,
      targets: subs.length,
    },
    // the endpoints and keys: only with the service key (notification_push_targets)
    notification_push_targets: subs.map((s, i) => ({ id: i === 0 ? SUB_ID : crypto.randomUUID(), ...s })),
    notification_push_settle: { notification_id: NOTIF, status: 'sent', attempts: 1 },
    push_subscription_gone: { removed: true },
    notification_sms_fallback: {
      notification_id: FALLBACK_ID,
      status: 'queued',
      reserved: true,
      duplicate: false,
      alert: false,
      phone: PHONE,
      fallback_of: NOTIF,
    },
    ...over,
  });

const BODY = 'عيادة أنفا: أمينة، اقترب دورك (A-007).';
/** send-sms runs with the staff member's own token; only the push targets go with the service key. */
const STAFF = 'staff-jwt';

const send = async (
  rpc: RpcScript,
  pushOrigin: string | null,
  env: Record<string, string | undefined> = {
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:ops@queuemed.test',
    WEB_PUSH_ALLOW_PRIVATE_URLS: '1',
  },
) => {
  const { rt, rec } = makeRuntime({ rpc, env });
  // the push service is real (127.0.0.1); PostgREST and Twilio are the recording fakes
  const fakeFetch = rt.fetch;
  const runtime = {
    ...rt,
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      pushOrigin && String(input instanceof Request ? input.url : input).startsWith(pushOrigin)
        ? fetch(input, init)
        : fakeFetch(input, init)) as typeof fetch,
  };
  const r = await deliver(
    {
      clinicId: CLINIC,
      kind: 'almost_turn',
      idempotencyKey: 'almost_turn:e1',
      body: BODY,
      entryId: ENTRY,
      eventId: 41,
      language: 'ar',
      values: { clinic_name: 'عيادة أنفا', tracking_url: 'https://queuemed.test/t/abc', ticket: 'A-007' },
    },
    sendDeps(runtime, rpcFor(runtime, STAFF)),
  );
  return { r, rec, runtime };
};

Deno.test(
  'web push: one request signed with VAPID, its payload encrypted for the browser; cost 0, no SMS',
  async () => {
    const svc = pushService(() => 201);
    const k = browserKeys();
    try {
      const { r, rec } = await send(
        routedBySms([{ endpoint: `${svc.origin}/push/abc`, p256dh: k.p256dh, auth: k.auth }]),
        svc.origin,
      );
      assert.equal(svc.got.length, 1);
      const req = svc.got[0]!;
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/push/abc');
      assert.equal(req.headers.get('content-encoding'), 'aes128gcm');
      assert.equal(req.headers.get('ttl'), '900');
      const claims = await verifyVapid(req.headers.get('authorization'), vapid.publicKey);
      assert.equal(claims.aud, svc.origin);
      assert.equal(claims.sub, 'mailto:ops@queuemed.test');
      // only the browser's private key opens it: the server's Arabic text, right-to-left, for this visit
      const plain = ece.decrypt(Buffer.from(req.body), {
        version: 'aes128gcm',
        privateKey: k.ecdh,
        authSecret: k.authBuf,
      });
      assert.deepEqual(JSON.parse(new TextDecoder().decode(plain)), {
        title: 'عيادة أنفا',
        body: BODY,
        lang: 'ar',
        dir: 'rtl',
        tag: `queuemed-visit-${ENTRY}`,
        url: 'https://queuemed.test/t/abc',
        kind: 'almost_turn',
      });
      assert.ok(
        !new TextDecoder().decode(req.body).includes('A-007'),
        'the body on the wire is not the text',
      );
      assert.equal(r.status, 'sent');
      assert.equal(r.channel, 'push');
      assert.equal(r.cost, 0);
      assert.deepEqual(r.push, { delivered: 1, removed: 0 });
      assert.equal(rec.twilio.length, 0);
      assert.deepEqual(
        rec.rpc.map((c) => c.fn),
        [
          'notification_recipient',
          'notification_push_begin',
          'notification_push_targets',
          'notification_push_settle',
        ],
      );
      // the caller's own token decides and records; the endpoints are read with the service key only
      assert.deepEqual(
        rec.rpc.map((c) => c.auth),
        [`Bearer ${STAFF}`, `Bearer ${STAFF}`, `Bearer ${SERVICE}`, `Bearer ${STAFF}`],
      );
      assert.deepEqual(rec.rpc[2]!.args, { p_notification_id: NOTIF });
      assert.deepEqual(rec.rpc[3]!.args, { p_notification_id: NOTIF, p_status: 'sent', p_delivered: 1 });
      // the endpoint is a capability URL: not in the logs; nor is the phone
      assert.ok(!rec.logs.join('\n').includes('/push/abc'));
      assert.ok(!rec.logs.join('\n').includes(PHONE));
    } finally {
      await svc.close();
    }
  },
);

Deno.test('web push: 410 → the subscription removed and the same text by SMS once', async () => {
  const svc = pushService(() => 410);
  const k = browserKeys();
  try {
    const { r, rec } = await send(
      routedBySms([{ endpoint: `${svc.origin}/push/gone`, p256dh: k.p256dh, auth: k.auth }]),
      svc.origin,
    );
    assert.equal(svc.got.length, 1);
    assert.deepEqual(
      rec.rpc.map((c) => c.fn),
      [
        'notification_recipient',
        'notification_push_begin',
        'notification_push_targets',
        'push_subscription_gone',
        'notification_push_settle',
        'notification_sms_fallback',
        'sms_budget_settle',
      ],
    );
    // revoked at once, by the server (service key), not retried
    assert.deepEqual(rec.rpc[3]!.args, { p_subscription_id: SUB_ID });
    assert.equal(rec.rpc[3]!.auth, `Bearer ${SERVICE}`);
    assert.equal(rec.rpc[4]!.args.p_status, 'failed');
    assert.match(String(rec.rpc[4]!.args.p_error), /410/);
    assert.equal(rec.rpc[5]!.args.p_notification_id, NOTIF);
    assert.equal(rec.rpc[5]!.args.p_body, BODY);
    assert.equal(rec.twilio.length, 1);
    assert.equal(rec.twilio[0]!.form.To, PHONE);
    assert.equal(rec.twilio[0]!.form.Body, BODY);
    assert.equal(r.status, 'sent');
    assert.equal(r.channel, undefined); // the SMS's own result
    assert.deepEqual(r.fallback_from, {
      notification_id: NOTIF,
      status: 'failed',
      error: 'push service answered 410',
    });
  } finally {
    await svc.close();
  }
});

Deno.test(
  'web push: two browsers, one expired (404) and one accepting → sent, the expired one removed, no SMS',
  async () => {
    const svc = pushService((n) => (n === 1 ? 404 : 201));
    const a = browserKeys();
    const b = browserKeys();
    try {
      const { r, rec } = await send(
        routedBySms([
          { endpoint: `${svc.origin}/push/old`, p256dh: a.p256dh, auth: a.auth },
          { endpoint: `${svc.origin}/push/new`, p256dh: b.p256dh, auth: b.auth },
        ]),
        svc.origin,
      );
      assert.deepEqual(
        svc.got.map((g) => g.path),
        ['/push/old', '/push/new'],
      );
      assert.equal(r.status, 'sent');
      assert.deepEqual(r.push, { delivered: 1, removed: 1 });
      assert.equal(rec.rpc.filter((c) => c.fn === 'push_subscription_gone').length, 1);
      assert.equal(rec.twilio.length, 0);
    } finally {
      await svc.close();
    }
  },
);

Deno.test(
  'web push: a 5xx is not an expiry — kept, put off for the sweep (Retry-After passed on), no SMS yet',
  async () => {
    const svc = pushService(
      () => 503,
      () => ({ 'retry-after': '120' }),
    );
    const k = browserKeys();
    try {
      const { r, rec } = await send(
        routedBySms([{ endpoint: `${svc.origin}/push/x`, p256dh: k.p256dh, auth: k.auth }], {
          notification_push_defer: { deferred: true, attempts: 1, retry_at: '2026-12-01T10:02:00Z' },
        }),
        svc.origin,
      );
      assert.equal(rec.rpc.filter((c) => c.fn === 'push_subscription_gone').length, 0);
      assert.equal(rec.twilio.length, 0);
      const defer = rec.rpc.find((c) => c.fn === 'notification_push_defer')!;
      assert.deepEqual(defer.args, {
        p_notification_id: NOTIF,
        p_error: 'push service answered 503',
        p_retry_after_seconds: 120,
      });
      assert.ok(!rec.rpc.some((c) => c.fn === 'notification_push_settle'));
      assert.equal(r.status, 'queued');
      assert.deepEqual(r.push, { delivered: 0, removed: 0, retry_at: '2026-12-01T10:02:00Z' });
    } finally {
      await svc.close();
    }
  },
);

Deno.test(
  'web push: a 4xx other than 404/410 (e.g. 403, a VAPID mismatch) is not retried: SMS at once',
  async () => {
    const svc = pushService(() => 403);
    const k = browserKeys();
    try {
      const { r, rec } = await send(
        routedBySms([{ endpoint: `${svc.origin}/push/x`, p256dh: k.p256dh, auth: k.auth }]),
        svc.origin,
      );
      assert.ok(!rec.rpc.some((c) => c.fn === 'notification_push_defer'));
      assert.equal(rec.rpc.filter((c) => c.fn === 'push_subscription_gone').length, 0);
      assert.equal(rec.twilio.length, 1);
      assert.equal(r.fallback_from?.error, 'push service answered 403');
    } finally {
      await svc.close();
    }
  },
);

Deno.test('web push: no subscription → the visit keeps its route (SMS), nothing pushed', async () => {
  const { r, rec } = await send(routedBySms([], { notification_push_begin: { mode: 'none' } }), null);
  assert.deepEqual(
    rec.rpc.map((c) => c.fn),
    ['notification_recipient', 'notification_push_begin', 'sms_budget_reserve', 'sms_budget_settle'],
  );
  assert.equal(r.channel, undefined);
  assert.equal(rec.twilio.length, 1);
});

Deno.test('web push: a duplicate key sends nothing again', async () => {
  const { r, rec } = await send(
    routedBySms([], {
      notification_push_begin: {
        mode: 'push',
        notification_id: NOTIF,
        status: 'sent',
        duplicate: true,
        subscriptions: [],
      },
    }),
    null,
  );
  assert.equal(r.duplicate, true);
  assert.equal(r.status, 'sent');
  assert.equal(r.channel, 'push');
  assert.equal(rec.twilio.length, 0);
  assert.equal(rec.rpc.length, 2);
});

Deno.test('web push: without VAPID keys there is no push (the database is not even asked)', async () => {
  const { rec } = await send(routedBySms([]), null, {});
  assert.ok(!rec.rpc.some((c) => c.fn === 'notification_push_begin'));
  assert.equal(rec.twilio.length, 1);
  assert.equal(pushFromEnv({ get: () => 'short' }), null);
});

Deno.test(
  'web push: a not-allowed endpoint (private address, http) is never called and is removed',
  async () => {
    for (const bad of [
      'http://push.example.com/x',
      'https://127.0.0.1/x',
      'https://10.0.0.8/x',
      'https://[::1]/x',
      'https://[fd00::1]/x',
      'https://[fe80::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://[::ffff:169.254.169.254]/x',
      'https://2130706433/x', // 127.0.0.1 written as one number
      'https://169.254.169.254/latest',
      'https://localhost/x',
      'https://push.localhost/x',
      'https://user:pw@push.example.com/x',
      'ftp://push.example.com/x',
      'not a url',
    ])
      assert.equal(await endpointAllowed(bad, false, () => Promise.resolve(['93.184.216.34'])), false, bad);
    const publicDns = () => Promise.resolve(['142.250.74.10', '2a00:1450:4007:80b::200a']);
    assert.equal(await endpointAllowed('https://fcm.googleapis.com/fcm/send/abc', false, publicDns), true);
    assert.equal(await endpointAllowed('https://8.8.8.8/x', false), true);
    assert.equal(await endpointAllowed('https://[2606:4700::1111]/x', false), true);
    // a name is resolved and every address judged: one private address among public ones is enough to refuse
    for (const addrs of [['10.0.0.8'], ['93.184.216.34', '127.0.0.1'], ['fd12::1'], ['::ffff:192.168.1.2']])
      assert.equal(
        await endpointAllowed('https://push.example.com/x', false, () => Promise.resolve(addrs)),
        false,
        addrs.join(),
      );
    const k = browserKeys();
    const { r, rec } = await send(
      routedBySms([{ endpoint: 'https://10.0.0.8/push', p256dh: k.p256dh, auth: k.auth }]),
      null,
      { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey },
    );
    assert.equal(rec.rpc.filter((c) => c.fn === 'push_subscription_gone').length, 1);
    assert.equal(r.fallback_from?.error, 'push endpoint not allowed');
  },
);

Deno.test('web push: the 127.0.0.1 allowance is explicit and off by default', async () => {
  const keys = { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey };
  const cfg = (extra: Record<string, string>) => pushFromEnv({ get: (k) => ({ ...keys, ...extra })[k] })!;
  assert.equal(cfg({}).allowPrivate, false);
  for (const v of ['true', 'yes', ' 1', '0', ''])
    assert.equal(cfg({ WEB_PUSH_ALLOW_PRIVATE_URLS: v }).allowPrivate, false, JSON.stringify(v));
  assert.equal(cfg({ WEB_PUSH_ALLOW_PRIVATE_URLS: '1' }).allowPrivate, true);
  // off: the test's own push service on 127.0.0.1 is refused (never called) — on: reached over http
  const svc = pushService(() => 201);
  const k = browserKeys();
  try {
    const sub = [{ endpoint: `${svc.origin}/push/local`, p256dh: k.p256dh, auth: k.auth }];
    const off = await send(routedBySms(sub), svc.origin, keys);
    assert.equal(svc.got.length, 0);
    assert.equal(off.r.fallback_from?.error, 'push endpoint not allowed');
    const on = await send(routedBySms(sub), svc.origin, { ...keys, WEB_PUSH_ALLOW_PRIVATE_URLS: '1' });
    assert.equal(svc.got.length, 1);
    assert.equal(on.r.status, 'sent');
  } finally {
    await svc.close();
  }
});

Deno.test('web push: Retry-After in seconds or as an HTTP date; anything else ignored', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  assert.equal(retryAfterSeconds('120', now), 120);
  assert.equal(retryAfterSeconds(' 7 ', now), 7);
  assert.equal(retryAfterSeconds('Tue, 01 Dec 2026 10:01:30 GMT', now), 90);
  assert.equal(retryAfterSeconds('Tue, 01 Dec 2026 09:00:00 GMT', now), 0);
  for (const bad of [null, '', '-5', '1.5', 'soon', '99999999999'])
    assert.equal(retryAfterSeconds(bad, now), null, String(bad));
});

/**
 * The database side of a busy push, as the migration 20261211200002 decides it: 3 tries at most (the 3rd
 * failed one is not deferred), each deferral due at once for the test's next "sweep".
 */
const retryingDb = (subs: { endpoint: string; p256dh: string; auth: string }[]) => {
  const state = { attempts: 0, status: 'queued', due: false, defers: [] as Record<string, unknown>[] };
  const rows = subs.map((s, i) => ({ id: i === 0 ? SUB_ID : crypto.randomUUID(), ...s }));
  const base = routedBySms(subs);
  const script: RpcScript = (fn, args) => {
    switch (fn) {
      case 'notification_push_defer':
        state.defers.push(args);
        if (state.attempts + 1 >= 3)
          return { status: 200, body: { deferred: false, attempts: state.attempts } };
        state.attempts++;
        state.due = true;
        return {
          status: 200,
          body: { deferred: true, attempts: state.attempts, retry_at: '2026-12-01T10:00:30Z' },
        };
      case 'notification_push_settle':
        state.attempts++;
        state.status = String(args.p_status);
        return {
          status: 200,
          body: { notification_id: NOTIF, status: state.status, attempts: state.attempts },
        };
      case 'notification_push_retry_due': {
        if (!state.due || state.status !== 'queued') return { status: 200, body: [] };
        state.due = false;
        return {
          status: 200,
          body: [
            {
              notification_id: NOTIF,
              clinic_id: CLINIC,
              entry_id: ENTRY,
              kind: 'almost_turn',
              idempotency_key: 'almost_turn:e1',
              body: BODY,
              language: 'ar',
              event_id: 41,
              attempts: state.attempts,
              clinic_name: 'عيادة أنفا',
              sender: null,
              tracking_token: 'a'.repeat(64),
              subscriptions: rows,
            },
          ],
        };
      }
      default:
        return base(fn, args);
    }
  };
  return { state, script };
};

/** One notification sweep's push retries (the service role), on the same fakes. */
const sweepRetries = async (script: RpcScript, pushOrigin: string) => {
  const { rt, rec } = makeRuntime({
    rpc: script,
    env: {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      WEB_PUSH_ALLOW_PRIVATE_URLS: '1',
      SITE_URL: 'https://queuemed.test',
    },
  });
  const fakeFetch = rt.fetch;
  const runtime = {
    ...rt,
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      String(input instanceof Request ? input.url : input).startsWith(pushOrigin)
        ? fetch(input, init)
        : fakeFetch(input, init)) as typeof fetch,
  };
  const out = await retryDuePushes(sendDeps(runtime, rpcFor(runtime, SERVICE)), (t) =>
    t ? `https://queuemed.test/t/${t}` : '',
  );
  return { out, rec };
};

Deno.test("web push retry: 503 then 201 → delivered by push on the sweep's try, no SMS", async () => {
  const svc = pushService((n) => (n === 1 ? 503 : 201));
  const k = browserKeys();
  try {
    const sub = [{ endpoint: `${svc.origin}/push/busy`, p256dh: k.p256dh, auth: k.auth }];
    const db = retryingDb(sub);
    const first = await send(db.script, svc.origin);
    assert.equal(first.r.status, 'queued');
    assert.equal(first.rec.twilio.length, 0);
    const { out, rec } = await sweepRetries(db.script, svc.origin);
    assert.deepEqual(out, { sent: 1 });
    assert.equal(svc.got.length, 2);
    assert.equal(db.state.status, 'sent');
    assert.equal(db.state.attempts, 2); // the deferred try and the delivered one, both on the message
    assert.equal(rec.twilio.length, 0);
    assert.ok(!rec.rpc.some((c) => c.fn === 'notification_sms_fallback'));
    // the retry carries the same text, for the same visit, with its link
    const plain = ece.decrypt(Buffer.from(svc.got[1]!.body), {
      version: 'aes128gcm',
      privateKey: k.ecdh,
      authSecret: k.authBuf,
    });
    assert.deepEqual(JSON.parse(new TextDecoder().decode(plain)), {
      title: 'عيادة أنفا',
      body: BODY,
      lang: 'ar',
      dir: 'rtl',
      tag: `queuemed-visit-${ENTRY}`,
      url: `https://queuemed.test/t/${'a'.repeat(64)}`,
      kind: 'almost_turn',
    });
    // a sweep with nothing due: nothing pushed
    assert.deepEqual((await sweepRetries(db.script, svc.origin)).out, {});
    assert.equal(svc.got.length, 2);
  } finally {
    await svc.close();
  }
});

Deno.test('web push retry: 429 on every try → 3 tries, then the SMS fallback exactly once', async () => {
  const svc = pushService(
    () => 429,
    () => ({ 'retry-after': '45' }),
  );
  const k = browserKeys();
  try {
    const sub = [{ endpoint: `${svc.origin}/push/throttled`, p256dh: k.p256dh, auth: k.auth }];
    const db = retryingDb(sub);
    const first = await send(db.script, svc.origin);
    assert.equal(first.r.status, 'queued');
    const second = await sweepRetries(db.script, svc.origin);
    assert.deepEqual(second.out, { queued: 1 });
    assert.equal(second.rec.twilio.length, 0);
    const third = await sweepRetries(db.script, svc.origin);
    assert.deepEqual(third.out, { fallback_sent: 1 });
    assert.equal(third.rec.twilio.length, 1);
    assert.equal(third.rec.twilio[0]!.form.Body, BODY);
    assert.equal(third.rec.rpc.filter((c) => c.fn === 'notification_sms_fallback').length, 1);
    assert.equal(svc.got.length, 3);
    assert.equal(db.state.status, 'failed');
    assert.equal(db.state.attempts, 3);
    assert.deepEqual(
      db.state.defers.map((d) => d.p_retry_after_seconds),
      [45, 45, 45],
    );
    // nothing more: the push is settled
    const fourth = await sweepRetries(db.script, svc.origin);
    assert.deepEqual(fourth.out, {});
    assert.equal(svc.got.length, 3);
  } finally {
    await svc.close();
  }
});

Deno.test(
  'web push retry: 410 on the retry → the subscription revoked at once and the SMS once',
  async () => {
    const svc = pushService((n) => (n === 1 ? 500 : 410));
    const k = browserKeys();
    try {
      const sub = [{ endpoint: `${svc.origin}/push/later-gone`, p256dh: k.p256dh, auth: k.auth }];
      const db = retryingDb(sub);
      await send(db.script, svc.origin);
      const { out, rec } = await sweepRetries(db.script, svc.origin);
      assert.deepEqual(out, { fallback_sent: 1 });
      assert.deepEqual(
        rec.rpc.filter((c) => c.fn === 'push_subscription_gone').map((c) => c.args),
        [{ p_subscription_id: SUB_ID }],
      );
      assert.equal(db.state.defers.length, 1); // only the first try's 500
      assert.equal(rec.twilio.length, 1);
    } finally {
      await svc.close();
    }
  },
);
