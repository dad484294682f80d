-- Issue 20 / 15.4: the booking confirmation is enqueued by the server, in the booking's own transaction.
--
-- Every booking path (online book_appointment, staff_book_appointment, a booked visit saved by
-- save_queue_step, the API) logs one `EntryScheduled` event in the transaction that creates the visit. That
-- event log is the outbox: from now on `EntryScheduled` owes `booking_confirmed`, keyed
-- `booking_confirmed:<entry>` (private.event_notification_key — one message per visit, whoever sends it:
-- the unique (clinic_id, idempotency_key) of notifications keeps it to one). The notification sweep
-- (local timer / schedule on Supabase) sends it through the same idempotent path as send-sms, with the
-- visit's tracking link and the cancel link rendered by the server. Nothing is sent by a browser.
--
-- Changes (newest definitions as the base):
--   private.event_notification_kind (20261201001002) + EntryScheduled → booking_confirmed.
--   public.notification_outbox (20261202100001) + the visit's link token for the messages carrying a link,
--     {appointment_time} for the confirmation; a confirmation whose visit is no longer a pending booking
--     (cancelled / moved past before the sweep) or whose slot has started owes nothing.
--   private.template_unknown_variables (20261201000000; minimal) + appointment_time (the app already
--     offered it for booking_confirmed, the database refused it) and cancel_url.
--   A booked visit saved without a tracking token (a staff booking through save_queue_step) gets the
--     derived one (private.entry_link_token), so its confirmation carries a working link too.
--   The built-in booking_confirmed texts: the app's defaults + the cancel link — only where a row still
--     holds the original seed text (a row another migration reworded is left as it is).

create or replace function private.event_notification_kind(p_type text, p_payload jsonb)
returns public.notification_kind
language sql immutable
set search_path = ''
as $$
  select case p_type
    when 'EntryScheduled' then 'booking_confirmed'
    when 'PatientCalled' then 'your_turn'
    when 'PatientOvertaken' then 'still_next'
    when 'PatientMarkedAbsent' then 'marked_absent'
    when 'PatientReturned' then 'returned'
    -- a patient who cancelled (web or SMS) already knows; staff cancellations are announced
    when 'EntryCancelled' then case when coalesce(p_payload ->> 'by', 'staff') = 'staff' then 'cancelled' end
    when 'GraceExpired' then 'no_show'
  end::public.notification_kind
$$;

create or replace function private.template_unknown_variables(p_body text) returns text[]
language sql immutable
set search_path = ''
as $$
  select coalesce(array_agg(distinct m[1] order by m[1]), '{}')
  from regexp_matches(p_body, '\{([^{}]*)\}', 'g') as m
  where m[1] not in ('patient_name', 'clinic_name', 'ticket', 'position', 'eta', 'room',
                     'grace_minutes', 'tracking_url', 'appointment_time', 'cancel_url')
$$;

-- A booked visit always has a link the server can render (the derived token's hash), whatever path made it.
create function private.queue_entries_booked_link() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.kind = 'booked' and new.tracking_token_hash is null then
    new.tracking_token_hash := private.hash_token(private.entry_link_token(new.id));
  end if;
  return new;
end
$$;
revoke execute on function private.queue_entries_booked_link() from public;
create trigger queue_entries_booked_link before insert on public.queue_entries
  for each row execute function private.queue_entries_booked_link();

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
    if v_key is null or r.phone is null or r.sms_opt_out
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

-- The built-in confirmation texts = the app's defaults (src/services/notification/models/DefaultTemplates.ts)
-- with the cancel link; a row no longer holding its seed text is someone's newer wording and stays.
update public.notification_templates t
   set body = v.body
  from (values
  ('fr', '{clinic_name} : rendez-vous confirmé, ticket {ticket}. Suivez votre place : {tracking_url}',
         E'{clinic_name} : {patient_name}, votre rendez-vous du {appointment_time} est confirmé. Ticket {ticket}. Suivez votre tour ici : {tracking_url}\nPour annuler : {cancel_url}'),
  ('en', '{clinic_name}: appointment confirmed, ticket {ticket}. Follow your place: {tracking_url}',
         E'{clinic_name}: {patient_name}, your appointment on {appointment_time} is confirmed. Ticket {ticket}. Follow your turn here: {tracking_url}\nTo cancel: {cancel_url}'),
  ('ar', '{clinic_name}: تم تأكيد موعدك، رقم التذكرة {ticket}. تابع دورك: {tracking_url}',
         E'{clinic_name}: {patient_name}، تم تأكيد موعدك يوم {appointment_time}. رقم تذكرتك {ticket}. تابع دورك هنا: {tracking_url}\nللإلغاء: {cancel_url}')
  ) as v(language, seed, body)
 where t.clinic_id is null and t.kind = 'booking_confirmed' and t.language = v.language::public.app_language
   and t.body = v.seed;
