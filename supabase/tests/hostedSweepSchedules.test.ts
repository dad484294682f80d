/**
 * Issue 18: the sweep edge functions on hosted Supabase (20261211100003_hosted_sweep_schedules.sql), on PGlite
 * and PostgreSQL. The migration applies cleanly where pg_cron/pg_net are absent and schedules nothing; the job
 * list names every sweep function the local stack's timers call (each one exists in supabase/functions); each
 * job's command posts through pg_net with the URL and key read from Vault at run time (no secret in the job);
 * and the scheduling function hands pg_cron exactly that list — checked against a stand-in `cron.schedule` /
 * `net` schema inside a rolled-back transaction (pg_cron itself is not under test).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolledBack } from './helpers/pinnedWorld';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';

const FUNCTIONS = new URL('../functions', import.meta.url).pathname;
const STACK = readFileSync(new URL('../local/stack.ts', import.meta.url), 'utf8');

const JOBS = [
  { job_name: 'queuemed-notification-sweep', schedule: '* * * * *', function_name: 'notification-sweep' },
  { job_name: 'queuemed-webhook-sweep', schedule: '* * * * *', function_name: 'webhook-sweep' },
  { job_name: 'queuemed-queue-estimates', schedule: '* * * * *', function_name: 'queue-estimates' },
];

describe.each(DB_KINDS)('hosted sweep schedules on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('applied cleanly without pg_cron: nothing scheduled, no cron or net schema created', async () => {
    const { rows } = await t.db.query<{ n: number; cron: boolean; net: boolean }>(
      `select (select count(*)::int from private.schedule_hosted_sweeps()) as n,
              exists (select 1 from pg_namespace where nspname = 'cron') as cron,
              exists (select 1 from pg_namespace where nspname = 'net') as net`,
    );
    expect(rows[0]).toEqual({ n: 0, cron: false, net: false });
  });

  it('the job list: every sweep function the local stack calls on a timer, each deployed from supabase/functions', async () => {
    const { rows } = await t.db.query<{
      job_name: string;
      schedule: string;
      function_name: string;
      body: unknown;
    }>(`select job_name, schedule, function_name, body from private.sweep_jobs()`);
    expect(rows.map(({ body: _b, ...r }) => r)).toEqual(JOBS);
    expect(rows.every((r) => JSON.stringify(r.body) === '{}')).toBe(true);
    for (const r of rows) {
      expect(existsSync(`${FUNCTIONS}/${r.function_name}/index.ts`), r.function_name).toBe(true);
      expect(STACK, `the local stack calls ${r.function_name}`).toContain(`${r.function_name}`);
    }
  });

  it("a job's command: a pg_net POST to the function with the Vault's URL and key, read when it runs; no secret in it", async () => {
    const { rows } = await t.db.query<{ c: string }>(
      `select private.sweep_job_command('webhook-sweep', '{"limit": 50}') as c`,
    );
    const c = rows[0]!.c;
    expect(c).toContain('net.http_post(');
    expect(c).toContain("s.url || '/functions/v1/webhook-sweep'");
    expect(c).toContain("'Bearer ' || s.key");
    expect(c).toContain(`'{"limit": 50}'::jsonb`);
    expect(c).toContain("from vault.decrypted_secrets where name = 'queuemed_project_url'");
    expect(c).toContain("from vault.decrypted_secrets where name = 'queuemed_service_key'");
    expect(c).toContain('where s.url is not null and s.key is not null');
    expect(c).not.toMatch(/eyJ|https?:\/\//);
    // a name that is not an edge function's is refused (it is spliced into the command)
    await expect(
      t.db.query(`select private.sweep_job_command('x''; drop table y; --', '{}')`),
    ).rejects.toThrow(/invalid edge function name/);
  });

  it('with pg_cron and pg_net present, each job is handed to cron.schedule once, by name (a stand-in schema, rolled back)', async () => {
    await rolledBack(t.db, async (tx) => {
      await tx.query(`create schema cron`);
      await tx.query(`create schema net`);
      await tx.query(`create table cron.calls (job_name text, schedule text, command text)`);
      await tx.query(
        `create function cron.schedule(p_name text, p_schedule text, p_command text) returns bigint
         language sql as $$ insert into cron.calls values (p_name, p_schedule, p_command) returning 1::bigint $$`,
      );
      const scheduled = await tx.query<{ j: string }>(`select private.schedule_hosted_sweeps() as j`);
      expect(scheduled.rows.map((r) => r.j)).toEqual(JOBS.map((j) => j.job_name));
      const calls = await tx.query<{ job_name: string; schedule: string; command: string }>(
        `select job_name, schedule, command from cron.calls order by job_name`,
      );
      expect(calls.rows.map((r) => [r.job_name, r.schedule])).toEqual(
        [...JOBS].sort((a, b) => a.job_name.localeCompare(b.job_name)).map((j) => [j.job_name, j.schedule]),
      );
      for (const j of JOBS) {
        const call = calls.rows.find((r) => r.job_name === j.job_name)!;
        expect(call.command).toContain(`/functions/v1/${j.function_name}'`);
        expect(call.command).toContain('vault.decrypted_secrets');
      }
    });
  });
});
