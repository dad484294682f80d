-- Issue 20: ONE builder for an outbox item. notification_outbox and reminder_outbox (newest: 20261206800001)
-- each restated the item — routing, language, template lookup (clinic's, then built-in), the base values,
-- the link token — in ~35 lines of SQL. Both now call private.outbox_item; their answers are unchanged.
--
-- private.outbox_item(kind, key, event_id, entry, patient, clinic, values) → the item the sweep sends:
--   { event_id, clinic_id, entry_id, kind, idempotency_key, channel, phone, email, language, template, values,
--     tracking_token, skip_reason }
--   channel/phone/email/skip_reason from private.notification_route(patient) (channel null: none reaches the
--   patient; the phone is then still listed, as the reminder outbox always did, so the sweep can record the
--   skip); values = { patient_name, clinic_name, ticket } overlaid by the caller's p_values; tracking_token for
--   the kinds that carry a link.
create function private.outbox_item(
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
    'phone', case when v_route.channel = 'email' then null
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
    -- the visit's link token (rendered by the sender with the app's address: {tracking_url}, {cancel_url})
    -- for the messages that carry a link
    'tracking_token', case when p_kind in ('booking_confirmed', 'appointment_reminder', 'almost_turn', 'your_turn')
                           then private.entry_link(p_e) end,
    'skip_reason', v_route.skip_reason);
end
$$;
revoke all on function private.outbox_item(public.notification_kind, text, bigint, public.queue_entries,
  public.patients, public.clinics, jsonb) from public, anon, authenticated;

-- ── notification_outbox (newest: 20261206800001): the item from private.outbox_item ─────────────────
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
    select ev.*, e.ticket_number, e.called_room, e.patient_id, p.full_name, p.preferred_language,
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
    end if;
    -- a routed item carries no skip_reason
    v_out := v_out || (private.outbox_item(v_kind, v_key, r.id, v_e, v_p, v_c, v_values) - 'skip_reason');
  end loop;
  return v_out;
end
$function$;

-- ── reminder_outbox (newest: 20261206800001): the item from private.outbox_item ─────────────────────
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
        select e.id, e.slot_start,
               private.outbox_item('appointment_reminder', private.reminder_key(e.id, e.slot_start), null, e, p, c,
                 jsonb_build_object(
                   'appointment_time', to_char(e.slot_start at time zone c.time_zone, 'DD/MM HH24:MI'))) as item
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
