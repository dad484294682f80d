-- Issue 17, "Waitlist and gap filling" — the first slice (session 9): the request and the order it is
-- served in. No offer, no SMS, no UI yet (see the issue note for what is left).
--
-- DOMAIN rule "waitlist: first come, first served for an earlier slot": a patient with a booked visit
-- (scheduled, slot not started) may ask for an earlier slot on the same day (a full day: nothing earlier is
-- free, or they would simply reschedule). When a slot of that day frees, it goes to the EARLIEST request
-- (by the time it was made) whose visit is later than the freed slot — a request whose visit is already
-- earlier is passed over, never offered a later slot. A visit has at most one open request; asking again
-- returns the same one (idempotent). The patient withdraws it; it also stops counting once the visit is no
-- longer scheduled.
--
-- waitlist_requests: one row per request. RLS: the patient reads their own, the clinic's staff read theirs;
-- writes only through the functions below (and the service role).
-- request_earlier_slot(p_entry_id) → { request_id, entry_id, day, status, position } (the patient's own
--   booked visit: 404 NOT_FOUND otherwise; 409 QUEUE.ILLEGAL_TRANSITION when it is not a scheduled booking
--   whose slot is still ahead).
-- withdraw_earlier_slot(p_request_id) → { request_id, status: 'withdrawn' } (the patient's own open request).
-- private.waitlist_next(p_clinic_id, p_day, p_slot_start) → the request a freed slot goes to (or null).

create table public.waitlist_requests (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  entry_id uuid not null references public.queue_entries (id) on delete cascade,
  day date not null,
  status text not null default 'waiting'
    constraint waitlist_requests_status check (status in ('waiting', 'offered', 'accepted', 'withdrawn', 'expired')),
  created_at timestamptz not null default private.now(),
  updated_at timestamptz not null default private.now()
);
create unique index waitlist_requests_one_open_idx on public.waitlist_requests (entry_id)
  where status in ('waiting', 'offered');
create index waitlist_requests_day_idx on public.waitlist_requests (clinic_id, day, created_at)
  where status = 'waiting';
comment on table public.waitlist_requests is
  'Issue 17: a patient asks for an earlier slot on the day of their booked visit; served first come, first served';

alter table public.waitlist_requests enable row level security;
create policy waitlist_requests_read on public.waitlist_requests for select to authenticated
  using (private.is_clinic_staff(clinic_id)
         or exists (select 1 from public.queue_entries e join public.patients p on p.id = e.patient_id
                     where e.id = entry_id and p.user_id = auth.uid()));
revoke all on public.waitlist_requests from public, anon, authenticated;
grant select on public.waitlist_requests to authenticated;
grant all on public.waitlist_requests to service_role;

-- The caller's own scheduled booking whose slot is still ahead (the visit a request is about).
create function private.own_future_booking(p_entry_id uuid) returns public.queue_entries
language plpgsql stable
set search_path = ''
as $$
declare
  e public.queue_entries;
begin
  select x.* into e from public.queue_entries x join public.patients p on p.id = x.patient_id
   where x.id = p_entry_id and p.user_id = private.require_uid();
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  if e.kind <> 'booked' or e.status <> 'scheduled' or e.slot_start is null or e.slot_start <= private.now() then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a booked visit still ahead can ask for an earlier slot');
  end if;
  return e;
end
$$;
revoke execute on function private.own_future_booking(uuid) from public;

-- The request a freed slot of (clinic, day) starting at p_slot_start goes to: the earliest open request whose
-- visit is still scheduled and later than the slot.
create function private.waitlist_next(p_clinic_id uuid, p_day date, p_slot_start timestamptz) returns uuid
language sql stable
set search_path = ''
as $$
  select w.id from public.waitlist_requests w join public.queue_entries e on e.id = w.entry_id
   where w.clinic_id = p_clinic_id and w.day = p_day and w.status = 'waiting'
     and e.status = 'scheduled' and e.slot_start > p_slot_start
   order by w.created_at, w.id
   limit 1
$$;
revoke execute on function private.waitlist_next(uuid, date, timestamptz) from public;

create function public.request_earlier_slot(p_entry_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e public.queue_entries;
  v_day date;
  w public.waitlist_requests;
  v_position integer;
begin
  e := private.own_future_booking(p_entry_id);
  select q.day into v_day from public.queues q where q.id = e.queue_id;
  select * into w from public.waitlist_requests
   where entry_id = e.id and status in ('waiting', 'offered');
  if not found then
    insert into public.waitlist_requests (clinic_id, entry_id, day)
    values (e.clinic_id, e.id, v_day)
    on conflict (entry_id) where status in ('waiting', 'offered') do nothing
    returning * into w;
    if w.id is null then -- a concurrent twin made it first
      select * into w from public.waitlist_requests where entry_id = e.id and status in ('waiting', 'offered');
    end if;
  end if;
  select count(*)::integer into v_position from public.waitlist_requests o
   where o.clinic_id = w.clinic_id and o.day = w.day and o.status = 'waiting'
     and (o.created_at, o.id) <= (w.created_at, w.id);
  return jsonb_build_object('request_id', w.id, 'entry_id', w.entry_id, 'day', w.day, 'status', w.status,
                            'position', v_position);
end
$$;
revoke execute on function public.request_earlier_slot(uuid) from public, anon;
grant execute on function public.request_earlier_slot(uuid) to authenticated, service_role;

create function public.withdraw_earlier_slot(p_request_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  perform private.require_uid();
  update public.waitlist_requests w set status = 'withdrawn', updated_at = private.now()
   where w.id = p_request_id and w.status in ('waiting', 'offered')
     and exists (select 1 from public.queue_entries e join public.patients p on p.id = e.patient_id
                  where e.id = w.entry_id and p.user_id = auth.uid())
  returning w.id into v_id;
  if v_id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'request not found');
  end if;
  return jsonb_build_object('request_id', v_id, 'status', 'withdrawn');
end
$$;
revoke execute on function public.withdraw_earlier_slot(uuid) from public, anon;
grant execute on function public.withdraw_earlier_slot(uuid) to authenticated, service_role;
