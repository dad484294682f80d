-- Local-only change feed for the realtime service (never applied on Supabase, which reads the WAL).
-- An AFTER trigger on every table in publication supabase_realtime sends a NOTIFY: schema, table,
-- operation, primary key and (INSERT/UPDATE) the new row. The realtime service checks, in one round trip
-- per batch of changes, which subscribers' role and claims may see the row (RLS and column grants
-- decide, as Supabase Realtime's apply_rls does), then sends the row it was notified with.
-- Idempotent: the stack runs it at start and on subscription. Several stacks may share one PostgreSQL
-- (README "Several processes on one PostgreSQL"): the stack runs this file under an advisory lock, and
-- install() takes the same lock, so two processes starting or subscribing at once never race on the DDL.
create schema if not exists queuemed_realtime;

create or replace function queuemed_realtime.notify_change() returns trigger
language plpgsql security definer set search_path = pg_catalog as $$
declare
  rec jsonb;
  pk jsonb := '{}'::jsonb;
  col text;
  payload text;
  head jsonb;
begin
  rec := to_jsonb(case when tg_op = 'DELETE' then old else new end);
  foreach col in array tg_argv loop
    pk := pk || jsonb_build_object(col, rec -> col);
  end loop;
  head := jsonb_build_object(
    'schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op, 'pk', pk,
    'ts', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
  -- INSERT/UPDATE carry the row as this statement wrote it, so every version reaches subscribers in
  -- commit order (no re-read of a row that may have moved on). A DELETE carries its primary key only,
  -- as on Supabase without REPLICA IDENTITY FULL: a deleted row's other columns never leave the database.
  if tg_op <> 'DELETE' then
    payload := (head || jsonb_build_object('record', rec))::text;
    if octet_length(payload) > 7500 then
      payload := head::text; -- too big for NOTIFY: the service re-reads the row instead
    end if;
  else
    payload := head::text;
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
  -- one installer at a time across every stack on this database (the catalog is read after the lock)
  perform pg_advisory_xact_lock(72635402);
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

drop function if exists queuemed_realtime.reread(text, text, jsonb, jsonb); -- replaced by check(jsonb)


-- The visibility check for a batch of changes in one round trip. p_items: [{schema, table, pk, reread,
-- groups: [{role, claims, cols}]}]. For each item and group, under that role and request.jwt.claims:
-- reread = false → true when the group may see the change, else null;
-- reread = true  → the row as jsonb (only `cols`), else null (for rows too big for the notification).
-- Returns [[per group] per item].
-- "May see" is Supabase Realtime's rule (realtime.apply_rls + build_prepared_statement_sql, walrus): on a
-- table WITHOUT row level security every INSERT/UPDATE is visible (nothing is re-read: the change as
-- captured is sent even if the row is gone by now); on a table WITH row level security the row is
-- re-selected by its primary key under the subscriber's role and claims when the change is processed
-- (`exists(select 1 from t where pk = …)`), so a row deleted or moved out of the subscriber's sight
-- before then is not delivered — hosted drops it too. Column grants are the caller's (server.ts) part.
create or replace function queuemed_realtime.check(p_items jsonb)
returns jsonb
language plpgsql volatile as $$
declare
  it jsonb;
  g jsonb;
  out jsonb := '[]'::jsonb;
  row_out jsonb;
  r jsonb;
  v_where text;
  v_cols text;
  v_rls boolean;
begin
  for it in select * from jsonb_array_elements(p_items) loop
    row_out := '[]'::jsonb;
    select string_agg(format('%I = %L', k, v), ' and ') into v_where from jsonb_each_text(it -> 'pk') as e(k, v);
    -- read at each batch, not cached: a table may have row level security turned on while the stack runs
    select c.relrowsecurity into v_rls
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = it ->> 'schema' and c.relname = it ->> 'table';
    for g in select * from jsonb_array_elements(it -> 'groups') loop
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
          if not (it ->> 'reread')::boolean and v_rls is false then
            r := to_jsonb(true); -- no row level security: the captured change is visible, as on Supabase
          elsif (it ->> 'reread')::boolean then
            execute format('select to_jsonb(t) from (select %s from %I.%I where %s) t', v_cols, it ->> 'schema', it ->> 'table', v_where) into r;
          else
            execute format('select to_jsonb(true) from %I.%I where %s', it ->> 'schema', it ->> 'table', v_where) into r;
          end if;
        exception when others then
          r := null;
        end;
        perform set_config('role', 'none', true);
      end if;
      row_out := row_out || jsonb_build_array(r);
    end loop;
    out := out || jsonb_build_array(row_out);
  end loop;
  return out;
end $$;
revoke all on function queuemed_realtime.check(jsonb) from public;

-- fix26a (review26 M1): Realtime Authorization of a private channel, as Supabase Realtime judges it
-- (Realtime.Tenants.Authorization): under the subscriber's role and request.jwt.claims, with realtime.topic() =
-- p_topic — read: a broadcast message of the topic (written by this function's caller, which bypasses RLS) is
-- visible to the role's SELECT policies on realtime.messages; write: the role's INSERT policies admit one. All of
-- it is rolled back (the inner block ends in an exception): nothing is stored. Returns {"read": bool, "write": bool}.
-- A join needs read or write; a client broadcast needs write.
create or replace function queuemed_realtime.authorize(p_role text, p_claims jsonb, p_topic text)
returns jsonb
language plpgsql volatile as $$
declare
  v_id uuid;
  v_read boolean := false;
  v_write boolean := false;
begin
  begin
    insert into realtime.messages (topic, extension, private, event) values (p_topic, 'broadcast', true, 'authorize')
    returning id into v_id;
    perform set_config('role', p_role, true),
            set_config('request.jwt.claims', p_claims::text, true),
            set_config('request.jwt.claim.sub', coalesce(p_claims ->> 'sub', ''), true),
            set_config('request.jwt.claim.role', p_role, true),
            set_config('realtime.topic', p_topic, true);
    begin
      select exists (select 1 from realtime.messages m where m.id = v_id) into v_read;
    exception when others then
      v_read := false;
    end;
    begin
      insert into realtime.messages (topic, extension, private, event) values (p_topic, 'broadcast', true, 'authorize');
      v_write := true;
    exception when others then
      v_write := false;
    end;
    raise exception using errcode = 'QMRB0'; -- roll back every row and setting above
  exception when sqlstate 'QMRB0' then
    null;
  end;
  perform set_config('role', 'none', true);
  return jsonb_build_object('read', v_read, 'write', v_write);
end $$;
revoke all on function queuemed_realtime.authorize(text, jsonb, text) from public;
