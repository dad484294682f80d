-- Session 18 (secmisc18): the limiter and lock tables are pruned where they are written.
--
-- private.kiosk_attempts is pruned on every wrong kiosk answer (rows of that clinic older than a day, kiosk17), but
-- private.kiosk_locks never was: every lock — one per ticket number that met 5 wrong answers, and the clinic's —
-- stayed after it ended, and the ticket numbers are whatever a passer-by types (an unknown ticket locks too), so the
-- table only grew. private.patient_self_renames (one row per patient and clinic day renamed, issue 12) was never
-- pruned either. (private.running_late_reports holds one row per visit, replaced when its window restarts and gone
-- with the visit: bounded. auth.rate_limits, the local stack's, is pruned by DbRateLimiter.)
--
-- Now, in the same statement group that writes them:
--   * kiosk_check_in: on a wrong answer, with the attempts older than a day, the clinic's locks that have ended
--     (locked_until <= now) are deleted — an ended lock decides nothing (the check reads locked_until > now);
--   * limit_patient_self_rename: when a rename is counted, that patient's counts of earlier days are deleted (only
--     today's row is ever read).
--
-- Redefined from their newest bodies: public.kiosk_check_in (20261216200001_kiosk_devices; grants kept by create or
-- replace), private.limit_patient_self_rename (20261216500003_person_name_nfc). One added statement each.

create or replace function public.kiosk_check_in(p_kiosk_token text, p_ticket text, p_phone_last4 text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.kiosk_devices := private.kiosk_device(p_kiosk_token);
  v_clinic public.clinics;
  v_code text := upper(regexp_replace(coalesce(p_ticket, ''), '\s', '', 'g'));
  v_parts text[];
  v_number integer;
  v_queue public.queues;
  e public.queue_entries;
  v_phone text;
  v_now timestamptz := private.now();
  v_position integer;
begin
  select * into v_clinic from public.clinics where id = d.clinic_id;
  v_parts := regexp_match(v_code, '^(?:([A-Z]{1,3})-?)?0*([0-9]{1,6})$');
  if v_parts is null or (v_parts[1] is not null and v_parts[1] <> v_clinic.ticket_prefix)
     or p_phone_last4 is null or p_phone_last4 !~ '^[0-9]{4}$' then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'a ticket code (e.g. A-014) and the last 4 digits of the phone number are required');
  end if;
  v_number := v_parts[2]::integer;

  -- locked: the clinic's kiosk, or this ticket
  if exists (select 1 from private.kiosk_locks l
              where l.clinic_id = d.clinic_id and l.locked_until > v_now
                and (l.ticket_number is null or l.ticket_number = v_number)) then
    perform private.raise_error(429, 'KIOSK.TOO_MANY_ATTEMPTS', 'too many wrong answers: please ask at the desk');
  end if;
  update public.kiosk_devices set last_used_at = v_now where id = d.id;

  select * into v_queue from public.queues
   where clinic_id = d.clinic_id and day = private.clinic_today(v_clinic.time_zone);
  if found then
    select o.* into e from public.queue_entries o
     where o.queue_id = v_queue.id and o.ticket_number = v_number
       and o.status in ('scheduled', 'waiting', 'called');
    if e.id is not null then
      select p.phone into v_phone from public.patients p where p.id = e.patient_id;
    end if;
  end if;

  if e.id is null or v_phone is null
     or right(regexp_replace(v_phone, '[^0-9]', '', 'g'), 4) <> p_phone_last4 then
    -- a wrong answer: recorded, then the same answer as for an unknown ticket
    delete from private.kiosk_attempts where clinic_id = d.clinic_id and at < v_now - interval '1 day';
    -- secmisc18: an ended lock decides nothing; the clinic's are dropped with its old attempts
    delete from private.kiosk_locks l where l.clinic_id = d.clinic_id and l.locked_until <= v_now;
    insert into private.kiosk_attempts (clinic_id, device_id, ticket_number, at)
    values (d.clinic_id, d.id, v_number, v_now);
    if (select count(*) from private.kiosk_attempts a
         where a.clinic_id = d.clinic_id and a.ticket_number = v_number
           and a.at > v_now - private.kiosk_attempt_window()) >= private.kiosk_ticket_failures() then
      delete from private.kiosk_locks l where l.clinic_id = d.clinic_id and l.ticket_number = v_number;
      insert into private.kiosk_locks (clinic_id, ticket_number, locked_until)
      values (d.clinic_id, v_number, v_now + private.kiosk_lock_duration());
    end if;
    if (select count(*) from private.kiosk_attempts a
         where a.clinic_id = d.clinic_id
           and a.at > v_now - private.kiosk_attempt_window()) >= private.kiosk_clinic_failures() then
      delete from private.kiosk_locks l where l.clinic_id = d.clinic_id and l.ticket_number is null;
      insert into private.kiosk_locks (clinic_id, ticket_number, locked_until)
      values (d.clinic_id, null, v_now + private.kiosk_lock_duration());
    end if;
    return jsonb_build_object('found', false);
  end if;

  e := private.kiosk_check_in_entry(e.id);

  if e.status = 'waiting' then
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             o.order_key * 1000 as key_ms,
             o.order_tiebreak as tiebreak
        from public.queue_entries o
       where o.queue_id = e.queue_id and o.status = 'waiting'
         and o.practitioner_id is not distinct from e.practitioner_id)
    select 1 + count(*) into v_position
      from line o, line me
     where me.id = e.id and o.id <> e.id
       and (o.rank_priority, o.key_ms, o.tiebreak, o.ticket_number, o.id)
         < (me.rank_priority, me.key_ms, me.tiebreak, me.ticket_number, me.id);
  end if;
  return jsonb_build_object(
    'found', true,
    'entry_id', e.id,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status,
    'position', v_position);
end
$$;

create or replace function private.limit_patient_self_rename() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_today date;
  v_count integer;
begin
  -- only the patient's own rename of their own record counts (staff of the clinic, erasure, service: free)
  if v_uid is null or new.user_id is distinct from v_uid or private.is_clinic_staff(new.clinic_id) then
    return new;
  end if;
  new.full_name := private.normalize_person_name(coalesce(new.full_name, ''));
  if char_length(new.full_name) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
  end if;
  if new.full_name ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name cannot hold control characters');
  end if;
  if new.full_name is not distinct from old.full_name then
    return new; -- the same name after normalisation: no rename, not counted
  end if;
  select private.clinic_today(c.time_zone) into v_today from public.clinics c where c.id = new.clinic_id;
  -- secmisc18: only today's count is ever read; the patient's earlier days go
  delete from private.patient_self_renames r where r.patient_id = new.id and r.day < v_today;
  insert into private.patient_self_renames as r (patient_id, day, renames)
  values (new.id, v_today, 1)
  on conflict (patient_id, day) do update set renames = r.renames + 1
  returning r.renames into v_count;
  if v_count > private.patient_self_rename_limit() then
    perform private.raise_error(429, 'PATIENT.RENAME_LIMIT',
      format('a patient may change their name %s times a day', private.patient_self_rename_limit()));
  end if;
  return new;
end
$$;
