-- The invitation token's hash stays in the database too (same class as 20261208300001's tracking hash).
-- Owners/admins read their clinic's invitations (RLS staff_invitations_select) with the table-wide SELECT of
-- `authenticated`, so the hash of every pending invitation token was readable; only the database's own
-- functions (accept/revoke invitation, security definer) compare against it, and the app's invitation list
-- selects named columns without it. Column privileges: every column but token_hash; RLS still picks rows;
-- the admins' DELETE keeps working (its filter reads `id`).

revoke select on public.staff_invitations from authenticated;

do $$
declare
  v_cols text;
begin
  select string_agg(quote_ident(a.attname), ', ' order by a.attnum)
    into v_cols
    from pg_catalog.pg_attribute a
   where a.attrelid = 'public.staff_invitations'::regclass
     and a.attnum > 0 and not a.attisdropped
     and a.attname <> 'token_hash';
  execute format('grant select (%s) on public.staff_invitations to authenticated', v_cols);
end
$$;
