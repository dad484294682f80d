-- Session 18 (secmisc18): anon and authenticated execute only the private helpers their own rights need.
--
-- Schema private holds the database's internals: helpers the definer RPCs call (they run as their owner and need no
-- grant from the caller), lock and limiter tables, secrets. Yet anon held EXECUTE on 91 private functions and
-- authenticated on more — granted one by one over the sessions, or by PUBLIC's default (a function created without
-- `revoke … from public`, e.g. private.report_forget_entry, a SECURITY DEFINER that deletes report rows). Not
-- reachable through PostgREST (only `public` is exposed), but one exposed invoker function or a future schema
-- setting away from it, and not what "the database is the trust boundary" means.
--
-- What a client role really needs in private, computed from the catalogue (private.private_functions_needed_by):
--   * the functions named by the RLS policies it is evaluated under (tables it has a privilege on) — e.g.
--     private.is_clinic_staff; the policies run with the caller's rights;
--   * those named by the check constraints, column defaults and (invoker) trigger bodies of the tables it may write
--     — e.g. private.is_e164, private.now;
--   * those named by the public INVOKER functions it may execute (e.g. set_team);
--   * and, transitively, whatever an invoker private function among them calls (it runs with the same rights);
--   * and the two clinic-calendar helpers (private.clinic_today, private.budget_month: pure date arithmetic) that
--     client-role SQL computes days with.
-- Everything else in private loses EXECUTE for anon, authenticated and PUBLIC; every other role (service_role, and
-- on Supabase its own roles) keeps exactly what it had. USAGE on the schema stays with authenticated (its policies
-- call private helpers) and with anon only while a policy it is evaluated under does (today:
-- notification_templates_select → private.is_clinic_staff); otherwise anon's USAGE is revoked too.
-- supabase/tests/privateSchemaGrants.test.ts asserts the grants equal the computed need after all migrations, so a
-- new private function is granted on purpose or not at all (revoke … from public, anon, authenticated).

create function private.private_functions_needed_by(p_role name) returns text[]
language plpgsql stable
set search_path = ''
as $f$
declare
  v_set text[];
  v_prev integer := -1;
  v_oid oid := (select r.oid from pg_catalog.pg_roles r where r.rolname = p_role);
begin
  select coalesce(array_agg(distinct x.m[1]), '{}') into v_set from (
    select pg_catalog.regexp_matches(
             coalesce(pg_catalog.pg_get_expr(pol.polqual, pol.polrelid), '') || ' ' ||
             coalesce(pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid), ''), 'private\.([a-z_0-9]+)', 'g') as m
      from pg_catalog.pg_policy pol
     where (0::oid = any (pol.polroles) or v_oid = any (pol.polroles))
       and (pg_catalog.has_table_privilege(p_role, pol.polrelid, 'SELECT')
            or pg_catalog.has_any_column_privilege(p_role, pol.polrelid, 'SELECT')
            or pg_catalog.has_table_privilege(p_role, pol.polrelid, 'INSERT')
            or pg_catalog.has_any_column_privilege(p_role, pol.polrelid, 'UPDATE')
            or pg_catalog.has_table_privilege(p_role, pol.polrelid, 'DELETE'))
    union all
    select pg_catalog.regexp_matches(pg_catalog.pg_get_constraintdef(c.oid), 'private\.([a-z_0-9]+)', 'g')
      from pg_catalog.pg_constraint c join pg_catalog.pg_class t on t.oid = c.conrelid
     where t.relkind in ('r', 'p')
       and (pg_catalog.has_table_privilege(p_role, t.oid, 'INSERT')
            or pg_catalog.has_any_column_privilege(p_role, t.oid, 'UPDATE'))
    union all
    select pg_catalog.regexp_matches(pg_catalog.pg_get_expr(d.adbin, d.adrelid), 'private\.([a-z_0-9]+)', 'g')
      from pg_catalog.pg_attrdef d
     where pg_catalog.has_table_privilege(p_role, d.adrelid, 'INSERT')
        or pg_catalog.has_any_column_privilege(p_role, d.adrelid, 'UPDATE')
    union all
    select pg_catalog.regexp_matches(p.prosrc, 'private\.([a-z_0-9]+)', 'g')
      from pg_catalog.pg_trigger tg join pg_catalog.pg_proc p on p.oid = tg.tgfoid
     where not tg.tgisinternal and not p.prosecdef
       and (pg_catalog.has_table_privilege(p_role, tg.tgrelid, 'INSERT')
            or pg_catalog.has_any_column_privilege(p_role, tg.tgrelid, 'UPDATE')
            or pg_catalog.has_table_privilege(p_role, tg.tgrelid, 'DELETE'))
    union all
    select pg_catalog.regexp_matches(p.prosrc, 'private\.([a-z_0-9]+)', 'g')
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' and not p.prosecdef and pg_catalog.has_function_privilege(p_role, p.oid, 'EXECUTE')
  ) x;
  -- plus the clinic-calendar helpers client-role SQL computes days with (pure: today / this budget month of a zone or
  -- clinic, nothing else; the RLS matrix's probes and tools build their arguments with them)
  v_set := v_set || array['clinic_today', 'budget_month'];
  -- an invoker private function runs with the caller's rights: what it calls is needed too
  while pg_catalog.cardinality(v_set) <> v_prev loop
    v_prev := pg_catalog.cardinality(v_set);
    select coalesce(array_agg(distinct y.nm), '{}') into v_set from (
      select pg_catalog.unnest(v_set) as nm
      union
      select m[1] from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace,
             pg_catalog.regexp_matches(p.prosrc, 'private\.([a-z_0-9]+)', 'g') m
       where n.nspname = 'private' and not p.prosecdef and p.proname = any (v_set)
    ) y;
  end loop;
  -- functions only (the pattern also matches private tables such as private.pinned_clock)
  return array(select distinct s.nm from pg_catalog.unnest(v_set) s(nm)
                where exists (select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                               where n.nspname = 'private' and p.proname = s.nm)
                order by 1);
end
$f$;
revoke all on function private.private_functions_needed_by(name) from public, anon, authenticated;

do $$
declare
  v_anon text[] := private.private_functions_needed_by('anon');
  v_auth text[] := private.private_functions_needed_by('authenticated');
  f record;
  r record;
  v_keep name[];
begin
  for f in
    select p.oid, p.oid::regprocedure as sig, p.proname
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'private' and p.prokind in ('f', 'p')
  loop
    -- every other role keeps what it had (through PUBLIC or its own grant)
    select coalesce(array_agg(ro.rolname), '{}') into v_keep
      from pg_catalog.pg_roles ro
     where ro.rolname not in ('anon', 'authenticated') and not ro.rolsuper and ro.rolname !~ '^pg_'
       and pg_catalog.has_function_privilege(ro.oid, f.oid, 'EXECUTE');
    execute format('revoke all on function %s from public, anon, authenticated', f.sig);
    for r in select pg_catalog.unnest(v_keep) as rolname loop
      execute format('grant execute on function %s to %I', f.sig, r.rolname);
    end loop;
    if f.proname = any (v_auth) then
      execute format('grant execute on function %s to authenticated', f.sig);
    end if;
    if f.proname = any (v_anon) then
      execute format('grant execute on function %s to anon', f.sig);
    end if;
  end loop;
  if pg_catalog.cardinality(v_anon) = 0 then
    revoke usage on schema private from anon;
  end if;
end
$$;
