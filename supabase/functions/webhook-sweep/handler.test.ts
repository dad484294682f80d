// Deno tests of the webhook sender against a REAL receiver on 127.0.0.1 that checks each request with the
// documented verification code (../_shared/webhookSignature.ts), and a scripted database (the claim/record
// RPCs; their SQL rules are tested in supabase/tests/webhooks.test.ts).
import assert from 'node:assert/strict';
import { makeRuntime, okRpc, post, SERVICE, SUPA_URL } from '../_test/fakes.ts';
import type { Runtime } from '../_shared/context.ts';
import { isPrivateAddress } from '../_shared/outbound.ts';
import { signWebhook, verifyWebhook } from '../_shared/webhookSignature.ts';
import { createWebhookSweepHandler } from './handler.ts';

const SECRET = 'whsec_' + 'ab12'.repeat(16);
const NOW_MS = Date.UTC(2026, 10, 30, 9, 0, 0);
const NOW_S = NOW_MS / 1000;

interface Received {
  eventId: string | null;
  deliveryId: string | null;
  verified: boolean;
  body: string;
  host: string | null;
}

/** A receiver on 127.0.0.1 (free port) that answers with `statuses` in turn (then 200). */
const receiver = (statuses: number[] = []) => {
  const got: Received[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    const body = await req.text();
    const v = await verifyWebhook(SECRET, req.headers.get('QueueMed-Signature'), body, NOW_S);
    got.push({
      eventId: req.headers.get('QueueMed-Event-Id'),
      deliveryId: req.headers.get('QueueMed-Delivery-Id'),
      verified: v.ok,
      body,
      host: req.headers.get('host'),
    });
    if (!v.ok) return new Response('bad signature', { status: 400 });
    return new Response(null, { status: statuses.shift() ?? 200 });
  });
  const port = (server.addr as Deno.NetAddr).port;
  const url = `http://127.0.0.1:${port}/hooks`;
  return { got, url, port, stop: () => server.shutdown() };
};

/** A scripted outbox: one pending delivery, claimable while pending and not leased (like webhook_claim). */
const outbox = (url: string) => {
  const body = JSON.stringify({
    id: 'evt_41',
    type: 'patient.called',
    clinic_id: 'c1',
    data: { ticket: 'A-007' },
  });
  const state = { status: 'pending', attempts: 0, leased: false, records: [] as Record<string, unknown>[] };
  const rpc = okRpc();
  const script = (fn: string, args: Record<string, unknown>) => {
    if (fn === 'webhook_claim') {
      if (state.status !== 'pending' || state.leased) return { status: 200, body: [] };
      state.leased = true;
      return {
        status: 200,
        body: [
          {
            delivery_id: 'd-1',
            endpoint_id: 'w-1',
            url,
            secret: SECRET,
            attempt: state.attempts + 1,
            event_id: 41,
            event_type: 'patient.called',
            body,
          },
        ],
      };
    }
    if (fn === 'webhook_record_attempt') {
      state.records.push(args);
      state.attempts++;
      state.leased = false;
      if (args.p_ok) state.status = 'delivered';
      return { status: 200, body: { status: state.status } };
    }
    return rpc(fn, args);
  };
  return { state, script, body };
};

/** The fake runtime, with real fetch for everything that is not the scripted PostgREST. */
const runtimeWith = (
  script: ReturnType<typeof outbox>['script'],
  env: Record<string, string> = {},
): Runtime => {
  const { rt } = makeRuntime({ rpc: script, env });
  const fake = rt.fetch;
  return {
    ...rt,
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      String(input instanceof Request ? input.url : input).startsWith(SUPA_URL)
        ? fake(input, init)
        : fetch(input, init)) as typeof fetch,
  };
};

const sweep = (rt: Runtime, deps = {}) =>
  createWebhookSweepHandler(rt, { now: () => NOW_MS, ...deps })(post('/webhook-sweep', {}, SERVICE));

Deno.test('service role only', async () => {
  const { rt, rec } = makeRuntime();
  const h = createWebhookSweepHandler(rt);
  assert.equal((await h(post('/webhook-sweep', {}, 'user-jwt'))).status, 403);
  assert.equal((await h(post('/webhook-sweep', {}, null))).status, 403);
  assert.equal((await h(post('/webhook-sweep', { limit: 0 }, SERVICE))).status, 400);
  assert.equal(rec.rpc.length, 0);
});

Deno.test(
  'a signed delivery reaches the receiver, which verifies it; a 500 is retried and exactly one is accepted',
  async () => {
    const r = receiver([500]);
    try {
      const box = outbox(r.url);
      const rt = runtimeWith(box.script, { WEBHOOK_ALLOW_PRIVATE_URLS: '1' });
      const first = await sweep(rt);
      assert.deepEqual(await first.json(), { claimed: 1, delivered: 0, failed: 1, disabled: 0 });
      assert.deepEqual(box.state.records[0], {
        p_delivery_id: 'd-1',
        p_ok: false,
        p_status_code: 500,
        p_error: 'HTTP 500',
      });
      const second = await sweep(rt);
      assert.deepEqual(await second.json(), { claimed: 1, delivered: 1, failed: 0, disabled: 0 });
      assert.deepEqual(box.state.records[1], {
        p_delivery_id: 'd-1',
        p_ok: true,
        p_status_code: 200,
        p_error: null,
      });
      // settled: nothing more is sent
      assert.deepEqual(await (await sweep(rt)).json(), {
        claimed: 0,
        delivered: 0,
        failed: 0,
        disabled: 0,
      });
      assert.equal(r.got.length, 2);
      assert.ok(r.got.every((g) => g.verified && g.eventId === 'evt_41' && g.deliveryId === 'd-1'));
      assert.equal(r.got[1]!.body, box.body);
      assert.equal(r.got.filter((g) => g.verified).length - 1, 1); // one rejected by the receiver (500), one accepted
    } finally {
      await r.stop();
    }
  },
);

Deno.test(
  'the documented verification rejects a forged signature, a changed body and a replayed (old) timestamp',
  async () => {
    const body = '{"id":"evt_1"}';
    const good = await signWebhook(SECRET, NOW_S, body);
    assert.deepEqual(await verifyWebhook(SECRET, good, body, NOW_S + 10), { ok: true, timestamp: NOW_S });
    const forged = await signWebhook('whsec_' + '00'.repeat(32), NOW_S, body);
    assert.deepEqual(await verifyWebhook(SECRET, forged, body, NOW_S), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(await verifyWebhook(SECRET, good, '{"id":"evt_2"}', NOW_S), {
      ok: false,
      reason: 'bad_signature',
    });
    // the timestamp is signed: moving it breaks the signature; a genuine old one is outside the window
    assert.deepEqual(
      await verifyWebhook(SECRET, good.replace(`t=${NOW_S}`, `t=${NOW_S + 600}`), body, NOW_S + 600),
      {
        ok: false,
        reason: 'bad_signature',
      },
    );
    assert.deepEqual(await verifyWebhook(SECRET, good, body, NOW_S + 301), {
      ok: false,
      reason: 'outside_tolerance',
    });
    assert.deepEqual(await verifyWebhook(SECRET, null, body, NOW_S), { ok: false, reason: 'malformed' });
    assert.deepEqual(await verifyWebhook(SECRET, 'v1=abc', body, NOW_S), { ok: false, reason: 'malformed' });
  },
);

Deno.test('a receiver checking with another secret refuses; the delivery is recorded as failed', async () => {
  const r = receiver();
  try {
    const box = outbox(r.url);
    const wrong = (fn: string, args: Record<string, unknown>) => {
      const out = box.script(fn, args);
      if (fn === 'webhook_claim' && Array.isArray(out.body) && out.body[0])
        out.body = [{ ...out.body[0], secret: 'whsec_' + 'cd'.repeat(32) }];
      return out;
    };
    const res = await sweep(runtimeWith(wrong, { WEBHOOK_ALLOW_PRIVATE_URLS: '1' }));
    assert.deepEqual(await res.json(), { claimed: 1, delivered: 0, failed: 1, disabled: 0 });
    assert.equal(r.got.length, 1);
    assert.equal(r.got[0]!.verified, false);
    assert.equal(box.state.records[0]!.p_status_code, 400);
  } finally {
    await r.stop();
  }
});

Deno.test(
  'without the explicit setting, a loopback URL or a name resolving to a private address is refused and nothing is sent',
  async () => {
    const r = receiver();
    try {
      const box = outbox(r.url);
      const res = await sweep(runtimeWith(box.script));
      assert.deepEqual(await res.json(), { claimed: 1, delivered: 0, failed: 1, disabled: 0 });
      assert.equal(r.got.length, 0);
      assert.deepEqual(box.state.records[0], {
        p_delivery_id: 'd-1',
        p_ok: false,
        p_status_code: null,
        p_error: 'refused: the host is a private or local address',
      });
      const named = outbox('https://hooks.example.test/x');
      const resolved: string[] = [];
      const res2 = await sweep(runtimeWith(named.script), {
        resolve: (h: string) => {
          resolved.push(h);
          return Promise.resolve(['93.184.216.34', '10.0.0.5']);
        },
      });
      assert.deepEqual(await res2.json(), { claimed: 1, delivered: 0, failed: 1, disabled: 0 });
      assert.deepEqual(resolved, ['hooks.example.test']);
      assert.match(String(named.state.records[0]!.p_error), /^refused/);
    } finally {
      await r.stop();
    }
  },
);

Deno.test(
  'DNS rebinding: the name is resolved once and the request goes to that judged address (SNI and Host keep the name), even when a second lookup would answer 127.0.0.1',
  async () => {
    const r = receiver();
    try {
      const box = outbox('https://hooks.example.test/hooks?src=qm');
      const lookups: string[] = [];
      // a rebinding resolver: public at the first answer, loopback afterwards
      const resolve = (h: string) => {
        lookups.push(h);
        return Promise.resolve(lookups.length === 1 ? ['93.184.216.34'] : ['127.0.0.1']);
      };
      const opened: { address: string; port: number; serverName: string | null }[] = [];
      // Stands in for TCP+TLS: records where the sender asked to connect and carries the bytes to the local
      // receiver (a real HTTP server, checking the signature), as the public host would have received them.
      const open = async (address: string, port: number, serverName: string | null) => {
        opened.push({ address, port, serverName });
        return await Deno.connect({ hostname: '127.0.0.1', port: r.port });
      };
      const res = await sweep(runtimeWith(box.script), { resolve, open });
      assert.deepEqual(await res.json(), { claimed: 1, delivered: 1, failed: 0, disabled: 0 });
      assert.deepEqual(lookups, ['hooks.example.test']);
      assert.deepEqual(opened, [{ address: '93.184.216.34', port: 443, serverName: 'hooks.example.test' }]);
      assert.equal(r.got.length, 1);
      assert.equal(r.got[0]!.verified, true);
      assert.equal(r.got[0]!.host, 'hooks.example.test');
      assert.equal(r.got[0]!.body, box.body);
      assert.equal(box.state.records[0]!.p_ok, true);
      assert.equal(box.state.records[0]!.p_status_code, 200);

      // a receiver's non-2xx status is read from the pinned connection too (then retried by the database)
      const r2 = receiver([503]);
      try {
        const box2 = outbox('https://hooks.example.test/hooks');
        const res2 = await sweep(runtimeWith(box2.script), {
          resolve: () => Promise.resolve(['93.184.216.34']),
          open: () => Deno.connect({ hostname: '127.0.0.1', port: r2.port }),
        });
        assert.deepEqual(await res2.json(), { claimed: 1, delivered: 0, failed: 1, disabled: 0 });
        assert.equal(box2.state.records[0]!.p_status_code, 503);
        assert.equal(box2.state.records[0]!.p_error, 'HTTP 503');
      } finally {
        await r2.stop();
      }
    } finally {
      await r.stop();
    }
  },
);

Deno.test(
  'DNS rebinding: a lookup that answers a private address among public ones is refused, nothing connects',
  async () => {
    const box = outbox('https://rebind.example.test/hooks');
    let opened = 0;
    const res = await sweep(runtimeWith(box.script), {
      resolve: () => Promise.resolve(['93.184.216.34', '127.0.0.1']),
      open: () => {
        opened++;
        return Promise.reject(new Error('must not connect'));
      },
    });
    assert.deepEqual(await res.json(), { claimed: 1, delivered: 0, failed: 1, disabled: 0 });
    assert.equal(opened, 0);
    assert.equal(box.state.records[0]!.p_error, 'refused: the host is a private or local address');
  },
);

Deno.test('private address ranges', () => {
  for (const ip of [
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.0.9',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
  ])
    assert.equal(isPrivateAddress(ip), true, ip);
  for (const ip of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111'])
    assert.equal(isPrivateAddress(ip), false, ip);
});

Deno.test(
  'several public addresses: the first that accepts the connection gets the request (the name still resolved once); none → a network failure naming how many were tried',
  async () => {
    const r = receiver();
    try {
      const box = outbox('https://multi.example.test/hooks');
      let lookups = 0;
      const resolve = () => {
        lookups++;
        return Promise.resolve(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
      };
      const opened: string[] = [];
      const open = async (address: string) => {
        opened.push(address);
        // the IPv4 address is down; the IPv6 one answers (carried to the local receiver)
        if (address === '93.184.216.34') throw new Error('Connection refused (os error 111)');
        return await Deno.connect({ hostname: '127.0.0.1', port: r.port });
      };
      const res = await sweep(runtimeWith(box.script), { resolve, open });
      assert.deepEqual(await res.json(), { claimed: 1, delivered: 1, failed: 0, disabled: 0 });
      assert.equal(lookups, 1);
      assert.deepEqual(opened, ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
      assert.equal(r.got.length, 1);
      assert.equal(r.got[0]!.verified, true);
      assert.equal(r.got[0]!.host, 'multi.example.test');

      const box2 = outbox('https://multi.example.test/hooks');
      const tried: string[] = [];
      const res2 = await sweep(runtimeWith(box2.script), {
        resolve,
        open: (address: string) => {
          tried.push(address);
          return Promise.reject(new Error('Network is unreachable'));
        },
      });
      assert.deepEqual(await res2.json(), { claimed: 1, delivered: 0, failed: 1, disabled: 0 });
      assert.equal(tried.length, 2);
      assert.match(String(box2.state.records[0]!.p_error), /^network: none of the 2 addresses answered/);
    } finally {
      await r.stop();
    }
  },
);

Deno.test(
  'an endpoint the database disables: counted in the answer, and no notice is sent from here (the notification outbox owes it)',
  async () => {
    const r = receiver([500, 500]);
    try {
      const box = outbox(r.url);
      const called: string[] = [];
      const script = (fn: string, args: Record<string, unknown>) => {
        called.push(fn);
        if (fn === 'webhook_record_attempt') {
          const base = box.script(fn, args);
          return { status: 200, body: { ...(base.body as object), endpoint_disabled: true } };
        }
        return box.script(fn, args);
      };
      const rt = runtimeWith(script, { WEBHOOK_ALLOW_PRIVATE_URLS: '1', SMTP_URL: 'smtp://127.0.0.1:1' });
      const res = await sweep(rt);
      assert.deepEqual(await res.json(), { claimed: 1, delivered: 0, failed: 1, disabled: 1 });
      // only the outbox's own RPCs: no owner lookup, no email, no SMS from the webhook sweep
      assert.deepEqual(called, ['webhook_claim', 'webhook_record_attempt']);
    } finally {
      await r.stop();
    }
  },
);
