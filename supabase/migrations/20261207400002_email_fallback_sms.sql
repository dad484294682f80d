-- Issue 20: an email the mail server refused falls back to SMS — exactly once, both outcomes in the log.
--
-- notifications.fallback_of: on the SMS sent in place of a failed email, that email's id. The message log
--   then holds both attempts: the email (failed, with the mail server's reason) and the SMS (its own status).
-- public.notification_sms_fallback(p_notification_id, p_segments, p_cost, p_body) → sms_budget_reserve's answer
--   + { phone, fallback_of }. Staff of the clinic or the service role. Only for a FAILED email that was
--   refused (not one interrupted mid-way: the mail server may have accepted it). The SMS goes to the
--   patient's own phone from the database (a caller cannot aim it), under the key `<email key>:sms`, so a
--   second call (a retry, a second sweep) is a duplicate: one SMS per failed email. No phone, or the number
--   opted out (STOP) → recorded as skipped with its reason under that key, nothing sent.

alter table public.notifications
  add column fallback_of uuid references public.notifications (id) on delete set null;
create index notifications_fallback_of on public.notifications (fallback_of) where fallback_of is not null;

create function public.notification_sms_fallback(
  p_notification_id uuid, p_segments integer, p_cost numeric, p_body text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email public.notifications;
  v_p public.patients;
  v_key text;
  v_out jsonb;
  v_reason public.notification_skip_reason;
begin
  select * into v_email from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_email.clinic_id);
  if v_email.channel <> 'email' or v_email.status <> 'failed' or v_email.entry_id is null
     or coalesce(v_email.error, '') like 'interrupted:%' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'only an email the mail server refused falls back to SMS');
  end if;
  v_key := left(v_email.idempotency_key, 196) || ':sms';
  select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
   where e.id = v_email.entry_id and e.clinic_id = v_email.clinic_id;
  if v_p.phone is null then
    v_reason := 'no_phone';
  elsif v_p.sms_opt_out or exists (select 1 from public.patients o
                                   where o.clinic_id = v_p.clinic_id and o.phone = v_p.phone and o.sms_opt_out) then
    v_reason := 'opted_out';
  end if;
  if v_reason is not null then
    v_out := public.notification_record_skip(v_email.clinic_id, v_key, v_email.kind, v_reason, v_email.entry_id,
                                             v_email.event_id, v_email.language);
    update public.notifications set fallback_of = v_email.id
     where id = (v_out ->> 'notification_id')::uuid and fallback_of is null;
    return v_out || jsonb_build_object('reserved', false, 'phone', null, 'fallback_of', v_email.id,
                                       'skip_reason', v_reason);
  end if;
  v_out := public.sms_budget_reserve(v_email.clinic_id, v_key, v_email.kind, p_segments, p_cost, v_email.entry_id,
                                     v_email.event_id, v_p.phone, v_email.language, p_body);
  update public.notifications set fallback_of = v_email.id
   where id = (v_out ->> 'notification_id')::uuid and fallback_of is null;
  return v_out || jsonb_build_object('phone', v_p.phone, 'fallback_of', v_email.id);
end
$$;
revoke all on function public.notification_sms_fallback(uuid, integer, numeric, text) from public, anon;
grant execute on function public.notification_sms_fallback(uuid, integer, numeric, text)
  to authenticated, service_role;
