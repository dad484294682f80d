-- Local-only change feed for the realtime service (never applied on Supabase, which reads the WAL).
-- An AFTER trigger on every table in publication supabase_realtime sends a small NOTIFY: schema, table,
-- operation and the primary key (for DELETE also the old row when it fits, to evaluate filters).
-- The realtime service re-reads inserted/updated rows under each subscriber's role and claims, so RLS
-- decides who hears what. Idempotent: the stack runs it at start and on subscription.
create schema if not exists queuemed_realtime;

create or replace function queuemed_realtime.notify_change() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
  rec jsonb;
  pk jsonb := '{}'::jsonb;
  col text;
  payload text;
begin
  rec := to_jsonb(case when tg_op = 'DELETE' then old else new end);
  foreach col in array tg_argv loop
    pk := pk || jsonb_build_object(col, rec -> col);
  end loop;
  payload := jsonb_build_object(
    'schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op, 'pk', pk,
    'ts', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'old', case when tg_op = 'DELETE' then rec end)::text;
  if octet_length(payload) > 7500 then
    payload := jsonb_build_object(
      'schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op, 'pk', pk,
      'ts', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text;
  end if;
  perform pg_notify('queuemed_realtime', payload);
  return null;
end $$;

create or replace function queuemed_realtime.install() returns int
language plpgsql as $$
declare
  t record;
  pkcols text[];
  n int := 0;
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    return 0;
  end if;
  for t in
    select pt.schemaname, pt.tablename, c.oid as relid
      from pg_publication_tables pt
      join pg_namespace ns on ns.nspname = pt.schemaname
      join pg_class c on c.relnamespace = ns.oid and c.relname = pt.tablename
     where pt.pubname = 'supabase_realtime'
       and not exists (select 1 from pg_trigger tg where tg.tgrelid = c.oid and tg.tgname = 'zz_queuemed_realtime')
  loop
    select array_agg(a.attname::text order by array_position(i.indkey::int2[], a.attnum))
      into pkcols
      from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
     where i.indrelid = t.relid and i.indisprimary;
    if pkcols is null then
      continue; -- no primary key: no way to re-read the row, so no events (as on Supabase)
    end if;
    execute format(
      'create trigger zz_queuemed_realtime after insert or update or delete on %I.%I for each row execute function queuemed_realtime.notify_change(%s)',
      t.schemaname, t.tablename,
      (select string_agg(quote_literal(c), ', ') from unnest(pkcols) c));
    n := n + 1;
  end loop;
  return n;
end $$;

-- Re-reads one changed row for many subscribers in one round trip. p_groups: [{role, claims, cols}]
-- (cols: the columns that role may select). For each group the role and request.jwt.claims are switched
-- (as PostgREST does per request), so RLS and grants decide; a group whose read fails gets null.
-- Returns one entry per group, in order: the row as jsonb, or null when it is not visible.
create or replace function queuemed_realtime.reread(p_schema text, p_table text, p_pk jsonb, p_groups jsonb)
returns jsonb
language plpgsql volatile as $$
declare
  g jsonb;
  out jsonb := '[]'::jsonb;
  r jsonb;
  v_where text;
  v_cols text;
begin
  select string_agg(format('%I = %L', k, v), ' and ') into v_where from jsonb_each_text(p_pk) as e(k, v);
  for g in select * from jsonb_array_elements(p_groups) loop
    r := null;
    select string_agg(format('%I', c), ', ') into v_cols from jsonb_array_elements_text(g -> 'cols') as c;
    if v_cols is not null and v_where is not null then
      begin
        perform set_config('role', g ->> 'role', true),
                set_config('request.jwt.claims', (g -> 'claims')::text, true),
                set_config('request.jwt.claim.sub', coalesce(g -> 'claims' ->> 'sub', ''), true),
                set_config('request.jwt.claim.role', g ->> 'role', true),
                set_config('request.method', 'GET', true),
                set_config('request.path', '/realtime/v1', true);
        execute format('select to_jsonb(t) from (select %s from %I.%I where %s) t', v_cols, p_schema, p_table, v_where) into r;
      exception when others then
        r := null;
      end;
      perform set_config('role', 'none', true);
    end if;
    out := out || jsonb_build_array(r);
  end loop;
  return out;
end $$;
revoke all on function queuemed_realtime.reread(text, text, jsonb, jsonb) from public;
