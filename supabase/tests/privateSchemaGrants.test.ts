/**
 * secmisc18 (20261217300005_private_schema_grants.sql): anon and authenticated hold EXECUTE on exactly the private
 * helpers their own rights need — those named by the RLS policies they are evaluated under, by the constraints,
 * defaults and invoker triggers of the tables they may write, and by the public invoker functions they may call
 * (transitively through invoker private functions): private.private_functions_needed_by. Definer RPCs run as their
 * owner and need no grant from the caller. A new private function is granted on purpose or not at all. On PGlite
 * and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS } from './helpers/world';
import { tryAsActor } from './helpers/sql';
import { outcomeCode, useWorldDb } from './helpers/worldDb';

describe.each(DB_KINDS)('private schema grants on %s', (kind) => {
  const t = useWorldDb(kind);
  const executable = async (role: string) =>
    (
      await t.db.query<{ n: string }>(
        `select distinct p.proname as n from pg_proc p join pg_namespace ns on ns.oid = p.pronamespace
          where ns.nspname = 'private' and has_function_privilege($1, p.oid, 'EXECUTE') order by 1`,
        [role],
      )
    ).rows.map((r) => r.n);
  const needed = async (role: string) =>
    (await t.db.query<{ n: string[] }>(`select private.private_functions_needed_by($1) as n`, [role]))
      .rows[0]!.n;

  it.each(['anon', 'authenticated'])(
    '%s may execute only the private helpers its own rights need',
    async (role) => {
      expect(await executable(role)).toEqual(await needed(role));
    },
  );

  it('the need is what the policies and writes use, not the RPCs’ internals', async () => {
    // notification_templates_select (the default templates) + the clinic-calendar helpers; tracker_push_topic:
    // get_tracker_view (security invoker, called by the phone as anon with its link's token) names the visit's push
    // topic through it (sock26) — it answers only for the token's own visit (trackerTopicKeyed.test)
    expect(await needed('anon')).toEqual([
      'budget_month',
      'clinic_today',
      'is_clinic_staff',
      'now',
      'tracker_push_topic',
    ]);
    const auth = await needed('authenticated');
    for (const fn of ['is_clinic_staff', 'is_clinic_admin', 'is_own_patient', 'is_e164', 'now'])
      expect(auth).toContain(fn);
    for (const fn of ['lock_queue', 'log_event', 'book', 'report_forget_entry', 'hash_token', 'kiosk_device'])
      expect(auth).not.toContain(fn);
  });

  it('a signed-in or anonymous caller cannot call an internal helper, even a definer one', async () => {
    for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.ownerA]) {
      for (const sql of [
        `select private.hash_token('x')`,
        `select private.lock_queue('00000000-0000-4000-8000-000000000000'::uuid, current_date)`,
        `select private.report_forget_entry()`,
      ]) {
        const o = await tryAsActor(t.db, actor, (tx) => tx.query(sql));
        expect(outcomeCode(o), `${actor.name}: ${sql}`).toMatch(/^42501 /);
      }
    }
  });

  it('the service role keeps its helpers (the sweeps and edge functions call the same RPCs)', async () => {
    expect(await executable('service_role')).toEqual(
      expect.arrayContaining(['now', 'clinic_today', 'raise_error']),
    );
  });
});
