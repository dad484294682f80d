/**
 * Bad input: wrong types, nulls, another clinic's ids, forged tokens, SQL metacharacters → a coded error
 * (PTxyz + app code, or PostgreSQL's own SQLSTATE for a value of the wrong type / a violated
 * constraint), and nothing changed (every table's content fingerprint is identical afterwards). Arabic,
 * emoji and metacharacters in names are stored and read back verbatim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError } from '../local/db/types';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { asActor, rpcSql } from './helpers/sql';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, TOKENS, createWorld, localAt } from './helpers/world';

interface BadCase {
  name: string;
  actor: Actor;
  /** an RPC call … */
  fn?: string;
  args?: Record<string, unknown>;
  sqlArgs?: Record<string, string>;
  /** … or a plain statement */
  sql?: string;
  params?: unknown[];
  expect: string;
}

const INJECT = `'); drop table public.clinics; --`;

/** save_queue_step's arguments at version 0: entries and events as JSON, and a queue change as given. */
const stepArgs = (queueId: string, entries: unknown, events: unknown = [], queue?: string) => ({
  p_queue_id: queueId,
  p_expected_version: 0,
  p_entries: JSON.stringify(entries),
  p_events: JSON.stringify(events),
  ...(queue === undefined ? {} : { p_queue: queue }),
});

const CASES: BadCase[] = [
  // wrong types
  {
    name: 'uuid that is not a uuid',
    actor: ACTORS.patientA,
    fn: 'book_appointment',
    args: { p_clinic_id: 'not-a-uuid' },
    sqlArgs: { p_slot_start: localAt(2, '10:00') },
    expect: '22P02',
  },
  {
    name: 'text where an integer goes',
    actor: ACTORS.service,
    fn: 'sms_budget_reserve',
    args: {
      p_clinic_id: ID.clinicA,
      p_idempotency_key: 'k',
      p_kind: 'your_turn',
      p_segments: 'three',
      p_cost: 1,
    },
    expect: '22P02',
  },
  {
    name: 'unknown enum value',
    actor: ACTORS.ownerA,
    fn: 'save_notification_template',
    args: { p_clinic_id: ID.clinicA, p_kind: 'telepathy', p_language: 'fr', p_body: 'x' },
    expect: '22P02',
  },
  {
    name: 'entry status that does not exist',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [{ id: ID.entryB, status: 'flying' }]),
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'skip_count as text',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [{ id: ID.entryB, skip_count: 'many' }]),
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'negative skip_count',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [{ id: ID.entryB, skip_count: -1 }]),
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'entries as an object',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: { p_queue_id: ID.queueA, p_expected_version: 0, p_entries: '{"id":1}', p_events: '[]' },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'entry id that is not a uuid',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [{ id: INJECT }]),
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'event without a type',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [], [{ payload: {} }]),
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'event type with metacharacters',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [], [{ type: INJECT }]),
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'absent without grace end',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [{ id: ID.entryB, status: 'absent' }]),
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'closing the day with a bogus status',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [], [], '{"status":"exploded"}'),
    expect: 'PT422 VALIDATION.FAILED',
  },
  // nulls
  {
    name: 'null version',
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: { p_queue_id: ID.queueA, p_expected_version: null, p_entries: '[]', p_events: '[]' },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'null slot',
    actor: ACTORS.patientA,
    fn: 'book_appointment',
    args: { p_clinic_id: ID.clinicA, p_slot_start: null },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'null clinic',
    actor: ACTORS.patientA,
    fn: 'book_appointment',
    args: { p_clinic_id: null, p_slot_start: null },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: 'null idempotency key',
    actor: ACTORS.service,
    fn: 'sms_budget_reserve',
    args: { p_clinic_id: ID.clinicA, p_idempotency_key: null, p_kind: 'your_turn', p_segments: 1, p_cost: 1 },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'null event ids',
    actor: ACTORS.service,
    fn: 'mark_events_notified',
    args: { p_event_ids: null },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'null invitation token',
    actor: ACTORS.patientB,
    fn: 'accept_staff_invitation',
    args: { p_token: null },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: 'null template body',
    actor: ACTORS.ownerA,
    fn: 'save_notification_template',
    args: { p_clinic_id: ID.clinicA, p_kind: 'your_turn', p_language: 'fr', p_body: null },
    expect: 'PT422 TEMPLATE.EMPTY',
  },
  // out of range
  {
    name: 'negative SMS cost',
    actor: ACTORS.service,
    fn: 'sms_budget_reserve',
    args: {
      p_clinic_id: ID.clinicA,
      p_idempotency_key: 'neg',
      p_kind: 'your_turn',
      p_segments: 1,
      p_cost: -5,
    },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'settle to a non-final status',
    actor: ACTORS.service,
    fn: 'sms_budget_settle',
    args: { p_notification_id: ID.notificationA, p_status: 'queued' },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'slot range backwards',
    actor: ACTORS.anon,
    fn: 'get_free_slots',
    args: { p_clinic_id: ID.clinicA },
    sqlArgs: { p_from: 'current_date + 5', p_to: 'current_date + 1' },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'slot range of a year',
    actor: ACTORS.anon,
    fn: 'get_free_slots',
    args: { p_clinic_id: ID.clinicA },
    sqlArgs: { p_from: 'current_date', p_to: 'current_date + 365' },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'a 201-character name',
    actor: ACTORS.patientB,
    fn: 'book_appointment',
    args: { p_clinic_id: ID.clinicB, p_full_name: 'x'.repeat(201) },
    sqlArgs: { p_slot_start: localAt(2, '10:00') },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'invitation phone not E.164',
    actor: ACTORS.ownerA,
    fn: 'create_staff_invitation',
    args: { p_clinic_id: ID.clinicA, p_role: 'receptionist', p_display_name: 'X', p_phone: '0612345678' },
    expect: 'PT422 PHONE.INVALID',
  },
  {
    name: 'invitation email with metacharacters',
    actor: ACTORS.ownerA,
    fn: 'create_staff_invitation',
    args: { p_clinic_id: ID.clinicA, p_role: 'receptionist', p_display_name: 'X', p_email: INJECT },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'clinic slug with metacharacters',
    actor: ACTORS.patientA,
    fn: 'create_clinic',
    args: { p_name: 'X', p_slug: INJECT },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'clinic time zone that does not exist',
    actor: ACTORS.patientA,
    fn: 'create_clinic',
    args: { p_name: 'X', p_slug: 'mars', p_time_zone: 'Mars/Olympus' },
    expect: 'PT422 TIMEZONE.INVALID',
  },
  {
    name: 'template with an unknown variable',
    actor: ACTORS.ownerA,
    fn: 'save_notification_template',
    args: {
      p_clinic_id: ID.clinicA,
      p_kind: 'your_turn',
      p_language: 'fr',
      p_body: 'Bonjour {patient_name} {x}',
    },
    expect: 'PT422 TEMPLATE.UNKNOWN_VARIABLE',
  },
  {
    name: "template with another kind's variable",
    actor: ACTORS.ownerA,
    fn: 'save_notification_template',
    args: {
      p_clinic_id: ID.clinicA,
      p_kind: 'your_turn',
      p_language: 'fr',
      p_body: 'Bonjour {patient_name}, annuler : {cancel_url}',
    },
    expect: 'PT422 TEMPLATE.UNKNOWN_VARIABLE',
  },
  // another clinic's ids: clinic A's type, practitioner or patient in a booking that belongs to the other clinic
  ...(
    [
      [
        'appointment type of clinic A booked at clinic B',
        ACTORS.patientA,
        'book_appointment',
        { p_clinic_id: ID.clinicB, p_appointment_type_id: ID.typeA },
      ],
      [
        'practitioner of clinic A booked at clinic B',
        ACTORS.patientA,
        'book_appointment',
        { p_clinic_id: ID.clinicB, p_practitioner_id: ID.memberPractA },
      ],
      [
        "staff booking for clinic B's patient",
        ACTORS.recepA,
        'staff_book_appointment',
        { p_clinic_id: ID.clinicA, p_patient_id: ID.walkInB },
      ],
    ] as const
  ).map(([name, actor, fn, args]) => ({
    name,
    actor,
    fn,
    args,
    sqlArgs: { p_slot_start: localAt(2, '10:00') },
    expect: 'PT404 NOT_FOUND',
  })),
  {
    name: "assigning clinic B's practitioner in a save",
    actor: ACTORS.recepA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueA, [{ id: ID.entryB, practitioner_id: ID.memberOwnerB }]),
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: "saving clinic B's queue",
    actor: ACTORS.ownerA,
    fn: 'save_queue_step',
    args: stepArgs(ID.queueB, [{ id: ID.entryBclinicB, status: 'called' }]),
    expect: 'PT403 AUTH.FORBIDDEN',
  },
  {
    name: "cancelling clinic B's visit",
    actor: ACTORS.ownerA,
    fn: 'cancel_appointment',
    args: { p_entry_id: ID.entryBclinicB },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: "reserving SMS for clinic B's visit",
    // the message log's writers are the server's only (sms17); its own rules still hold for it
    actor: ACTORS.service,
    fn: 'sms_budget_reserve',
    args: {
      p_clinic_id: ID.clinicA,
      p_idempotency_key: 'x',
      p_kind: 'your_turn',
      p_segments: 1,
      p_cost: 1,
      p_entry_id: ID.entryBclinicB,
    },
    expect: 'PT404 NOT_FOUND',
  },
  // issue 10: dates at the RPC boundary, references that owe nothing, unverified identities
  ...(
    [
      ['-infinity', '-infinity'],
      ['infinity', 'infinity'],
      ['in 1900', '1900-01-01'],
      ['in 2999', '2999-01-01'],
    ] as const
  ).map(([when, month]) => ({
    name: `budget month ${when}`,
    actor: ACTORS.ownerA,
    fn: 'sms_budget_report',
    args: { p_clinic_id: ID.clinicA, p_month: month },
    expect: 'PT422 VALIDATION.FAILED',
  })),
  {
    name: 'almost-turn position 0',
    actor: ACTORS.recepA,
    fn: 'notification_prepare',
    args: { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'almost_turn', p_position: 0 },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'almost-turn beyond notify_at_position',
    actor: ACTORS.recepA,
    fn: 'notification_prepare',
    args: { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'almost_turn', p_position: 9 },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'a staff invitation as a patient message',
    actor: ACTORS.recepA,
    fn: 'notification_prepare',
    args: { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'staff_invitation' },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'a queue message no event owes',
    actor: ACTORS.recepA,
    fn: 'notification_prepare',
    args: { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'no_show' },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: "another clinic's visit by reference",
    actor: ACTORS.ownerB,
    fn: 'notification_prepare',
    args: { p_clinic_id: ID.clinicB, p_entry_id: ID.entryB, p_kind: 'almost_turn', p_position: 1 },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: 'approving a clinic for SMS without saying yes or no',
    actor: ACTORS.service,
    fn: 'approve_clinic_sms',
    args: { p_clinic_id: ID.clinicA, p_approved: null },
    expect: 'PT422 VALIDATION.FAILED',
  },
  {
    name: 'approving an unknown clinic for SMS',
    actor: ACTORS.service,
    fn: 'approve_clinic_sms',
    args: { p_clinic_id: 'c0000000-0000-4000-8000-0000000000ff', p_approved: true },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: "approving a sender that is not the clinic's request",
    actor: ACTORS.service,
    fn: 'approve_sms_sender',
    args: { p_clinic_id: ID.clinicA, p_sender: 'CIH BANK' },
    expect: 'PT409 VALIDATION.FAILED',
  },
  {
    name: 'claiming records with a JWT without the verified phone',
    actor: { ...ACTORS.patientA, phone: '212699999999' },
    fn: 'claim_patient_records',
    args: {},
    expect: 'PT403 AUTH.FORBIDDEN',
  },
  {
    name: 'accepting an invitation with a JWT without the invited email',
    actor: { ...ACTORS.patientB, email: 'someone@else.test' },
    fn: 'accept_staff_invitation',
    args: { p_token: TOKENS.invitationA },
    expect: 'PT403 AUTH.FORBIDDEN',
  },
  // idempotency keys are per clinic (issue 10): clinic B may use the text of clinic A's key for itself, but
  // it cannot record a recipient that is not a phone number
  {
    name: 'reserving under clinic B with a recipient that is no phone',
    actor: ACTORS.service,
    fn: 'sms_budget_reserve',
    args: {
      p_clinic_id: ID.clinicB,
      p_idempotency_key: 'fixture-key',
      p_kind: 'your_turn',
      p_segments: 1,
      p_cost: 1,
      p_recipient: 'CIH BANK',
    },
    expect: 'PT422 VALIDATION.FAILED',
  },
  // forged tokens and metacharacters
  {
    name: 'forged tracking token',
    actor: ACTORS.anon,
    fn: 'get_visit_status',
    args: { p_tracking_token: TOKENS.trackingA.replace(/.$/, '0') },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: 'tracking token with SQL',
    actor: ACTORS.anon,
    fn: 'get_visit_status',
    args: { p_tracking_token: `' or 1=1 --` },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: 'running late with a forged token',
    actor: ACTORS.anon,
    fn: 'report_running_late',
    args: { p_tracking_token: `x' or '1'='1` },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: 'clinic slug with SQL',
    actor: ACTORS.anon,
    fn: 'get_public_clinic',
    args: { p_slug: `clinic-a'; drop table public.clinics; --` },
    expect: 'PT404 NOT_FOUND',
  },
  {
    name: 'forged invitation token',
    actor: ACTORS.patientB,
    fn: 'accept_staff_invitation',
    args: { p_token: TOKENS.invitationA + "' --" },
    expect: 'PT404 NOT_FOUND',
  },
  // direct writes with bad values (constraints)
  {
    name: 'unknown clinic setting',
    actor: ACTORS.ownerA,
    sql: `update public.clinics set settings = '{"max_skips": 3, "free_coffee": true}' where id = $1`,
    params: [ID.clinicA],
    expect: '23514',
  },
  {
    name: 'setting of the wrong type',
    actor: ACTORS.ownerA,
    sql: `update public.clinics set settings = '{"grace_period_minutes": "ten"}' where id = $1`,
    params: [ID.clinicA],
    expect: '23514',
  },
  {
    name: 'setting out of range',
    actor: ACTORS.ownerA,
    sql: `update public.clinics set settings = '{"slot_capacity": 0}' where id = $1`,
    params: [ID.clinicA],
    expect: '23514',
  },
  {
    name: 'patient phone not E.164',
    actor: ACTORS.recepA,
    sql: `insert into public.patients (clinic_id, full_name, phone) values ($1, 'X', '0612345678')`,
    params: [ID.clinicA],
    expect: '23514',
  },
  {
    name: 'patient for another clinic',
    actor: ACTORS.recepA,
    sql: `insert into public.patients (clinic_id, full_name) values ($1, 'X')`,
    params: [ID.clinicB],
    expect: '42501',
  },
  {
    name: 'overlapping working hours',
    actor: ACTORS.ownerA,
    sql: `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at) values ($1, 1, '10:00', '11:00')`,
    params: [ID.clinicA],
    expect: 'PT422 HOURS.INVALID',
  },
  {
    name: 'template with unknown variable, directly',
    actor: ACTORS.ownerA,
    sql: `insert into public.notification_templates (clinic_id, kind, language, body) values ($1, 'no_show', 'en', 'Hi {nope}')`,
    params: [ID.clinicA],
    expect: '23514',
  },
];

describe.each(DB_KINDS)('bad input on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const fingerprint = async () => {
    const { rows } = await t.db.query<{ tablename: string }>(
      `select tablename from pg_tables where schemaname in ('public') order by 1`,
    );
    const out: Record<string, string> = {};
    for (const { tablename } of rows) {
      const r = await t.db.query<{ h: string }>(
        `select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from public."${tablename}" x`,
      );
      out[tablename] = r.rows[0]?.h ?? '';
    }
    const users = await t.db.query<{ h: string }>(
      `select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from auth.users x`,
    );
    out['auth.users'] = users.rows[0]?.h ?? '';
    return out;
  };

  it(`${CASES.length} bad inputs → coded errors, and nothing changed`, async () => {
    const before = await fingerprint();
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const c of CASES) {
      want[c.name] = c.expect;
      try {
        await asActor(t.db, c.actor, async (tx) => {
          if (c.fn !== undefined) {
            const { sql, params } = rpcSql(c.fn, c.args ?? {});
            const extra = Object.entries(c.sqlArgs ?? {}).map(([k, v]) => `${k} => ${v}`);
            const full = extra.length
              ? sql.replace(
                  /\) as r$/,
                  `${Object.keys(c.args ?? {}).length ? ', ' : ''}${extra.join(', ')}) as r`,
                )
              : sql;
            await tx.query(full, params);
          } else {
            await tx.query(c.sql ?? 'select 1', c.params);
          }
        });
        got[c.name] = 'succeeded';
      } catch (e) {
        const err = e as DbError;
        got[c.name] = err.code?.startsWith('PT')
          ? `${err.code} ${err.message}`
          : (err.code ?? `no code: ${err.message}`);
      }
    }
    expect(got).toEqual(want);
    expect(await fingerprint()).toEqual(before);
  });

  it('Arabic, emoji and SQL metacharacters in names are stored and returned verbatim', async () => {
    const names = [
      'فاطمة الزهراء بنعلي',
      'Zoé 👩🏽‍⚕️ El Idrissi',
      `Robert'); drop table public.patients; --`,
      'Ahmed "$$" \\ ;',
    ];
    // a text-direction mark (here RLM) is no longer a name's character (attack review 17, 20261216900002)
    const rlm = await asActor(t.db, ACTORS.recepA, (tx) =>
      tx
        .query(`insert into public.patients (clinic_id, full_name) values ($1, $2)`, [
          ID.clinicA,
          'Ahmed \u200f',
        ])
        .then(
          () => 'stored',
          (e: DbError) => `${e.code} ${e.message}`,
        ),
    );
    expect(rlm).toBe('PT422 VALIDATION.FAILED');
    for (const name of names) {
      const id = await asActor(t.db, ACTORS.recepA, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `insert into public.patients (clinic_id, full_name) values ($1, $2) returning id`,
          [ID.clinicA, name],
        );
        return rows[0]?.id;
      });
      const back = await asActor(t.db, ACTORS.practA, (tx) =>
        tx.query<{ full_name: string }>('select full_name from public.patients where id = $1', [id]),
      );
      expect(back.rows[0]?.full_name).toBe(name);
    }
    const booked = await asActor(t.db, ACTORS.patientB, async (tx) => {
      const { sql, params } = rpcSql('book_appointment', {
        p_clinic_id: ID.clinicB,
        p_full_name: "يوسف 🚀 O'Neil",
      });
      return (
        await tx.query<{ r: { patient_id: string } }>(
          sql.replace(/\) as r$/, `, p_slot_start => ${localAt(2, '10:00')}) as r`),
          params,
        )
      ).rows[0]?.r;
    });
    const { rows } = await t.db.query<{ full_name: string }>(
      'select full_name from public.patients where id = $1',
      [booked?.patient_id],
    );
    expect(rows[0]?.full_name).toBe("يوسف 🚀 O'Neil");
    const clinics = await t.db.query<{ n: number }>('select count(*)::int as n from public.clinics');
    expect(clinics.rows[0]?.n).toBe(2);
  });
});
