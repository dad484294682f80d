-- Issue 17: a patient who joins today's queue remotely gets an SMS (or their chosen channel) confirming it,
-- with the tracking link — through the same server outbox as booking confirmations, never from a browser.
--
-- DOMAIN rule "remote join: confirmation" (R1): a remote join (public.join_queue_remotely) owes exactly one
-- `remote_join_confirmed` message, keyed `remote_join_confirmed:<entry>`. The outbox row is the join's own
-- WalkInAdded event (logged in the join's transaction); the entry's joined_remotely flag (set at insert, never
-- changed) tells it from a walk-in added at the desk, which owes nothing. It is owed while the visit is still
-- waiting (cancelled or already called before the sweep: nothing) and expires like the other queue messages
-- (p_max_age_seconds). A patient who opted out (or has no phone / channel) gets none: the skip is recorded.
-- Values: {ticket}, {position} (the place at joining), {tracking_url} (the visit's link), and {arrive_by}
-- (HH:MI in the clinic's zone when the clinic has an arrival window; empty otherwise).
--
-- Redefined from their newest bodies:
--   private.event_notification_key   (20261201000500)  + remote_join_confirmed is one per visit
--   private.outbox_item              (20261209500002)  + the tracking token for remote_join_confirmed
--   public.notification_outbox       (20261207400001)  + the kind of a remote join's WalkInAdded, its rule, values
--   private.template_kind_variables  (20261208400002)  + remote_join_confirmed: arrive_by
-- Built-in texts: = src/services/notification/models/DefaultTemplates.ts (fr/en kept in GSM-7).

create or replace function private.event_notification_key(
  p_kind public.notification_kind, p_entry_id uuid, p_correlation_id uuid, p_payload jsonb, p_event_id bigint)
returns text
language sql immutable
set search_path = ''
as $$
  select case when p_kind in ('cancelled', 'no_show', 'booking_confirmed', 'remote_join_confirmed')
    then p_kind::text || ':' || p_entry_id::text
    else p_kind::text || ':' || p_entry_id::text || ':'
      || coalesce(p_correlation_id::text, nullif(p_payload ->> 'correlationId', ''), 'event-' || p_event_id::text)
  end
$$;

create or replace function private.outbox_item(
  p_kind public.notification_kind, p_key text, p_event_id bigint, p_e public.queue_entries,
  p_p public.patients, p_c public.clinics, p_values jsonb default '{}'::jsonb)
returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_lang public.app_language := coalesce(p_p.preferred_language, p_c.default_language);
  v_route record;
begin
  select * into v_route from private.notification_route(p_p);
  return jsonb_build_object(
    'event_id', p_event_id, 'clinic_id', p_c.id, 'entry_id', p_e.id, 'kind', p_kind,
    'idempotency_key', p_key,
    'channel', v_route.channel,
    -- email and WhatsApp list no phone: the sender routes the visit itself (notification_recipient)
    'phone', case when v_route.channel in ('email', 'whatsapp') then null
                  when v_route.channel = 'sms' then v_route.address
                  else p_p.phone end,
    'email', case when v_route.channel = 'email' then v_route.address end,
    'language', v_lang,
    'template', coalesce(
      (select t.body from public.notification_templates t
        where t.clinic_id = p_c.id and t.kind = p_kind and t.language = v_lang),
      (select t.body from public.notification_templates t
        where t.clinic_id is null and t.kind = p_kind and t.language = v_lang)),
    'values', jsonb_build_object(
        'patient_name', p_p.full_name,
        'clinic_name', p_c.name,
        'ticket', private.ticket_label(p_c.ticket_prefix, p_e.ticket_number)) || coalesce(p_values, '{}'::jsonb),
    'tracking_token', case when p_kind in ('booking_confirmed', 'appointment_reminder', 'almost_turn', 'your_turn',
                                           'remote_join_confirmed')
                           then private.entry_link(p_e) end,
    'skip_reason', v_route.skip_reason);
end
$$;
revoke all on function private.outbox_item(public.notification_kind, text, bigint, public.queue_entries,
  public.patients, public.clinics, jsonb) from public, anon, authenticated;

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
  v_p public.patients;
  v_c public.clinics;
  v_route record;
  v_values jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for r in
    select ev.*, e.ticket_number, e.called_room, e.patient_id, e.joined_remotely, p.full_name, p.preferred_language,
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
    v_kind := case when r.type = 'WalkInAdded' and r.joined_remotely then 'remote_join_confirmed'
                   else private.event_notification_kind(r.type, r.payload) end;
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
       -- a remote join is confirmed while the patient is still waiting (not cancelled, not already called)
       or (v_kind = 'remote_join_confirmed' and v_e.status is distinct from 'waiting')
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
    select * into v_p from public.patients where id = r.patient_id;
    select * into v_route from private.notification_route(v_p);
    if v_route.channel is null then
      -- owed but not sendable on any channel: recorded in the message log as skipped with its reason (no
      -- recipient kept), under the message's own key, so it is recorded once and never sent later
      insert into public.notifications (clinic_id, entry_id, event_id, kind, language, idempotency_key,
                                        status, skip_reason)
      values (r.clinic_id, r.entry_id, r.id, v_kind, v_lang, v_key, 'skipped', v_route.skip_reason)
      on conflict (clinic_id, idempotency_key) do nothing;
      update public.queue_events set notified_at = private.now() where id = r.id;
      continue;
    end if;
    select * into v_c from public.clinics where id = r.clinic_id;
    v_settings := private.effective_settings(r.settings);
    v_values := jsonb_build_object(
        'ticket', coalesce(r.payload ->> 'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number)),
        'room', coalesce(r.payload ->> 'room', r.called_room),
        'position', r.payload ->> 'position',
        'grace_minutes', coalesce(r.payload ->> 'graceMinutes', v_settings ->> 'grace_period_minutes'));
    if v_kind = 'booking_confirmed' then
      v_values := v_values || jsonb_build_object(
        'appointment_time', to_char(v_e.slot_start at time zone r.time_zone, 'DD/MM HH24:MI'));
    elsif v_kind = 'remote_join_confirmed' then
      v_values := v_values || jsonb_build_object(
        'arrive_by', to_char(v_e.arrive_by at time zone r.time_zone, 'HH24:MI'));
    end if;
    -- a routed item carries no skip_reason
    v_out := v_out || (private.outbox_item(v_kind, v_key, r.id, v_e, v_p, v_c, v_values) - 'skip_reason');
  end loop;
  return v_out;
end
$function$;

create or replace function private.template_kind_variables(p_kind public.notification_kind) returns text[]
language sql immutable
set search_path = ''
as $$
  select array['patient_name', 'clinic_name', 'ticket', 'position', 'eta', 'room', 'grace_minutes', 'tracking_url']
         || case p_kind
              when 'booking_confirmed' then array['appointment_time', 'cancel_url']
              when 'appointment_reminder' then array['appointment_time', 'cancel_url']
              when 'waitlist_offer' then array['appointment_time', 'offer_expires_at', 'offer_url']
              when 'remote_join_confirmed' then array['arrive_by']
              when 'staff_invitation' then array['invitation_url']
              else array[]::text[]
            end
$$;

insert into public.notification_templates (clinic_id, kind, language, body)
values
  (null, 'remote_join_confirmed', 'ar',
   '{clinic_name}: {patient_name}، انضممت إلى طابور اليوم. رقم تذكرتك {ticket}، ترتيبك {position}. تابع دورك هنا: {tracking_url}'),
  (null, 'remote_join_confirmed', 'fr',
   '{clinic_name} : {patient_name}, vous avez rejoint la file d''attente du jour. Ticket {ticket}, position {position}. Suivez votre tour ici : {tracking_url}'),
  (null, 'remote_join_confirmed', 'en',
   '{clinic_name}: {patient_name}, you have joined today''s queue. Ticket {ticket}, position {position}. Follow your turn here: {tracking_url}');
