/**
 * Wait estimates in the database (issue 16, 20261201005001_wait_estimates.sql): what the estimator learns
 * from (get_wait_history), the estimates a staff client stores per queue version (store_queue_estimates)
 * and what the tracker and SMS read back (get_visit_live, get_entry_estimate) — staff only, another
 * clinic refused, bad input coded and nothing written. Every call is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { becomeActor, resetActor, rpcSql, tryAsActor } from './helpers/sql';
import type { Actor, Outcome } from './helpers/sql';
import { ACTORS, ID, TOKENS, localAt } from './helpers/world';
import { roundForDisplay } from '../../src/services/queue/models/WaitTime';

const PAST = 'a5000000-0000-4000-8000-0000000000f1';
const PAST_NO_SHOW = 'a5000000-0000-4000-8000-0000000000f2';
const PAST_QUEUE = 'a4000000-0000-4000-8000-0000000000f1';
const OLD_QUEUE = 'a4000000-0000-4000-8000-0000000000f2';
const OLD = 'a5000000-0000-4000-8000-0000000000f3';
const WAITING = 'a5000000-0000-4000-8000-0000000000f4';

/** Two earlier days of clinic A: yesterday (a visit called by Dr Pract A, once absent; a no-show) and 40 days ago. */
const HISTORY = `
  insert into public.queues (id, clinic_id, day, next_ticket, version) values
    ('${PAST_QUEUE}', '${ID.clinicA}', private.clinic_today('Africa/Casablanca') - 1, 3, 7),
    ('${OLD_QUEUE}', '${ID.clinicA}', private.clinic_today('Africa/Casablanca') - 40, 2, 3);
  insert into public.queue_entries (id, queue_id, clinic_id, patient_id, appointment_type_id, kind, status,
                                    ticket_number, order_key, slot_start, slot_end, checked_in_at, called_at,
                                    started_at, finished_at, no_show_at) values
    ('${PAST}', '${PAST_QUEUE}', '${ID.clinicA}', '${ID.walkInA}', '${ID.typeA}', 'walk_in', 'completed', 1, 1,
      null, null, ${localAt(-1, '09:02')}, ${localAt(-1, '09:20')}, ${localAt(-1, '09:21')}, ${localAt(-1, '09:38')}, null),
    ('${PAST_NO_SHOW}', '${PAST_QUEUE}', '${ID.clinicA}', '${ID.patientRecA}', '${ID.typeA}', 'booked', 'no_show', 2, 2,
      ${localAt(-1, '10:00')}, ${localAt(-1, '10:15')}, null, null, null, null, ${localAt(-1, '10:25')}),
    ('${OLD}', '${OLD_QUEUE}', '${ID.clinicA}', '${ID.walkInA}', '${ID.typeA}', 'walk_in', 'completed', 1, 1,
      null, null, ${localAt(-40, '09:00')}, ${localAt(-40, '09:05')}, ${localAt(-40, '09:06')}, ${localAt(-40, '09:20')}, null);
  insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload) values
    ('${PAST_QUEUE}', '${ID.clinicA}', '${PAST}', 'PatientCalled', '{"practitionerId":"${ID.memberOwnerA}"}'),
    ('${PAST_QUEUE}', '${ID.clinicA}', '${PAST}', 'PatientMarkedAbsent', '{}'),
    ('${PAST_QUEUE}', '${ID.clinicA}', '${PAST}', 'PatientReturned', '{}'),
    ('${PAST_QUEUE}', '${ID.clinicA}', '${PAST}', 'PatientCalled', '{"practitionerId":"${ID.memberPractA}"}');
`;

/**
 * An estimate as the desk stores it: low ≤ minutes ≤ high and the display WaitTime.roundForDisplay makes of them
 * (est22: the database refuses a display that contradicts its minutes). 22.4 (15.2–31.9) → "about 20 min (15–35)".
 */
const estimate = (
  entryId: string,
  minutes = 22.4,
  low = Math.min(minutes, 15.2),
  high = Math.max(minutes, 31.9),
) => ({ entry_id: entryId, minutes, low, high, display: roundForDisplay(minutes, low, high) });

describe.each(DB_KINDS)('wait estimates on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    const { createWorld } = await import('./helpers/world');
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Calls fn as actor (rolled back), after `setup` as the superuser; `after` reads state before rollback. */
  const call = async <T = Record<string, unknown>>(
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
    opts: { setup?: string; after?: string; sqlArgs?: Record<string, string> } = {},
  ): Promise<Outcome<{ r: T; after?: Record<string, unknown>[] }>> =>
    tryAsActor(
      t.db,
      actor,
      async (tx) => {
        const { sql, params } = rpcSql(fn, args);
        const extra = Object.entries(opts.sqlArgs ?? {}).map(([k, v]) => `${k} => ${v}`);
        const full = extra.length
          ? sql.replace(/\) as r$/, `${Object.keys(args).length ? ', ' : ''}${extra.join(', ')}) as r`)
          : sql;
        const r = (await tx.query<{ r: T }>(full, params)).rows[0]?.r as T;
        if (opts.after === undefined) return { r };
        await tx.exec('reset role');
        return { r, after: (await tx.query(opts.after)).rows };
      },
      opts.setup === undefined ? undefined : async (tx) => void (await tx.exec(opts.setup ?? '')),
    );

  const codeOf = (o: Outcome<unknown>) =>
    o.ok ? 'ok' : o.code.startsWith('PT') ? `${o.code} ${o.message}` : o.code;
  const TODAY = `private.clinic_today('Africa/Casablanca')`;

  describe('get_wait_history', () => {
    it("gives the day's working intervals and the finished and no-show visits of the days before", async () => {
      const o = await call<{
        time_zone: string;
        sessions: { start: string; end: string }[];
        history: Record<string, unknown>[];
      }>(ACTORS.recepA, 'get_wait_history', { p_clinic_id: ID.clinicA, p_days: 30 }, { setup: HISTORY });
      if (!o.ok) throw new Error(codeOf(o));
      const { r } = o.value;
      expect(r.time_zone).toBe('Africa/Casablanca');
      // the world's clinic works 00:00–23:00 every day
      expect(r.sessions).toHaveLength(1);
      expect(Date.parse(r.sessions[0]!.end) - Date.parse(r.sessions[0]!.start)).toBe(23 * 3600_000);
      // 40 days ago is outside the 30 days; today's waiting entry is not history
      expect(r.history).toHaveLength(2);
      const [visit, noShow] = r.history;
      // who called (the LAST PatientCalled event), not the visit's booking practitioner (none: "any")
      expect(visit).toMatchObject({
        practitioner_id: ID.memberPractA,
        appointment_type_id: ID.typeA,
        kind: 'walk_in',
        no_show: false,
        absences: 1,
        returned: 1,
      });
      expect(Date.parse(String(visit!['finished_at'])) - Date.parse(String(visit!['called_at']))).toBe(
        18 * 60_000,
      );
      expect(noShow).toMatchObject({ kind: 'booked', no_show: true, called_at: null, absences: 0 });
      // the visit had no practitioner of its own: it was for any doctor (the estimator replays it so)
      expect(visit).toMatchObject({ any_doctor: true });
    });

    it('says a visit booked with one practitioner was not for any doctor (any_doctor false)', async () => {
      const o = await call<{ history: Record<string, unknown>[] }>(
        ACTORS.recepA,
        'get_wait_history',
        { p_clinic_id: ID.clinicA, p_days: 30 },
        {
          setup: `${HISTORY} update public.queue_entries set practitioner_id = '${ID.memberPractA}'
                    where id = '${PAST}';`,
        },
      );
      if (!o.ok) throw new Error(codeOf(o));
      const [visit, noShow] = o.value.r.history;
      expect(visit).toMatchObject({ practitioner_id: ID.memberPractA, any_doctor: false });
      expect(noShow).toMatchObject({ any_doctor: true });
    });

    it('reaches back p_days only, and nothing on a closed date', async () => {
      const o = await call<{ sessions: unknown[]; history: unknown[] }>(
        ACTORS.ownerA,
        'get_wait_history',
        { p_clinic_id: ID.clinicA, p_days: 1 },
        {
          setup: `${HISTORY} insert into public.closed_dates (clinic_id, day, reason) values ('${ID.clinicA}', ${TODAY}, 'x');`,
        },
      );
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value.r.history).toHaveLength(2);
      expect(o.value.r.sessions).toEqual([]);
      const week = await call<{ history: unknown[] }>(
        ACTORS.ownerA,
        'get_wait_history',
        { p_clinic_id: ID.clinicA, p_days: 30 },
        { setup: HISTORY, sqlArgs: { p_day: `${TODAY} - 1` } },
      );
      if (!week.ok) throw new Error(codeOf(week));
      expect(week.value.r.history).toHaveLength(0);
    });

    it("is for the clinic's staff only: another clinic, a patient and anon are refused", async () => {
      expect(
        codeOf(
          await call(ACTORS.ownerB, 'get_wait_history', { p_clinic_id: ID.clinicA }, { setup: HISTORY }),
        ),
      ).toBe('PT403 AUTH.FORBIDDEN');
      expect(codeOf(await call(ACTORS.patientA, 'get_wait_history', { p_clinic_id: ID.clinicA }))).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      expect(codeOf(await call(ACTORS.anon, 'get_wait_history', { p_clinic_id: ID.clinicA }))).toBe('42501');
    });

    it('refuses p_days outside 1–30 with a coded error', async () => {
      for (const days of [0, 31, -3]) {
        expect(
          codeOf(await call(ACTORS.recepA, 'get_wait_history', { p_clinic_id: ID.clinicA, p_days: days })),
        ).toBe('PT422 VALIDATION.FAILED');
      }
    });
  });

  describe('store_queue_estimates → get_visit_live / get_entry_estimate', () => {
    const STORED = `select entry_id::text, queue_version, minutes::float8 as minutes, display_minutes
                    from public.queue_entry_estimates order by 1`;

    it('stores the estimates of the current version; the tracker and SMS read the same minutes', async () => {
      const o = await call<{ stored: number; stale: boolean }>(
        ACTORS.recepA,
        'store_queue_estimates',
        {
          p_clinic_id: ID.clinicA,
          p_version: 0,
          p_estimates: JSON.stringify([estimate(ID.entryA, 40), estimate(ID.entryB)]),
          p_accuracy: JSON.stringify({
            yesterday: { median_abs_error: 6.2, within_share: 0.58, count: 40 },
            week: { median_abs_error: 7.6, within_share: 0.6, count: 300 },
          }),
        },
        {
          sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' },
          after: `select (select minutes::float8 from public.queue_entry_estimates where entry_id = '${ID.entryA}') as a,
                         (select count(*)::int from public.queue_entry_estimates) as n,
                         (select count(*)::int from public.clinic_wait_accuracy) as accuracy_rows`,
        },
      );
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value.r).toEqual({ stored: 2, stale: false });
      // p_accuracy (old clients still send the replay's figures) is checked but never written (est22): the
      // tracker's "± N min" is the database's own figure of the estimates patients were shown
      expect(o.value.after).toEqual([{ a: 40, n: 2, accuracy_rows: 0 }]);
    });

    const STORE_B = (version = 0) => `
      insert into public.queue_entry_estimates (entry_id, queue_id, clinic_id, queue_version, minutes, low, high,
                                                display_kind, display_minutes, display_low, display_high)
      values ('${ID.entryB}', '${ID.queueA}', '${ID.clinicA}', ${version}, 22.4, 15.2, 31.9, 'minutes', 20, 15, 35);
      insert into public.clinic_wait_accuracy (clinic_id, day, week_median_abs_error, week_count)
      values ('${ID.clinicA}', ${TODAY}, 7.6, 300);`;

    it('get_visit_live is get_visit_status plus the stored estimate while waiting and "± N min"', async () => {
      const waitingToken = 'tracking-token-of-entry-b-0123456789abcdef';
      const o = await call<Record<string, unknown>>(
        ACTORS.anon,
        'get_visit_live',
        { p_tracking_token: waitingToken },
        {
          setup: `${STORE_B()}
            insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number,
                                              order_key, checked_in_at, tracking_token_hash)
            values ('${WAITING}', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in', 'waiting', 9,
                    extract(epoch from now()) + 60, now(), private.hash_token('${waitingToken}'));
            update public.queue_entry_estimates set entry_id = '${WAITING}' where entry_id = '${ID.entryB}';`,
        },
      );
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value.r).toMatchObject({
        entry_id: WAITING,
        status: 'waiting',
        position: 2,
        estimate: {
          minutes: 22.4,
          display: { kind: 'minutes', minutes: 20, low: 15, high: 35 },
          queue_version: 0,
        },
        // a backtest figure a staff client stored (clinic_wait_accuracy) is no longer read (est22): with fewer than
        // 20 judged shown waits this week there is no "± N min"
        accuracy_minutes: null,
      });
      // a scheduled visit has no estimate; an unknown token is NOT_FOUND as for get_visit_status
      const scheduled = await call<Record<string, unknown>>(ACTORS.anon, 'get_visit_live', {
        p_tracking_token: TOKENS.trackingA,
      });
      if (!scheduled.ok) throw new Error(codeOf(scheduled));
      expect(scheduled.value.r).toMatchObject({
        status: 'scheduled',
        estimate: null,
        accuracy_minutes: null,
      });
      expect(
        codeOf(await call(ACTORS.anon, 'get_visit_live', { p_tracking_token: 'nope-nope-nope-nope' })),
      ).toBe('PT404 NOT_FOUND');
    });

    it('get_entry_estimate gives SMS the same stored value; another clinic is refused', async () => {
      const o = await call<Record<string, unknown>>(
        ACTORS.service,
        'get_entry_estimate',
        { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB },
        { setup: STORE_B() },
      );
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value.r).toMatchObject({
        estimate: { minutes: 22.4, low: 15.2, high: 31.9 },
        accuracy_minutes: null, // the stored backtest figure is not read (est22)
      });
      expect(
        codeOf(
          await call(ACTORS.ownerB, 'get_entry_estimate', { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB }),
        ),
      ).toBe('PT403 AUTH.FORBIDDEN');
      // clinic B's staff naming clinic A's visit under their own clinic: not found
      expect(
        codeOf(
          await call(ACTORS.ownerB, 'get_entry_estimate', { p_clinic_id: ID.clinicB, p_entry_id: ID.entryB }),
        ),
      ).toBe('PT404 NOT_FOUND');
    });

    // The CI flake of morningSmsLog (issue 14 determinism): send-sms checked the visit still waited, the desk
    // called it, the next store replaced the queue's estimates and the SMS read none — "attente." with no wait.
    it('a visit called after its estimate was stored keeps it: an SMS owed while it waited reads it, with its age', async () => {
      const o = await tryAsActor(t.db, ACTORS.recepA, async (tx) => {
        const store = async (version: number, estimates: unknown[]) =>
          (
            await tx.query<{ r: unknown }>(
              `select public.store_queue_estimates(p_clinic_id => $1, p_day => ${TODAY}, p_version => $2,
                                                   p_estimates => $3, p_as_of => private.now()) as r`,
              [ID.clinicA, version, JSON.stringify(estimates)],
            )
          ).rows[0]!.r;
        const read = async (entryId: string) =>
          (
            await tx.query<{ r: { estimate: Record<string, unknown> | null } }>(
              'select public.get_entry_estimate($1, $2) as r',
              [ID.clinicA, entryId],
            )
          ).rows[0]!.r;
        // version 0: A (scheduled) and B (waiting) are estimated; the SMS reads B's, current and fresh
        const first = await store(0, [estimate(ID.entryA, 40), estimate(ID.entryB, 22.4)]);
        const fresh = await read(ID.entryB);
        // 90 s later the desk calls B (version 1); the next store lists nobody (A's estimate is not known)
        await resetActor(tx);
        await tx.exec(`
          update public.queue_entry_estimates set computed_at = computed_at - interval '90 seconds';
          update public.queue_entries set status = 'called', called_at = private.now() where id = '${ID.entryB}';
          update public.queues set version = 1 where id = '${ID.queueA}';`);
        await becomeActor(tx, ACTORS.recepA);
        const second = await store(1, []);
        return { first, fresh, second, calledB: await read(ID.entryB), stillInLineA: await read(ID.entryA) };
      });
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value.first).toEqual({ stored: 2, stale: false });
      expect(o.value.second).toEqual({ stored: 0, stale: false });
      // B left the line: its last estimate stays (it used to be deleted: null), 90 s old, of an older version
      expect(o.value.calledB.estimate).toMatchObject({
        minutes: 22.4,
        display: { kind: 'minutes', minutes: 20, low: 15, high: 35 },
        queue_version: 0,
        age_seconds: 90,
        current: false,
      });
      expect(o.value.fresh.estimate).toMatchObject({
        minutes: 22.4,
        display: { kind: 'minutes', minutes: 20, low: 15, high: 35 },
        queue_version: 0,
        age_seconds: 0,
        current: true,
      });
      // A is still in line and was not listed: it loses its estimate, as before (none is better than a wrong one)
      expect(o.value.stillInLineA.estimate).toBeNull();
    });

    it('a stale version or one already stored writes nothing', async () => {
      const stale = await call<{ stored: number; stale: boolean }>(
        ACTORS.recepA,
        'store_queue_estimates',
        { p_clinic_id: ID.clinicA, p_version: 0, p_estimates: JSON.stringify([estimate(ID.entryB, 99)]) },
        {
          setup: `update public.queues set version = 4 where id = '${ID.queueA}';`,
          sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' },
          after: STORED,
        },
      );
      if (!stale.ok) throw new Error(codeOf(stale));
      expect(stale.value.r).toEqual({ stored: 0, stale: true });
      expect(stale.value.after).toEqual([]);
      const twice = await call<{ stored: number; stale: boolean }>(
        ACTORS.recepA,
        'store_queue_estimates',
        // the same display as stored ("about 20 min (15–35)"), other raw minutes
        { p_clinic_id: ID.clinicA, p_version: 0, p_estimates: JSON.stringify([estimate(ID.entryB, 21.8)]) },
        { setup: STORE_B(), sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' }, after: STORED },
      );
      if (!twice.ok) throw new Error(codeOf(twice));
      expect(twice.value.r).toEqual({ stored: 0, stale: true });
      expect(twice.value.after).toEqual([
        { entry_id: ID.entryB, queue_version: 0, minutes: 22.4, display_minutes: 20 },
      ]);
    });

    it('the same version is stored again once its figures are a minute old (time passing alone)', async () => {
      const aged = await call<{ stored: number; stale: boolean }>(
        ACTORS.recepA,
        'store_queue_estimates',
        { p_clinic_id: ID.clinicA, p_version: 0, p_estimates: JSON.stringify([estimate(ID.entryB, 99)]) },
        {
          setup: `${STORE_B()} update public.queue_entry_estimates set computed_at = private.now() - interval '61 seconds';`,
          sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' },
          after: STORED,
        },
      );
      if (!aged.ok) throw new Error(codeOf(aged));
      expect(aged.value.r).toEqual({ stored: 1, stale: false });
      expect(aged.value.after).toEqual([
        { entry_id: ID.entryB, queue_version: 0, minutes: 99, display_minutes: 100 },
      ]);
    });

    it('a fresh computation that changes what a patient is shown replaces the stored one within the minute (flake22)', async () => {
      // stored a moment ago at this version: "about 20 min (15–35)"; time moved the estimate across a display step
      const moved = estimate(ID.entryB, 26.4, 20.4, 33); // "about 25 min (20–35)"
      const WOKEN = `${STORED.replace('order by 1', '')} union all
        select 'woken', (updated_at = private.now())::int, null, null from public.queues where id = '${ID.queueA}'
        order by 1`;
      const fresh = await call<{ stored: number; stale: boolean }>(
        ACTORS.recepA,
        'store_queue_estimates',
        { p_clinic_id: ID.clinicA, p_version: 0, p_estimates: JSON.stringify([moved]) },
        {
          setup: `${STORE_B()} update public.queues set updated_at = private.now() - interval '1 hour' where id = '${ID.queueA}';`,
          sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' },
          after: WOKEN,
        },
      );
      if (!fresh.ok) throw new Error(codeOf(fresh));
      expect(fresh.value.r).toEqual({ stored: 1, stale: false });
      // the patient's phone is woken (queue row touched, same version) and reads the new display
      expect(fresh.value.after).toEqual([
        { entry_id: ID.entryB, queue_version: 0, minutes: 26.4, display_minutes: 25 },
        { entry_id: 'woken', queue_version: 1, minutes: null, display_minutes: null },
      ]);
      // a display of another kind is a change too ("a few minutes")
      const soon = await call<{ stored: number; stale: boolean }>(
        ACTORS.recepA,
        'store_queue_estimates',
        {
          p_clinic_id: ID.clinicA,
          p_version: 0,
          p_estimates: JSON.stringify([estimate(ID.entryB, 3, 0, 4.5)]),
        },
        { setup: STORE_B(), sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' }, after: STORED },
      );
      if (!soon.ok) throw new Error(codeOf(soon));
      expect(soon.value.r).toEqual({ stored: 1, stale: false });
      // the same displays within the minute stay stale (no write), whatever the raw minutes; a minute-old refresh
      // with the same displays is stored but wakes no phone
      const aged = await call<{ stored: number; stale: boolean }>(
        ACTORS.recepA,
        'store_queue_estimates',
        { p_clinic_id: ID.clinicA, p_version: 0, p_estimates: JSON.stringify([estimate(ID.entryB, 21.8)]) },
        {
          setup: `${STORE_B()} update public.queue_entry_estimates set computed_at = private.now() - interval '61 seconds';
                  update public.queues set updated_at = private.now() - interval '1 hour' where id = '${ID.queueA}';`,
          sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' },
          after: WOKEN,
        },
      );
      if (!aged.ok) throw new Error(codeOf(aged));
      expect(aged.value.r).toEqual({ stored: 1, stale: false });
      expect(aged.value.after).toEqual([
        { entry_id: ID.entryB, queue_version: 0, minutes: 21.8, display_minutes: 20 },
        { entry_id: 'woken', queue_version: 0, minutes: null, display_minutes: null },
      ]);
    });

    it("a desk whose clock is off by more than 30 s writes nothing: the tick's figures stand (skew22)", async () => {
      // stored a moment ago: "about 20 min (15–35)"; a changed display would replace it at once (flake22) —
      // unless the caller computed it for an instant 2 minutes away from the database's clock
      const moved = estimate(ID.entryB, 26.4, 20.4, 33); // "about 25 min (20–35)"
      const store = (asOf: string | null, actor: Actor = ACTORS.recepA) =>
        call<{ stored: number; stale: boolean; skewed?: boolean }>(
          actor,
          'store_queue_estimates',
          { p_clinic_id: ID.clinicA, p_version: 0, p_estimates: JSON.stringify([moved]) },
          {
            setup: STORE_B(),
            sqlArgs: { p_day: TODAY, ...(asOf === null ? {} : { p_as_of: asOf }) },
            after: STORED,
          },
        );
      const kept = [{ entry_id: ID.entryB, queue_version: 0, minutes: 22.4, display_minutes: 20 }];
      const replaced = [{ entry_id: ID.entryB, queue_version: 0, minutes: 26.4, display_minutes: 25 }];
      for (const off of [`+ interval '2 minutes'`, `- interval '2 minutes'`, `+ interval '31 seconds'`]) {
        const r = await store(`private.now() ${off}`);
        if (!r.ok) throw new Error(codeOf(r));
        expect(r.value.r, off).toEqual({ stored: 0, stale: true, skewed: true });
        expect(r.value.after, off).toEqual(kept);
      }
      for (const off of [`+ interval '25 seconds'`, `- interval '30 seconds'`, ``]) {
        const r = await store(`private.now() ${off}`);
        if (!r.ok) throw new Error(codeOf(r));
        expect(r.value.r, off).toEqual({ stored: 1, stale: false });
        expect(r.value.after, off).toEqual(replaced);
      }
      // a signed-in caller that sends no instant is as stale (review23 L4: leaving p_as_of out skipped the check)
      const unsaid = await store(null);
      if (!unsaid.ok) throw new Error(codeOf(unsaid));
      expect(unsaid.value.r).toEqual({ stored: 0, stale: true, skewed: true });
      expect(unsaid.value.after).toEqual(kept);
      // the server tick (service role, the database's own clock) may leave it out
      const tick = await store(null, ACTORS.service);
      if (!tick.ok) throw new Error(codeOf(tick));
      expect(tick.value.r).toEqual({ stored: 1, stale: false });
      expect(tick.value.after).toEqual(replaced);
    });

    it('the touch moves updated_at forward even when the clock stands still (mreview22 L3: a pinned clock)', async () => {
      // save_queue_step touched the row at this very instant (a pinned private.now(), or one transaction): the
      // estimates' touch must still be a NEW updated_at, or a phone comparing it to the last one misses it
      const moved = estimate(ID.entryB, 26.4, 20.4, 33); // "about 25 min (20–35)"
      const r = await call<{ stored: number; stale: boolean }>(
        ACTORS.recepA,
        'store_queue_estimates',
        { p_clinic_id: ID.clinicA, p_version: 0, p_estimates: JSON.stringify([moved]) },
        {
          setup: `${STORE_B()} update public.queues set updated_at = private.now() where id = '${ID.queueA}';`,
          sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' },
          after: `select 'moved' as entry_id, (updated_at > private.now())::int as queue_version, null as minutes,
                         null as display_minutes from public.queues where id = '${ID.queueA}'`,
        },
      );
      if (!r.ok) throw new Error(codeOf(r));
      expect(r.value.r).toEqual({ stored: 1, stale: false });
      expect(r.value.after).toEqual([
        { entry_id: 'moved', queue_version: 1, minutes: null, display_minutes: null },
      ]);
    });

    it("queues_needing_estimates: the service role lists today's queues with someone waiting and no fresh estimates", async () => {
      const QUEUES = (r: { queues: { clinic_id: string; version: number }[] }) =>
        r.queues.filter((q) => q.clinic_id === ID.clinicA).map((q) => q.version);
      const missing = await call<{ now: string; queues: { clinic_id: string; version: number }[] }>(
        ACTORS.service,
        'queues_needing_estimates',
        { p_clinic_id: ID.clinicA },
      );
      if (!missing.ok) throw new Error(codeOf(missing));
      expect(QUEUES(missing.value.r)).toEqual([0]);
      const fresh = await call<{ queues: { clinic_id: string; version: number }[] }>(
        ACTORS.service,
        'queues_needing_estimates',
        { p_clinic_id: ID.clinicA },
        { setup: STORE_B() },
      );
      if (!fresh.ok) throw new Error(codeOf(fresh));
      expect(QUEUES(fresh.value.r)).toEqual([]);
      const aged = await call<{ queues: { clinic_id: string; version: number }[] }>(
        ACTORS.service,
        'queues_needing_estimates',
        { p_clinic_id: ID.clinicA, p_max_age_seconds: 60 },
        {
          setup: `${STORE_B()} update public.queue_entry_estimates set computed_at = private.now() - interval '2 minutes';`,
        },
      );
      if (!aged.ok) throw new Error(codeOf(aged));
      expect(QUEUES(aged.value.r)).toEqual([0]);
      for (const actor of [ACTORS.ownerA, ACTORS.recepA]) {
        expect(codeOf(await call(actor, 'queues_needing_estimates', {}))).not.toBe('ok');
      }
      expect(codeOf(await call(ACTORS.service, 'queues_needing_estimates', { p_max_age_seconds: 1 }))).toBe(
        'PT422 VALIDATION.FAILED',
      );
    });

    it("a newer version replaces the queue's estimates as a whole", async () => {
      const o = await call<{ stored: number }>(
        ACTORS.practA,
        'store_queue_estimates',
        {
          p_clinic_id: ID.clinicA,
          p_version: 1,
          p_estimates: JSON.stringify([estimate(ID.entryA, 12), estimate(ID.entryB, 12)]),
        },
        {
          setup: `${STORE_B()} update public.queues set version = 1 where id = '${ID.queueA}';`,
          sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' },
          after: STORED,
        },
      );
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value.after).toEqual([
        { entry_id: ID.entryA, queue_version: 1, minutes: 12, display_minutes: 10 },
        { entry_id: ID.entryB, queue_version: 1, minutes: 12, display_minutes: 10 },
      ]);
    });

    it.each([
      [
        "another clinic's staff",
        ACTORS.ownerB,
        { p_estimates: JSON.stringify([estimate(ID.entryB)]) },
        'PT403 AUTH.FORBIDDEN',
      ],
      ['a patient', ACTORS.patientA, { p_estimates: '[]' }, 'PT403 AUTH.FORBIDDEN'],
      ['anon', ACTORS.anon, { p_estimates: '[]' }, '42501'],
      ['estimates as an object', ACTORS.recepA, { p_estimates: '{"entry_id":1}' }, 'PT422 VALIDATION.FAILED'],
      [
        'minutes as text',
        ACTORS.recepA,
        { p_estimates: JSON.stringify([{ ...estimate(ID.entryB), minutes: '5' }]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'negative minutes',
        ACTORS.recepA,
        { p_estimates: JSON.stringify([estimate(ID.entryB, -1)]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'low above high',
        ACTORS.recepA,
        { p_estimates: JSON.stringify([{ ...estimate(ID.entryB), low: 50 }]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'an unknown display kind',
        ACTORS.recepA,
        { p_estimates: JSON.stringify([{ ...estimate(ID.entryB), display: { kind: 'soonish' } }]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        "clinic B's visit",
        ACTORS.recepA,
        { p_estimates: JSON.stringify([estimate(ID.entryBclinicB)]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        "tomorrow's visit in today's queue",
        ACTORS.recepA,
        { p_estimates: JSON.stringify([estimate(ID.entryA1)]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'one visit twice',
        ACTORS.recepA,
        { p_estimates: JSON.stringify([estimate(ID.entryB), estimate(ID.entryB)]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'an accuracy share above 1',
        ACTORS.recepA,
        { p_estimates: '[]', p_accuracy: JSON.stringify({ week: { within_share: 3 } }) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'an unknown accuracy field',
        ACTORS.recepA,
        { p_estimates: '[]', p_accuracy: JSON.stringify({ month: {} }) },
        'PT422 VALIDATION.FAILED',
      ],
      // est22 (review22 finding 5): a display that contradicts its own figures
      [
        'a display that contradicts its minutes ("about 0 min (1400–3)" for a day)',
        ACTORS.recepA,
        {
          p_estimates: JSON.stringify([
            {
              ...estimate(ID.entryB, 1440, 0, 1440),
              display: { kind: 'minutes', minutes: 0, low: 1400, high: 3 },
            },
          ]),
        },
        'PT422 VALIDATION.FAILED',
      ],
      [
        '"a few minutes" for a day\'s wait',
        ACTORS.recepA,
        {
          p_estimates: JSON.stringify([
            { ...estimate(ID.entryB, 1440, 1440, 1440), display: { kind: 'soon' } },
          ]),
        },
        'PT422 VALIDATION.FAILED',
      ],
      [
        '"a few minutes" for a wait whose range reaches 9 min',
        ACTORS.recepA,
        { p_estimates: JSON.stringify([{ ...estimate(ID.entryB, 4, 0, 9), display: { kind: 'soon' } }]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'a display more than a step from its minutes',
        ACTORS.recepA,
        {
          p_estimates: JSON.stringify([
            { ...estimate(ID.entryB), display: { kind: 'minutes', minutes: 60, low: 15, high: 65 } },
          ]),
        },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'a display whose low is above its minutes',
        ACTORS.recepA,
        {
          p_estimates: JSON.stringify([
            { ...estimate(ID.entryB), display: { kind: 'minutes', minutes: 20, low: 25, high: 35 } },
          ]),
        },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'a display range narrower than the figures (high below high)',
        ACTORS.recepA,
        {
          p_estimates: JSON.stringify([
            { ...estimate(ID.entryB), display: { kind: 'minutes', minutes: 20, low: 15, high: 25 } },
          ]),
        },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'a display off the rounding steps (23 min)',
        ACTORS.recepA,
        {
          p_estimates: JSON.stringify([
            { ...estimate(ID.entryB), display: { kind: 'minutes', minutes: 23, low: 15, high: 35 } },
          ]),
        },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'a zero-width display range',
        ACTORS.recepA,
        {
          p_estimates: JSON.stringify([
            {
              ...estimate(ID.entryB, 20, 20, 20),
              display: { kind: 'minutes', minutes: 20, low: 20, high: 20 },
            },
          ]),
        },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'minutes above high (display rounded from them)',
        ACTORS.recepA,
        { p_estimates: JSON.stringify([estimate(ID.entryB, 40, 15.2, 31.9)]) },
        'PT422 VALIDATION.FAILED',
      ],
      [
        '"not known" with a wait of 90 min',
        ACTORS.recepA,
        {
          p_estimates: JSON.stringify([
            { ...estimate(ID.entryB, 90, 60, 120), display: { kind: 'unknown' } },
          ]),
        },
        'PT422 VALIDATION.FAILED',
      ],
      // …and a list that would wipe the estimate of a patient waiting in this version (B)
      [
        'an empty list while a patient waits',
        ACTORS.recepA,
        { p_estimates: '[]' },
        'PT422 VALIDATION.FAILED',
      ],
      [
        'a list that leaves out a waiting patient',
        ACTORS.recepA,
        { p_estimates: JSON.stringify([estimate(ID.entryA, 40)]) },
        'PT422 VALIDATION.FAILED',
      ],
    ] as const)('refuses %s, writing nothing', async (_name, actor, args, expected) => {
      const o = await call(
        actor,
        'store_queue_estimates',
        { p_clinic_id: ID.clinicA, p_version: 0, ...args },
        { sqlArgs: { p_day: TODAY, p_as_of: 'private.now()' } },
      );
      expect(codeOf(o)).toBe(expected);
      const { rows } = await t.db.query<{ n: number }>(
        `select (select count(*) from public.queue_entry_estimates)::int + (select count(*) from public.clinic_wait_accuracy)::int
                + (select count(*) from public.shown_wait_estimates)::int as n`,
      );
      expect(rows[0]?.n).toBe(0);
    });

    it('stores every estimate the desk makes: the display WaitTime.roundForDisplay gives, after the 2-decimal rounding', async () => {
      // the desk's own path (SupabaseWaitEstimates.store): figures rounded to 0.01 and clamped low ≤ minutes ≤ high,
      // the display rounded from the unrounded figures — across the step changes (60, 120 min) and "soon" (≤ 5)
      const round2 = (n: number) => Math.round(Math.min(1440, Math.max(0, n)) * 100) / 100;
      const cases: { minutes: number; low: number; high: number }[] = [];
      for (const m of [
        0, 0.004, 2.5, 4.996, 5.004, 12.345, 29.999, 57.5, 59.996, 60.004, 87.3, 119.996, 120.004, 333.3, 600,
      ]) {
        for (const [lf, hf, plus] of [
          [1, 1, 0],
          [0.6, 1.5, 0],
          [0, 1, 0.004],
          [0.95, 1.05, 2.5],
          [0.3, 2, 7.77],
        ] as const) {
          cases.push({ minutes: m, low: m * lf, high: m * hf + plus });
        }
      }
      cases.push({ minutes: 0, low: 0, high: 0 }); // "not known" is stored as 0, 0, 0 with kind unknown
      const o = await tryAsActor(t.db, ACTORS.recepA, async (tx) => {
        const refused: string[] = [];
        for (const [i, c] of cases.entries()) {
          const minutes = round2(c.minutes);
          const row = {
            entry_id: ID.entryB,
            minutes,
            low: Math.min(minutes, round2(c.low)),
            high: Math.max(minutes, round2(c.high)),
            display: i === cases.length - 1 ? { kind: 'unknown' } : roundForDisplay(c.minutes, c.low, c.high),
          };
          await tx.exec('savepoint one');
          try {
            await tx.query(
              `select public.store_queue_estimates(p_clinic_id => $1, p_day => ${TODAY}, p_version => 0,
                                                   p_estimates => $2, p_as_of => private.now()) as r`,
              [ID.clinicA, JSON.stringify([row])],
            );
            await tx.exec('release savepoint one');
          } catch (e) {
            await tx.exec('rollback to savepoint one');
            refused.push(`${JSON.stringify(row)}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        return refused;
      });
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value).toEqual([]);
    });

    it('never writes p_accuracy: a future day planted with 5000 perfect waits changes no "± N min" (review22 finding 4)', async () => {
      const plant = JSON.stringify({
        yesterday: { median_abs_error: 0, within_share: 1, count: 5000 },
        week: { median_abs_error: 0, within_share: 1, count: 5000 },
      });
      const o = await tryAsActor(t.db, ACTORS.recepA, async (tx) => {
        const store = async (day: string) =>
          (
            await tx.query<{ r: unknown }>(
              `select public.store_queue_estimates(p_clinic_id => $1, p_day => ${day}, p_version => 0,
                                                   p_estimates => $2, p_accuracy => $3,
                                                   p_as_of => private.now()) as r`,
              [ID.clinicA, day === TODAY ? JSON.stringify([estimate(ID.entryB)]) : '[]', plant],
            )
          ).rows[0]!.r;
        // tomorrow's queue exists (a booking made it); then today's, as the desk does
        const future = await store(`${TODAY} + 1`);
        const today = await store(TODAY);
        await resetActor(tx);
        const rows = (
          await tx.query<{ n: number }>('select count(*)::int as n from public.clinic_wait_accuracy')
        ).rows[0]!.n;
        const minutes = (
          await tx.query<{ n: number | null }>(`select private.clinic_accuracy_minutes($1) as n`, [
            ID.clinicA,
          ])
        ).rows[0]!.n;
        return { future, today, rows, minutes };
      });
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value).toEqual({
        future: { stored: 0, stale: false },
        today: { stored: 1, stale: false },
        rows: 0,
        minutes: null,
      });
    });

    it('RLS: staff of the clinic read stored estimates; other clinics, patients and anon see none', async () => {
      for (const [actor, n] of [
        [ACTORS.recepA, 1],
        [ACTORS.practA, 1],
        [ACTORS.ownerB, 0],
        [ACTORS.patientB, 0],
      ] as const) {
        const o = await tryAsActor(
          t.db,
          actor,
          async (tx) =>
            (await tx.query<{ n: number }>(`select count(*)::int as n from public.queue_entry_estimates`))
              .rows[0]?.n,
          async (tx) => void (await tx.exec(STORE_B())),
        );
        expect(o).toEqual({ ok: true, value: n });
      }
      const anon = await tryAsActor(t.db, ACTORS.anon, async (tx) =>
        tx.query(`select count(*) from public.queue_entry_estimates`),
      );
      expect(anon.ok ? 'ok' : anon.code).toBe('42501');
    });
  });
});
