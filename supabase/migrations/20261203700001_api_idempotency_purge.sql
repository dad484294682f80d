-- REST /v1 (issue 18): the Idempotency-Key store stays bounded.
--
-- api_idempotency_begin dropped an expired row only when the SAME (caller, key) came again, so every other
-- key stayed forever: one row per POST, for ever. Now each begin also drops up to 100 rows older than the
-- 24-hour retention (oldest first, on the created_at index), so the table holds about a day of POSTs
-- whatever the traffic, with no extra job to schedule. A first request that died between begin and finish
-- (its row still pending) is released by the same purge after 24 hours.
-- Same contract as before otherwise; service role only.
create or replace function public.api_idempotency_begin(p_principal text, p_key text, p_fingerprint text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.api_idempotency;
  v_expired timestamptz := private.now() - interval '24 hours';
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  -- Keys are kept 24 hours (Stripe's convention): this key if expired, and a bounded batch of others.
  delete from public.api_idempotency
   where principal = p_principal and idempotency_key = p_key and created_at < v_expired;
  delete from public.api_idempotency d
   using (select o.principal, o.idempotency_key from public.api_idempotency o
           where o.created_at < v_expired order by o.created_at limit 100) old
   where d.principal = old.principal and d.idempotency_key = old.idempotency_key;
  insert into public.api_idempotency (principal, idempotency_key, fingerprint, created_at)
  values (p_principal, p_key, p_fingerprint, private.now())
  on conflict (principal, idempotency_key) do nothing
  returning * into v_row;
  if found then
    return jsonb_build_object('state', 'new');
  end if;
  select * into v_row from public.api_idempotency where principal = p_principal and idempotency_key = p_key;
  if v_row.fingerprint <> p_fingerprint then
    return jsonb_build_object('state', 'mismatch');
  end if;
  if v_row.status is null then
    return jsonb_build_object('state', 'pending');
  end if;
  return jsonb_build_object('state', 'done', 'status', v_row.status, 'headers', v_row.headers, 'body', v_row.body);
end
$$;
revoke execute on function public.api_idempotency_begin(text, text, text) from public, anon, authenticated;
grant execute on function public.api_idempotency_begin(text, text, text) to service_role;
