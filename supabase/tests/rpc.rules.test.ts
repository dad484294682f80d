/** The database API's own rules (booking, cancelling, check-in, queue saves, invitations, templates,
 * SMS budget, public reads), on PGlite and PostgreSQL. Every call here is rolled back unless noted. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { rpcSql, tryAsActor } from './helpers/sql';
import type { Actor, Outcome } from './helpers/sql';
import { ACTORS, ID, TOKENS, U, createWorld, localAt } from './helpers/world';
import { queueEvent } from './helpers/events';

describe.each(DB_KINDS)('RPC rules on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Calls fn as actor (rolled back). `sqlArgs` are raw SQL expressions; `after` reads state before rollback. */
  const call = async <T = Record<string, unknown>>(
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
    opts: { sqlArgs?: Record<string, string>; setup?: string; after?: string } = {},
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
      opts.setup === undefined ? undefined : async (tx) => tx.exec(opts.setup as string),
    );

  const code = (o: Outcome<unknown>) => (o.ok ? 'ok' : `${o.code} ${o.message}`);
  const value = <T>(o: Outcome<{ r: T; after?: Record<string, unknown>[] }>) => {
    if (!o.ok) throw new Error(`expected success, got ${o.code} ${o.message} (${o.detail ?? ''})`);
    return o.value;
  };

  describe('booking', () => {
    const book = (
      slot: string,
      extra: { setup?: string; after?: string; actor?: Actor; type?: string } = {},
    ) =>
      call(
        extra.actor ?? ACTORS.patientB,
        'book_appointment',
        { p_clinic_id: ID.clinicA, p_appointment_type_id: extra.type ?? ID.typeA },
        {
          sqlArgs: { p_slot_start: slot },
          ...(extra.setup ? { setup: extra.setup } : {}),
          ...(extra.after ? { after: extra.after } : {}),
        },
      );

    it('returns a ticket and a tracking token that is stored only hashed', async () => {
      const o = await book(localAt(2, '10:00'), {
        after: `select encode(tracking_token_hash, 'hex') as h from public.queue_entries where slot_start = ${localAt(2, '10:00')}`,
      });
      const v = value(o) as {
        r: { ticket: string; tracking_token: string; status: string };
        after: { h: string }[];
      };
      expect(v.r.ticket).toMatch(/^A-\d{3}$/);
      expect(v.r.status).toBe('scheduled');
      expect(v.r.tracking_token).toMatch(/^[0-9a-f]{64}$/);
      expect(v.after[0]?.h).not.toContain(v.r.tracking_token);
      expect(v.after[0]?.h).toHaveLength(64);
    });

    it('refuses a slot inside the minimum notice (BOOKING.TOO_SOON) and a past slot', async () => {
      expect(code(await book(`now() + interval '30 minutes'`))).toBe('PT422 BOOKING.TOO_SOON');
      expect(code(await book(`now() - interval '1 day'`))).toBe('PT422 BOOKING.TOO_SOON');
    });

    it('refuses beyond the booking horizon (BOOKING.BEYOND_HORIZON)', async () => {
      expect(code(await book(localAt(31, '10:00')))).toBe('PT422 BOOKING.BEYOND_HORIZON');
      expect(code(await book(localAt(30, '10:00')))).toBe('ok');
    });

    it('refuses closed dates, hours outside the working day and off-grid times', async () => {
      expect(
        code(
          await book(localAt(200, '10:00'), {
            setup: `update public.clinics set settings = '{"booking_horizon_days": 365}' where id = '${ID.clinicA}'`,
          }),
        ),
      ).toBe('PT422 BOOKING.CLINIC_CLOSED');
      expect(code(await book(localAt(2, '23:30')))).toBe('PT422 BOOKING.SLOT_UNAVAILABLE');
      expect(code(await book(localAt(2, '10:07')))).toBe('PT422 BOOKING.SLOT_UNAVAILABLE');
    });

    it('respects slot capacity (BOOKING.SLOT_FULL) and overlapping longer appointment types', async () => {
      const setup = `insert into public.queues (id, clinic_id, day) values ('a4000000-0000-4000-8000-0000000000f2', '${ID.clinicA}', private.clinic_today('Africa/Casablanca') + 2);
        insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, slot_start, slot_end)
        values ('a4000000-0000-4000-8000-0000000000f2', '${ID.clinicA}', '${ID.walkInA}', 'booked', 'scheduled', 1, 0,
                ${localAt(2, '10:00')}, ${localAt(2, '10:30')});`;
      expect(code(await book(localAt(2, '10:00'), { setup }))).toBe('PT409 BOOKING.SLOT_FULL');
      expect(code(await book(localAt(2, '10:20'), { setup }))).toBe('PT409 BOOKING.SLOT_FULL');
      expect(code(await book(localAt(2, '10:40'), { setup }))).toBe('ok');
    });

    it('one active visit per patient per day (QUEUE.DUPLICATE_ENTRY)', async () => {
      expect(code(await book(localAt(1, '15:00'), { actor: ACTORS.patientA }))).toBe(
        'PT409 QUEUE.DUPLICATE_ENTRY',
      );
    });

    it('free slots leave out full and too-soon slots; staff may book inside the notice', async () => {
      const o = await call<{ start: string }[]>(
        ACTORS.anon,
        'get_free_slots',
        { p_clinic_id: ID.clinicA },
        { sqlArgs: { p_from: `private.clinic_today('Africa/Casablanca') + 1` } },
      );
      const slots = value(o).r;
      const starts = new Set(slots.map((s) => new Date(s.start).getTime()));
      const { rows } = await t.db.query<{ t: Date }>(`select ${localAt(1, '11:00')} as t`);
      expect(starts.has(rows[0]!.t.getTime())).toBe(false); // entry A1 holds it (capacity 1)
      expect(slots.length).toBeGreaterThan(10);
      // the first slot of tomorrow, found by the test's own role: private.day_slots reads clinics.settings, which
      // a signed-in user may not select since 20261216100001 (the receptionist only sends the slot, as the desk does)
      const first = await t.db.query<{ s: string }>(
        `select (select min(s.slot_start) from private.day_slots('${ID.clinicA}',
                   private.clinic_today('Africa/Casablanca') + 1, 15) s where s.slot_start > now())::text as s`,
      );
      const staff = await call(ACTORS.recepA, 'staff_book_appointment', {
        p_clinic_id: ID.clinicA,
        p_patient_id: ID.walkInA,
        p_appointment_type_id: ID.typeA,
        p_slot_start: first.rows[0]!.s,
      });
      expect(code(staff)).toBe('ok');
    });
  });

  describe('cancel, check-in, running late', () => {
    it('a patient cancels their own visit with enough notice; too late → BOOKING.CANCEL_TOO_LATE; staff always can', async () => {
      const ok = await call(
        ACTORS.patientA,
        'cancel_appointment',
        { p_entry_id: ID.entryA1 },
        {
          after: `select status, cancelled_at is not null as c from public.queue_entries where id = '${ID.entryA1}'`,
        },
      );
      expect(value(ok).after).toEqual([{ status: 'cancelled', c: true }]);
      const late = `update public.queue_entries set slot_start = now() + interval '1 hour', slot_end = now() + interval '75 minutes' where id = '${ID.entryA1}'`;
      expect(
        code(await call(ACTORS.patientA, 'cancel_appointment', { p_entry_id: ID.entryA1 }, { setup: late })),
      ).toBe('PT422 BOOKING.CANCEL_TOO_LATE');
      expect(
        code(await call(ACTORS.recepA, 'cancel_appointment', { p_entry_id: ID.entryA1 }, { setup: late })),
      ).toBe('ok');
    });

    it('a final visit cannot be cancelled again (QUEUE.ILLEGAL_TRANSITION)', async () => {
      const setup = `update public.queue_entries set status = 'cancelled' where id = '${ID.entryA1}'`;
      expect(
        code(await call(ACTORS.recepA, 'cancel_appointment', { p_entry_id: ID.entryA1 }, { setup })),
      ).toBe('PT409 QUEUE.ILLEGAL_TRANSITION');
    });

    it('check-in: only on the day; on time keeps the slot as order key, late gets the arrival time', async () => {
      expect(code(await call(ACTORS.patientA, 'check_in', { p_entry_id: ID.entryA1 }))).toBe(
        'PT409 QUEUE.NOT_TODAY',
      );
      const onTime = value(
        await call<{ order_key: number }>(
          ACTORS.patientA,
          'check_in',
          { p_entry_id: ID.entryA },
          {
            setup: `update public.queue_entries set slot_start = now() + interval '5 minutes', slot_end = now() + interval '20 minutes' where id = '${ID.entryA}'`,
            after: `select extract(epoch from slot_start)::numeric = order_key as kept, status from public.queue_entries where id = '${ID.entryA}'`,
          },
        ),
      );
      expect(onTime.after).toEqual([{ kept: true, status: 'waiting' }]);
      const late = value(
        await call(
          ACTORS.patientA,
          'check_in',
          { p_entry_id: ID.entryA },
          {
            setup: `update public.queue_entries set slot_start = now() - interval '30 minutes', slot_end = now() - interval '15 minutes' where id = '${ID.entryA}'`,
            after: `select extract(epoch from slot_start)::numeric = order_key as kept, order_key > extract(epoch from slot_start) as later from public.queue_entries where id = '${ID.entryA}'`,
          },
        ),
      );
      expect(late.after).toEqual([{ kept: false, later: true }]);
      expect(code(await call(ACTORS.patientB, 'check_in', { p_entry_id: ID.entryB }))).toBe(
        'PT409 QUEUE.ILLEGAL_TRANSITION',
      );
    });

    it('every patient change bumps the queue version and is logged', async () => {
      const v = value(
        await call(
          ACTORS.anon,
          'report_running_late',
          { p_tracking_token: TOKENS.trackingA },
          {
            after: `select q.version, (select count(*)::int from public.queue_events e where e.entry_id = '${ID.entryA}' and e.type = 'PatientRunningLate') as n, (select running_late_at is not null from public.queue_entries where id = '${ID.entryA}') as late from public.queues q where q.id = '${ID.queueA}'`,
          },
        ),
      );
      expect(v.after).toEqual([{ version: 1, n: 1, late: true }]);
    });
  });

  describe('save_queue_step', () => {
    const save = (
      actor: Actor,
      entries: unknown,
      events: unknown = [],
      version = 0,
      after?: string,
      setup?: string,
    ) =>
      call<number>(
        actor,
        'save_queue_step',
        {
          p_queue_id: ID.queueA,
          p_expected_version: version,
          p_entries: JSON.stringify(entries),
          p_events: JSON.stringify(events),
        },
        { ...(after ? { after } : {}), ...(setup ? { setup } : {}) },
      );

    it('applies allowed columns, appends events with the caller as actor, bumps the version', async () => {
      const v = value(
        await save(
          ACTORS.recepA,
          [
            {
              id: ID.entryB,
              status: 'called',
              called_at: '2026-01-01T10:00:00Z',
              called_room: '2',
              skip_count: 1,
            },
          ],
          [
            // every change has its event (verify_step): the skip count by a pass-over, the call by PatientCalled
            queueEvent('PatientPassedOver', ID.entryB),
            queueEvent('PatientCalled', ID.entryB, { room: '2' }),
          ],
          0,
          `select e.status, e.called_room, e.skip_count, (select actor_id from public.queue_events where type = 'PatientCalled') as actor, (select version from public.queues where id = '${ID.queueA}') as version from public.queue_entries e where e.id = '${ID.entryB}'`,
        ),
      );
      expect(v.r).toBe(1);
      expect(v.after).toEqual([
        { status: 'called', called_room: '2', skip_count: 1, actor: U.recepA, version: 1 },
      ]);
    });

    it('stale version → 409 QUEUE.VERSION_CONFLICT, nothing applied', async () => {
      expect(code(await save(ACTORS.recepA, [{ id: ID.entryB, status: 'called' }], [], 7))).toBe(
        'PT409 QUEUE.VERSION_CONFLICT',
      );
    });

    it('refuses columns outside the allowed set, entries of another queue, and illegal moves', async () => {
      expect(code(await save(ACTORS.recepA, [{ id: ID.entryB, patient_id: ID.walkInA }]))).toBe(
        'PT422 VALIDATION.FAILED',
      );
      expect(code(await save(ACTORS.recepA, [{ id: ID.entryB, tracking_token_hash: 'x' }]))).toBe(
        'PT422 VALIDATION.FAILED',
      );
      expect(code(await save(ACTORS.recepA, [{ id: ID.entryA1, status: 'waiting' }]))).toBe(
        'PT404 QUEUE.ENTRY_NOT_FOUND',
      );
      expect(code(await save(ACTORS.recepA, [{ id: ID.entryB, status: 'completed' }]))).toBe(
        'PT409 QUEUE.ILLEGAL_TRANSITION',
      );
      expect(code(await save(ACTORS.recepA, [], [{ type: 'X', entry_id: ID.entryBclinicB }]))).toBe(
        'PT404 QUEUE.ENTRY_NOT_FOUND',
      );
    });

    it("adds a walk-in with the next ticket; another clinic's patient is refused", async () => {
      const id = 'a5000000-0000-4000-8000-0000000000aa';
      const v = value(
        await save(
          ACTORS.recepA,
          [{ id, patient_id: ID.walkInA, kind: 'walk_in', status: 'waiting' }],
          [queueEvent('WalkInAdded', id)],
          0,
          `select e.ticket_number, q.next_ticket from public.queue_entries e join public.queues q on q.id = e.queue_id where e.id = '${id}'`,
        ),
      );
      expect(v.after).toEqual([{ ticket_number: 3, next_ticket: 4 }]);
      expect(
        code(await save(ACTORS.recepA, [{ id, patient_id: ID.walkInB, kind: 'walk_in', status: 'waiting' }])),
      ).toBe('PT404 NOT_FOUND');
    });

    it('max_walk_ins_per_day: the walk-in over the limit → 409 QUEUE.WALK_IN_LIMIT_REACHED', async () => {
      const id = 'a5000000-0000-4000-8000-0000000000ab';
      const entry = [{ id, patient_id: ID.walkInA, kind: 'walk_in', status: 'waiting' }];
      const limit = (n: number) =>
        `update public.clinics set settings = '{"max_walk_ins_per_day": ${n}}' where id = '${ID.clinicA}'`;
      const added = [queueEvent('WalkInAdded', id)];
      expect(code(await save(ACTORS.recepA, entry, added, 0, undefined, limit(1)))).toBe(
        'PT409 QUEUE.WALK_IN_LIMIT_REACHED',
      );
      expect(code(await save(ACTORS.recepA, entry, added, 0, undefined, limit(2)))).toBe('ok');
    });

    it('get_queue creates the day on first use and turns expired grace into no_show', async () => {
      const v = value(
        await call<{
          queue: { version: number };
          entries: { id: string; status: string; patient: { phone: string } }[];
          settings: Record<string, unknown>;
        }>(
          ACTORS.practA,
          'get_queue',
          { p_clinic_id: ID.clinicA },
          {
            setup: `update public.queue_entries set status = 'absent', absent_at = now() - interval '20 minutes', grace_ends_at = now() - interval '10 minutes' where id = '${ID.entryB}'`,
          },
        ),
      );
      expect(v.r.entries.find((e) => e.id === ID.entryB)?.status).toBe('no_show');
      expect(v.r.queue.version).toBe(1);
      expect(v.r.settings).toMatchObject({
        grace_period_minutes: 10,
        max_skips: 3,
        late_return_policy: 'after_next',
      });
      const future = value(
        await call<{ queue: { day: string; version: number } }>(
          ACTORS.practA,
          'get_queue',
          { p_clinic_id: ID.clinicA },
          { sqlArgs: { p_day: `(private.clinic_today('Africa/Casablanca') + 5)::text` } },
        ),
      );
      expect(future.r.queue.version).toBe(0);
    });
  });

  describe('exactly-once commands, patient + step in one transaction, a sane day (issues 10, 12)', () => {
    const CMD = 'c0000000-0000-4000-8000-0000000000c1';
    /** Several RPC calls as one actor in one rolled-back transaction; each call's outcome in order. */
    const calls = (actor: Actor, steps: { fn: string; args: Record<string, unknown> }[], after: string) =>
      tryAsActor(t.db, actor, async (tx) => {
        const out: string[] = [];
        for (const [i, st] of steps.entries()) {
          const { sql, params } = rpcSql(st.fn, st.args);
          await tx.exec(`savepoint s${i}`);
          try {
            const r = (await tx.query<{ r: unknown }>(sql, params)).rows[0]?.r;
            out.push(`ok ${JSON.stringify(r)}`);
          } catch (e) {
            const err = e as { code?: string; message: string };
            out.push(`${err.code} ${err.message}`);
            await tx.exec(`rollback to savepoint s${i}`);
          }
        }
        await tx.exec('reset role');
        return { out, after: (await tx.query(after)).rows };
      });
    const callB = (version: number, command: string | null = CMD) => ({
      fn: 'save_queue_step',
      args: {
        p_queue_id: ID.queueA,
        p_expected_version: version,
        p_entries: JSON.stringify([{ id: ID.entryB, status: 'called', called_at: '2026-01-01T10:00:00Z' }]),
        p_events: JSON.stringify([queueEvent('PatientCalled', ID.entryB)]),
        p_command_id: command,
      },
    });

    it('the same command id twice is applied once: the second is 409 QUEUE.COMMAND_ALREADY_APPLIED, nothing written', async () => {
      const v = await calls(
        ACTORS.recepA,
        [callB(0), callB(1), { fn: 'get_queue', args: { p_clinic_id: ID.clinicA, p_command_id: CMD } }],
        `select (select version from public.queues where id = '${ID.queueA}') as version,
                (select count(*)::int from public.queue_events where type = 'PatientCalled') as called,
                (select count(*)::int from public.queue_commands where command_id = '${CMD}') as commands`,
      );
      if (!v.ok) throw new Error(v.message);
      expect(v.value.out[0]).toBe('ok 1');
      expect(v.value.out[1]).toBe('PT409 QUEUE.COMMAND_ALREADY_APPLIED');
      expect(JSON.parse((v.value.out[2] ?? '').slice(3)).applied_command).toMatchObject({ version: 1 });
      expect(v.value.after).toEqual([{ version: 1, called: 1, commands: 1 }]);
    });

    it('a step without a command id, or with a new one, is applied as before; get_queue reports no applied command', async () => {
      const other = 'c0000000-0000-4000-8000-0000000000c2';
      const v = await calls(
        ACTORS.recepA,
        [{ fn: 'get_queue', args: { p_clinic_id: ID.clinicA, p_command_id: other } }, { ...callB(0, null) }],
        `select version from public.queues where id = '${ID.queueA}'`,
      );
      if (!v.ok) throw new Error(v.message);
      expect(JSON.parse((v.value.out[0] ?? '').slice(3)).applied_command).toBeNull();
      expect(v.value.out[1]).toBe('ok 1');
    });

    it('a walk-in patient is created with its step: a refused step leaves no patient row', async () => {
      const patient = 'a3000000-0000-4000-8000-0000000000f1';
      const entry = 'a5000000-0000-4000-8000-0000000000f1';
      const step = (version: number) => ({
        fn: 'save_queue_step',
        args: {
          p_queue_id: ID.queueA,
          p_expected_version: version,
          p_entries: JSON.stringify([{ id: entry, patient_id: patient, kind: 'walk_in', status: 'waiting' }]),
          p_events: JSON.stringify([queueEvent('WalkInAdded', entry)]),
          p_patients: JSON.stringify([{ id: patient, full_name: 'Nour', phone: '+212600000123' }]),
        },
      });
      const count = `select count(*)::int as n from public.patients where id = '${patient}'`;
      const refused = await calls(ACTORS.recepA, [step(7)], count); // stale version
      if (!refused.ok) throw new Error(refused.message);
      expect(refused.value.out[0]).toBe('PT409 QUEUE.VERSION_CONFLICT');
      expect(refused.value.after).toEqual([{ n: 0 }]);
      const limited = await tryAsActor(
        t.db,
        ACTORS.recepA,
        async (tx) => {
          const { sql, params } = rpcSql(step(0).fn, step(0).args);
          return tx.query(sql, params);
        },
        async (tx) =>
          tx.exec(
            `update public.clinics set settings = '{"max_walk_ins_per_day": 1}' where id = '${ID.clinicA}'`,
          ),
      );
      expect(limited.ok ? 'ok' : `${limited.code} ${limited.message}`).toBe(
        'PT409 QUEUE.WALK_IN_LIMIT_REACHED',
      );
      const ok = await calls(
        ACTORS.recepA,
        [step(0)],
        `select p.full_name, p.clinic_id, e.patient_id from public.patients p join public.queue_entries e on e.patient_id = p.id where p.id = '${patient}'`,
      );
      if (!ok.ok) throw new Error(ok.message);
      expect(ok.value.out[0]).toBe('ok 1');
      expect(ok.value.after).toEqual([{ full_name: 'Nour', clinic_id: ID.clinicA, patient_id: patient }]);
      const bad = await calls(
        ACTORS.recepA,
        [
          {
            ...step(0),
            args: {
              ...step(0).args,
              p_patients: JSON.stringify([{ id: patient, full_name: 'N', clinic_id: ID.clinicB }]),
            },
          },
        ],
        count,
      );
      if (!bad.ok) throw new Error(bad.message);
      expect(bad.value.out[0]).toBe('PT422 VALIDATION.FAILED');
    });

    it("get_queue's day must be a real YYYY-MM-DD within a year: 422 VALIDATION.FAILED and no queue row", async () => {
      const queues = `select count(*)::int as n from public.queues where clinic_id = '${ID.clinicA}'`;
      const before = await calls(ACTORS.recepA, [], queues);
      if (!before.ok) throw new Error(before.message);
      for (const day of ['99999-01-01', 'yesterday', '2026-02-30', '1999-01-01', ' 2026-01-01']) {
        const v = await calls(
          ACTORS.recepA,
          [{ fn: 'get_queue', args: { p_clinic_id: ID.clinicA, p_day: day } }],
          `select count(*)::int as n from public.queues where clinic_id = '${ID.clinicA}'`,
        );
        if (!v.ok) throw new Error(v.message);
        expect([day, v.value.out[0]]).toEqual([day, 'PT422 VALIDATION.FAILED']);
        expect(v.value.after).toEqual(before.value.after);
      }
    });
  });

  describe('public reads', () => {
    it('the board shows tickets and rooms, never phones; names as first name + initial only when enabled, and only to a paired screen (board18)', async () => {
      const setup = `update public.queue_entries set status = 'called', called_at = now(), called_room = '3' where id = '${ID.entryB}';
                     update public.queue_entries set status = 'waiting' where id = '${ID.entryA}'`;
      const off = value(
        await call<Record<string, unknown>>(
          ACTORS.anon,
          'get_waiting_board',
          { p_clinic_id: ID.clinicA },
          { setup },
        ),
      );
      expect(off.r).toMatchObject({
        now_serving: [{ ticket: 'A-002', room: '3', name: null }],
        next: [{ ticket: 'A-001', name: null }],
      });
      expect(JSON.stringify(off.r)).not.toMatch(/\+2126|Bruno|Amina/);
      const namesOn =
        setup +
        `; update public.clinics set settings = '{"board_show_names": true}' where id = '${ID.clinicA}'`;
      // enabled, but the caller is no paired screen: still tickets only (issue 17, board18)
      const anon = value(
        await call<Record<string, unknown>>(
          ACTORS.anon,
          'get_waiting_board',
          { p_clinic_id: ID.clinicA },
          { setup: namesOn },
        ),
      );
      expect(anon.r).toMatchObject({
        now_serving: [{ ticket: 'A-002', name: null }],
        next: [{ ticket: 'A-001', name: null }],
        paired: false,
        names_hidden: true,
      });
      expect(JSON.stringify(anon.r)).not.toMatch(/\+2126|Bruno|Amina/);
      const key = 'rpc-rules-board-key-0123456789abcdef0123456789';
      const on = value(
        await call<Record<string, unknown>>(
          ACTORS.anon,
          'get_waiting_board',
          { p_clinic_id: ID.clinicA, p_board_key: key },
          {
            setup:
              namesOn +
              `; insert into public.kiosk_devices (clinic_id, kind, label, token_hash, paired_by)
                 values ('${ID.clinicA}', 'board', 'TV', private.hash_token('${key}'), '${U.ownerA}')`,
          },
        ),
      );
      expect(on.r).toMatchObject({
        now_serving: [{ ticket: 'A-002', name: 'Bruno P.' }],
        next: [{ ticket: 'A-001', name: 'Amina P.' }],
        paired: true,
      });
      expect(JSON.stringify(on.r)).not.toMatch(/\+2126|Patient/);
    });

    it('visit status by tracking token; a forged token → 404', async () => {
      const v = value(
        await call<Record<string, unknown>>(ACTORS.anon, 'get_visit_status', {
          p_tracking_token: TOKENS.trackingA,
        }),
      );
      expect(v.r).toMatchObject({ entry_id: ID.entryA, ticket: 'A-001', status: 'scheduled' });
      expect(JSON.stringify(v.r)).not.toMatch(/\+2126|Amina/);
      expect(
        code(await call(ACTORS.anon, 'get_visit_status', { p_tracking_token: TOKENS.trackingA + 'x' })),
      ).toBe('PT404 NOT_FOUND');
      expect(code(await call(ACTORS.anon, 'report_running_late', { p_tracking_token: 'forged' }))).toBe(
        'PT404 NOT_FOUND',
      );
    });

    it('the clinic page by slug', async () => {
      const v = value(
        await call<Record<string, unknown>>(ACTORS.anon, 'get_public_clinic', { p_slug: 'clinic-a' }),
      );
      expect(v.r).toMatchObject({
        id: ID.clinicA,
        time_zone: 'Africa/Casablanca',
        // DR1 (doctor20b): the public doctors are every active bookable doctor — the owners as well as the practitioner
        practitioners: [
          { id: ID.memberCoOwnerA, display_name: 'Dr Co-owner A' },
          { id: ID.memberOwnerA, display_name: 'Dr Owner A' },
          { id: ID.memberPractA, display_name: 'Dr Pract A' },
        ],
      });
      // never the receptionist (not a doctor)
      expect(JSON.stringify(v.r)).not.toContain(ID.memberRecepA);
      expect(code(await call(ACTORS.anon, 'get_public_clinic', { p_slug: 'nope' }))).toBe('PT404 NOT_FOUND');
    });
  });

  describe('staff invitations', () => {
    it('accepted once by the invited recipient only, before expiry', async () => {
      const ok = value(
        await call(
          ACTORS.patientB,
          'accept_staff_invitation',
          { p_token: TOKENS.invitationA },
          { after: `select role, display_name from public.clinic_members where user_id = '${U.patientB}'` },
        ),
      );
      expect(ok.after).toEqual([{ role: 'receptionist', display_name: 'New Recep' }]);
      expect(
        code(await call(ACTORS.patientA, 'accept_staff_invitation', { p_token: TOKENS.invitationA })),
      ).toBe('PT403 AUTH.FORBIDDEN');
      expect(
        code(
          await call(
            ACTORS.patientB,
            'accept_staff_invitation',
            { p_token: TOKENS.invitationA },
            {
              setup: `update public.staff_invitations set accepted_at = now() where id = '${ID.invitationA}'`,
            },
          ),
        ),
      ).toBe('PT404 NOT_FOUND');
      expect(
        code(
          await call(
            ACTORS.patientB,
            'accept_staff_invitation',
            { p_token: TOKENS.invitationA },
            {
              setup: `update public.staff_invitations set created_at = now() - interval '8 days', expires_at = now() - interval '1 day' where id = '${ID.invitationA}'`,
            },
          ),
        ),
      ).toBe('PT404 NOT_FOUND');
      expect(code(await call(ACTORS.patientB, 'accept_staff_invitation', { p_token: 'forged' }))).toBe(
        'PT404 NOT_FOUND',
      );
    });

    it('expires after 7 days; only an owner invites an owner', async () => {
      const v = value(
        await call<{ token: string; expires_at: string }>(
          ACTORS.ownerA,
          'create_staff_invitation',
          { p_clinic_id: ID.clinicA, p_role: 'admin', p_display_name: 'Admin', p_phone: '+212611223344' },
          {
            after: `select (expires_at - created_at) = interval '7 days' as seven, token_hash is not null as hashed from public.staff_invitations where display_name = 'Admin'`,
          },
        ),
      );
      expect(v.after).toEqual([{ seven: true, hashed: true }]);
      const adminSetup = `update public.clinic_members set role = 'admin' where id = '${ID.memberRecepA}'`;
      expect(
        code(
          await call(
            ACTORS.recepA,
            'create_staff_invitation',
            { p_clinic_id: ID.clinicA, p_role: 'owner', p_display_name: 'X', p_email: 'x@test.ma' },
            { setup: adminSetup },
          ),
        ),
      ).toBe('PT403 AUTH.FORBIDDEN');
      expect(
        code(
          await call(
            ACTORS.recepA,
            'create_staff_invitation',
            { p_clinic_id: ID.clinicA, p_role: 'practitioner', p_display_name: 'X', p_email: 'x@test.ma' },
            { setup: adminSetup },
          ),
        ),
      ).toBe('ok');
    });
  });

  describe('templates', () => {
    it('refuses unknown variables and empty bodies, saves known ones', async () => {
      const bad = await call(ACTORS.ownerA, 'save_notification_template', {
        p_clinic_id: ID.clinicA,
        p_kind: 'your_turn',
        p_language: 'ar',
        p_body: 'دورك {ticket} {doctor_name}',
      });
      expect(code(bad)).toBe('PT422 TEMPLATE.UNKNOWN_VARIABLE');
      expect(bad.ok ? '' : bad.detail).toContain('doctor_name');
      expect(
        code(
          await call(ACTORS.ownerA, 'save_notification_template', {
            p_clinic_id: ID.clinicA,
            p_kind: 'your_turn',
            p_language: 'ar',
            p_body: '   ',
          }),
        ),
      ).toBe('PT422 TEMPLATE.EMPTY');
      expect(
        code(
          await call(ACTORS.ownerA, 'save_notification_template', {
            p_clinic_id: ID.clinicA,
            p_kind: 'your_turn',
            p_language: 'ar',
            p_body: 'دورك {ticket} القاعة {room}',
          }),
        ),
      ).toBe('ok');
    });

    it('built-in defaults exist for every message kind in ar, fr and en', async () => {
      const { rows } = await t.db.query<{ n: number; kinds: number }>(
        `select count(*)::int as n, count(distinct kind)::int as kinds from public.notification_templates where clinic_id is null`,
      );
      const { rows: enumRows } = await t.db.query<{ n: number }>(
        `select count(*)::int as n from unnest(enum_range(null::public.notification_kind))`,
      );
      expect(rows[0]).toEqual({ n: (enumRows[0]?.n ?? 0) * 3, kinds: enumRows[0]?.n });
    });
  });

  describe('SMS budget', () => {
    const reserve = (key: string, setup?: string, after?: string) =>
      call<{
        reserved: boolean;
        duplicate: boolean;
        code: string | null;
        notification_id: string;
        alert: boolean;
      }>(
        ACTORS.service,
        'sms_budget_reserve',
        { p_clinic_id: ID.clinicA, p_idempotency_key: key, p_kind: 'your_turn', p_segments: 1, p_cost: 0.5 },
        { ...(setup ? { setup } : {}), ...(after ? { after } : {}) },
      );

    it('an idempotency key reserves once', async () => {
      const v = value(await reserve('fixture-key'));
      expect(v.r).toMatchObject({ reserved: false, duplicate: true });
    });

    it('over the amount limit → skipped_budget with SMS.BUDGET_EXCEEDED; alert at the ratio', async () => {
      const full = value(
        await reserve(
          'k-amount',
          `update public.sms_budgets set limit_amount = 0.7 where clinic_id = '${ID.clinicA}'`,
          `select status from public.notifications where idempotency_key = 'k-amount'`,
        ),
      );
      expect(full.r).toMatchObject({ reserved: false, code: 'SMS.BUDGET_EXCEEDED' });
      expect(full.after).toEqual([{ status: 'skipped_budget' }]);
      const alert = value(
        await reserve(
          'k-alert',
          `update public.sms_budgets set limit_count = 2 where clinic_id = '${ID.clinicA}'`,
        ),
      );
      expect(alert.r).toMatchObject({ reserved: true, alert: true });
    });

    it('settle moves the reservation to spent; failure releases it and a retry reserves again', async () => {
      const sent = value(
        await call(
          ACTORS.service,
          'sms_budget_settle',
          { p_notification_id: ID.notificationA, p_status: 'sent', p_provider_id: 'SM1', p_cost: 0.4 },
          {
            after: `select reserved_count, reserved_amount::text as ra, spent_count, spent_amount::text as sa from public.sms_budgets where clinic_id = '${ID.clinicA}'`,
          },
        ),
      );
      expect(sent.after).toEqual([{ reserved_count: 0, ra: '0.0000', spent_count: 1, sa: '0.4000' }]);
      const failedSetup = `update public.notifications set status = 'failed', reserved = false, reserved_cost = 0 where id = '${ID.notificationA}';
                           update public.sms_budgets set reserved_count = 0, reserved_amount = 0 where clinic_id = '${ID.clinicA}'`;
      const retry = value(await reserve('fixture-key', failedSetup));
      expect(retry.r).toMatchObject({ reserved: true, duplicate: false, notification_id: ID.notificationA });
    });

    it('report for owners', async () => {
      const v = value(
        await call<Record<string, unknown>>(ACTORS.ownerA, 'sms_budget_report', { p_clinic_id: ID.clinicA }),
      );
      expect(v.r).toMatchObject({
        limit_count: 100,
        reserved_count: 1,
        spent_count: 0,
        alert: false,
        by_status: { queued: 1 },
      });
    });
  });

  describe('ending the day', () => {
    it('end_day completes the served, no-shows the rest, closes with a summary; a closed day refuses saves', async () => {
      // B is in service (a patient only called, never seen, is not served: daySummaryParity.test.ts)
      const setup = `update public.queue_entries set status = 'called', checked_in_at = now() - interval '30 minutes', called_at = now() - interval '10 minutes' where id = '${ID.entryB}'; update public.queue_entries set status = 'in_service', started_at = now() - interval '9 minutes' where id = '${ID.entryB}';`;
      const v = value(
        await call<{ version: number; summary: Record<string, unknown> }>(
          ACTORS.practA,
          'end_day',
          { p_queue_id: ID.queueA, p_expected_version: 0 },
          {
            setup,
            after: `select e.id, e.status, q.status as queue_status from public.queue_entries e join public.queues q on q.id = e.queue_id where q.id = '${ID.queueA}' order by e.ticket_number`,
          },
        ),
      );
      expect(v.r.version).toBe(1);
      expect(v.r.summary).toMatchObject({
        served: 1,
        noShows: 1,
        averageWaitMinutes: 20,
        p90WaitMinutes: 20,
      });
      expect(v.after).toEqual([
        { id: ID.entryA, status: 'no_show', queue_status: 'closed' },
        { id: ID.entryB, status: 'completed', queue_status: 'closed' },
      ]);
      const closed = `update public.queues set status = 'closed' where id = '${ID.queueA}'`;
      expect(
        code(
          await call(
            ACTORS.practA,
            'end_day',
            { p_queue_id: ID.queueA, p_expected_version: 0 },
            { setup: closed },
          ),
        ),
      ).toBe('PT409 QUEUE.CLOSED');
      expect(
        code(
          await call(
            ACTORS.practA,
            'save_queue_step',
            {
              p_queue_id: ID.queueA,
              p_expected_version: 0,
              p_entries: JSON.stringify([{ id: ID.entryB, status: 'called' }]),
              p_events: '[]',
            },
            { setup: closed },
          ),
        ),
      ).toBe('PT409 QUEUE.CLOSED');
    });

    it('the sweep ends past days automatically and expires grace periods, without anyone opening a screen', async () => {
      // two days back: yesterday's closing + 2 h (23:00 + 2 h here) is still ahead between 00:00 and 01:00
      const setup = `update public.queues set day = day - 2 where id = '${ID.queueB}';
        update public.queue_entries set status = 'absent', absent_at = now() - interval '15 minutes', grace_ends_at = now() - interval '5 minutes' where id = '${ID.entryB}'`;
      const v = value(
        await call<{ expired: number; closed: number }>(
          ACTORS.service,
          'sweep_queues',
          {},
          {
            setup,
            after: `select (select status::text from public.queues where id = '${ID.queueB}') as b, (select status::text from public.queue_entries where id = '${ID.entryB}') as e, (select status::text from public.queues where id = '${ID.queueA}') as a`,
          },
        ),
      );
      expect(v.r).toEqual({ expired: 1, closed: 1, offers_expired: 0 });
      expect(v.after).toEqual([{ b: 'closed', e: 'no_show', a: 'open' }]);
    });

    it('expire_graces expires grace periods by the database clock and never ends a day, even one long past closing', async () => {
      const setup = `update public.queues set day = day - 2 where id = '${ID.queueB}';
        update public.queue_entries set status = 'absent', absent_at = now() - interval '15 minutes', grace_ends_at = now() - interval '5 minutes' where id = '${ID.entryB}'`;
      const v = value(
        await call<{ expired: number }>(
          ACTORS.service,
          'expire_graces',
          {},
          {
            setup,
            after: `select (select status::text from public.queues where id = '${ID.queueB}') as b, (select status::text from public.queue_entries where id = '${ID.entryB}') as e, (select type from public.queue_events where entry_id = '${ID.entryB}' order by id desc limit 1) as ev`,
          },
        ),
      );
      expect(v.r).toEqual({ expired: 1 });
      expect(v.after).toEqual([{ b: 'open', e: 'no_show', ev: 'GraceExpired' }]);
      // a grace not yet over by the database's clock stays absent
      const early = value(
        await call<{ expired: number }>(
          ACTORS.service,
          'expire_graces',
          {},
          {
            setup: `update public.queue_entries set status = 'absent', absent_at = now(), grace_ends_at = now() + interval '5 minutes' where id = '${ID.entryB}'`,
            after: `select status::text as e from public.queue_entries where id = '${ID.entryB}'`,
          },
        ),
      );
      expect(early.r).toEqual({ expired: 0 });
      expect(early.after).toEqual([{ e: 'absent' }]);
    });
  });

  describe('owners', () => {
    const asOwner = (sql: string, setup?: string) =>
      tryAsActor(
        t.db,
        ACTORS.ownerA,
        async (tx) => (await tx.query(sql)).affectedRows,
        setup === undefined ? undefined : async (tx) => tx.exec(setup),
      );
    // (the fixture's own role: a client removes a member through remove_member only, 20261219300001)
    const removeCoOwner = `delete from public.clinic_members where id = '${ID.memberCoOwnerA}'`;

    it('the last owner cannot leave, be demoted or deactivated; with a co-owner they can', async () => {
      const leave = `select public.remove_member('${ID.memberOwnerA}')`;
      const demote = `update public.clinic_members set role = 'admin' where id = '${ID.memberOwnerA}'`;
      const deactivate = `update public.clinic_members set active = false where id = '${ID.memberOwnerA}'`;
      expect(code(await asOwner(leave, removeCoOwner))).toBe('PT409 MEMBER.LAST_OWNER');
      const left = await tryAsActor(t.db, ACTORS.ownerA, async (tx) => {
        await tx.query(leave);
        return (
          await tx.query(
            `select count(*)::int as n from public.clinic_members where id = '${ID.memberOwnerA}'`,
          )
        ).rows[0];
      });
      expect(left).toEqual({ ok: true, value: { n: 0 } });
      for (const sql of [demote, deactivate]) {
        expect(code(await asOwner(sql, removeCoOwner))).toBe('PT409 MEMBER.LAST_OWNER');
        expect(await asOwner(sql)).toEqual({ ok: true, value: 1 });
      }
    });

    it('deleting the clinic still removes its members', async () => {
      const o = await asOwner(`delete from public.clinics where id = '${ID.clinicA}'`, removeCoOwner);
      expect(o).toEqual({ ok: true, value: 1 });
    });

    it('an admin cannot remove an owner', async () => {
      const o = await tryAsActor(
        t.db,
        ACTORS.recepA,
        async (tx) => (await tx.query(`select public.remove_member('${ID.memberCoOwnerA}')`)).affectedRows,
        async (tx) =>
          tx.exec(`update public.clinic_members set role = 'admin' where id = '${ID.memberRecepA}'`),
      );
      expect(code(o)).toBe('PT403 AUTH.FORBIDDEN');
    });
  });
});
