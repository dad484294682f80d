-- Audit trail (issue 19): who did what to a patient's visit, and who read a patient's record — with who,
-- when and from where — for owners (get_audit_log, the audit screen) and for the patient
-- (get_my_record_access: Moroccan law 09-08 and GDPR give them the right to know who accessed their record).
--
-- The queue's event log already records the overrides (PatientCalled with outOfOrder + reason,
-- PriorityChanged, EntryMoved, NoShowReactivated, and a transfer when the features branch adds one), with
-- the actor from the JWT and the database's time, but not where the request came from. An AFTER INSERT
-- trigger on queue_events copies each override into public.audit_log with the request's origin
-- (PostgREST's request.headers: x-forwarded-for / x-real-ip, user-agent) — no queue function is redefined.
-- Reads of a patient's record go through get_patient_record, which logs them.
--
-- New objects only: table public.audit_log, trigger queue_events_audit, functions private.audit_origin_ip,
-- private.audit_user_agent, private.audit_queue_event, RPCs get_patient_record, get_audit_log,
-- get_my_record_access.

create table public.audit_log (
  id bigint generated always as identity primary key,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  kind text not null constraint audit_log_kind_check check (kind in (
    'record_read', 'out_of_order_call', 'priority_change', 'reorder', 'transfer', 'reactivation', 'manual_sms')),
  -- kept when the visit or patient record goes (set null): the trail outlives what it talks about
  patient_id uuid references public.patients (id) on delete set null,
  entry_id uuid references public.queue_entries (id) on delete set null,
  queue_event_id bigint references public.queue_events (id) on delete set null,
  actor_id uuid references auth.users (id) on delete set null,
  -- the actor's name and role in the clinic at the time (a member may leave later)
  actor_name text check (actor_name is null or char_length(actor_name) <= 120),
  actor_role public.member_role,
  reason text check (reason is null or char_length(reason) <= 500),
  client_ip text check (client_ip is null or char_length(client_ip) <= 64),
  user_agent text check (user_agent is null or char_length(user_agent) <= 300),
  occurred_at timestamptz not null default private.now()
);
comment on table public.audit_log is
  'Audit trail: overrides (copied from queue_events with the request origin) and reads of patient records.';
create index audit_log_clinic_time_idx on public.audit_log (clinic_id, occurred_at desc);
create index audit_log_patient_time_idx on public.audit_log (patient_id, occurred_at desc) where patient_id is not null;

alter table public.audit_log enable row level security;
-- owners and admins of the clinic read it; nobody writes it through the API (trigger and RPCs only)
create policy audit_log_admin_read on public.audit_log
  for select to authenticated using (private.is_clinic_admin(clinic_id));
revoke all on public.audit_log from anon, authenticated;
grant select on public.audit_log to authenticated;
grant all on public.audit_log to service_role;

-- ── Where a request came from (PostgREST puts the HTTP headers in request.headers) ───────────────────
create function private.audit_origin_ip() returns text
language sql stable
set search_path = ''
as $$
  select left(nullif(btrim(coalesce(
    split_part(h ->> 'x-forwarded-for', ',', 1), h ->> 'x-real-ip', h ->> 'cf-connecting-ip')), ''), 64)
  from (select nullif(current_setting('request.headers', true), '')::jsonb as h) x
$$;

create function private.audit_user_agent() returns text
language sql stable
set search_path = ''
as $$
  select left(nullif(current_setting('request.headers', true), '')::jsonb ->> 'user-agent', 300)
$$;

-- ── Overrides, copied from the event log ────────────────────────────────────────────────────────────
create function private.audit_queue_event() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_kind text;
  v_member public.clinic_members;
begin
  v_kind := case
    when new.type = 'PatientCalled' and coalesce(new.payload ->> 'outOfOrder', 'false') = 'true' then 'out_of_order_call'
    when new.type = 'PriorityChanged' then 'priority_change'
    when new.type = 'EntryMoved' and (new.payload ->> 'fromPractitionerId') is distinct from (new.payload ->> 'toPractitionerId')
      then 'transfer'
    when new.type = 'EntryMoved' then 'reorder'
    when new.type in ('EntryTransferred', 'PatientTransferred') then 'transfer'
    when new.type = 'NoShowReactivated' then 'reactivation'
  end;
  if v_kind is null then
    return null;
  end if;
  select * into v_member from public.clinic_members m
  where m.clinic_id = new.clinic_id and m.user_id = new.actor_id;
  insert into public.audit_log (clinic_id, kind, patient_id, entry_id, queue_event_id, actor_id, actor_name,
                                actor_role, reason, client_ip, user_agent, occurred_at)
  select new.clinic_id, v_kind, e.patient_id, new.entry_id, new.id, new.actor_id, v_member.display_name,
         v_member.role, left(new.payload ->> 'reason', 500), private.audit_origin_ip(),
         private.audit_user_agent(), new.occurred_at
  from (select 1) one left join public.queue_entries e on e.id = new.entry_id;
  return null;
end
$$;
create trigger queue_events_audit after insert on public.queue_events
  for each row
  when (new.type in ('PatientCalled', 'PriorityChanged', 'EntryMoved', 'EntryTransferred', 'PatientTransferred',
                     'NoShowReactivated'))
  execute function private.audit_queue_event();

-- ── get_patient_record(p_patient_id) — a staff read of a patient's record, logged ───────────────────
-- → { patient: {id, full_name, phone, preferred_language, sms_opt_out, created_at},
--     visits: [{ day, ticket, kind, status, appointment_type, practitioner, slot_start, checked_in_at,
--                called_at, finished_at }] (newest 50) }
-- Staff of the patient's clinic; anyone else gets 404 NOT_FOUND (a record's existence is not revealed).
create function public.get_patient_record(p_patient_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_patient public.patients;
  v_clinic public.clinics;
  v_member public.clinic_members;
begin
  perform private.require_uid();
  select * into v_patient from public.patients where id = p_patient_id;
  if not found or not private.is_clinic_staff(v_patient.clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'patient not found');
  end if;
  select * into v_clinic from public.clinics where id = v_patient.clinic_id;
  select * into v_member from public.clinic_members m where m.clinic_id = v_patient.clinic_id and m.user_id = auth.uid();
  insert into public.audit_log (clinic_id, kind, patient_id, actor_id, actor_name, actor_role, client_ip, user_agent)
  values (v_patient.clinic_id, 'record_read', v_patient.id, auth.uid(), v_member.display_name, v_member.role,
          private.audit_origin_ip(), private.audit_user_agent());
  return jsonb_build_object(
    'patient', jsonb_build_object('id', v_patient.id, 'full_name', v_patient.full_name, 'phone', v_patient.phone,
                                  'preferred_language', v_patient.preferred_language,
                                  'sms_opt_out', v_patient.sms_opt_out, 'created_at', v_patient.created_at),
    'visits', coalesce((
      select jsonb_agg(v.o order by v.day desc, v.ticket_number desc)
      from (
        select q.day, e.ticket_number, jsonb_build_object(
                 'day', q.day, 'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
                 'kind', e.kind, 'status', e.status, 'appointment_type', t.name,
                 'practitioner', m.display_name, 'slot_start', e.slot_start, 'checked_in_at', e.checked_in_at,
                 'called_at', e.called_at, 'finished_at', e.finished_at) as o
        from public.queue_entries e
        join public.queues q on q.id = e.queue_id
        left join public.appointment_types t on t.id = e.appointment_type_id
        left join public.clinic_members m on m.id = coalesce(e.served_by, e.practitioner_id)
        where e.patient_id = v_patient.id
        order by q.day desc, e.ticket_number desc
        limit 50) v), '[]'::jsonb));
end
$$;

-- ── get_audit_log — the owners' audit screen ────────────────────────────────────────────────────────
-- Entries of clinic-local days p_from…p_to (≤ 367 days), newest first, optionally of one patient, one
-- staff account, one kind; at most p_limit (1–1000, default 200).
create function public.get_audit_log(
  p_clinic_id uuid, p_from date, p_to date, p_patient_id uuid default null, p_actor_id uuid default null,
  p_kind text default null, p_limit integer default 200)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_tz text;
  v_limit integer := coalesce(p_limit, 200);
begin
  v_tz := private.report_guard(p_clinic_id, p_from, p_to, 'day');
  if p_kind is not null and p_kind not in
     ('record_read', 'out_of_order_call', 'priority_change', 'reorder', 'transfer', 'reactivation', 'manual_sms') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'unknown audit kind');
  end if;
  if v_limit < 1 or v_limit > 1000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_limit must be between 1 and 1000');
  end if;
  return coalesce((
    select jsonb_agg(x.o order by x.occurred_at desc, x.id desc)
    from (
      select a.id, a.occurred_at, jsonb_build_object(
               'id', a.id, 'kind', a.kind, 'occurred_at', a.occurred_at,
               'patient_id', a.patient_id, 'patient_name', p.full_name,
               'entry_id', a.entry_id, 'actor_id', a.actor_id, 'actor_name', a.actor_name,
               'actor_role', a.actor_role, 'reason', a.reason, 'client_ip', a.client_ip,
               'user_agent', a.user_agent) as o
      from public.audit_log a
      left join public.patients p on p.id = a.patient_id
      where a.clinic_id = p_clinic_id
        and a.occurred_at >= (p_from::timestamp at time zone v_tz)
        and a.occurred_at < ((p_to + 1)::timestamp at time zone v_tz)
        and (p_patient_id is null or a.patient_id = p_patient_id)
        and (p_actor_id is null or a.actor_id = p_actor_id)
        and (p_kind is null or a.kind = p_kind)
      order by a.occurred_at desc, a.id desc
      limit v_limit) x), '[]'::jsonb);
end
$$;

-- ── get_my_record_access — the patient's view ───────────────────────────────────────────────────────
-- Who read the signed-in patient's records (every clinic where they hold one): clinic, staff name and
-- role, when. Newest first, at most 200. Not the staff's IP or browser (their privacy).
create function public.get_my_record_access() returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform private.require_uid();
  return coalesce((
    select jsonb_agg(x.o order by x.occurred_at desc, x.id desc)
    from (
      select a.id, a.occurred_at, jsonb_build_object(
               'occurred_at', a.occurred_at, 'clinic_name', c.name, 'actor_name', a.actor_name,
               'actor_role', a.actor_role) as o
      from public.patients p
      join public.audit_log a on a.patient_id = p.id and a.kind = 'record_read'
      join public.clinics c on c.id = a.clinic_id
      where p.user_id = auth.uid()
      order by a.occurred_at desc, a.id desc
      limit 200) x), '[]'::jsonb);
end
$$;

revoke execute on function
  public.get_patient_record(uuid),
  public.get_audit_log(uuid, date, date, uuid, uuid, text, integer),
  public.get_my_record_access()
from public, anon, authenticated;
grant execute on function
  public.get_patient_record(uuid),
  public.get_audit_log(uuid, date, date, uuid, uuid, text, integer),
  public.get_my_record_access()
to authenticated, service_role;
