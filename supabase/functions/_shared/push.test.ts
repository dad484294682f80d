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
import { endpointAllowed, pushFromEnv } from './push.ts';
import { deliver } from './send.ts';

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

/** A push service on 127.0.0.1 answering each request with `status(n)`. */
const pushService = (status: (n: number) => number) => {
  const got: Received[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    got.push({
      method: req.method,
      path: new URL(req.url).pathname,
      headers: req.headers,
      body: new Uint8Array(await req.arrayBuffer()),
    });
    return new Response(null, { status: status(got.length) });
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
      subscriptions: subs.map((s, i) => ({ id: i === 0 ? SUB_ID : crypto.randomUUID(), ...s })),
    },
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
    sendDeps(runtime, rpcFor(runtime, SERVICE)),
  );
  return { r, rec };
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
        ['notification_recipient', 'notification_push_begin', 'notification_push_settle'],
      );
      assert.deepEqual(rec.rpc[2]!.args, { p_notification_id: NOTIF, p_status: 'sent', p_delivered: 1 });
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
        'push_subscription_gone',
        'notification_push_settle',
        'notification_sms_fallback',
        'sms_budget_settle',
      ],
    );
    assert.deepEqual(rec.rpc[2]!.args, { p_subscription_id: SUB_ID });
    assert.equal(rec.rpc[3]!.args.p_status, 'failed');
    assert.match(String(rec.rpc[3]!.args.p_error), /410/);
    assert.equal(rec.rpc[4]!.args.p_notification_id, NOTIF);
    assert.equal(rec.rpc[4]!.args.p_body, BODY);
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

Deno.test('web push: a 5xx is not an expiry — kept, and the SMS goes instead', async () => {
  const svc = pushService(() => 503);
  const k = browserKeys();
  try {
    const { r, rec } = await send(
      routedBySms([{ endpoint: `${svc.origin}/push/x`, p256dh: k.p256dh, auth: k.auth }]),
      svc.origin,
    );
    assert.equal(rec.rpc.filter((c) => c.fn === 'push_subscription_gone').length, 0);
    assert.equal(rec.twilio.length, 1);
    assert.equal(r.fallback_from?.status, 'failed');
  } finally {
    await svc.close();
  }
});

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
      'https://169.254.169.254/latest',
      'https://localhost/x',
      'https://user:pw@push.example.com/x',
      'not a url',
    ])
      assert.equal(endpointAllowed(bad, false), false, bad);
    assert.equal(endpointAllowed('https://fcm.googleapis.com/fcm/send/abc', false), true);
    assert.equal(endpointAllowed('https://8.8.8.8/x', false), true);
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
