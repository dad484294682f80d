-- Retention and erasure, two fixes (issue 19; reports7):
--   • erase_patient bumps the version of every queue that holds one of the patient's visits, so an open desk
--     (which refetches on a queues row change: the Realtime feed) drops the name at once instead of showing it
--     until its next save;
--   • apply_retention also deletes the clinic's audit_log rows older than its period (who read or overrode
--     what is personal data too; the law's "no longer than necessary" applies to the trail itself).
-- Both functions re-created from their newest definition (20261203600002_retention_erasure.sql), changed
-- only where marked.

create or replace function public.apply_retention() returns jsonb
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
  v_audit integer := 0;
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
    -- new: the audit trail older than the period goes too
    delete from public.audit_log a where a.clinic_id = c.id and a.occurred_at < v_since;
    get diagnostics v_n = row_count;
    v_audit := v_audit + v_n;
  end loop;
  return jsonb_build_object('clinics', v_clinics, 'visits', v_visits, 'patients', v_patients, 'deleted', v_deleted,
                            'audit', v_audit);
end
$$;

create or replace function public.erase_patient(p_patient_id uuid, p_reason text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_patient public.patients;
  v_member public.clinic_members;
  v_visits integer;
  v_cancelled integer;
  v_queue uuid;
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
  -- new: every queue holding one of the visits changes version (open desks refetch; in id order, as the
  -- queue services lock queues, so two erasures cannot deadlock)
  for v_queue in
    select distinct e.queue_id from public.queue_entries e where e.patient_id = p_patient_id order by e.queue_id
  loop
    perform private.bump_version(v_queue);
  end loop;
  select * into v_member from public.clinic_members m where m.clinic_id = v_patient.clinic_id and m.user_id = auth.uid();
  insert into public.audit_log (clinic_id, kind, patient_id, actor_id, actor_name, actor_role, reason, client_ip,
                                user_agent)
  values (v_patient.clinic_id, 'patient_erased', p_patient_id, auth.uid(), v_member.display_name, v_member.role,
          left(p_reason, 500), private.audit_origin_ip(), private.audit_user_agent());
  return jsonb_build_object('visits', v_visits, 'cancelled', v_cancelled);
end
$$;

revoke execute on function public.apply_retention(), public.erase_patient(uuid, text) from public, anon, authenticated;
grant execute on function public.erase_patient(uuid, text) to authenticated, service_role;
grant execute on function public.apply_retention() to service_role;
