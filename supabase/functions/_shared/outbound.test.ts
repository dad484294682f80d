// The one outbound guard (issue 20): webhook-sweep and web push send through outbound.ts. A URL's address
// literal is judged as written, a host name is resolved ONCE and every answer judged (IPv4, IPv6, IPv4-mapped),
// and the request then goes to exactly that address; the allowance for the tests' receivers on 127.0.0.1 is one
// explicit switch, off unless the caller passes it.
import assert from 'node:assert/strict';
import { isPrivateAddress, outboundPost, outboundTarget } from './outbound.ts';
import type { Resolve } from './outbound.ts';

const dns =
  (addrs: string[]): Resolve =>
  () =>
    Promise.resolve(addrs);
const noFetch = (() => Promise.reject(new Error('plain fetch must not be used'))) as typeof fetch;

Deno.test(
  'outbound guard: address literals — loopback, private, link-local, IPv6 and IPv4-mapped refused',
  async () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://127.1.2.3/x',
      'https://0.0.0.0/x',
      'https://10.1.2.3/x',
      'https://172.16.0.1/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/x',
      'https://[::1]/x',
      'https://[::]/x',
      'https://[fc00::1]/x',
      'https://[fd12:3456::1]/x',
      'https://[fe80::1]/x',
      'https://[ff02::1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://0x7f000001/x',
      'https://localhost/x',
      'https://a.localhost/x',
    ]) {
      const t = await outboundTarget(url, { allowPrivate: false, resolve: dns(['93.184.216.34']) });
      assert.deepEqual(
        t,
        { kind: 'refused', reason: 'refused: the host is a private or local address' },
        url,
      );
    }
    for (const [url, addr] of [
      ['https://93.184.216.34/x', '93.184.216.34'],
      ['https://[2606:4700::1111]/x', '2606:4700::1111'],
    ] as const)
      assert.deepEqual(await outboundTarget(url, { allowPrivate: false }), {
        kind: 'pinned',
        addresses: [addr],
      });
    assert.equal(isPrivateAddress('::ffff:7f00:1'), true); // the URL parser's form of ::ffff:127.0.0.1
    assert.equal(isPrivateAddress('8.8.8.8'), false);
  },
);

Deno.test(
  'outbound guard: IPv6 forms that carry an IPv4 address are judged by it; only global unicast IPv6 is a target',
  async () => {
    for (const ip of [
      '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254 (the metadata service)
      '64:ff9b::127.0.0.1',
      '64:ff9b::a00:1', // NAT64 of 10.0.0.1
      '2002:7f00:1::1', // 6to4 of 127.0.0.1
      '2002:c0a8:1::', // 6to4 of 192.168.0.1
      '::7f00:1', // IPv4-compatible 127.0.0.1
      '::127.0.0.1',
      '::ffff:0:7f00:1', // IPv4-translated 127.0.0.1
      '::ffff:0:a9fe:a9fe',
      '0:0:0:0:0:ffff:7f00:1',
      '2001::1', // Teredo: its inner address can't be judged
      '2001:db8::1', // documentation
      '100::1', // discard-only
      '64:ff9b:1::a00:1', // local-use NAT64
      'fec0::1', // site-local
      'fe80::1%eth0',
      '1:2:3:4:5:6:7:8:9', // not an address
      '1::2::3',
      'gggg::1',
    ])
      assert.equal(isPrivateAddress(ip), true, ip);
    for (const ip of [
      '2606:4700::1111',
      '2a00:1450:4007:80e::200e',
      '64:ff9b::808:808', // NAT64 of 8.8.8.8: a public IPv4 host reached from an IPv6-only network
      '2002:808:808::1', // 6to4 of 8.8.8.8
      '::ffff:8.8.8.8',
    ])
      assert.equal(isPrivateAddress(ip), false, ip);
    // through the URL parser and through a resolved name
    for (const url of [
      'https://[64:ff9b::a9fe:a9fe]/latest',
      'https://[2002:7f00:1::1]/x',
      'https://[::7f00:1]/x',
    ])
      assert.equal((await outboundTarget(url, { allowPrivate: false })).kind, 'refused', url);
    assert.equal(
      (
        await outboundTarget('https://hooks.example.test/x', {
          allowPrivate: false,
          resolve: dns(['64:ff9b::a9fe:a9fe']),
        })
      ).kind,
      'refused',
    );
  },
);

Deno.test('outbound guard: a host name is resolved once and every address judged', async () => {
  let lookups = 0;
  const counted =
    (addrs: string[]): Resolve =>
    () => {
      lookups++;
      return Promise.resolve(addrs);
    };
  assert.deepEqual(
    await outboundTarget('https://push.example.test/a', {
      allowPrivate: false,
      resolve: counted(['93.184.216.34', '2606:2800:220:1::1']),
    }),
    { kind: 'pinned', addresses: ['93.184.216.34', '2606:2800:220:1::1'] },
  );
  assert.equal(lookups, 1);
  for (const addrs of [
    ['10.0.0.5'],
    ['93.184.216.34', '127.0.0.1'],
    ['fd00::5'],
    ['::ffff:192.168.0.9'],
    ['::1'],
  ])
    assert.equal(
      (await outboundTarget('https://push.example.test/a', { allowPrivate: false, resolve: dns(addrs) }))
        .kind,
      'refused',
      addrs.join(),
    );
  // no answer, or a failing resolver: not refused for good — unresolved (a passing failure)
  assert.deepEqual(
    await outboundTarget('https://push.example.test/a', { allowPrivate: false, resolve: dns([]) }),
    {
      kind: 'unresolved',
    },
  );
  assert.deepEqual(
    await outboundTarget('https://push.example.test/a', {
      allowPrivate: false,
      resolve: () => Promise.reject(new Error('SERVFAIL')),
    }),
    { kind: 'unresolved' },
  );
  // http and credentials are refused without the switch; a bad URL is refused with its own reason
  assert.deepEqual(
    await outboundTarget('http://push.example.test/a', {
      allowPrivate: false,
      resolve: dns(['93.184.216.34']),
    }),
    {
      kind: 'refused',
      reason: 'refused: only https URLs',
    },
  );
  assert.equal(
    (await outboundTarget('https://u:p@push.example.test/a', { allowPrivate: true })).kind,
    'refused',
  );
  assert.deepEqual(await outboundTarget('nope', { allowPrivate: true }), {
    kind: 'refused',
    reason: 'invalid URL',
  });
});

Deno.test('outbound guard: the 127.0.0.1 allowance is the explicit switch only', async () => {
  assert.deepEqual(await outboundTarget('http://127.0.0.1:5555/x', { allowPrivate: true }), { kind: 'any' });
  assert.equal((await outboundTarget('http://127.0.0.1:5555/x', { allowPrivate: false })).kind, 'refused');
  assert.equal((await outboundTarget('ftp://127.0.0.1/x', { allowPrivate: true })).kind, 'refused');
});

Deno.test(
  'outbound post: pinned to the judged address (Host keeps the name), binary body intact, answer headers read',
  async () => {
    const got: { host: string | null; body: Uint8Array; type: string | null }[] = [];
    const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
      got.push({
        host: req.headers.get('host'),
        body: new Uint8Array(await req.arrayBuffer()),
        type: req.headers.get('content-encoding'),
      });
      return new Response('busy', { status: 503, headers: { 'retry-after': '30' } });
    });
    const opened: { address: string; serverName: string | null }[] = [];
    try {
      const body = new Uint8Array([0, 255, 13, 10, 13, 10, 7]);
      const answer = await outboundPost(
        new URL('https://push.example.test/send/abc'),
        { 'Content-Encoding': 'aes128gcm', TTL: '60' },
        body,
        {
          allowPrivate: false,
          resolve: dns(['93.184.216.34']),
          // the test's receiver stands in for 93.184.216.34 (plain TCP; TLS is Deno.startTls in production)
          open: (address, _port, serverName) => {
            opened.push({ address, serverName });
            return Deno.connect({ hostname: '127.0.0.1', port: server.addr.port });
          },
          fetch: noFetch,
        },
      );
      assert.equal(answer.kind, 'answered');
      if (answer.kind !== 'answered') return;
      assert.equal(answer.status, 503);
      assert.equal(answer.headers.get('retry-after'), '30');
      assert.deepEqual(opened, [{ address: '93.184.216.34', serverName: 'push.example.test' }]);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.host, 'push.example.test');
      assert.equal(got[0]!.type, 'aes128gcm');
      assert.deepEqual([...got[0]!.body], [...body]);
      // a name answering a private address: nothing is opened, nothing sent
      const refused = await outboundPost(new URL('https://push.example.test/x'), {}, body, {
        allowPrivate: false,
        resolve: dns(['169.254.169.254']),
        open: () => Promise.reject(new Error('must not connect')),
        fetch: noFetch,
      });
      assert.equal(refused.kind, 'refused');
      assert.equal(got.length, 1);
    } finally {
      await server.shutdown();
    }
  },
);
