-- Issue 20: sms_budget_reserve re-reserves only a failed SMS — never another channel's row under the same key.
--
-- public.sms_budget_reserve (newest: 20261202100001): a key already held by a row of another channel (a failed
--   email since channels9's email channel) is answered as a duplicate with that row's status and channel;
--   nothing is reserved and the row is untouched. Before, a failed email row was re-reserved in place: it became
--   queued + reserved with channel 'email' and the email address as recipient, and the SMS sender would have
--   texted the body under an email record (or sent nothing and held the reservation). The SMS in place of a
--   refused email goes through notification_sms_fallback under its own key (`<email key>:sms`), as before.
-- public.sms_budget_reserve
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
