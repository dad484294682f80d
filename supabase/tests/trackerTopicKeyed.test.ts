/**
 * sock26 (issue 14, mreview25 F8): a visit's push topic (trk25) is an HMAC-SHA256 of its link's stored hash under a
 * key only the database holds (private.tracker_topic_key), named to the link's holder by get_tracker_view. Before, it
 * was sha256 of the stored hash: whoever read queue_entries.tracking_token_hash (a backup, the service role) could
 * name every visit's topic and follow it live without the link.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { tryAsActor } from './helpers/sql';
import { ACTORS, ID, TOKENS, createWorld } from './helpers/world';

describe.each(DB_KINDS)('the tracker push topic is keyed on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const storedTopic = async (entryId: string) =>
    (
      await t.db.query<{ hash: Buffer; topic: string }>(
        `select tracking_token_hash as hash, private.tracker_topic(tracking_token_hash) as topic
           from public.queue_entries where id = $1`,
        [entryId],
      )
    ).rows[0]!;

  it('is HMAC-SHA256(key, stored hash) by RFC 2104 — not sha256 of the stored hash a reader of it could compute', async () => {
    const { rows } = await t.db.query<{ ipad: Buffer; opad: Buffer; n: number }>(
      'select ipad, opad, (select count(*)::int from private.tracker_topic_key) as n from private.tracker_topic_key',
    );
    expect(rows[0]?.n).toBe(1);
    const ipad = Buffer.from(rows[0]!.ipad);
    const opad = Buffer.from(rows[0]!.opad);
    const key = Buffer.from(ipad.subarray(0, 32).map((b) => b ^ 0x36));
    expect(Buffer.from(opad.subarray(0, 32).map((b) => b ^ 0x5c))).toEqual(key);
    // the block past the 32-byte key is zero padding; the key itself is not (random, not all zeros)
    expect([...ipad.subarray(32)].every((b) => b === 0x36)).toBe(true);
    expect(key.equals(Buffer.alloc(32))).toBe(false);
    const { hash, topic } = await storedTopic(ID.entryA);
    const h = Buffer.from(hash);
    expect(topic).toBe(`tracker:${createHmac('sha256', key).update(h).digest('hex')}`);
    expect(topic).not.toBe(`tracker:${createHash('sha256').update(h).digest('hex')}`);
  });

  it("the link's holder learns it from get_tracker_view (anon), the same at every read", async () => {
    const view = async () =>
      tryAsActor(
        t.db,
        ACTORS.anon,
        async (tx) =>
          (
            await tx.query<{ t: string }>("select public.get_tracker_view($1) ->> 'push_topic' as t", [
              TOKENS.trackingA,
            ])
          ).rows[0]?.t,
      );
    const { topic } = await storedTopic(ID.entryA);
    expect(await view()).toEqual({ ok: true, value: topic });
    expect(await view()).toEqual({ ok: true, value: topic });
  });

  it.each(['anon', 'patientB', 'recepA', 'ownerA', 'ownerB', 'service'] as const)(
    '%s can read neither the key nor name a topic from a stored hash',
    async (actor) => {
      const key = await tryAsActor(t.db, ACTORS[actor], (tx) =>
        tx.query('select * from private.tracker_topic_key'),
      );
      expect(key).toMatchObject({ ok: false, code: '42501' });
      const named = await tryAsActor(t.db, ACTORS[actor], (tx) =>
        tx.query("select private.tracker_topic('\\x00'::bytea)"),
      );
      expect(named).toMatchObject({ ok: false, code: '42501' });
    },
  );

  it.each(['anon', 'patientB', 'ownerB'] as const)(
    "%s learns no visit's topic without its link (another token, none, a wrong one)",
    async (actor) => {
      const r = await tryAsActor(
        t.db,
        ACTORS[actor],
        async (tx) =>
          (
            await tx.query<{ a: string | null; b: string | null; c: string | null }>(
              `select private.tracker_push_topic($1, $2) as a, private.tracker_push_topic($1, null) as b,
                    private.tracker_push_topic($3, $2) as c`,
              [ID.entryA, 'tracking-token-of-entry-a-0123456789abcdeX', ID.entryB],
            )
          ).rows[0],
      );
      expect(r).toEqual({ ok: true, value: { a: null, b: null, c: null } });
      // and with the link of visit A, only A's topic: never another visit's (B's id with A's token above: null)
      const own = await tryAsActor(
        t.db,
        ACTORS[actor],
        async (tx) =>
          (
            await tx.query<{ a: string | null }>('select private.tracker_push_topic($1, $2) as a', [
              ID.entryA,
              TOKENS.trackingA,
            ])
          ).rows[0]?.a,
      );
      expect(own).toEqual({ ok: true, value: (await storedTopic(ID.entryA)).topic });
    },
  );
});
