-- Session 18 (secmisc18): a remote join's confirmation counts under the patient's daily confirmation cap.
--
-- The cap (3 budget-paid confirmations per patient per clinic day, 20261214800002; every channel since links17,
-- 20261216300002) and the 20 % share kept for queue messages applied to kind 'booking_confirmed' only. Joining a
-- queue remotely (join_queue_remotely) sends its own confirmation, kind 'remote_join_confirmed'
-- (20261210500002): a patient could join, cancel and join again and every confirmation was paid from the clinic's
-- month, none of them counted, up to the budget's last message.
--
-- Rule now: one helper says what a confirmation is, private.is_confirmation_kind(kind) — 'booking_confirmed' and
-- 'remote_join_confirmed'. private.patient_confirmations_today counts both (one allowance per patient and clinic
-- day, whichever way they came in), and sms_budget_reserve applies the cap and the queue messages' share to both.
--
-- Redefined from their newest bodies: private.patient_confirmations_today (20261216300002_confirmation_cap_every_
-- channel), public.sms_budget_reserve (20261216700001_sms_approval_names_confirmed_phone); grants are kept by
-- create or replace (sms_budget_reserve stays the service role's, 20261216800001).

create function private.is_confirmation_kind(p_kind public.notification_kind)
returns boolean
language sql immutable
set search_path = ''
as $$
  select p_kind in ('booking_confirmed', 'remote_join_confirmed')
$$;
revoke all on function private.is_confirmation_kind(public.notification_kind) from public, anon, authenticated;

create or replace function private.patient_confirmations_today(p_clinic_id uuid, p_patient_id uuid, p_except uuid)
returns integer
language sql stable
set search_path = ''
as $$
  select count(*)::integer
    from public.notifications n
    join public.queue_entries e on e.id = n.entry_id
    join public.clinics c on c.id = n.clinic_id
   where n.clinic_id = p_clinic_id and private.is_confirmation_kind(n.kind)
     and n.id is distinct from p_except
     and n.channel in ('sms', 'whatsapp')
     and n.status not in ('skipped_budget', 'skipped', 'failed')
     and e.patient_id = p_patient_id
     and n.created_at >= (private.clinic_today(c.time_zone)::timestamp at time zone c.time_zone)
$$;
revoke all on function private.patient_confirmations_today(uuid, uuid, uuid) from public, anon, authenticated;

create or replace function public.sms_budget_reserve(p_clinic_id uuid, p_idempotency_key text, p_kind notification_kind, p_segments integer, p_cost numeric, p_entry_id uuid DEFAULT NULL::uuid, p_event_id bigint DEFAULT NULL::bigint, p_recipient text DEFAULT NULL::text, p_language app_language DEFAULT NULL::app_language, p_body text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_month date;
  v_n public.notifications;
  v_b public.sms_budgets;
  v_ratio numeric;
  v_alert boolean := false;
  v_inserted boolean := false;
  v_patient_id uuid;
  v_skip text;
  v_keep numeric;
  v_held boolean;
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
    if v_n.status <> 'failed' or v_n.channel <> 'sms' then
      return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'reserved', false,
                                'duplicate', true, 'code', null, 'remaining_count', null,
                                'remaining_amount', null, 'alert', false, 'channel', v_n.channel);
    end if;
  end if;

  -- abuse17 S1: nothing is sent for a clinic the platform operator has not approved for SMS (approve_clinic_sms)
  select c.sms_held into v_held from public.clinics c where c.id = p_clinic_id;
  if v_held then
    v_skip := 'SMS are held until QueueMed approves this clinic';
  end if;
  -- a booking confirmation is not sent past the patient's daily allowance (private.confirmations_per_patient_day)
  if v_skip is null and private.is_confirmation_kind(p_kind) and p_entry_id is not null then
    select e.patient_id into v_patient_id from public.queue_entries e where e.id = p_entry_id;
    -- links17: every budget-paid confirmation counts (SMS, WhatsApp, an SMS sent in place of a refused email /
    -- WhatsApp), through one helper
    if private.patient_confirmations_today(p_clinic_id, v_patient_id, v_n.id)
       >= private.confirmations_per_patient_day() then
      v_skip := 'daily booking confirmations of this patient used up';
    end if;
  end if;
  -- the queue messages' share: a booking confirmation may not take the budget's last
  -- private.sms_queue_reserve_ratio() (20 %, at least one message), kept for your_turn / almost_turn and the rest
  v_keep := case when private.is_confirmation_kind(p_kind) then private.sms_queue_reserve_ratio() else 0 end;
  if v_skip is null then
    update public.sms_budgets b
       set reserved_count = b.reserved_count + 1, reserved_amount = b.reserved_amount + p_cost
     where b.clinic_id = p_clinic_id and b.month = v_month
       and b.reserved_count + b.spent_count + 1
             <= b.limit_count - case when v_keep > 0 then greatest(1, ceil(b.limit_count * v_keep)) else 0 end
       and b.reserved_amount + b.spent_amount + p_cost <= b.limit_amount - b.limit_amount * v_keep
    returning * into v_b;
    if v_b.clinic_id is null and v_keep > 0 then
      v_skip := 'the rest of the monthly SMS budget is kept for queue messages';
    end if;
  end if;

  if v_b.clinic_id is null then
    update public.notifications set status = 'skipped_budget', reserved = false, reserved_cost = 0,
                                    segments = p_segments, error = coalesce(v_skip, 'monthly SMS budget exhausted')
     where id = v_n.id;
    select * into v_b from public.sms_budgets where clinic_id = p_clinic_id and month = v_month;
    return jsonb_build_object('notification_id', v_n.id, 'status', 'skipped_budget', 'reserved', false,
                              'duplicate', false, 'code', case when v_held then 'SMS.CLINIC_NOT_APPROVED' else 'SMS.BUDGET_EXCEEDED' end,
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
    update public.sms_budgets set alerted_at = private.now() where clinic_id = p_clinic_id and month = v_month;
    v_alert := true;
  end if;
  return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'reserved', true,
                            'duplicate', false, 'code', null,
                            'remaining_count', v_b.limit_count - v_b.reserved_count - v_b.spent_count,
                            'remaining_amount', v_b.limit_amount - v_b.reserved_amount - v_b.spent_amount,
                            'alert', v_alert);
end
$function$;
