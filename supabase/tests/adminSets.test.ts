/** Issue 13: closed dates, visit types and team each saved by ONE call in one transaction (a refusal changes
 * nothing, another clinic's admin / a patient / anon are refused), and the clinic clock computed by Postgres
 * — on PGlite and PostgreSQL. Every call is rolled back; `after` reads the state before the rollback. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb, zoneDirOf, type TestDb } from './helpers/testDb';
import { zoneOffsetAt } from '../local/db/zoneData';
import { rpcSql, tryAsActor, type Actor, type Outcome } from './helpers/sql';
import { ACTORS, ID } from './helpers/world';
import { createWorld } from './helpers/world';

describe.each(DB_KINDS)('admin sets and clinic clock on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const call = async (
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
    after: string,
    setup?: string,
  ): Promise<Outcome<{ r: unknown; after: Record<string, unknown>[] }>> =>
    tryAsActor(
      t.db,
      actor,
      async (tx) => {
        const { sql, params } = rpcSql(fn, args);
        const r = (await tx.query<{ r: unknown }>(sql, params)).rows[0]?.r;
        await tx.exec('reset role');
        return { r, after: (await tx.query(after)).rows };
      },
      setup === undefined ? undefined : async (tx) => tx.exec(setup),
    );
  /** The state seen by the superuser when the call fails (in the same rolled-back transaction). */
  const stateAfterFailure = async (
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
    after: string,
    setup?: string,
  ) => {
    let rows: Record<string, unknown>[] = [];
    const outcome = await tryAsActor(
      t.db,
      actor,
      async (tx) => {
        const { sql, params } = rpcSql(fn, args);
        await tx.exec('savepoint s');
        try {
          await tx.query(sql, params);
          return 'ok';
        } catch (e) {
          await tx.exec('rollback to savepoint s');
          await tx.exec('reset role');
          rows = (await tx.query(after)).rows;
          throw e;
        }
      },
      setup === undefined ? undefined : async (tx) => tx.exec(setup),
    );
    return { outcome, rows };
  };
  const refusal = (o: Outcome<unknown>) =>
    o.ok
      ? 'ok'
      : `${o.code} ${o.message}${o.detail && o.detail.startsWith('{') ? ` ${o.detail.replace(/\s/g, '')}` : ''}`;

  const closedA = `select day::text as day, reason from public.closed_dates where clinic_id = '${ID.clinicA}' order by day`;
  const typesA = `select name, duration_minutes as m, active from public.appointment_types where clinic_id = '${ID.clinicA}' order by name`;
  const teamA = `select display_name as n, role::text as role, room, active from public.clinic_members where clinic_id = '${ID.clinicA}' order by display_name`;

  describe('set_closed_dates', () => {
    it('replaces the whole list at once', async () => {
      const o = await call(
        ACTORS.ownerA,
        'set_closed_dates',
        {
          p_clinic_id: ID.clinicA,
          p_dates: JSON.stringify([
            { day: '2026-12-25', reason: 'Noël' },
            { day: '2027-01-01', reason: null },
          ]),
        },
        closedA,
      );
      expect(o.ok && o.value.after).toEqual([
        { day: '2026-12-25', reason: 'Noël' },
        { day: '2027-01-01', reason: null },
      ]);
    });

    it.each([
      ['a day that does not exist', [{ day: '2026-12-25' }, { day: '2027-02-30' }], '"index":1'],
      ['a day twice', [{ day: '2026-12-25' }, { day: '2026-12-25' }], '"problem":"duplicate"'],
      [
        'a reason over 200 characters',
        [{ day: '2026-12-25', reason: 'x'.repeat(201) }],
        '"problem":"format"',
      ],
      ['not a list', { day: '2026-12-25' }, '"problem":"format"'],
    ])('refuses %s with 422 VALIDATION.FAILED and changes nothing', async (_n, dates, detail) => {
      const before = (await t.db.query(closedA)).rows;
      const { outcome, rows } = await stateAfterFailure(
        ACTORS.ownerA,
        'set_closed_dates',
        { p_clinic_id: ID.clinicA, p_dates: JSON.stringify(dates) },
        closedA,
      );
      expect(refusal(outcome)).toContain('PT422 VALIDATION.FAILED');
      expect(refusal(outcome)).toContain(detail);
      expect(rows).toEqual(before);
      expect(before.length).toBe(1);
    });
  });

  describe('set_appointment_types', () => {
    it('updates, creates and deactivates in one call; returns the ids in order', async () => {
      const o = await call(
        ACTORS.ownerA,
        'set_appointment_types',
        {
          p_clinic_id: ID.clinicA,
          p_types: JSON.stringify([
            { id: ID.typeA, name: 'Consultation', duration_minutes: 20, active: true },
            { name: 'Vaccin', duration_minutes: 10 },
          ]),
        },
        typesA,
      );
      if (!o.ok) throw new Error(refusal(o));
      expect(o.value.after).toEqual([
        { name: 'Consultation', m: 20, active: true },
        { name: 'Suivi', m: 30, active: false },
        { name: 'Vaccin', m: 10, active: true },
      ]);
      expect((o.value.r as string[])[0]).toBe(ID.typeA);
      expect((o.value.r as string[]).length).toBe(2);
    });

    it('two types may swap their names', async () => {
      const o = await call(
        ACTORS.ownerA,
        'set_appointment_types',
        {
          p_clinic_id: ID.clinicA,
          p_types: JSON.stringify([
            { id: ID.typeA, name: 'Suivi', duration_minutes: 15 },
            { id: ID.typeA2, name: 'Consultation', duration_minutes: 30 },
          ]),
        },
        `select id::text, name from public.appointment_types where clinic_id = '${ID.clinicA}' order by name`,
      );
      expect(o.ok && o.value.after).toEqual([
        { id: ID.typeA2, name: 'Consultation' },
        { id: ID.typeA, name: 'Suivi' },
      ]);
    });

    it.each([
      [
        'a duration under 5 minutes',
        [
          { id: ID.typeA, name: 'Consultation', duration_minutes: 20 },
          { name: 'X', duration_minutes: 2 },
        ],
        '"problem":"duration"',
      ],
      ['an empty name', [{ name: '  ', duration_minutes: 15 }], '"problem":"name"'],
      [
        'one name twice',
        [
          { name: 'A', duration_minutes: 15 },
          { name: 'a', duration_minutes: 15 },
        ],
        '"problem":"duplicate"',
      ],
      [
        "another clinic's type",
        [{ id: ID.typeB, name: 'Consultation', duration_minutes: 15 }],
        '"problem":"unknown"',
      ],
    ])('refuses %s with 422 VALIDATION.FAILED and changes nothing', async (_n, types, detail) => {
      const before = (await t.db.query(typesA)).rows;
      const { outcome, rows } = await stateAfterFailure(
        ACTORS.ownerA,
        'set_appointment_types',
        { p_clinic_id: ID.clinicA, p_types: JSON.stringify(types) },
        typesA,
      );
      expect(refusal(outcome)).toContain('PT422 VALIDATION.FAILED');
      expect(refusal(outcome)).toContain(detail);
      expect(rows).toEqual(before);
    });
  });

  describe('set_team', () => {
    it('changes several members in one call, only the keys given', async () => {
      const o = await call(
        ACTORS.ownerA,
        'set_team',
        {
          p_clinic_id: ID.clinicA,
          p_changes: JSON.stringify([
            { member_id: ID.memberPractA, room: '7' },
            { member_id: ID.memberRecepA, role: 'admin', room: null },
          ]),
        },
        teamA,
      );
      if (!o.ok) throw new Error(refusal(o));
      expect(o.value.after).toEqual([
        { n: 'Dr Co-owner A', role: 'owner', room: null, active: true },
        { n: 'Dr Owner A', role: 'owner', room: '1', active: true },
        { n: 'Dr Pract A', role: 'practitioner', room: '7', active: true },
        { n: 'Recep A', role: 'admin', room: null, active: true },
      ]);
    });

    it('an admin may not touch an owner: 403, and the change before it is undone too', async () => {
      const makeAdmin = `update public.clinic_members set role = 'admin' where id = '${ID.memberRecepA}'`;
      const before = (await t.db.query(teamA)).rows.map((r) =>
        r.n === 'Recep A' ? { ...r, role: 'admin' } : r,
      );
      const { outcome, rows } = await stateAfterFailure(
        ACTORS.recepA,
        'set_team',
        {
          p_clinic_id: ID.clinicA,
          p_changes: JSON.stringify([
            { member_id: ID.memberPractA, room: '9' },
            { member_id: ID.memberOwnerA, role: 'receptionist' },
          ]),
        },
        teamA,
        makeAdmin,
      );
      expect(refusal(outcome)).toContain('PT403 AUTH.FORBIDDEN');
      expect(rows).toEqual(before);
    });

    it.each([
      [
        'an unknown role',
        [
          { member_id: ID.memberPractA, room: '3' },
          { member_id: ID.memberRecepA, role: 'boss' },
        ],
        '"problem":"role"',
      ],
      [
        'a room over 40 characters',
        [{ member_id: ID.memberPractA, room: 'r'.repeat(41) }],
        '"problem":"room"',
      ],
      ["another clinic's member", [{ member_id: ID.memberOwnerB, room: '2' }], '"problem":"unknown"'],
      [
        'one member twice',
        [
          { member_id: ID.memberPractA, room: '2' },
          { member_id: ID.memberPractA, room: '3' },
        ],
        '"problem":"duplicate"',
      ],
    ])('refuses %s with 422 VALIDATION.FAILED and changes nothing', async (_n, changes, detail) => {
      const before = (await t.db.query(teamA)).rows;
      const { outcome, rows } = await stateAfterFailure(
        ACTORS.ownerA,
        'set_team',
        { p_clinic_id: ID.clinicA, p_changes: JSON.stringify(changes) },
        teamA,
      );
      expect(refusal(outcome)).toContain('PT422 VALIDATION.FAILED');
      expect(refusal(outcome)).toContain(detail);
      expect(rows).toEqual(before);
    });

    it('the last owner stays an owner (409), nothing changed', async () => {
      const before = (await t.db.query(teamA)).rows;
      const { outcome, rows } = await stateAfterFailure(
        ACTORS.ownerA,
        'set_team',
        {
          p_clinic_id: ID.clinicA,
          p_changes: JSON.stringify([
            { member_id: ID.memberCoOwnerA, role: 'admin' },
            { member_id: ID.memberOwnerA, role: 'admin' },
          ]),
        },
        teamA,
      );
      expect(refusal(outcome)).toContain('PT409');
      expect(rows).toEqual(before);
    });
  });

  describe('set_team judges the final team, whatever order the changes come in', () => {
    // Hand the clinic over: the caller (owner A) steps down, the co-owner is deactivated, Pract A becomes the
    // owner. Every order of the three changes is the same request and is accepted; on the row-by-row SQL,
    // four of the six orders were refused (409: for a moment no owner; 403: the caller had stepped down
    // before touching the co-owner's row).
    const handOver = [
      { member_id: ID.memberOwnerA, role: 'admin' },
      { member_id: ID.memberCoOwnerA, active: false },
      { member_id: ID.memberPractA, role: 'owner' },
    ];
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    it.each(orders)('hand-over in the order %i,%i,%i is accepted', async (...order) => {
      const o = await call(
        ACTORS.ownerA,
        'set_team',
        { p_clinic_id: ID.clinicA, p_changes: JSON.stringify(order.map((i) => handOver[i])) },
        teamA,
      );
      if (!o.ok) throw new Error(refusal(o));
      expect(o.value.after).toEqual([
        { n: 'Dr Co-owner A', role: 'owner', room: null, active: false },
        { n: 'Dr Owner A', role: 'admin', room: '1', active: true },
        { n: 'Dr Pract A', role: 'owner', room: '2', active: true },
        { n: 'Recep A', role: 'receptionist', room: null, active: true },
      ]);
    });

    // Deactivating yourself and editing a colleague in one save: the caller is judged as they were.
    it.each([
      ['yourself first', [0, 1]],
      ['yourself last', [1, 0]],
    ])('an owner stepping away and moving a colleague (%s) is accepted', async (_n, order) => {
      const changes = [
        { member_id: ID.memberOwnerA, active: false },
        { member_id: ID.memberPractA, room: '8' },
      ];
      const o = await call(
        ACTORS.ownerA,
        'set_team',
        { p_clinic_id: ID.clinicA, p_changes: JSON.stringify(order.map((i) => changes[i])) },
        teamA,
      );
      if (!o.ok) throw new Error(refusal(o));
      expect(o.value.after.map((r) => [r.n, r.role, r.room, r.active])).toEqual([
        ['Dr Co-owner A', 'owner', null, true],
        ['Dr Owner A', 'owner', '1', false],
        ['Dr Pract A', 'practitioner', '8', true],
        ['Recep A', 'receptionist', null, true],
      ]);
    });

    // Leaving no active owner is refused in every order with the trigger's own code (MEMBER.LAST_OWNER, team19).
    const noOwner = [
      { member_id: ID.memberOwnerA, role: 'admin' },
      { member_id: ID.memberCoOwnerA, active: false },
      { member_id: ID.memberPractA, room: '5' },
    ];
    it.each(orders)(
      'leaving no active owner (order %i,%i,%i) is refused: 409, nothing changed',
      async (...order) => {
        const before = (await t.db.query(teamA)).rows;
        const { outcome, rows } = await stateAfterFailure(
          ACTORS.ownerA,
          'set_team',
          { p_clinic_id: ID.clinicA, p_changes: JSON.stringify(order.map((i) => noOwner[i])) },
          teamA,
        );
        expect(refusal(outcome)).toBe('PT409 MEMBER.LAST_OWNER');
        expect(!outcome.ok && outcome.detail).toBe('a clinic needs at least one owner');
        expect(rows).toEqual(before);
      },
    );

    // Only an owner makes an owner: an admin naming one gets the coded 403 (was a raw RLS 42501), any order.
    it.each([
      ['promotion first', [0, 1]],
      ['promotion last', [1, 0]],
    ])('an admin naming an owner (%s) is refused: 403 AUTH.FORBIDDEN, nothing changed', async (_n, order) => {
      const makeAdmin = `update public.clinic_members set role = 'admin' where id = '${ID.memberRecepA}'`;
      const before = (await t.db.query(teamA)).rows.map((r) =>
        r.n === 'Recep A' ? { ...r, role: 'admin' } : r,
      );
      const changes = [
        { member_id: ID.memberPractA, role: 'owner' },
        { member_id: ID.memberRecepA, room: '3' },
      ];
      const { outcome, rows } = await stateAfterFailure(
        ACTORS.recepA,
        'set_team',
        { p_clinic_id: ID.clinicA, p_changes: JSON.stringify(order.map((i) => changes[i])) },
        teamA,
        makeAdmin,
      );
      expect(refusal(outcome)).toBe('PT403 AUTH.FORBIDDEN');
      expect(!outcome.ok && outcome.detail).toBe('only an owner changes an owner');
      expect(rows).toEqual(before);
    });
  });

  describe('who may', () => {
    const calls: [string, Record<string, unknown>, string][] = [
      ['set_closed_dates', { p_clinic_id: ID.clinicA, p_dates: '[]' }, closedA],
      ['set_appointment_types', { p_clinic_id: ID.clinicA, p_types: '[]' }, typesA],
      [
        'set_team',
        { p_clinic_id: ID.clinicA, p_changes: JSON.stringify([{ member_id: ID.memberPractA, room: '9' }]) },
        teamA,
      ],
    ];
    it.each(calls)(
      "%s: another clinic's admin, a receptionist, a patient, anon are refused; nothing changes",
      async (fn, args, after) => {
        const before = (await t.db.query(after)).rows;
        for (const [actor, expected] of [
          [ACTORS.ownerB, 'PT403 AUTH.FORBIDDEN'],
          [ACTORS.recepA, 'PT403 AUTH.FORBIDDEN'],
          [ACTORS.patientA, 'PT403 AUTH.FORBIDDEN'],
          [ACTORS.anon, '42501'],
        ] as const) {
          const { outcome, rows } = await stateAfterFailure(actor, fn, args, after);
          expect(`${actor.name}: ${refusal(outcome)}`).toContain(`${actor.name}: ${expected}`);
          expect(rows).toEqual(before);
        }
      },
    );
  });

  describe('get_clinic_clock', () => {
    const clock = (args: Record<string, unknown>, setup?: string) =>
      call(ACTORS.anon, 'get_clinic_clock', { p_clinic_id: ID.clinicA, ...args }, 'select 1', setup);
    const pin = (iso: string) =>
      `insert into private.pinned_clock (id, at) values (true, '${iso}') on conflict (id) do update set at = excluded.at`;

    // Dates before 2026-09-20, where every zone data release agrees (tzdata 2026c+ has Morocco at +00 from then
    // on; older releases keep +01 with Ramadan switches): the test passes whichever the database was given.
    it("gives the zone, the clinic's today by the server's clock, and Casablanca's offsets before Ramadan 2026", async () => {
      const o = await clock({ p_from: '2026-01-31', p_to: '2026-02-02' }, pin('2025-11-15T23:30:00Z'));
      if (!o.ok) throw new Error(refusal(o));
      const r = o.value.r as {
        time_zone: string;
        today: string;
        offsets: { from: string; offset_minutes: number }[];
      };
      expect(r.time_zone).toBe('Africa/Casablanca');
      // 23:30 UTC on 15 Nov 2025 is 00:30 on the 16th in Casablanca (UTC+1)
      expect(r.today).toBe('2025-11-16');
      expect(r.offsets.map((x) => x.offset_minutes)).toEqual([60]);
    });

    it('lists the transitions when the range crosses them (Ramadan 2026: UTC+1 → UTC+0 on 15 Feb, back on 22 Mar)', async () => {
      const o = await clock({ p_from: '2026-02-01', p_to: '2026-03-31' }, pin('2026-01-20T10:00:00Z'));
      if (!o.ok) throw new Error(refusal(o));
      const r = o.value.r as { offsets: { from: string; offset_minutes: number }[] };
      expect(r.offsets.map((x) => x.offset_minutes)).toEqual([60, 0, 60]);
      // each change is an instant strictly inside the range
      expect(new Date(r.offsets[1]!.from).getTime()).toBeGreaterThan(Date.parse('2026-02-01T00:00:00Z'));
      expect(new Date(r.offsets[2]!.from).getTime()).toBeLessThan(Date.parse('2026-04-01T00:00:00Z'));
    });

    it("gives today's offsets as the database's own zone files say, also after Morocco's 2026-09-20 change", async () => {
      // 23:30 UTC on 15 Nov 2026: 00:30 on the 16th with tzdata < 2026c (+01), still the 15th with 2026c+ (+00)
      const at = '2026-11-15T23:30:00Z';
      const o = await clock({}, pin(at));
      if (!o.ok) throw new Error(refusal(o));
      const r = o.value.r as { today: string; offsets: { from: string; offset_minutes: number }[] };
      const offset = zoneOffsetAt(zoneDirOf(kind), 'Africa/Casablanca', at);
      expect(r.today).toBe(new Date(Date.parse(at) + offset * 60_000).toISOString().slice(0, 10));
      expect(r.offsets.map((x) => x.offset_minutes)).toEqual([offset]);
    });

    it('refuses a range over 62 days or backwards (422) and an unknown clinic (404)', async () => {
      expect(refusal(await clock({ p_from: '2027-01-01', p_to: '2027-04-01' }))).toContain(
        'PT422 VALIDATION.FAILED',
      );
      expect(refusal(await clock({ p_from: '2027-01-02', p_to: '2027-01-01' }))).toContain('PT422');
      expect(
        refusal(
          await call(
            ACTORS.anon,
            'get_clinic_clock',
            { p_clinic_id: '00000000-0000-4000-8000-000000000000' },
            'select 1',
          ),
        ),
      ).toContain('PT404 NOT_FOUND');
    });
  });
});
