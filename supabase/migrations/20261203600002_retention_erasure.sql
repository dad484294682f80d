-- Retention and erasure (issue 19; Moroccan law 09-08 and GDPR): a per-clinic retention period, a server job
-- that anonymises what is older than it, and "delete a patient on request" (owner). Queue history keeps its
-- anonymous counts, so every report still adds up: a visit is never deleted (its identity columns cannot
-- change — queue_entries_guard), its patient record is anonymised instead: name replaced by "—", phone,
-- account link, language and notes removed, anonymised_at set; the visits lose their free-text reasons
-- (call, priority, cancellation); the SMS sent to the person lose their recipient and body.
--
--   clinics.retention_days          null = keep everything (default); else 30…3650 days
--   patients.anonymised_at          when the record was anonymised (null = a person)
--   set_retention(clinic, days)      owners; 422 out of range
--   apply_retention()                service role (the stack's timer, pg_cron daily): per clinic with a period,
--                                    patients whose every visit is older than it (and records created before it
--                                    without visits) are anonymised / deleted; older visits lose their free-text reasons
--   erase_patient(patient, reason)   owners: that patient now (visits still ahead cancelled first); logged as
--                                    'patient_erased' in the audit trail
--
-- Reports: the stripped visits drop their days' summaries (row trigger of 20261203600001); the next report
-- summarises them again with the same figures. The audit trail keeps its rows (who read or overrode what,
-- when); their patient_name now reads "—".

alter table public.clinics add column retention_days integer
  constraint clinics_retention_days_check check (retention_days is null or retention_days between 30 and 3650);
comment on column public.clinics.retention_days is
  'Visits older than this many days (clinic-local) are anonymised by apply_retention(); null = kept.';

alter table public.patients add column anonymised_at timestamptz;
comment on column public.patients.anonymised_at is
  'Set when the record was anonymised (erasure on request or retention): no name, phone or account left.';

alter table public.audit_log drop constraint audit_log_kind_check;
alter table public.audit_log add constraint audit_log_kind_check check (kind in (
  'record_read', 'out_of_order_call', 'priority_change', 'reorder', 'transfer', 'reactivation', 'manual_sms',
  'patient_erased'));

-- Strips a set of visits of what identifies the person (free text), and the SMS about them.
create function private.strip_entries(p_clinic_id uuid, p_entry_ids uuid[]) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n integer;
begin
  update public.notifications n set recipient = null, body = null
  where n.clinic_id = p_clinic_id and n.entry_id = any (p_entry_ids)
    and (n.recipient is not null or n.body is not null);
  update public.queue_entries e
     set call_reason = null, priority_reason = null, cancel_reason = null
  where e.clinic_id = p_clinic_id and e.id = any (p_entry_ids)
    and (e.call_reason is not null or e.priority_reason is not null or e.cancel_reason is not null);
  get diagnostics v_n = row_count;
  return v_n;
end
$$;

-- Anonymises one patient record: its visits stripped, its SMS emptied, the record left without identity.
create function private.anonymise_patient(p_patient_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_patient public.patients;
begin
  select * into v_patient from public.patients where id = p_patient_id;
  if not found or v_patient.anonymised_at is not null then
    return;
  end if;
  perform private.strip_entries(v_patient.clinic_id,
                                array(select e.id from public.queue_entries e where e.patient_id = p_patient_id));
  if v_patient.phone is not null then
    update public.notifications n set recipient = null, body = null
    where n.clinic_id = v_patient.clinic_id and n.recipient = v_patient.phone;
  end if;
  update public.patients
     set full_name = '—', phone = null, user_id = null, preferred_language = null, notes = null,
         sms_opt_out = true, anonymised_at = private.now()
  where id = p_patient_id;
end
$$;

-- ── set_retention — owners ────────────────────────────────────────────────────────────────────────
create function public.set_retention(p_clinic_id uuid, p_days integer) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_uid();
  if not private.is_clinic_owner(p_clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owners only');
  end if;
  if p_days is not null and (p_days < 30 or p_days > 3650) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'retention must be 30 to 3650 days, or none');
  end if;
  update public.clinics set retention_days = p_days where id = p_clinic_id;
  return jsonb_build_object('clinic_id', p_clinic_id, 'retention_days', p_days);
end
$$;

-- ── apply_retention — the server's job (service role) ──────────────────────────────────────────────
-- For every clinic with a period (cutoff = clinic-local today − period): visits of days before the cutoff lose
-- their free text and SMS; patients whose every visit is before it are anonymised; records created before it
-- with no visit at all are deleted; SMS created before it are emptied. → { clinics, visits, patients, deleted }
create function public.apply_retention() returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c record;
  v_cutoff date;
  v_since timestamptz;
  v_patient uuid;
  v_visits integer := 0;
  v_patients integer := 0;
  v_deleted integer := 0;
  v_n integer;
  v_clinics integer := 0;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for c in select id, time_zone, retention_days from public.clinics where retention_days is not null order by id loop
    v_clinics := v_clinics + 1;
    v_cutoff := private.clinic_today(c.time_zone) - c.retention_days;
    v_since := v_cutoff::timestamp at time zone c.time_zone;
    v_visits := v_visits + private.strip_entries(c.id, array(
      select e.id from public.queue_entries e
      join public.queues q on q.id = e.queue_id and q.clinic_id = e.clinic_id
      where e.clinic_id = c.id and q.day < v_cutoff));
    for v_patient in
      select p.id from public.patients p
      where p.clinic_id = c.id and p.anonymised_at is null
        and exists (select 1 from public.queue_entries e where e.patient_id = p.id)
        and not exists (select 1 from public.queue_entries e
                        join public.queues q on q.id = e.queue_id and q.clinic_id = e.clinic_id
                        where e.patient_id = p.id and q.day >= v_cutoff)
    loop
      perform private.anonymise_patient(v_patient);
      v_patients := v_patients + 1;
    end loop;
    delete from public.patients p
    where p.clinic_id = c.id and p.created_at < v_since
      and not exists (select 1 from public.queue_entries e where e.patient_id = p.id);
    get diagnostics v_n = row_count;
    v_deleted := v_deleted + v_n;
    update public.notifications n set recipient = null, body = null
    where n.clinic_id = c.id and n.created_at < v_since and (n.recipient is not null or n.body is not null);
  end loop;
  return jsonb_build_object('clinics', v_clinics, 'visits', v_visits, 'patients', v_patients, 'deleted', v_deleted);
end
$$;

-- ── erase_patient — "delete me" on request (owners) ─────────────────────────────────────────────────
-- Visits still ahead are cancelled (nobody is called or texted for an erased person; their slots free up),
-- then the record is anonymised as above. Logged in the audit trail without the name. → { visits, cancelled }
create function public.erase_patient(p_patient_id uuid, p_reason text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_patient public.patients;
  v_member public.clinic_members;
  v_visits integer;
  v_cancelled integer;
begin
  perform private.require_uid();
  if p_reason is not null and char_length(p_reason) > 500 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'reason is at most 500 characters');
  end if;
  select * into v_patient from public.patients where id = p_patient_id;
  if not found or not private.is_clinic_staff(v_patient.clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'patient not found');
  end if;
  if not private.is_clinic_owner(v_patient.clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owners only');
  end if;
  if v_patient.anonymised_at is not null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'this record is already anonymised');
  end if;
  update public.queue_entries e
     set status = 'cancelled', cancelled_at = private.now()
  where e.patient_id = p_patient_id and e.status in ('scheduled', 'waiting', 'absent');
  get diagnostics v_cancelled = row_count;
  select count(*)::integer into v_visits from public.queue_entries e where e.patient_id = p_patient_id;
  perform private.anonymise_patient(p_patient_id);
  select * into v_member from public.clinic_members m where m.clinic_id = v_patient.clinic_id and m.user_id = auth.uid();
  insert into public.audit_log (clinic_id, kind, patient_id, actor_id, actor_name, actor_role, reason, client_ip,
                                user_agent)
  values (v_patient.clinic_id, 'patient_erased', p_patient_id, auth.uid(), v_member.display_name, v_member.role,
          left(p_reason, 500), private.audit_origin_ip(), private.audit_user_agent());
  return jsonb_build_object('visits', v_visits, 'cancelled', v_cancelled);
end
$$;

-- get_audit_log accepts the new kind (same function as 20261202800002 otherwise)
create or replace function public.get_audit_log(
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
     ('record_read', 'out_of_order_call', 'priority_change', 'reorder', 'transfer', 'reactivation', 'manual_sms',
      'patient_erased') then
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

revoke execute on function
  public.set_retention(uuid, integer), public.apply_retention(), public.erase_patient(uuid, text)
from public, anon, authenticated;
grant execute on function public.set_retention(uuid, integer), public.erase_patient(uuid, text)
  to authenticated, service_role;
grant execute on function public.apply_retention() to service_role;
revoke execute on function private.anonymise_patient(uuid), private.strip_entries(uuid, uuid[])
  from public, anon, authenticated;

-- On Supabase with pg_cron: once a day at 02:30 UTC (as 20261201000700 schedules the sweep).
do $cron$
begin
  if exists (select 1 from pg_catalog.pg_namespace where nspname = 'cron') then
    begin
      perform cron.schedule('queuemed-apply-retention', '30 2 * * *',
        $cmd$select set_config('request.jwt.claims', '{"role":"service_role"}', true); select public.apply_retention()$cmd$);
    exception when others then
      raise notice 'could not schedule public.apply_retention() (%)', sqlerrm;
    end;
  end if;
end
$cron$;
