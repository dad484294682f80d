-- sock26 (issue 14, mreview25 F8 and F10).
--
-- F8: a visit's push topic was 'tracker:' || hex(sha256(token_hash)) — whoever reads the stored hash
-- (queue_entries.tracking_token_hash: a backup, the service role) could follow a visit live without its link. The topic
-- is now an HMAC-SHA256 of the stored hash under a key only this database holds (private.tracker_topic_key: one row,
-- random at this migration, readable by no client role and not by service_role — only by the definer functions
-- below): the stored data of the public tables alone does not name a topic. The phone no longer computes its topic:
-- get_tracker_view (which it calls with its token anyway) says it — push_topic, for the token's own visit only.
-- Still 256 bits (not guessable), the same all day (the key does not change), no name/phone/id/token on it.
-- HMAC by RFC 2104 with the built-in sha256 (no pgcrypto): the key's inner and outer pads are kept ready.
--
-- F10: the pushed state said only `late` (a flag): a new running-late amount (the flag still true) pushed nothing of
-- it, and a push merged for another reason kept the phone's old note. The state now carries the note exactly as
-- get_tracker_view gives it (private.running_late_note: minutes, reported_at, until; null once past or the day over),
-- so a changed amount is a changed state: it is pushed, and the tracker renders it.
--
-- Decision:
--   new private.tracker_topic_key (ipad, opad), private.tracker_push_topic(uuid, text)
--   replaced private.tracker_topic(bytea) (newest: 20261225100001_tracker_push.sql): the HMAC (stable, reads the key)
--   replaced private.push_tracker_states(public.queues) (newest: 20261225600002_tracker_pushes_pruned.sql): as
--       there, plus 'late_note' in the state (the queue's open/today computed once, not per visit)
--   replaced public.get_tracker_view(text) (newest: 20261222970001_tracker_view_late_note.sql): as there, plus
--       'push_topic'. Still SECURITY INVOKER; private.tracker_push_topic answers only for the token's own visit.

create table private.tracker_topic_key (
  id boolean primary key default true check (id),
  ipad bytea not null check (length(ipad) = 64),
  opad bytea not null check (length(opad) = 64)
);
revoke all on table private.tracker_topic_key from public, anon, authenticated, service_role;

-- 32 random bytes (two v4 uuids: 244 random bits from the server's strong random source, hashed), zero-padded to
-- SHA-256's 64-byte block, XORed with 0x36 / 0x5c
do $$
declare
  k bytea := sha256(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
  i bytea := decode(repeat('36', 64), 'hex');
  o bytea := decode(repeat('5c', 64), 'hex');
begin
  for n in 0 .. length(k) - 1 loop
    i := set_byte(i, n, get_byte(k, n) # 54);
    o := set_byte(o, n, get_byte(k, n) # 92);
  end loop;
  insert into private.tracker_topic_key (ipad, opad) values (i, o);
end
$$;

-- The broadcast topic of a visit's tracker: HMAC-SHA256(key, stored hash of its link's token).
create or replace function private.tracker_topic(p_token_hash bytea) returns text
language sql stable
set search_path = ''
as $$
  select 'tracker:' || encode(sha256(k.opad || sha256(k.ipad || p_token_hash)), 'hex')
    from private.tracker_topic_key k
$$;
revoke all on function private.tracker_topic(bytea) from public, anon, authenticated, service_role;

-- The topic of the visit `p_entry_id` for the holder of its link (null for any other token): what get_tracker_view
-- (security invoker, so anon's call) adds to the view it has already checked the token for.
create function private.tracker_push_topic(p_entry_id uuid, p_tracking_token text) returns text
language sql stable
security definer
set search_path = ''
as $$
  select private.tracker_topic(e.tracking_token_hash)
    from public.queue_entries e
   where e.id = p_entry_id and e.tracking_token_hash = private.hash_token(p_tracking_token)
$$;
revoke all on function private.tracker_push_topic(uuid, text) from public;
grant execute on function private.tracker_push_topic(uuid, text) to anon, authenticated, service_role;

create or replace function public.get_tracker_view(p_tracking_token text) returns jsonb
language plpgsql stable
security invoker
set search_path = ''
as $$
declare
  v jsonb;
  v_day date;
begin
  v := public.get_visit_live(p_tracking_token);
  v_day := (v ->> 'day')::date;
  return v || jsonb_build_object(
    'clock', public.get_clinic_clock((v -> 'clinic' ->> 'id')::uuid, v_day, v_day),
    'late_note', public.get_visit_running_late(p_tracking_token) -> 'note',
    -- sock26: where the estimates store pushes this visit's tracker (trk25)
    'push_topic', private.tracker_push_topic((v ->> 'entry_id')::uuid, p_tracking_token)
  );
end
$$;
revoke execute on function public.get_tracker_view(text) from public;
grant execute on function public.get_tracker_view(text) to anon, authenticated, service_role;

create or replace function private.push_tracker_states(p_queue public.queues) returns integer
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_n integer := 0;
  r record;
  v_open boolean;
begin
  -- sock26 (F10): as private.running_late_note decides whether a note is in force — the queue open and today
  select p_queue.status = 'open' and p_queue.day = private.clinic_today(c.time_zone) into v_open
    from public.clinics c where c.id = p_queue.clinic_id;
  for r in
    with line as (
      select e.id, e.tracking_token_hash, e.practitioner_id, e.arrive_by, e.running_late_at, e.called_room,
             e.running_late_minutes,
             row_number() over (
               partition by e.practitioner_id
               order by array_position(array['emergency', 'urgent', 'normal'], e.priority::text),
                        e.order_key, e.order_tiebreak, e.ticket_number, e.id) as pos
        from public.queue_entries e
       where e.queue_id = p_queue.id and e.status = 'waiting'),
    st as (
      select l.id, l.tracking_token_hash,
             jsonb_build_object(
               'position', l.pos,
               'estimate', (select jsonb_build_object('display', j -> 'display')
                              from private.entry_estimate_json(l.id) j where j is not null),
               'desk_paused', coalesce(l.practitioner_id = any (p_queue.paused_practitioner_ids), false),
               'intake_closed', p_queue.intake_closed_at is not null,
               'arrive_by', l.arrive_by,
               'late', l.running_late_at is not null,
               -- sock26 (F10): the note as get_tracker_view gives it (private.running_late_note), not the flag alone
               'late_note', case
                 when l.running_late_at is null or not coalesce(v_open, false) then null
                 when l.running_late_minutes is null
                   then jsonb_build_object('minutes', null, 'reported_at', l.running_late_at, 'until', null)
                 when l.running_late_at + make_interval(mins => l.running_late_minutes) > private.now()
                   then jsonb_build_object('minutes', l.running_late_minutes, 'reported_at', l.running_late_at,
                                           'until', l.running_late_at + make_interval(mins => l.running_late_minutes))
               end,
               -- as get_visit_status / get_visit_live: the doctor's room and public name (a transfer changes them)
               'room', coalesce(l.called_room, m.room),
               'doctor_name', case when m.clinic_id = p_queue.clinic_id
                                   then private.public_person_name(m.display_name) end) as state
        from line l
        left join public.clinic_members m on m.id = l.practitioner_id
       -- ranked among every waiting visit of the pool (above), pushed only to those with a link
       where l.tracking_token_hash is not null)
    select st.id, st.tracking_token_hash, st.state
      from st left join private.tracker_pushes p on p.entry_id = st.id
     where p.state is distinct from st.state
  loop
    insert into private.tracker_pushes (entry_id, state) values (r.id, r.state)
    on conflict (entry_id) do update set state = excluded.state;
    perform realtime.send(
      r.state || jsonb_build_object('status', 'waiting', 'queue_version', p_queue.version),
      'visit', private.tracker_topic(r.tracking_token_hash), false);
    v_n := v_n + 1;
  end loop;
  -- fix25c F9: a visit no longer waiting (called, done, cancelled, moved) is never pushed from here again: forget
  -- its last state, so the table holds the waiting visits only (before: a row per visit ever pushed, never pruned).
  -- Should it wait again (an undo), its state differs from none and is pushed afresh.
  delete from private.tracker_pushes p
   using public.queue_entries e
   where p.entry_id = e.id and e.queue_id = p_queue.id and e.status <> 'waiting';
  return v_n;
end
$$;
revoke all on function private.push_tracker_states(public.queues) from public, anon, authenticated;
