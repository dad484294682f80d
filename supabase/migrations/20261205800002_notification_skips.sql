-- Issue 20: opt-out and no-phone skips are recorded in the message log.
--
-- notifications.skip_reason (typed, only with status 'skipped'; no recipient is stored for a skip).
-- public.notification_record_skip: what a sender (send-sms, the sweep; staff of the clinic or the service
--   role) calls when it does not send because the recipient opted out or has no phone; idempotent on the
--   message's key (a second call, or a later send under the same key, changes nothing).
-- public.notification_outbox (newest: 20261203800001): an event owing a message to an opted-out patient or
--   one without a phone records the skip itself (same key) instead of dropping it silently.
-- public.reminder_outbox (newest: 20261204800002): lists those visits too, with `skip_reason`, so the sweep
--   records the reminder as skipped once (its key then holds it: never listed again).

alter table public.notifications add column skip_reason public.notification_skip_reason;
alter table public.notifications add constraint notifications_skip_reason_status
  check ((status = 'skipped') = (skip_reason is not null));
alter table public.notifications add constraint notifications_skip_no_recipient
  check (status <> 'skipped' or recipient is null);

create function public.notification_record_skip(
  p_clinic_id uuid, p_idempotency_key text, p_kind public.notification_kind,
  p_reason public.notification_skip_reason, p_entry_id uuid default null, p_event_id bigint default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
begin
  perform private.require_staff(p_clinic_id);
  if p_idempotency_key is null or p_kind is null or p_reason is null
     or char_length(p_idempotency_key) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'key, kind and reason are required');
  end if;
  if p_entry_id is not null and not exists (
       select 1 from public.queue_entries where id = p_entry_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
  end if;
  if p_event_id is not null and not exists (
       select 1 from public.queue_events where id = p_event_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'event not found in this clinic');
  end if;
  insert into public.notifications (clinic_id, entry_id, event_id, kind, language, idempotency_key, status,
                                    skip_reason)
  values (p_clinic_id, p_entry_id, p_event_id, p_kind, p_language, p_idempotency_key, 'skipped', p_reason)
  on conflict (clinic_id, idempotency_key) do nothing
  returning * into v_n;
  if v_n.id is not null then
    return jsonb_build_object('notification_id', v_n.id, 'status', 'skipped', 'duplicate', false);
  end if;
  select * into v_n from public.notifications where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'duplicate', true);
end
$$;
revoke all on function public.notification_record_skip(uuid, text, public.notification_kind,
  public.notification_skip_reason, uuid, bigint, public.app_language) from public, anon;
grant execute on function public.notification_record_skip(uuid, text, public.notification_kind,
  public.notification_skip_reason, uuid, bigint, public.app_language) to authenticated, service_role;

create or replace function public.notification_outbox(
  p_limit integer default 50, p_min_age_seconds integer default 20, p_max_age_seconds integer default 3600)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_out jsonb := '[]'::jsonb;
  r record;
  v_kind public.notification_kind;
  v_key text;
  v_lang public.app_language;
  v_settings jsonb;
  v_e public.queue_entries;
  v_values jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for r in
    select ev.*, e.ticket_number, e.called_room, p.full_name, p.phone, p.preferred_language, p.sms_opt_out,
           c.name as clinic_name, c.default_language, c.ticket_prefix, c.settings, c.time_zone
      from public.queue_events ev
      left join public.queue_entries e on e.id = ev.entry_id and e.clinic_id = ev.clinic_id
      left join public.patients p on p.id = e.patient_id
      join public.clinics c on c.id = ev.clinic_id
     where ev.notified_at is null
       and ev.occurred_at <= private.now() - make_interval(secs => greatest(coalesce(p_min_age_seconds, 20), 0))
     order by ev.id
     limit least(greatest(coalesce(p_limit, 50), 1), 500)
     for update of ev skip locked
  loop
    v_kind := private.event_notification_kind(r.type, r.payload);
    v_key := case when v_kind is not null and r.entry_id is not null
                  then private.event_notification_key(v_kind, r.entry_id, r.correlation_id, r.payload, r.id) end;
    v_e := null;
    if v_key is not null then
      select * into v_e from public.queue_entries where id = r.entry_id;
    end if;
    if v_key is null
       -- a confirmation is owed while the visit is a pending booking whose slot has not started (a sweep
       -- that was down for a while still confirms); the other messages expire after p_max_age_seconds
       or (v_kind = 'booking_confirmed' and (v_e.kind is distinct from 'booked'
             or v_e.status not in ('scheduled', 'waiting') or v_e.slot_start <= private.now()))
       or (v_kind <> 'booking_confirmed' and r.occurred_at
             < private.now() - make_interval(secs => greatest(coalesce(p_max_age_seconds, 3600), 0)))
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.idempotency_key = v_key)
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.entry_id = r.entry_id and n.kind = v_kind
                     and n.created_at >= r.occurred_at) then
      update public.queue_events set notified_at = private.now() where id = r.id;
      continue;
    end if;
    v_lang := coalesce(r.preferred_language, r.default_language);
    if r.phone is null or r.sms_opt_out then
      -- owed but not sendable: recorded in the message log as skipped with its reason (no recipient kept),
      -- under the message's own key, so it is recorded once and never sent later
      insert into public.notifications (clinic_id, entry_id, event_id, kind, language, idempotency_key,
                                        status, skip_reason)
      values (r.clinic_id, r.entry_id, r.id, v_kind, v_lang, v_key, 'skipped',
              case when r.phone is null then 'no_phone' else 'opted_out' end::public.notification_skip_reason)
      on conflict (clinic_id, idempotency_key) do nothing;
      update public.queue_events set notified_at = private.now() where id = r.id;
      continue;
    end if;
    v_settings := private.effective_settings(r.settings);
    v_values := jsonb_build_object(
        'patient_name', r.full_name,
        'clinic_name', r.clinic_name,
        'ticket', coalesce(r.payload ->> 'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number)),
        'room', coalesce(r.payload ->> 'room', r.called_room),
        'position', r.payload ->> 'position',
        'grace_minutes', coalesce(r.payload ->> 'graceMinutes', v_settings ->> 'grace_period_minutes'));
    if v_kind = 'booking_confirmed' then
      v_values := v_values || jsonb_build_object(
        'appointment_time', to_char(v_e.slot_start at time zone r.time_zone, 'DD/MM HH24:MI'));
    end if;
    v_out := v_out || jsonb_build_object(
      'event_id', r.id, 'clinic_id', r.clinic_id, 'entry_id', r.entry_id, 'kind', v_kind,
      'idempotency_key', v_key, 'phone', r.phone, 'language', v_lang,
      'template', coalesce(
        (select t.body from public.notification_templates t
          where t.clinic_id = r.clinic_id and t.kind = v_kind and t.language = v_lang),
        (select t.body from public.notification_templates t
          where t.clinic_id is null and t.kind = v_kind and t.language = v_lang)),
      'values', v_values,
      -- the visit's link token (rendered by the sender with the app's address: {tracking_url},
      -- {cancel_url}) for the messages that carry a link; null when the server cannot render it
      'tracking_token', case when v_kind in ('booking_confirmed', 'almost_turn', 'your_turn')
                             then private.entry_link(v_e) end);
  end loop;
  return v_out;
end
$function$;

create or replace function public.reminder_outbox(p_limit integer default 50)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.now();
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  return coalesce((
    select jsonb_agg(x.item order by x.slot_start, x.id)
      from (
        select e.id, e.slot_start, jsonb_build_object(
          'event_id', null, 'clinic_id', e.clinic_id, 'entry_id', e.id, 'kind', 'appointment_reminder',
          'idempotency_key', private.reminder_key(e.id, e.slot_start), 'phone', p.phone,
          'language', coalesce(p.preferred_language, c.default_language),
          'template', coalesce(
            (select t.body from public.notification_templates t
              where t.clinic_id = e.clinic_id and t.kind = 'appointment_reminder'
                and t.language = coalesce(p.preferred_language, c.default_language)),
            (select t.body from public.notification_templates t
              where t.clinic_id is null and t.kind = 'appointment_reminder'
                and t.language = coalesce(p.preferred_language, c.default_language))),
          'values', jsonb_build_object(
            'patient_name', p.full_name,
            'clinic_name', c.name,
            'ticket', private.ticket_label(c.ticket_prefix, e.ticket_number),
            'appointment_time', to_char(e.slot_start at time zone c.time_zone, 'DD/MM HH24:MI')),
          'tracking_token', private.entry_link(e),
          -- not sendable: the sweep records it as skipped with this reason (private.record_skip), once
          'skip_reason', case when p.phone is null then 'no_phone' when p.sms_opt_out then 'opted_out' end) as item
          from public.queue_entries e
          join public.clinics c on c.id = e.clinic_id
          join public.patients p on p.id = e.patient_id
         where c.reminder_minutes_before is not null
           and e.kind = 'booked'
           and e.status in ('scheduled', 'waiting')
           and e.slot_start > v_now
           and e.slot_start <= v_now + make_interval(mins => c.reminder_minutes_before)
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = e.clinic_id
                              and n.idempotency_key = private.reminder_key(e.id, e.slot_start))
         order by e.slot_start, e.id
         limit least(greatest(coalesce(p_limit, 50), 1), 500)
      ) x), '[]'::jsonb);
end
$$;
