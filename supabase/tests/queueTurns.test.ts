/**
 * Issue 12, "no give-ups": the turn order of desks that lost a version race (private.queue_turns,
 * 20261205200001). A command that hit a conflict claims a turn (public.claim_queue_turn); save_queue_step
 * serves the OLDEST live claim first and refuses every other save with a retryable 409
 * QUEUE.VERSION_CONFLICT, writing nothing. A successful save ends its claim; a claim expires 10 s after its
 * last refresh by private.now() (pinned here, no wall clock), so a dead tab blocks a queue only briefly;
 * another clinic's member can neither claim, release nor read claims. Without claims nothing changes (the
 * save_queue_step suites cover that contract).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DbError } from '../local/db/types';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { asActor, rpcSql, type Actor } from './helpers/sql';
import { queueEvent } from './helpers/events';
import { ACTORS, ID, createWorld } from './helpers/world';

const cmd = (n: number) => `c7000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ENTRY = 'a5000000-0000-4000-8000-000000000e01';
const T0 = '2031-03-04T09:00:00.000Z';

describe.each(DB_KINDS)('queue turns on %s', (kind) => {
  let t: TestDb;
  let n = 0;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
    await t.db.query(
      `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key)
       values ($1, $2, $3, $4, 'walk_in', 'waiting', 900, 1)`,
      [ENTRY, ID.queueA, ID.clinicA, ID.patientRecA],
    );
  }, 400_000); // PGlite's setup takes minutes on a busy machine
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(async () => {
    await t.db.exec(
      'delete from private.queue_turns; delete from public.queue_turn_releases; delete from private.pinned_clock;',
    );
  });

  const pin = (at: string) =>
    t.db.exec(`delete from private.pinned_clock; insert into private.pinned_clock (at) values ('${at}');`);

  const version = async () =>
    (await t.db.query<{ version: number }>('select version from public.queues where id = $1', [ID.queueA]))
      .rows[0]?.version ?? -1;

  const call = async (actor: Actor, fn: string, args: Record<string, unknown>): Promise<unknown> => {
    try {
      return await asActor(t.db, actor, async (tx) => {
        const { sql, params } = rpcSql(fn, args);
        return (await tx.query<{ r: unknown }>(sql, params)).rows[0]?.r;
      });
    } catch (e) {
      const d = e as DbError;
      return `${d.code ?? ''} ${d.message}`;
    }
  };

  const claim = (command: string, actor: Actor = ACTORS.recepA) =>
    call(actor, 'claim_queue_turn', { p_queue_id: ID.queueA, p_command_id: command });
  const release = (command: string, actor: Actor = ACTORS.recepA) =>
    call(actor, 'release_queue_turn', { p_queue_id: ID.queueA, p_command_id: command });

  /** A desk's step at the current version: toggles the entry's priority, with its event. */
  const save = async (command: string | null, actor: Actor = ACTORS.recepA): Promise<unknown> => {
    const from = (
      await t.db.query<{ p: string }>('select priority as p from public.queue_entries where id = $1', [ENTRY])
    ).rows[0]?.p;
    const to = from === 'normal' ? 'urgent' : 'normal';
    return call(actor, 'save_queue_step', {
      p_queue_id: ID.queueA,
      p_expected_version: await version(),
      p_entries: JSON.stringify([
        { id: ENTRY, priority: to, priority_reason: to === 'urgent' ? 'pain' : null },
      ]),
      p_events: JSON.stringify([queueEvent('PriorityChanged', ENTRY, { from, to, reason: 'pain' })]),
      p_command_id: command,
    });
  };

  const claims = async () =>
    (
      await t.db.query<{ c: string }>('select command_id as c from private.queue_turns order by seq')
    ).rows.map((r) => r.c);

  it('the older claim is served first: a newer claimant and a desk without a claim are refused, nothing written', async () => {
    await pin(T0);
    const [older, newer, plain] = [cmd(++n), cmd(++n), cmd(++n)];
    expect(await claim(older)).toBe(0);
    expect(await claim(newer)).toBe(1);
    const v = await version();
    const refused = await save(newer);
    expect(refused).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await save(plain)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await save(null)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await version()).toBe(v); // nothing written by the refused saves
    expect(
      (await t.db.query('select 1 from public.queue_commands where command_id = any($1)', [[newer, plain]]))
        .rows,
    ).toEqual([]);
    // the older claimant saves at the same version: served, and its claim ends
    expect(await save(older)).toBe(v + 1);
    expect(await claims()).toEqual([newer]);
    // now the newer one is first in line (its refresh says 0 ahead) and is served
    expect(await claim(newer)).toBe(0);
    expect(await save(plain)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await save(newer)).toBe(v + 2);
    expect(await claims()).toEqual([]);
    // no claim left: any desk saves as before
    expect(await save(plain)).toBe(v + 3);
  });

  it('the turn holds the queue only at the version it was claimed at: once served, desks save in the gap until the next in line claims again', async () => {
    await pin(T0);
    const [first, second, plain, other] = [cmd(++n), cmd(++n), cmd(++n), cmd(++n)];
    expect(await claim(first)).toBe(0);
    expect(await claim(second)).toBe(1);
    const v = await version();
    expect(await save(first)).toBe(v + 1);
    // `second` is first in line now, but it claimed at v, not v + 1: it holds nothing until it claims again
    expect(await claims()).toEqual([second]);
    expect(await save(plain)).toBe(v + 2);
    expect(await claim(second)).toBe(0); // claimed at v + 2: from here only it may save
    expect(await save(other)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await version()).toBe(v + 2);
    expect(await save(second)).toBe(v + 3);
    expect(await claims()).toEqual([]);
  });

  it('a claimant further back does not hold the queue even when it claimed at the current version', async () => {
    await pin(T0);
    const [head, behind] = [cmd(++n), cmd(++n)];
    expect(await claim(head)).toBe(0);
    const v = await version();
    expect(await save(null)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/); // the head holds v
    expect(await claim(behind)).toBe(1);
    expect(await save(behind)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/); // not its turn
    expect(await save(head)).toBe(v + 1);
    expect(await claim(behind)).toBe(0);
    expect(await save(behind)).toBe(v + 2);
  });

  it('an expired claim (a closed tab) no longer blocks the queue, and the next save sweeps it', async () => {
    await pin(T0);
    const [dead, live] = [cmd(++n), cmd(++n)];
    expect(await claim(dead)).toBe(0);
    await pin('2031-03-04T09:00:09.000Z'); // 9 s later: still live
    expect(await save(live)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await claim(live)).toBe(1);
    await pin('2031-03-04T09:00:10.000Z'); // 10 s after its last refresh: expired
    expect(await claim(live)).toBe(0);
    const v = await version();
    expect(await save(live)).toBe(v + 1);
    expect(await claims()).toEqual([]); // the dead claim was swept with the served one
  });

  it('a refresh keeps a claim alive past its first lifetime', async () => {
    await pin(T0);
    const [slow, other] = [cmd(++n), cmd(++n)];
    expect(await claim(slow)).toBe(0);
    await pin('2031-03-04T09:00:08.000Z');
    expect(await claim(slow)).toBe(0);
    await pin('2031-03-04T09:00:15.000Z'); // 15 s after the first claim, 7 s after the refresh
    expect(await save(other)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
  });

  it('a released claim stops blocking; only its claimant can release it', async () => {
    await pin(T0);
    const [gaveUp, other] = [cmd(++n), cmd(++n)];
    expect(await claim(gaveUp)).toBe(0);
    // the practitioner of the same clinic cannot release the receptionist's claim
    expect(await release(gaveUp, ACTORS.practA)).toBe(''); // void: nothing to release of its own
    expect(await claims()).toEqual([gaveUp]);
    expect(await save(other, ACTORS.practA)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await release(gaveUp)).toBe('');
    expect(await claims()).toEqual([]);
    const v = await version();
    expect(await save(other, ACTORS.practA)).toBe(v + 1);
  });

  it("another clinic's member cannot claim, release or read claims; a patient and anon cannot either", async () => {
    await pin(T0);
    const mine = cmd(++n);
    expect(await claim(mine)).toBe(0);
    for (const outsider of [ACTORS.ownerB, ACTORS.patientA]) {
      expect(await claim(cmd(++n), outsider)).toMatch(/^PT403 /);
      expect(await release(mine, outsider)).toMatch(/^PT403 /);
      expect(await call(outsider, 'claim_queue_turn', { p_queue_id: ID.queueA, p_command_id: mine })).toMatch(
        /^PT403 /,
      );
    }
    expect(await claim(cmd(++n), ACTORS.anon)).toMatch(/^42501 /);
    for (const reader of [ACTORS.ownerB, ACTORS.recepA, ACTORS.anon]) {
      const read = await asActor(t.db, reader, (tx) => tx.query('select * from private.queue_turns')).then(
        () => 'read',
        (e: DbError) => e.code,
      );
      expect(read).toBe('42501');
    }
    expect(await claims()).toEqual([mine]);
  });

  it('a claim of one command id by another staff member is refused (no refreshing a claim that is not yours)', async () => {
    await pin(T0);
    const mine = cmd(++n);
    expect(await claim(mine)).toBe(0);
    expect(await claim(mine, ACTORS.practA)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
  });

  // lat12 (20261211500001_claim_turn_and_load.sql): the claim and, when it is the caller's turn, the load in one call
  type TurnAnswer = {
    turn_ahead: number;
    seen_version: number;
    turn_releases?: number;
    turn_seq?: number;
    turn_head_ms?: number;
    queue?: { id: string; version: number };
    entries?: { id: string; status: string }[];
    applied_command?: { version: number } | null;
    delta_since?: number | null;
  };
  const claimLoad = async (
    command: string,
    actor: Actor = ACTORS.recepA,
    extra: Record<string, unknown> = {},
  ) =>
    (await call(actor, 'claim_turn_and_load', {
      p_queue_id: ID.queueA,
      p_command_id: command,
      p_scope: 'active',
      ...extra,
    })) as TurnAnswer | string;
  /**
   * The clock pinned at 09:00 UTC of queue A's own day + `seconds` (get_queue serves days within a year of
   * the clinic's today, and the world's queue is on the real today, not on T0's).
   */
  const pinOnQueueDay = async (seconds = 0) => {
    await t.db.exec('delete from private.pinned_clock');
    await t.db.query(
      `insert into private.pinned_clock (at)
       select (q.day + time '09:00') at time zone 'UTC' + $2 * interval '1 second' from public.queues q where q.id = $1`,
      [ID.queueA, seconds],
    );
  };
  const answer = (r: TurnAnswer | string): TurnAnswer => {
    if (typeof r === 'string') throw new Error(r);
    return r;
  };

  it("claim_turn_and_load: the turn is the caller's → the load at the version its claim pinned; only its save is accepted there", async () => {
    await pinOnQueueDay();
    const [mine, plain] = [cmd(++n), cmd(++n)];
    const v = await version();
    const r = answer(await claimLoad(mine));
    expect(r.turn_ahead).toBe(0);
    expect(r.seen_version).toBe(v);
    expect(r.queue?.id).toBe(ID.queueA);
    expect(r.queue?.version).toBe(v);
    expect(r.entries?.map((e) => e.id)).toContain(ENTRY);
    expect(r.applied_command).toBeNull();
    expect(await claims()).toEqual([mine]);
    expect(await save(plain)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await version()).toBe(v);
    expect(await save(mine)).toBe(v + 1);
    expect(await claims()).toEqual([]);
  });

  it('claim_turn_and_load: with claims ahead it answers how many and the version seen, and loads nothing; once served, the next check is the load (a delta when asked)', async () => {
    await pinOnQueueDay();
    const [head, behind] = [cmd(++n), cmd(++n)];
    expect(answer(await claimLoad(head)).turn_ahead).toBe(0);
    const v = await version();
    expect(await claimLoad(behind)).toEqual({
      turn_ahead: 1,
      seen_version: v,
      turn_releases: 0,
      turn_seq: expect.any(Number) as number,
      turn_head_ms: 10_000, // the head's lease, claimed at this pinned instant
      turn_lease_ms: 10_000, // the claims' lease, the client's waits derive from it (session 18)
    });
    expect(await save(behind)).toMatch(/^PT409 QUEUE\.VERSION_CONFLICT/);
    expect(await save(head)).toBe(v + 1);
    const r = answer(
      await claimLoad(behind, ACTORS.recepA, { p_since_queue_id: ID.queueA, p_since_version: v }),
    );
    expect(r.turn_ahead).toBe(0);
    expect(r.seen_version).toBe(v + 1);
    expect(r.queue?.version).toBe(v + 1);
    expect(r.delta_since).toBe(v);
    expect(r.entries?.map((e) => e.id)).toContain(ENTRY); // the row the served step changed (a delta)
    expect(await save(behind)).toBe(v + 2);
  });

  it('claim_turn_and_load: a command already applied says so at once, even behind a held turn (exactly-once), claims nothing, and is never applied twice', async () => {
    await pinOnQueueDay();
    const done = cmd(++n);
    const v = await version();
    expect(await save(done)).toBe(v + 1);
    const holder = cmd(++n);
    expect(answer(await claimLoad(holder)).turn_ahead).toBe(0); // someone else holds the turn
    const r = answer(await claimLoad(done));
    expect(r.turn_ahead).toBe(0); // waits behind no one
    expect(r.applied_command?.version).toBe(v + 1);
    expect(await claims()).toEqual([holder]); // and claims nothing
    expect(await save(done)).toMatch(/^PT409 QUEUE\.COMMAND_ALREADY_APPLIED/);
    expect(await release(holder)).toBe('');
    expect(await version()).toBe(v + 1);
  });

  it('claim_turn_and_load: a claimant that died holding the turn holds the queue for its lifetime only', async () => {
    await pinOnQueueDay();
    const [dead, live] = [cmd(++n), cmd(++n)];
    expect(answer(await claimLoad(dead)).turn_ahead).toBe(0);
    await pinOnQueueDay(9);
    expect(answer(await claimLoad(live)).turn_ahead).toBe(1);
    await pinOnQueueDay(10); // 10 s after the dead claim's last refresh: expired
    const r = answer(await claimLoad(live));
    expect(r.turn_ahead).toBe(0);
    expect(await save(live)).toBe(r.seen_version + 1);
    expect(await claims()).toEqual([]);
  });

  it('claim_turn_and_load: a grace expiry that is due is applied before the claim, so the claim pins the version the load shows', async () => {
    await pinOnQueueDay();
    const late = 'a5000000-0000-4000-8000-000000000e02';
    await t.db.query(
      `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                         called_at, absent_at, grace_ends_at)
       select $1, $2, $3, $4, 'walk_in', 'absent', 901, 2,
              c.at - interval '20 minutes', c.at - interval '15 minutes', c.at - interval '1 minute'
         from private.pinned_clock c`,
      [late, ID.queueA, ID.clinicA, ID.patientRecA],
    );
    try {
      const v = await version();
      const r = answer(await claimLoad(cmd(++n)));
      expect(r.turn_ahead).toBe(0);
      expect(r.queue?.version).toBe(r.seen_version);
      expect(r.seen_version).toBeGreaterThan(v); // the expiry moved the queue, then the claim saw it
      const row = await t.db.query<{ status: string }>(
        'select status from public.queue_entries where id = $1',
        [late],
      );
      expect(row.rows[0]?.status).not.toBe('absent');
    } finally {
      await t.db.query('delete from public.queue_events where entry_id = $1', [late]);
      await t.db.query('delete from public.queue_entries where id = $1', [late]);
    }
  });

  it("claim_turn_and_load: another clinic's member, a patient and anon can neither claim nor load; bad input is a coded error", async () => {
    await pinOnQueueDay();
    for (const outsider of [ACTORS.ownerB, ACTORS.patientA]) {
      expect(await claimLoad(cmd(++n), outsider)).toMatch(/^PT403 /);
    }
    expect(await claimLoad(cmd(++n), ACTORS.anon)).toMatch(/^42501 /);
    expect(await claims()).toEqual([]);
    expect(
      await call(ACTORS.recepA, 'claim_turn_and_load', { p_queue_id: ID.queueA, p_command_id: null }),
    ).toMatch(/^PT422 VALIDATION\.FAILED/);
    expect(
      await call(ACTORS.recepA, 'claim_turn_and_load', {
        p_queue_id: 'a5000000-0000-4000-8000-00000000ffff',
        p_command_id: cmd(++n),
      }),
    ).toMatch(/^PT404 /);
    // a bad scope is get_queue's 422, and the transaction (with its claim) is rolled back
    expect(await claimLoad(cmd(++n), ACTORS.recepA, { p_scope: 'everything' })).toMatch(
      /^PT422 VALIDATION\.FAILED/,
    );
    expect(await claims()).toEqual([]);
  });

  // turn12 (20261212100001_turn_release_wakes_waiters.sql): a claim that ends without a save is counted in
  // public.queue_turn_releases (in the supabase_realtime publication), and every check answers the count it saw:
  // the waiters behind hear a count above theirs and check again at once instead of sleeping their bound
  const releasesRow = async () =>
    (
      await t.db.query<{ releases: number; clinic_id: string }>(
        'select releases, clinic_id from public.queue_turn_releases where queue_id = $1',
        [ID.queueA],
      )
    ).rows;

  it("release: a claim that ends without a save raises the queue day's release count; the waiter behind saw the count before it and is first in line after it", async () => {
    await pinOnQueueDay();
    const [head, behind] = [cmd(++n), cmd(++n)];
    expect(answer(await claimLoad(head)).turn_ahead).toBe(0);
    const v = await version();
    // the waiter's check: one ahead, and the count it will wait to hear exceeded
    expect(await claimLoad(behind)).toEqual({
      turn_ahead: 1,
      seen_version: v,
      turn_releases: 0,
      turn_seq: expect.any(Number) as number,
      turn_head_ms: 10_000, // the head's lease, claimed at this pinned instant
      turn_lease_ms: 10_000, // the claims' lease, the client's waits derive from it (session 18)
    });
    expect(await releasesRow()).toEqual([]);
    // the head's command is refused by the rules: it ends without saving and releases its claim
    expect(await release(head)).toBe('');
    expect(await releasesRow()).toEqual([{ releases: 1, clinic_id: ID.clinicA }]);
    expect(await version()).toBe(v); // nothing else moved: no version would ever have woken the waiter
    // the waiter's next check is its turn, with the count it was woken by
    const r = answer(await claimLoad(behind));
    expect([r.turn_ahead, r.seen_version, r.turn_releases]).toEqual([0, v, 1]);
    expect(await save(behind)).toBe(v + 1);
    // a served claim ends with a version (heard already): not counted as a release
    expect(await releasesRow()).toEqual([{ releases: 1, clinic_id: ID.clinicA }]);
  });

  it('release: only a claim that existed counts — a second release, another desk releasing it, an outsider: no count, claim kept', async () => {
    await pinOnQueueDay();
    const [head, behind] = [cmd(++n), cmd(++n)];
    expect(answer(await claimLoad(head)).turn_ahead).toBe(0);
    expect(answer(await claimLoad(behind)).turn_ahead).toBe(1);
    expect(await release(head, ACTORS.practA)).toBe(''); // not practA's claim: nothing ended
    expect(await release(head, ACTORS.ownerB)).toMatch(/^PT403 /);
    expect(await release(head, ACTORS.patientA)).toMatch(/^PT403 /);
    expect(await release(head, ACTORS.anon)).toMatch(/^42501 /);
    expect(await claims()).toEqual([head, behind]);
    expect(await releasesRow()).toEqual([]);
    expect(await release(head)).toBe('');
    expect(await release(head)).toBe(''); // already ended
    expect(await releasesRow()).toEqual([{ releases: 1, clinic_id: ID.clinicA }]);
    // staff may not write the counter themselves (no fake wake-ups, no silencing)
    for (const sql of [
      `update public.queue_turn_releases set releases = 0`,
      `insert into public.queue_turn_releases (queue_id, clinic_id, releases) values ('${ID.queueA}', '${ID.clinicA}', 9)`,
    ]) {
      const r = await asActor(t.db, ACTORS.ownerA, (tx) => tx.query(sql)).catch((e: DbError) => e.code);
      expect(r).toBe('42501');
    }
  });

  it('release: a claim whose lease ran out is swept and counted by the next check, so the waiters behind it wake too', async () => {
    await pinOnQueueDay();
    const [dead, waiter, late] = [cmd(++n), cmd(++n), cmd(++n)];
    expect(answer(await claimLoad(dead)).turn_ahead).toBe(0);
    await pinOnQueueDay(5);
    expect(answer(await claimLoad(waiter)).turn_releases).toBe(0);
    await pinOnQueueDay(10); // the dead claim's lease ends; the next check by anyone sweeps it
    const r = answer(await claimLoad(late));
    expect([r.turn_ahead, r.turn_releases]).toEqual([1, 1]); // behind the waiter, and the count moved
    expect(await claims()).toEqual([waiter, late]);
    expect(await releasesRow()).toEqual([{ releases: 1, clinic_id: ID.clinicA }]);
  });

  // session 15 (20261213600001): the release names the next in line — the row carries the line after it
  const lineRow = async () =>
    (
      await t.db.query<{ releases: number; line: (number | string)[]; line_version: number | null }>(
        'select releases, line, line_version from public.queue_turn_releases where queue_id = $1',
        [ID.queueA],
      )
    ).rows.map((r) => ({ ...r, line: r.line.map(Number) }));

  it('release: the row carries the line after it (the claims, oldest first) and the version it stands at — the first is the one whose turn it is; the waiters further back re-aim without a check', async () => {
    await pinOnQueueDay();
    const [head, w1, w2, w3] = [cmd(++n), cmd(++n), cmd(++n), cmd(++n)];
    expect(answer(await claimLoad(head)).turn_ahead).toBe(0);
    const seqs: number[] = [];
    for (const [i, w] of [w1, w2, w3].entries()) {
      const a = answer(await claimLoad(w));
      expect(a.turn_ahead).toBe(i + 1);
      seqs.push(Number(a.turn_seq));
    }
    // the answers name the claims (tokens of this queue day since session 17, not the private arrival numbers;
    // queueTurnPlaces.test.ts): one each, and the line below lists them in arrival order
    expect(new Set(seqs).size).toBe(3);
    const v = await version();
    expect(await release(head)).toBe('');
    // w1 is named (first); w2 and w3 learn their turn comes at v + 1 and v + 2 — no check needed
    expect(await lineRow()).toEqual([{ releases: 1, line: seqs, line_version: v }]);
    // w1 checks (its turn) and saves: that version is what w2 was waiting for
    expect(answer(await claimLoad(w1)).turn_ahead).toBe(0);
    expect(await save(w1)).toBe(v + 1);
    // w2 ends without saving: w3 is named at v + 1
    expect(answer(await claimLoad(w2)).turn_ahead).toBe(0);
    expect(await release(w2)).toBe('');
    expect(await lineRow()).toEqual([{ releases: 2, line: [seqs[2]], line_version: v + 1 }]);
    // a claim whose lease ran out, swept by the next check: the line without it
    expect(answer(await claimLoad(w3)).turn_ahead).toBe(0); // w3 holds the turn … and its tab dies
    await pinOnQueueDay(5);
    const late = cmd(++n);
    const waiting = answer(await claimLoad(late));
    expect([waiting.turn_ahead, waiting.turn_head_ms]).toEqual([1, 5_000]); // w3's lease ends in 5 s
    await pinOnQueueDay(10); // w3's lease ends; late's lease (refreshed at +5) does not
    const r = answer(await claimLoad(late));
    expect([r.turn_ahead, r.turn_seq]).toEqual([0, waiting.turn_seq]);
    expect(await lineRow()).toEqual([{ releases: 3, line: [Number(waiting.turn_seq)], line_version: v + 1 }]);
  });

  it('release: the line is staff-only like the count (another clinic, a patient, anon read nothing)', async () => {
    await pinOnQueueDay();
    const head = cmd(++n);
    expect(answer(await claimLoad(head)).turn_ahead).toBe(0);
    expect(await release(head)).toBe('');
    const read = (actor: Actor) =>
      asActor(t.db, actor, (tx) => tx.query('select line, line_version from public.queue_turn_releases'))
        .then((r) => r.rows.length)
        .catch((e: DbError) => e.code);
    expect(await read(ACTORS.recepA)).toBe(1);
    expect(await read(ACTORS.ownerB)).toBe(0);
    expect(await read(ACTORS.patientA)).toBe(0);
    expect(await read(ACTORS.anon)).toBe('42501');
  });
});
