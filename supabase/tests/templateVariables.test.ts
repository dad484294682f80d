/**
 * Template variables per message kind (issue 11, rules written twice): the database's list
 * (private.template_kind_variables, checked by save_notification_template and the notification_templates
 * constraint) equals the app's MessageTemplate model (allowedVariables = the common variables + KIND_VARIABLES)
 * for every kind the database stores, on PGlite and PostgreSQL; a variable of another kind is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MESSAGE_KINDS,
  allowedVariables,
  type MessageKind,
} from '../../src/services/notification/models/MessageTemplate';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';

describe.each(DB_KINDS)('template variables parity with the app on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('every stored kind allows exactly the variables the app offers for it', async () => {
    const { rows } = await t.db.query<{ k: string; v: string[] }>(
      `select k::text as k, private.template_kind_variables(k) as v
         from unnest(enum_range(null::public.notification_kind)) as k order by 1`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(MESSAGE_KINDS as readonly string[], r.k).toContain(r.k);
      expect([...r.v].sort(), r.k).toEqual([...allowedVariables(r.k as MessageKind)].sort());
    }
  });

  it("refuses another kind's variable and an unknown one, in the check and the table's constraint", async () => {
    const { rows } = await t.db.query<{ bad: string[]; ok: string[]; inv: string[]; def: string }>(
      `select private.template_unknown_variables('almost_turn', 'Hi {patient_name}, cancel: {cancel_url} {nope}') as bad,
              private.template_unknown_variables('booking_confirmed', '{appointment_time} {cancel_url} {tracking_url}') as ok,
              private.template_unknown_variables('staff_invitation', 'Join {clinic_name}: {invitation_url}') as inv,
              (select pg_get_constraintdef(oid) from pg_constraint
                where conname = 'notification_templates_known_variables') as def`,
    );
    expect(rows[0]!.bad).toEqual(['cancel_url', 'nope']);
    expect(rows[0]!.ok).toEqual([]);
    expect(rows[0]!.inv).toEqual([]);
    expect(rows[0]!.def).toMatch(/template_unknown_variables\(kind, body\)/);
  });
});
