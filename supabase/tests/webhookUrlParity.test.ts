/**
 * Attack review of session 17, item 5 (20261216900003_webhook_url_same_check.sql): create_webhook_endpoint saved
 * https://0177.0.0.1/, https://localhost./, https://[64:ff9b::7f00:1]/ and https://[2002:7f00:1::]/ that the
 * sender refuses at send time. The save-time check now judges a host as the sender does: private.ip_is_private is
 * outbound.ts's isPrivateAddress in SQL, and this file holds them to the same answer on the same addresses, and
 * the whole save-time decision to the sender's outboundTarget on the same URLs (the sender's URL parser reads
 * 0177.0.0.1, 0x7f.1, 2130706433 and "localhost." as the browser does). Every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { openPinnedWorld, refused, rolledBack, as } from './helpers/pinnedWorld';

const ADDRESSES = [
  '127.0.0.1',
  '10.1.2.3',
  '100.64.0.1',
  '169.254.169.254',
  '172.16.0.1',
  '172.32.0.1',
  '192.168.1.1',
  '198.18.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '0.0.0.0',
  '8.8.8.8',
  '93.184.216.34',
  '::',
  '::1',
  '::127.0.0.1',
  '::8.8.8.8',
  '::ffff:127.0.0.1',
  '::ffff:8.8.8.8',
  '::ffff:0:7f00:1',
  '64:ff9b::7f00:1',
  '64:ff9b::808:808',
  '64:ff9b:1::1',
  '2002:7f00:1::',
  '2002:a00:1::',
  '2002:808:808::1',
  '2002::',
  '2001::1',
  '2001:db8::1',
  '2001:4860:4860::8888',
  '2606:4700::1111',
  'fc00::1',
  'fd12::1',
  'fe80::1',
  'ff02::1',
  '3fff::1',
  '4000::1',
];

const URLS = [
  'https://0177.0.0.1/',
  'https://0x7f.1/',
  'https://127.1/',
  'https://2130706433/',
  'https://localhost./',
  'https://LOCALHOST/',
  'https://[64:ff9b::7f00:1]/',
  'https://[2002:7f00:1::]/',
  'https://[::ffff:7f00:1]/',
  'https://[::ffff:127.0.0.1]/',
  'https://10.0.0.1./hook',
  'https://0300.0250.1.1/',
  'https://[2001:4860:4860::8888]/hook',
  'https://8.8.8.8/hook',
  'https://134744072/hook',
];

/** The sender's own guard (Deno code: loaded at run time so tsc does not type-check the Deno module here). */
interface Outbound {
  isPrivateAddress(ip: string): boolean;
  outboundTarget(
    url: string,
    policy: { allowPrivate: boolean; resolve: (host: string) => Promise<string[]> },
  ): Promise<{ kind: string }>;
}
const { isPrivateAddress, outboundTarget } = (await import(
  /* @vite-ignore */ new URL('../functions/_shared/outbound.ts', import.meta.url).href
)) as Outbound;

describe.each(DB_KINDS)('webhook URLs: the save-time check is the send-time check, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('private.ip_is_private answers as outbound.ts isPrivateAddress on every address', async () => {
    const { rows } = await t.db.query<{ a: string; p: boolean }>(
      'select a, private.ip_is_private(a) as p from unnest($1::text[]) a',
      [ADDRESSES],
    );
    expect(rows.map((r) => [r.a, r.p])).toEqual(ADDRESSES.map((a) => [a, isPrivateAddress(a)]));
  });

  it('create_webhook_endpoint refuses what the sender refuses (0177.0.0.1, localhost., NAT64, 6to4 …) and saves what it sends to', () =>
    rolledBack(t.db, async (tx) => {
      for (const url of URLS) {
        const target = await outboundTarget(url, {
          allowPrivate: false,
          resolve: () => Promise.resolve(['93.184.216.34']),
        });
        const sql = `select public.create_webhook_endpoint($1, $2, '{visit.booked}'::text[]) as r`;
        await tx.query('savepoint one');
        const saved = await as(tx, ACTORS.ownerA, sql, [ID.clinicA, url]).then(
          () => 'saved',
          (e: { code?: string; message?: string }) => `${e.code} ${e.message}`,
        );
        await tx.query('rollback to savepoint one');
        const sent = target.kind === 'refused' ? 'refused' : 'sent';
        expect([url, saved === 'saved' ? 'sent' : 'refused']).toEqual([url, sent]);
        if (saved !== 'saved')
          expect([url, saved]).toEqual([
            url,
            expect.stringMatching(/^PT422 WEBHOOK\.URL_(PRIVATE|INVALID)$/),
          ]);
      }
      expect(
        await refused(
          tx,
          ACTORS.ownerA,
          `select public.create_webhook_endpoint($1, $2, '{visit.booked}'::text[]) as r`,
          [ID.clinicA, 'https://0177.0.0.1/'],
        ),
      ).toBe('PT422 WEBHOOK.URL_PRIVATE');
    }));
});
