-- Merge of this session's branches (coordinator): features5 (20261203500001) added the audit kind 'undo' and
-- reports5 (20261203600002) added 'patient_erased', each re-creating audit_log_kind_check from the list before
-- the other's — the later file won, so every undo was refused (VALIDATION.FAILED from the audit trigger).
-- One list with both, and get_audit_log's filter accepts 'undo' (the app's AUDIT_KINDS too).
alter table public.audit_log drop constraint audit_log_kind_check;
alter table public.audit_log add constraint audit_log_kind_check check (kind in (
  'record_read', 'out_of_order_call', 'priority_change', 'reorder', 'transfer', 'reactivation', 'manual_sms',
  'patient_erased', 'undo'));

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
      'patient_erased', 'undo') then
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
