-- Issue 18: the owner gets a notice when an endpoint is switched off after repeated failures.
--
-- webhook_endpoints.owner_notified_at: when the owner was told that the endpoint was disabled for failing
--   (null: not yet, or re-enabled since — a trigger clears it when the endpoint is switched back on, so the
--   next disable is told again).
-- public.webhook_disabled_notice(p_endpoint_id) → null | { endpoint_id, clinic_id, clinic_name, url, language,
--   email, phone, failures }. Service role only (the webhook sweep calls it when webhook_record_attempt answers
--   endpoint_disabled). Claims the notice at most once per disable: the first call for an endpoint that is
--   disabled for failing and not yet told stamps owner_notified_at and answers the clinic owner's addresses
--   (auth email, profile phone) and language (their profile's, else the clinic's); any other call answers
--   null (already told, re-enabled, switched off by the owner, unknown id). The sender sends the notice by
--   email, else SMS.

alter table public.webhook_endpoints add column owner_notified_at timestamptz;

create function private.webhook_endpoint_renotify() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.enabled and not old.enabled then
    new.owner_notified_at := null;
  end if;
  return new;
end
$$;
create trigger webhook_endpoints_renotify before update of enabled on public.webhook_endpoints
  for each row execute function private.webhook_endpoint_renotify();

create function public.webhook_disabled_notice(p_endpoint_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w public.webhook_endpoints;
  v_out jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  update public.webhook_endpoints
     set owner_notified_at = private.now()
   where id = p_endpoint_id and not enabled and disabled_reason = 'failing' and owner_notified_at is null
  returning * into w;
  if w.id is null then
    return null;
  end if;
  select jsonb_build_object(
           'endpoint_id', w.id, 'clinic_id', w.clinic_id, 'clinic_name', c.name, 'url', w.url,
           'language', coalesce(pr.preferred_language, c.default_language),
           'email', u.email, 'phone', pr.phone, 'failures', w.consecutive_failures)
    into v_out
    from public.clinics c
    left join lateral (
      select m.user_id from public.clinic_members m
       where m.clinic_id = c.id and m.role = 'owner' and m.active
       order by m.created_at, m.id limit 1) o on true
    left join auth.users u on u.id = o.user_id
    left join public.profiles pr on pr.id = o.user_id
   where c.id = w.clinic_id;
  return v_out;
end
$$;
revoke all on function public.webhook_disabled_notice(uuid) from public, anon, authenticated;
grant execute on function public.webhook_disabled_notice(uuid) to service_role;
revoke all on function private.webhook_endpoint_renotify() from public;
