-- review26 M2: a patient's SMS STOP is theirs to take back — the clinic's staff can no longer silently undo it.
--
-- 20261201000100_rls.sql grants authenticated callers update of patients.sms_opt_out, and `patients_update` lets
-- the clinic's staff update any record of their clinic. So a receptionist could PATCH sms_opt_out true → false
-- (no UI does it, no reason, no trail) and send-sms texted the patient again — a STOP is the patient's withdrawal
-- of consent (loi 09-08, Twilio's messaging policy), and on a clinic's alphanumeric sender the carrier's own STOP
-- may not apply.
--
-- Now (a BEFORE UPDATE trigger; the column grant stays, both directions still have legitimate callers):
--   * true → false through the API (current_user `authenticated`) only by the patient on their own record
--     (user_id = auth.uid() — the signed-in patient's own setting); anyone else (the clinic's staff) gets
--     403 PATIENT.OPT_OUT_PATIENT_ONLY and nothing changes. The service role and SECURITY DEFINER functions
--     (STOP / erasure: current_user is then the functions' owner) are not affected.
--   * false → true stays open to the clinic's staff (a patient asks at the desk to stop texts) and the patient.
--   * every change of sms_opt_out is written to public.audit_log (kinds 'sms_opt_out' / 'sms_opt_in') with the
--     actor from the JWT (null for an SMS STOP reply) and the request's origin — except the erasure's own
--     (it logs 'patient_erased').
-- Another clinic's staff reach no row (RLS); anon has no update grant.
-- New objects: private.guard_patient_sms_opt_out, private.audit_patient_sms_opt_out, two triggers; the audit
-- kind check and get_audit_log's kind filter (newest: 20261203900003_audit_kinds.sql) gain the two kinds.

-- SECURITY INVOKER on purpose: it reads current_user to tell an API caller from a definer function acting for one.
create function private.guard_patient_sms_opt_out() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user = 'authenticated' and old.user_id is distinct from auth.uid() then
    perform private.raise_error(403, 'PATIENT.OPT_OUT_PATIENT_ONLY',
      'only the patient takes back their SMS opt-out (STOP)');
  end if;
  return new;
end
$$;
-- a trigger function needs no EXECUTE grant to fire (20261217300005: authenticated holds only what it needs)
revoke all on function private.guard_patient_sms_opt_out() from public;

create trigger patients_sms_opt_out_patient_only before update of sms_opt_out on public.patients
  for each row when (old.sms_opt_out and not new.sms_opt_out)
  execute function private.guard_patient_sms_opt_out();

alter table public.audit_log drop constraint audit_log_kind_check;
alter table public.audit_log add constraint audit_log_kind_check check (kind in (
  'record_read', 'out_of_order_call', 'priority_change', 'reorder', 'transfer', 'reactivation', 'manual_sms',
  'patient_erased', 'undo', 'sms_opt_out', 'sms_opt_in'));

create function private.audit_patient_sms_opt_out() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_member public.clinic_members;
begin
  if new.anonymised_at is not null and old.anonymised_at is null then
    return null; -- the erasure logs itself ('patient_erased')
  end if;
  if v_uid is not null then
    select * into v_member from public.clinic_members m where m.clinic_id = new.clinic_id and m.user_id = v_uid;
  end if;
  insert into public.audit_log (clinic_id, kind, patient_id, actor_id, actor_name, actor_role, client_ip, user_agent)
  values (new.clinic_id, case when new.sms_opt_out then 'sms_opt_out' else 'sms_opt_in' end, new.id,
          -- auth.users may not hold a JWT's sub (the audit keeps real accounts only)
          (select u.id from auth.users u where u.id = v_uid), v_member.display_name, v_member.role,
          private.audit_origin_ip(), private.audit_user_agent());
  return null;
end
$$;
revoke all on function private.audit_patient_sms_opt_out() from public;

create trigger patients_sms_opt_out_audit after update of sms_opt_out on public.patients
  for each row when (old.sms_opt_out is distinct from new.sms_opt_out)
  execute function private.audit_patient_sms_opt_out();

-- get_audit_log (newest: 20261203900003_audit_kinds.sql), its kind filter + the two kinds
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
      'patient_erased', 'undo', 'sms_opt_out', 'sms_opt_in') then
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
