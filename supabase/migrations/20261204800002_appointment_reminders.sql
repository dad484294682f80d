-- Issue 20: appointment reminders, enqueued by the server's notification sweep.
--
-- clinics.reminder_minutes_before (null = off, 5..2880): the owner's setting (public.set_reminder_minutes_before,
-- admins only, coded errors). public.reminder_outbox (service role only, called by the notification sweep) lists
-- every booked visit still pending whose slot starts within that many minutes of private.now() (and has not
-- started), one item per visit and slot, keyed `appointment_reminder:<entry>:<slot epoch>`: a rescheduled visit
-- (new slot) owes a new reminder, a cancelled / started / served visit none. The sweep sends each item through
-- the one sender (idempotent on that key: two sweeps at once send one message) and the one renderer.
-- Template variables: the common ones + {appointment_time} and {cancel_url}; built-in texts in ar/fr/en equal
-- to src/services/notification/models/DefaultTemplates.ts.

alter table public.clinics add column reminder_minutes_before integer
  constraint clinics_reminder_minutes_before_range check (reminder_minutes_before between 5 and 2880);

create or replace function private.template_kind_variables(p_kind public.notification_kind) returns text[]
language sql immutable
set search_path = ''
as $$
  select array['patient_name', 'clinic_name', 'ticket', 'position', 'eta', 'room', 'grace_minutes', 'tracking_url']
         || case p_kind
              when 'booking_confirmed' then array['appointment_time', 'cancel_url']
              when 'appointment_reminder' then array['appointment_time', 'cancel_url']
              when 'staff_invitation' then array['invitation_url']
              else array[]::text[]
            end
$$;

insert into public.notification_templates (clinic_id, kind, language, body)
values
  (null, 'appointment_reminder', 'ar',
   E'{clinic_name}: {patient_name}، تذكير بموعدك يوم {appointment_time}. رقم تذكرتك {ticket}. تابع دورك هنا: {tracking_url}\nللإلغاء: {cancel_url}'),
  (null, 'appointment_reminder', 'fr',
   E'{clinic_name} : {patient_name}, rappel de votre rendez-vous du {appointment_time}. Ticket {ticket}. Suivez votre tour ici : {tracking_url}\nPour annuler : {cancel_url}'),
  (null, 'appointment_reminder', 'en',
   E'{clinic_name}: {patient_name}, reminder of your appointment on {appointment_time}. Ticket {ticket}. Follow your turn here: {tracking_url}\nTo cancel: {cancel_url}');

create function public.set_reminder_minutes_before(p_clinic_id uuid, p_minutes integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_admin(p_clinic_id);
  if p_minutes is not null and (p_minutes < 5 or p_minutes > 2880) then
    perform private.raise_error(422, 'REMINDER.INVALID_MINUTES',
      'the reminder is sent 5 to 2880 minutes before the appointment, or not at all');
  end if;
  update public.clinics set reminder_minutes_before = p_minutes where id = p_clinic_id;
  return jsonb_build_object('reminder_minutes_before', p_minutes);
end
$$;
revoke all on function public.set_reminder_minutes_before(uuid, integer) from public, anon;
grant execute on function public.set_reminder_minutes_before(uuid, integer) to authenticated, service_role;

create function private.reminder_key(p_entry_id uuid, p_slot_start timestamptz) returns text
language sql immutable
set search_path = ''
as $$
  select 'appointment_reminder:' || p_entry_id::text || ':' || floor(extract(epoch from p_slot_start))::bigint::text
$$;
revoke all on function private.reminder_key(uuid, timestamptz) from public;

create function public.reminder_outbox(p_limit integer default 50)
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
          'tracking_token', private.entry_link(e)) as item
          from public.queue_entries e
          join public.clinics c on c.id = e.clinic_id
          join public.patients p on p.id = e.patient_id
         where c.reminder_minutes_before is not null
           and e.kind = 'booked'
           and e.status in ('scheduled', 'waiting')
           and e.slot_start > v_now
           and e.slot_start <= v_now + make_interval(mins => c.reminder_minutes_before)
           and p.phone is not null
           and not p.sms_opt_out
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = e.clinic_id
                              and n.idempotency_key = private.reminder_key(e.id, e.slot_start))
         order by e.slot_start, e.id
         limit least(greatest(coalesce(p_limit, 50), 1), 500)
      ) x), '[]'::jsonb);
end
$$;
revoke all on function public.reminder_outbox(integer) from public, anon, authenticated;
grant execute on function public.reminder_outbox(integer) to service_role;
