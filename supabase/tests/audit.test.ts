/**
 * The audit trail (issue 19, 20261202800002_audit.sql) on PGlite and PostgreSQL: overrides in the queue's
 * event log are copied with who / when / from where; a staff read of a patient's record is logged; owners
 * filter the trail; a patient sees who read their record; everyone else is refused. The database clock is
 * pinned (2025-10-06 10:00 in Casablanca); every call is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { rpcSql, tryAsActor } from './helpers/sql';
import type { Actor, Outcome } from './helpers/sql';
import { ACTORS, ID, U } from './helpers/world';

const HEADERS = JSON.stringify({
  'x-forwarded-for': '203.0.113.7, 10.0.0.1',
  'user-agent': 'Mozilla/5.0 Desk',
});
const AT = `timestamptz '2025-10-06 10:00:00+01'`;
const PIN = `insert into private.pinned_clock (at) values (${AT}) on conflict (id) do update set at = excluded.at;`;
const event = (type: string, payload: object, actor: string = U.recepA, entry: string = ID.entryB) =>
  `insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id, occurred_at)
   values ('${ID.queueA}', '${ID.clinicA}', '${entry}', '${type}', '${JSON.stringify(payload)}', '${actor}', ${AT});`;
/** The client the gateway settled (sec22b: queuemed.client_address); the headers' first hop is the caller's own text. */
const CLIENT = `select set_config('queuemed.client_address', '203.0.113.7', true);`;
/** As the gateway does: the request's headers and client for the transaction, then the events. */
const withHeaders = (sql: string) =>
  `select set_config('request.headers', '${HEADERS}', true); ${CLIENT} ${sql}`;

const OVERRIDES = withHeaders(
  [
    event('PatientCalled', { ticket: 'A-002', outOfOrder: true, reason: 'Urgence: douleur thoracique' }),
    event('PatientCalled', { ticket: 'A-002', outOfOrder: false, reason: null }),
    event('PatientCheckedIn', { ticket: 'A-002' }),
    event('PriorityChanged', { ticket: 'A-002', from: 'normal', to: 'urgent', reason: 'fièvre' }, U.ownerA),
    event('EntryMoved', { fromPractitionerId: null, toPractitionerId: ID.memberPractA, reason: 'transfert' }),
    event('EntryMoved', { fromPractitionerId: null, toPractitionerId: null, reason: 'avance' }),
    event('NoShowReactivated', { ticket: 'A-002', freshArrival: true }),
  ].join('\n'),
);

describe.each(DB_KINDS)('audit trail on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    const { createWorld } = await import('./helpers/world');
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const call = async <T>(
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
    opts: { setup?: string; headers?: boolean; after?: string } = {},
  ): Promise<Outcome<{ r: T; after: Record<string, unknown>[] }>> =>
    tryAsActor(
      t.db,
      actor,
      async (tx) => {
        if (opts.headers) {
          await tx.query(`select set_config('request.headers', $1, true)`, [HEADERS]);
          await tx.exec(CLIENT);
        }
        const { sql, params } = rpcSql(fn, args);
        const r = (await tx.query<{ r: T }>(sql, params)).rows[0]?.r as T;
        await tx.exec('reset role');
        return { r, after: opts.after ? (await tx.query(opts.after)).rows : [] };
      },
      async (tx) => void (await tx.exec(PIN + (opts.setup ?? ''))),
    );
  const codeOf = (o: Outcome<unknown>) =>
    o.ok ? 'ok' : o.code.startsWith('PT') ? `${o.code} ${o.message}` : o.code;
  const LOG = `select kind, patient_id::text, actor_name, actor_role::text, reason, client_ip, user_agent
               from public.audit_log order by id`;

  it('copies each override of the event log with who, when and from where — nothing else', async () => {
    let rows: Record<string, unknown>[] = [];
    const done = new Error('rollback');
    await t.db
      .transaction(async (tx) => {
        await tx.exec(PIN + OVERRIDES);
        rows = (await tx.query(LOG)).rows;
        throw done;
      })
      .catch((e: unknown) => {
        if (e !== done) throw e;
      });
    const who = { patient_id: ID.patientRecB, client_ip: '203.0.113.7', user_agent: 'Mozilla/5.0 Desk' };
    expect(rows).toEqual([
      {
        kind: 'out_of_order_call',
        ...who,
        actor_name: 'Recep A',
        actor_role: 'receptionist',
        reason: 'Urgence: douleur thoracique',
      },
      { kind: 'priority_change', ...who, actor_name: 'Dr Owner A', actor_role: 'owner', reason: 'fièvre' },
      { kind: 'transfer', ...who, actor_name: 'Recep A', actor_role: 'receptionist', reason: 'transfert' },
      { kind: 'reorder', ...who, actor_name: 'Recep A', actor_role: 'receptionist', reason: 'avance' },
      { kind: 'reactivation', ...who, actor_name: 'Recep A', actor_role: 'receptionist', reason: null },
    ]);
  });

  it("logs a staff read of a patient's record; another clinic, a patient and anon learn nothing", async () => {
    const o = await call<{ patient: { full_name: string }; visits: { ticket: string; status: string }[] }>(
      ACTORS.practA,
      'get_patient_record',
      { p_patient_id: ID.patientRecA },
      { headers: true, after: LOG },
    );
    if (!o.ok) throw new Error(codeOf(o));
    expect(o.value.r.patient.full_name).toBeTruthy();
    expect(o.value.r.visits.length).toBeGreaterThan(0);
    expect(o.value.after).toEqual([
      {
        kind: 'record_read',
        patient_id: ID.patientRecA,
        actor_name: 'Dr Pract A',
        actor_role: 'practitioner',
        reason: null,
        client_ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0 Desk',
      },
    ]);
    for (const a of [ACTORS.ownerB, ACTORS.patientA]) {
      const refused = await call(a, 'get_patient_record', { p_patient_id: ID.patientRecA }, { after: LOG });
      expect(codeOf(refused)).toBe('PT404 NOT_FOUND');
    }
    expect(codeOf(await call(ACTORS.anon, 'get_patient_record', { p_patient_id: ID.patientRecA }))).toBe(
      '42501',
    );
  });

  it("shows the clinic's staff a patient's email hard bounce on the record; another clinic, the patient and anon read nothing", async () => {
    type Rec = { patient: { email: string | null; email_bounced_at: string | null } };
    const BOUNCED = `update public.patients set email = 'amina@example.ma', email_bounced_at = ${AT}
                      where id = '${ID.patientRecA}';`;
    const read = (actor: Actor, setup: string) =>
      call<Rec>(actor, 'get_patient_record', { p_patient_id: ID.patientRecA }, { setup });
    const bounced = await read(ACTORS.recepA, BOUNCED);
    if (!bounced.ok) throw new Error(codeOf(bounced));
    expect(bounced.value.r.patient.email).toBe('amina@example.ma');
    expect(new Date(bounced.value.r.patient.email_bounced_at!).toISOString()).toBe(
      '2025-10-06T09:00:00.000Z',
    );
    // an address that did not bounce, or a bounce with no address left on file: no warning
    const fine = await read(
      ACTORS.practA,
      `update public.patients set email = 'new@example.ma' where id = '${ID.patientRecA}';`,
    );
    if (!fine.ok) throw new Error(codeOf(fine));
    expect(fine.value.r.patient).toMatchObject({ email: 'new@example.ma', email_bounced_at: null });
    const none = await read(
      ACTORS.practA,
      `update public.patients set email = null, email_bounced_at = ${AT} where id = '${ID.patientRecA}';`,
    );
    if (!none.ok) throw new Error(codeOf(none));
    expect(none.value.r.patient).toMatchObject({ email: null, email_bounced_at: null });
    // another clinic's staff and the patient (through the staff function) are refused; anon has no grant
    for (const a of [ACTORS.ownerB, ACTORS.patientA])
      expect(codeOf(await read(a, BOUNCED))).toBe('PT404 NOT_FOUND');
    expect(codeOf(await read(ACTORS.anon, BOUNCED))).toBe('42501');
    // nor can another clinic's staff read the bounce off the table itself (RLS: no row)
    const direct = await tryAsActor(
      t.db,
      ACTORS.ownerB,
      async (tx) =>
        (await tx.query(`select email_bounced_at from public.patients where id = $1`, [ID.patientRecA])).rows,
      async (tx) => void (await tx.exec(PIN + BOUNCED)),
    );
    expect(direct).toEqual({ ok: true, value: [] });
  });

  it('owners filter the trail by patient, staff account, kind and day; others are refused', async () => {
    type Row = { kind: string; actor_name: string; patient_name: string | null; client_ip: string };
    const day = { p_clinic_id: ID.clinicA, p_from: '2025-10-06', p_to: '2025-10-06' };
    const all = await call<Row[]>(ACTORS.ownerA, 'get_audit_log', day, { setup: OVERRIDES });
    if (!all.ok) throw new Error(codeOf(all));
    expect(all.value.r.map((r) => r.kind)).toEqual([
      'reactivation',
      'reorder',
      'transfer',
      'priority_change',
      'out_of_order_call',
    ]);
    expect(all.value.r[0]).toMatchObject({ patient_name: 'Bruno Patient', client_ip: '203.0.113.7' });
    const byOwner = await call<Row[]>(
      ACTORS.ownerA,
      'get_audit_log',
      { ...day, p_actor_id: U.ownerA },
      { setup: OVERRIDES },
    );
    expect(byOwner.ok && byOwner.value.r.map((r) => r.kind)).toEqual(['priority_change']);
    const byKind = await call<Row[]>(
      ACTORS.ownerA,
      'get_audit_log',
      { ...day, p_kind: 'transfer' },
      { setup: OVERRIDES },
    );
    expect(byKind.ok && byKind.value.r).toHaveLength(1);
    const other = await call<Row[]>(
      ACTORS.ownerA,
      'get_audit_log',
      { ...day, p_patient_id: ID.patientRecA },
      { setup: OVERRIDES },
    );
    expect(other.ok && other.value.r).toEqual([]);
    const dayBefore = await call<Row[]>(
      ACTORS.ownerA,
      'get_audit_log',
      { ...day, p_from: '2025-10-05', p_to: '2025-10-05' },
      { setup: OVERRIDES },
    );
    expect(dayBefore.ok && dayBefore.value.r).toEqual([]);
    for (const a of [ACTORS.recepA, ACTORS.practA, ACTORS.patientA, ACTORS.ownerB])
      expect(codeOf(await call(a, 'get_audit_log', day, { setup: OVERRIDES }))).toBe('PT403 AUTH.FORBIDDEN');
    expect(codeOf(await call(ACTORS.ownerA, 'get_audit_log', { ...day, p_kind: 'everything' }))).toBe(
      'PT422 VALIDATION.FAILED',
    );
    expect(codeOf(await call(ACTORS.ownerA, 'get_audit_log', { ...day, p_limit: 0 }))).toBe(
      'PT422 VALIDATION.FAILED',
    );
  });

  it('a patient sees who read their record (not the staff IP), and only their own', async () => {
    const READ = `insert into public.audit_log (clinic_id, kind, patient_id, actor_id, actor_name, actor_role, client_ip)
                  values ('${ID.clinicA}', 'record_read', '${ID.patientRecA}', '${U.practA}', 'Dr Pract A', 'practitioner', '203.0.113.7');`;
    const mine = await call<Record<string, unknown>[]>(
      ACTORS.patientA,
      'get_my_record_access',
      {},
      { setup: READ },
    );
    if (!mine.ok) throw new Error(codeOf(mine));
    expect(mine.value.r).toEqual([
      {
        occurred_at: expect.any(String),
        clinic_name: 'Clinique A',
        actor_name: 'Dr Pract A',
        actor_role: 'practitioner',
      },
    ]);
    expect(Date.parse(String(mine.value.r[0]!['occurred_at']))).toBe(Date.parse('2025-10-06T09:00:00Z'));
    const theirs = await call<unknown[]>(ACTORS.patientB, 'get_my_record_access', {}, { setup: READ });
    expect(theirs.ok && theirs.value.r).toEqual([]);
  });
});
