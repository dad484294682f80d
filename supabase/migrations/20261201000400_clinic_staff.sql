-- QueueMed baseline (5/8): clinic onboarding, staff (invitations, the last owner, working hours),
-- notification templates and the monthly SMS budget.

-- ── Clinics ────────────────────────────────────────────────────────────────────────────────────────
-- create_clinic(p_name, p_slug, p_time_zone?, p_default_language?, p_display_name?) → { clinic_id, member_id }
-- Any signed-in user; the caller becomes the clinic's owner. At most 3 clinics per account in 24 hours and
-- 10 in all (429 RATE.LIMITED) — a clinic comes with an SMS budget, so accounts must not mint them freely.
create function public.create_clinic(
  p_name text,
  p_slug text,
  p_time_zone text default 'Africa/Casablanca',
  p_default_language public.app_language default 'fr',
  p_display_name text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_clinic_id uuid;
  v_member_id uuid;
  v_name text;
begin
  -- one account's creations are serialized, so two at once cannot both pass the count
  perform pg_catalog.pg_advisory_xact_lock(hashtextextended('create_clinic:' || v_uid::text, 0));
  if (select count(*) from public.clinics where created_by = v_uid and created_at > now() - interval '24 hours') >= 3
     or (select count(*) from public.clinics where created_by = v_uid) >= 10 then
    perform private.raise_error(429, 'RATE.LIMITED', 'too many clinics created by this account');
  end if;
  if p_display_name is not null and char_length(p_display_name) > 120 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the display name is longer than 120 characters');
  end if;
  begin
    insert into public.clinics (name, slug, time_zone, default_language, created_by)
    values (p_name, p_slug, coalesce(p_time_zone, 'Africa/Casablanca'), coalesce(p_default_language, 'fr'), v_uid)
    returning id into v_clinic_id;
  exception
    when unique_violation then
      perform private.raise_error(409, 'VALIDATION.FAILED', 'this address (slug) is taken');
    when not_null_violation or check_violation then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) and a slug (a-z, 0-9, -) are required');
  end;
  select coalesce(nullif(btrim(p_display_name), ''), pr.full_name, u.email, 'Owner') into v_name
    from auth.users u left join public.profiles pr on pr.id = u.id where u.id = v_uid;
  insert into public.clinic_members (clinic_id, user_id, role, display_name)
  values (v_clinic_id, v_uid, 'owner', left(coalesce(v_name, 'Owner'), 120))
  returning id into v_member_id;
  return jsonb_build_object('clinic_id', v_clinic_id, 'member_id', v_member_id);
end
$$;

-- ── Staff invitations ──────────────────────────────────────────────────────────────────────────────
-- create_staff_invitation(p_clinic_id, p_role, p_display_name, p_email?, p_phone?, p_room?)
--   → { invitation_id, token (shown once; stored hashed), expires_at }. Owner/admin; only an owner can
--   invite an owner.
create function public.create_staff_invitation(
  p_clinic_id uuid,
  p_role public.member_role,
  p_display_name text,
  p_email text default null,
  p_phone text default null,
  p_room text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token text := private.new_token();
  v_id uuid;
  v_expires timestamptz;
begin
  perform private.require_admin(p_clinic_id);
  if p_role is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_role is required');
  end if;
  if p_role = 'owner' and not (private.is_service() or private.is_clinic_owner(p_clinic_id)) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner can invite an owner');
  end if;
  if p_phone is not null and not private.is_e164(p_phone) then
    perform private.raise_error(422, 'PHONE.INVALID', 'phone must be E.164, e.g. +212600000000');
  end if;
  begin
    insert into public.staff_invitations (clinic_id, role, email, phone, display_name, room, token_hash, invited_by)
    values (p_clinic_id, p_role, lower(nullif(btrim(p_email), '')), p_phone, p_display_name, p_room,
            private.hash_token(v_token), auth.uid())
    returning id, expires_at into v_id, v_expires;
  exception
    when not_null_violation or check_violation then
      perform private.raise_error(422, 'VALIDATION.FAILED', sqlerrm);
  end;
  return jsonb_build_object('invitation_id', v_id, 'token', v_token, 'expires_at', v_expires);
end
$$;

-- accept_staff_invitation(p_token) → { clinic_id, member_id, role }. Only the invited recipient: the
-- invitation's email equals the caller's confirmed email AND the JWT's email, or the invitation's phone
-- equals the caller's confirmed phone AND the JWT's phone. Once, before expiry. (Issue 10: an identity
-- counts only when VERIFIED — auth.users.email_confirmed_at / phone_confirmed_at, as on Supabase — and
-- carried by the caller's JWT, and it is the invitation's own address or phone.)
create function public.accept_staff_invitation(p_token text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_inv public.staff_invitations;
  v_user auth.users;
  v_member_id uuid;
  v_by_email boolean;
  v_by_phone boolean;
begin
  if p_token is null or char_length(p_token) > 200 then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  select * into v_inv from public.staff_invitations where token_hash = private.hash_token(p_token) for update;
  if not found or v_inv.revoked_at is not null then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  if v_inv.accepted_at is not null then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation already used');
  end if;
  if v_inv.expires_at <= now() then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation expired');
  end if;
  select * into v_user from auth.users where id = v_uid;
  v_by_email := v_inv.email is not null and v_user.email_confirmed_at is not null
    and lower(v_user.email) = v_inv.email and private.jwt_email() = v_inv.email;
  v_by_phone := v_inv.phone is not null and v_user.phone_confirmed_at is not null
    and regexp_replace(coalesce(v_user.phone, ''), '\D', '', 'g') = ltrim(v_inv.phone, '+')
    and private.jwt_phone_digits() = ltrim(v_inv.phone, '+');
  if not (v_by_email or v_by_phone) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this invitation was sent to someone else');
  end if;
  insert into public.clinic_members (clinic_id, user_id, role, display_name, room)
  values (v_inv.clinic_id, v_uid, v_inv.role, v_inv.display_name, v_inv.room)
  on conflict (clinic_id, user_id) do update
    set role = excluded.role, display_name = excluded.display_name, room = excluded.room, active = true
  returning id into v_member_id;
  update public.staff_invitations set accepted_at = now(), accepted_by = v_uid where id = v_inv.id;
  return jsonb_build_object('clinic_id', v_inv.clinic_id, 'member_id', v_member_id, 'role', v_inv.role);
end
$$;

-- revoke_staff_invitation(p_invitation_id) → true. Owner/admin of the invitation's clinic.
create function public.revoke_staff_invitation(p_invitation_id uuid) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic_id uuid;
begin
  select clinic_id into v_clinic_id from public.staff_invitations where id = p_invitation_id;
  if v_clinic_id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  perform private.require_admin(v_clinic_id);
  update public.staff_invitations set revoked_at = now() where id = p_invitation_id and accepted_at is null;
  return true;
end
$$;

-- ── Templates ──────────────────────────────────────────────────────────────────────────────────────
-- save_notification_template(p_clinic_id, p_kind, p_language, p_body) → the template row (jsonb).
-- Owner/admin. Unknown {variables} → 422 TEMPLATE.UNKNOWN_VARIABLE (detail lists them); blank → TEMPLATE.EMPTY.
create function public.save_notification_template(
  p_clinic_id uuid, p_kind public.notification_kind, p_language public.app_language, p_body text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_unknown text[];
  v_row public.notification_templates;
begin
  perform private.require_admin(p_clinic_id);
  if p_kind is null or p_language is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_kind and p_language are required');
  end if;
  if p_body is null or btrim(p_body) = '' then
    perform private.raise_error(422, 'TEMPLATE.EMPTY', 'the template is empty');
  end if;
  if char_length(p_body) > 1000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the template is longer than 1000 characters');
  end if;
  v_unknown := private.template_unknown_variables(p_body);
  if cardinality(v_unknown) > 0 then
    perform private.raise_error(422, 'TEMPLATE.UNKNOWN_VARIABLE',
      'unknown variables: ' || array_to_string(v_unknown, ', '));
  end if;
  insert into public.notification_templates (clinic_id, kind, language, body, updated_by)
  values (p_clinic_id, p_kind, p_language, p_body, auth.uid())
  on conflict (clinic_id, kind, language) where clinic_id is not null
  do update set body = excluded.body, updated_by = excluded.updated_by
  returning * into v_row;
  return to_jsonb(v_row);
end
$$;

-- ── SMS budget ─────────────────────────────────────────────────────────────────────────────────────
create function private.budget_month(p_clinic_id uuid) returns date
language sql stable
set search_path = ''
as $$
  select date_trunc('month', now() at time zone c.time_zone)::date from public.clinics c where c.id = p_clinic_id
$$;

-- The month's budget row, created from the latest earlier month's limits (else 200 messages / 100.00).
create function private.ensure_budget(p_clinic_id uuid, p_month date) returns void
language sql
set search_path = ''
as $$
  insert into public.sms_budgets (clinic_id, month, limit_count, limit_amount)
  select p_clinic_id, p_month, coalesce(prev.limit_count, 200), coalesce(prev.limit_amount, 100)
  from (select 1) x
  left join lateral (
    select b.limit_count, b.limit_amount from public.sms_budgets b
    where b.clinic_id = p_clinic_id and b.month < p_month order by b.month desc limit 1) prev on true
  on conflict (clinic_id, month) do nothing
$$;

-- sms_budget_reserve(p_clinic_id, p_idempotency_key, p_kind, p_segments, p_cost, p_entry_id?, p_event_id?,
--   p_recipient?, p_language?, p_body?) → { notification_id, status, reserved, duplicate, code,
--   remaining_count, remaining_amount, alert }.
-- Atomic: one conditional UPDATE of the month's row, so concurrent reservations never pass the limit.
-- Over the limit → the message is recorded as skipped_budget, reserved=false, code 'SMS.BUDGET_EXCEEDED'
-- (a result, not an exception, so the record persists). Same key again → duplicate=true, nothing
-- reserved — unless the earlier attempt failed (a retry reserves again). alert=true once per month when
-- usage reaches budget_alert_ratio. Staff of the clinic or the service role.
-- The key is looked up within the clinic only (idempotency keys are unique per clinic).
create function public.sms_budget_reserve(
  p_clinic_id uuid,
  p_idempotency_key text,
  p_kind public.notification_kind,
  p_segments integer,
  p_cost numeric,
  p_entry_id uuid default null,
  p_event_id bigint default null,
  p_recipient text default null,
  p_language public.app_language default null,
  p_body text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_month date;
  v_n public.notifications;
  v_b public.sms_budgets;
  v_ratio numeric;
  v_alert boolean := false;
  v_inserted boolean := false;
begin
  perform private.require_staff(p_clinic_id);
  if p_idempotency_key is null or p_kind is null or p_segments is null or p_cost is null
     or p_segments < 0 or p_segments > 50 or p_cost < 0 or p_cost > 1000
     or char_length(p_idempotency_key) not between 1 and 200
     or (p_recipient is not null and not private.is_e164(p_recipient))
     or char_length(p_body) > 1600 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'key, kind, segments (0-50) and cost (>= 0) are required');
  end if;
  if p_entry_id is not null and not exists (
       select 1 from public.queue_entries where id = p_entry_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
  end if;
  if p_event_id is not null and not exists (
       select 1 from public.queue_events where id = p_event_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'event not found in this clinic');
  end if;
  v_month := private.budget_month(p_clinic_id);
  perform private.ensure_budget(p_clinic_id, v_month);

  begin
    insert into public.notifications (clinic_id, entry_id, event_id, kind, recipient, language, body,
                                      idempotency_key, segments, budget_month)
    values (p_clinic_id, p_entry_id, p_event_id, p_kind, p_recipient, p_language, p_body,
            p_idempotency_key, p_segments, v_month)
    on conflict (clinic_id, idempotency_key) do nothing
    returning * into v_n;
    v_inserted := v_n.id is not null;
  exception
    when check_violation or foreign_key_violation or string_data_right_truncation then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'the message could not be recorded');
  end;
  if not v_inserted then
    select * into v_n from public.notifications
     where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key for update;
    if v_n.status <> 'failed' then
      return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'reserved', false,
                                'duplicate', true, 'code', null, 'remaining_count', null,
                                'remaining_amount', null, 'alert', false);
    end if;
  end if;

  update public.sms_budgets b
     set reserved_count = b.reserved_count + 1, reserved_amount = b.reserved_amount + p_cost
   where b.clinic_id = p_clinic_id and b.month = v_month
     and b.reserved_count + b.spent_count + 1 <= b.limit_count
     and b.reserved_amount + b.spent_amount + p_cost <= b.limit_amount
  returning * into v_b;

  if v_b.clinic_id is null then
    update public.notifications set status = 'skipped_budget', reserved = false, reserved_cost = 0,
                                    segments = p_segments, error = 'monthly SMS budget exhausted'
     where id = v_n.id;
    select * into v_b from public.sms_budgets where clinic_id = p_clinic_id and month = v_month;
    return jsonb_build_object('notification_id', v_n.id, 'status', 'skipped_budget', 'reserved', false,
                              'duplicate', false, 'code', 'SMS.BUDGET_EXCEEDED',
                              'remaining_count', greatest(0, v_b.limit_count - v_b.reserved_count - v_b.spent_count),
                              'remaining_amount', greatest(0, v_b.limit_amount - v_b.reserved_amount - v_b.spent_amount),
                              'alert', false);
  end if;

  update public.notifications set status = 'queued', reserved = true, reserved_cost = p_cost,
                                  segments = p_segments, error = null
   where id = v_n.id;
  v_ratio := (select (private.effective_settings(settings) ->> 'budget_alert_ratio')::numeric
                from public.clinics where id = p_clinic_id);
  if v_b.alerted_at is null and (
       (v_b.limit_count > 0 and (v_b.reserved_count + v_b.spent_count)::numeric / v_b.limit_count >= v_ratio)
    or (v_b.limit_amount > 0 and (v_b.reserved_amount + v_b.spent_amount) / v_b.limit_amount >= v_ratio)) then
    update public.sms_budgets set alerted_at = now() where clinic_id = p_clinic_id and month = v_month;
    v_alert := true;
  end if;
  return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'reserved', true,
                            'duplicate', false, 'code', null,
                            'remaining_count', v_b.limit_count - v_b.reserved_count - v_b.spent_count,
                            'remaining_amount', v_b.limit_amount - v_b.reserved_amount - v_b.spent_amount,
                            'alert', v_alert);
end
$$;

-- sms_budget_settle(p_notification_id, p_status, p_provider_id?, p_segments?, p_cost?, p_error?)
--   → { notification_id, status, attempts }. p_status: sent | delivered | simulated | failed. A held
--   reservation is released; success books the actual cost (p_cost, else the reserved estimate) as spent.
create function public.sms_budget_settle(
  p_notification_id uuid,
  p_status public.notification_status,
  p_provider_id text default null,
  p_segments integer default null,
  p_cost numeric default null,
  p_error text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
  v_ok boolean;
begin
  if p_notification_id is null or p_status is null or p_status not in ('sent', 'delivered', 'simulated', 'failed')
     or (p_cost is not null and (p_cost < 0 or p_cost > 1000))
     or (p_segments is not null and (p_segments < 0 or p_segments > 50)) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'status must be sent, delivered, simulated or failed');
  end if;
  select * into v_n from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_n.clinic_id);
  v_ok := p_status <> 'failed';
  if v_n.reserved then
    update public.sms_budgets b
       set reserved_count = greatest(0, b.reserved_count - 1),
           reserved_amount = greatest(0, b.reserved_amount - v_n.reserved_cost),
           spent_count = b.spent_count + case when v_ok then 1 else 0 end,
           spent_amount = b.spent_amount + case when v_ok then coalesce(p_cost, v_n.reserved_cost) else 0 end
     where b.clinic_id = v_n.clinic_id and b.month = v_n.budget_month;
  elsif v_n.status not in ('sent', 'delivered', 'simulated') or p_status = 'failed' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'nothing reserved for this notification');
  end if;
  update public.notifications
     set status = p_status,
         reserved = false,
         reserved_cost = 0,
         attempts = attempts + case when v_n.reserved then 1 else 0 end,
         provider_id = coalesce(left(p_provider_id, 200), provider_id),
         segments = coalesce(p_segments, segments),
         cost = case when v_ok then coalesce(p_cost, cost, v_n.reserved_cost) else cost end,
         error = case when v_ok then null else left(p_error, 2000) end,
         sent_at = case when v_ok then coalesce(sent_at, now()) else sent_at end
   where id = p_notification_id
  returning * into v_n;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'attempts', v_n.attempts);
end
$$;

-- sms_budget_report(p_clinic_id, p_month?) → { clinic_id, month, limit_count, limit_amount, reserved_count,
--   reserved_amount, spent_count, spent_amount, used_ratio, alert_ratio, alert, by_status{status: n} }.
-- Owner/admin (or service role).
-- p_month must be finite, from 2020-01 and at most 12 months after the clinic's current month
-- (422 VALIDATION.FAILED, nothing written; issue 10: no '-infinity' budget rows).
create function public.sms_budget_report(p_clinic_id uuid, p_month date default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_month date;
  v_b public.sms_budgets;
  v_alert_ratio numeric;
  v_used numeric;
  v_now date;
begin
  perform private.require_admin(p_clinic_id);
  v_now := private.budget_month(p_clinic_id);
  if v_now is null then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_month is not null and (not isfinite(p_month) or p_month < date '2020-01-01'
                              or p_month >= (v_now + interval '13 months')::date) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the month must be between 2020-01 and 12 months from now');
  end if;
  v_month := coalesce(date_trunc('month', p_month)::date, v_now);
  perform private.ensure_budget(p_clinic_id, v_month);
  select * into v_b from public.sms_budgets where clinic_id = p_clinic_id and month = v_month;
  select (private.effective_settings(settings) ->> 'budget_alert_ratio')::numeric into v_alert_ratio
    from public.clinics where id = p_clinic_id;
  v_used := greatest(
    case when v_b.limit_count > 0 then (v_b.reserved_count + v_b.spent_count)::numeric / v_b.limit_count else 1 end,
    case when v_b.limit_amount > 0 then (v_b.reserved_amount + v_b.spent_amount) / v_b.limit_amount else 1 end);
  return jsonb_build_object(
    'clinic_id', p_clinic_id, 'month', v_month,
    'limit_count', v_b.limit_count, 'limit_amount', v_b.limit_amount,
    'reserved_count', v_b.reserved_count, 'reserved_amount', v_b.reserved_amount,
    'spent_count', v_b.spent_count, 'spent_amount', v_b.spent_amount,
    'used_ratio', round(v_used, 4), 'alert_ratio', v_alert_ratio, 'alert', v_used >= v_alert_ratio,
    'by_status', coalesce((select jsonb_object_agg(s.status, s.n) from (
        select n.status, count(*) as n from public.notifications n
        where n.clinic_id = p_clinic_id and n.budget_month = v_month group by n.status) s), '{}'::jsonb));
end
$$;

-- ── The last owner ─────────────────────────────────────────────────────────────────────────────────
-- A clinic always keeps at least one active owner: the last one cannot be removed, demoted or
-- deactivated (transfer ownership first). Deleting the clinic itself still cascades.
create function private.clinic_members_keep_owner() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.role = 'owner' and old.active
     and (tg_op = 'DELETE' or new.role <> 'owner' or not new.active)
     and exists (select 1 from public.clinics c where c.id = old.clinic_id)
     and not exists (select 1 from public.clinic_members m
                     where m.clinic_id = old.clinic_id and m.id <> old.id and m.role = 'owner' and m.active) then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'a clinic needs at least one owner');
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger clinic_members_keep_owner before update or delete on public.clinic_members
  for each row execute function private.clinic_members_keep_owner();

-- ── Working hours ──────────────────────────────────────────────────────────────────────────────────
-- Working hours are replaced in ONE call, in one transaction: every range is checked first (HH:mm, ends
-- after it starts, no overlap on its day), and only then are the old rows swapped for the new ones. One
-- invalid range (Saturday 09:00–08:00) used to erase the whole week: the app deleted every row, then its
-- insert failed. Now the refusal is HOURS.INVALID (422) and nothing changes.
--
-- The refusal's detail is JSON naming the range: {"weekday": 0–6 (0 = Sunday), "index": n (0-based, in
-- p_hours), "problem": "format" | "order" | "overlap"}, so the UI can say which day and what is wrong.
-- SECURITY INVOKER: the working_hours policies decide who may (owners/admins of the clinic); a caller who
-- is not is refused explicitly instead of replacing nothing.
create function public.set_working_hours(p_clinic_id uuid, p_hours jsonb)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_start time;
  v_end time;
  v_rows jsonb := '[]'::jsonb;
begin
  perform private.require_admin(p_clinic_id);
  if p_hours is null or jsonb_typeof(p_hours) <> 'array' or jsonb_array_length(p_hours) > 70 then
    perform private.raise_error(422, 'HOURS.INVALID', '{"problem":"format"}');
  end if;
  for r in select value as v, ordinality - 1 as idx from jsonb_array_elements(p_hours) with ordinality loop
    if jsonb_typeof(r.v) <> 'object'
       or jsonb_typeof(r.v -> 'weekday') <> 'number'
       or (r.v ->> 'weekday') !~ '^[0-6]$'
       or coalesce(r.v ->> 'starts_at', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
       or coalesce(r.v ->> 'ends_at', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', case when (r.v ->> 'weekday') ~ '^[0-6]$' then (r.v ->> 'weekday')::int end,
        'index', r.idx, 'problem', 'format')::text);
    end if;
    v_start := (r.v ->> 'starts_at')::time;
    v_end := (r.v ->> 'ends_at')::time;
    if v_end <= v_start then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', (r.v ->> 'weekday')::int, 'index', r.idx, 'problem', 'order')::text);
    end if;
    if exists (
      select 1 from jsonb_array_elements(v_rows) o
      where (o ->> 'weekday')::int = (r.v ->> 'weekday')::int
        and (o ->> 'starts_at')::time < v_end and v_start < (o ->> 'ends_at')::time) then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', (r.v ->> 'weekday')::int, 'index', r.idx, 'problem', 'overlap')::text);
    end if;
    v_rows := v_rows || jsonb_build_array(jsonb_build_object(
      'weekday', (r.v ->> 'weekday')::int, 'starts_at', v_start::text, 'ends_at', v_end::text));
  end loop;

  delete from public.working_hours where clinic_id = p_clinic_id;
  insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
  select p_clinic_id, (o ->> 'weekday')::smallint, (o ->> 'starts_at')::time, (o ->> 'ends_at')::time
  from jsonb_array_elements(v_rows) o;
end
$$;
