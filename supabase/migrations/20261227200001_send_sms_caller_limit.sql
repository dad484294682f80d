-- review26 L5: send-sms had no per-caller limit. Any signed-up account (its own self-made clinic, SMS held,
-- unapproved) could call it in parallel loops — 200 calls in 9 s, all 200 OK — and each call ran
-- notification_prepare plus the service-role recipient / reserve calls even for a duplicate, on the one function
-- host every clinic's desk shares (clinic A's desk send-sms went 30 ms → 0.4-0.8 s).
--
-- Now send-sms asks public.send_sms_admit(clinic) with the CALLER's token before any other work, in its own
-- transaction (a refusal later in notification_prepare rolls nothing of the count back: a caller naming another
-- clinic, a wrong visit or nothing owed is counted like any other call). Counted in the database, not in the
-- function's memory: hosted edge functions are stateless isolates, and several isolates or stacks share one count.
--
--   * per caller (auth.uid(), the verified token's user — never a value from the body): every call, whatever
--     clinic it names;
--   * per clinic: only calls by an active staff member of that clinic (private.is_clinic_staff) — a stranger
--     naming clinic A counts against himself only, so he cannot spend A's budget and block A's desk;
--   * the service role (the notification sweep's path, the server's own) is never counted; anon holds no EXECUTE
--     (the anon key as a bearer is refused by the database as before: send-sms answers AUTH.FORBIDDEN, review26 L1),
--     and no token at all never reaches the function (401).
--
-- Windows start at a key's first call and last window_seconds (not aligned to the clock's minutes: a burst is
-- never split by a minute boundary). Over either limit the answer is a value, {admitted: false, scope,
-- retry_after} (a raise would roll the count back), and send-sms answers 429 RATE.LIMITED with Retry-After.
-- Defaults (private.send_sms_limit, one row, changed by the operator with SQL — docs/operations.md): 120 calls a
-- minute per caller, 600 per clinic. A busy desk sends a few a minute (one per step that owes a message: called,
-- near, absent …); catching up ten steps in a minute is ~20. The clinic's figure covers several desks at once.
-- One row per caller and per clinic (private.send_sms_hits), replaced when its window ends: bounded by the
-- number of accounts and clinics, like public.api_key_windows.

create table private.send_sms_limit (
  id boolean primary key default true check (id),
  caller_max integer not null default 120 check (caller_max between 1 and 1000000),
  clinic_max integer not null default 600 check (clinic_max between 1 and 1000000),
  window_seconds integer not null default 60 check (window_seconds between 1 and 86400)
);
insert into private.send_sms_limit default values;
revoke all on private.send_sms_limit from public, anon, authenticated;

create table private.send_sms_hits (
  scope text not null check (scope in ('caller', 'clinic')),
  subject uuid not null,
  window_start timestamptz not null,
  hits integer not null check (hits >= 0),
  primary key (scope, subject)
);
revoke all on private.send_sms_hits from public, anon, authenticated;

-- One key's count in its window: the hit is added (up to max + 1: a refused caller's loop moves nothing), the
-- window restarts when it has ended. Answers the seconds to wait, or 0 when the call is within the limit.
create function private.send_sms_hit(p_scope text, p_subject uuid, p_max integer, p_window interval,
                                     p_now timestamptz) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_hits integer;
  v_start timestamptz;
begin
  insert into private.send_sms_hits as h (scope, subject, window_start, hits)
  values (p_scope, p_subject, p_now, 1)
  on conflict (scope, subject) do update
     set window_start = case when h.window_start + p_window <= p_now then p_now else h.window_start end,
         hits = case when h.window_start + p_window <= p_now then 1 else least(h.hits + 1, p_max + 1) end
  returning h.hits, h.window_start into v_hits, v_start;
  if v_hits <= p_max then
    return 0;
  end if;
  return greatest(1, ceil(extract(epoch from (v_start + p_window - p_now)))::integer);
end
$$;
revoke all on function private.send_sms_hit(text, uuid, integer, interval, timestamptz)
  from public, anon, authenticated;

create function public.send_sms_admit(p_clinic_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_now timestamptz := private.now();
  v_limit private.send_sms_limit;
  v_window interval;
  v_wait integer;
begin
  if private.is_service() then
    return jsonb_build_object('admitted', true);
  end if;
  if v_uid is null then
    perform private.raise_error(401, 'AUTH.REQUIRED', 'sign in first');
  end if;
  select * into v_limit from private.send_sms_limit where id;
  v_window := make_interval(secs => v_limit.window_seconds);
  v_wait := private.send_sms_hit('caller', v_uid, v_limit.caller_max, v_window, v_now);
  if v_wait > 0 then
    return jsonb_build_object('admitted', false, 'scope', 'caller', 'retry_after', v_wait);
  end if;
  if p_clinic_id is not null and private.is_clinic_staff(p_clinic_id) then
    v_wait := private.send_sms_hit('clinic', p_clinic_id, v_limit.clinic_max, v_window, v_now);
    if v_wait > 0 then
      return jsonb_build_object('admitted', false, 'scope', 'clinic', 'retry_after', v_wait);
    end if;
  end if;
  return jsonb_build_object('admitted', true);
end
$$;
revoke all on function public.send_sms_admit(uuid) from public;
revoke all on function public.send_sms_admit(uuid) from anon;
grant execute on function public.send_sms_admit(uuid) to authenticated, service_role;
comment on function public.send_sms_admit(uuid) is
  'send-sms''s per-caller and per-clinic limit (review26 L5): {admitted} or {admitted: false, scope, retry_after}.';
