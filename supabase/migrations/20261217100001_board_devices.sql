-- Session 18 (board18), security issue 17: the waiting-room board gave patient names to the whole internet.
-- With a clinic's `board_show_names` on, get_waiting_board (anon, any clinic id) and the pushed board row
-- (public.waiting_boards, readable by anon and carried by every realtime event) held each called and waiting
-- patient's first name + initial. DOMAIN.md: the public board shows ticket numbers only.
--
-- Rules now (docs/security.md, "The waiting-room board"):
--   * boardNamesNeedPairedScreen: names reach a board only through get_waiting_board called with the key of a
--     board screen paired to THAT clinic (not revoked), and only when the clinic shows names. Without a key, with
--     a forged, revoked or another clinic's key: the same board with every name null — never an error, so a TV
--     whose pairing was revoked keeps showing the tickets; the answer says `paired: false` (and `names_hidden`
--     when the clinic shows names), which the screen turns into a hint for staff.
--   * boardPushCarriesNoNames: the pushed row (public.waiting_boards) never carries names, whatever the setting;
--     a paired screen that shows names re-reads get_waiting_board with its key when an event arrives.
--   * boardPairing: a board screen is a device of public.kiosk_devices with kind 'board' (kiosk17's table, token
--     made by private.new_token and stored only as private.hash_token, one lookup: private.paired_device). An
--     owner, admin or receptionist pairs one (pair_board: the key is returned once) and unpairs it
--     (revoke_board). A board key opens no kiosk RPC, and a kiosk key is no board key.
--   There is no per-room board (the board shows every room): a board key is clinic-wide.

alter table public.kiosk_devices
  add column kind text not null default 'kiosk' check (kind in ('kiosk', 'board'));
comment on column public.kiosk_devices.kind is
  'kiosk: the entrance check-in tablet (kiosk17); board: a paired waiting-room screen that may show names (board18).';
grant select (kind) on public.kiosk_devices to authenticated;

-- The one lookup of a device key: the live (not revoked) device of that kind whose hash matches; null for a
-- malformed, unknown, revoked or other-kind key. No lock (a board read is a stable function); callers that
-- change the device lock it by id.
create function private.paired_device(p_token text, p_kind text) returns public.kiosk_devices
language sql stable
set search_path = ''
as $$
  select d.* from public.kiosk_devices d
   where p_token is not null and char_length(p_token) between 32 and 200
     and d.token_hash = private.hash_token(p_token) and d.kind = p_kind and d.revoked_at is null
$$;
revoke execute on function private.paired_device(text, text) from public;

-- private.kiosk_device (20261216200001_kiosk_devices.sql): the same answers, through the one lookup, and only a
-- kiosk's key (a board key never opens the kiosk's check-in).
create or replace function private.kiosk_device(p_kiosk_token text) returns public.kiosk_devices
language plpgsql
set search_path = ''
as $$
declare
  d public.kiosk_devices := private.paired_device(p_kiosk_token, 'kiosk');
begin
  if d.id is not null then
    select * into d from public.kiosk_devices where id = d.id and revoked_at is null for update;
  end if;
  if d.id is null then
    perform private.raise_error(401, 'KIOSK.NOT_PAIRED', 'this tablet is not paired as a kiosk');
  end if;
  return d;
end
$$;
revoke execute on function private.kiosk_device(text) from public;

-- ── Pairing a board screen (staff) ──────────────────────────────────────────────────────────────────
create function public.pair_board(p_clinic_id uuid, p_label text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_label text := btrim(coalesce(p_label, ''));
  v_token text := private.new_token();
  v_id uuid;
begin
  perform private.require_uid();
  if p_clinic_id is null
     or not private.is_clinic_member(p_clinic_id, array['owner', 'admin', 'receptionist']::public.member_role[]) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only the clinic''s owner, admin or receptionist pairs a board');
  end if;
  if v_label = '' then
    v_label := 'Board';
  end if;
  if char_length(v_label) > 80 or v_label ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a board name is 1-80 characters');
  end if;
  if (select count(*) from public.kiosk_devices
       where clinic_id = p_clinic_id and kind = 'board' and revoked_at is null) >= 20 then
    perform private.raise_error(429, 'RATE.LIMITED', 'a clinic pairs at most 20 boards; unpair one first');
  end if;
  insert into public.kiosk_devices (clinic_id, kind, label, token_hash, paired_by)
  values (p_clinic_id, 'board', v_label, private.hash_token(v_token), auth.uid())
  returning id into v_id;
  return jsonb_build_object('id', v_id, 'label', v_label, 'token', v_token);
end
$$;

create function public.revoke_board(p_device_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.kiosk_devices;
begin
  perform private.require_uid();
  select * into d from public.kiosk_devices where id = p_device_id and kind = 'board' for update;
  if not found
     or not private.is_clinic_member(d.clinic_id, array['owner', 'admin', 'receptionist']::public.member_role[]) then
    perform private.raise_error(404, 'NOT_FOUND', 'board not found');
  end if;
  if d.revoked_at is null then
    update public.kiosk_devices set revoked_at = private.now(), revoked_by = auth.uid() where id = d.id;
  end if;
  return jsonb_build_object('id', d.id, 'revoked', true);
end
$$;

-- ── The board's lists: names only when the caller says so ──────────────────────────────────────────
-- Otherwise the newest definition (20261203100004_board_next_order.sql); `p_names` replaces the clinic's setting
-- alone: the caller decides (get_waiting_board: the setting AND a paired screen; the pushed row: never).
drop function private.board_lists(public.clinics, uuid);
create function private.board_lists(p_clinic public.clinics, p_queue_id uuid, p_names boolean default false)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_names boolean := coalesce(p_names, false);
  v_queue public.queues;
begin
  select * into v_queue from public.queues where id = p_queue_id;
  return jsonb_build_object(
    'now_serving', coalesce((
      select jsonb_agg(jsonb_build_object(
               'ticket', private.ticket_label(p_clinic.ticket_prefix, e.ticket_number),
               'room', coalesce(e.called_room, m.room),
               'name', case when v_names then private.board_name(p.full_name) end)
             order by e.called_at desc nulls last)
      from public.queue_entries e
      join public.patients p on p.id = e.patient_id
      left join public.clinic_members m on m.id = e.practitioner_id
      where e.queue_id = p_queue_id and e.status in ('called', 'in_service')), '[]'::jsonb),
    'next', coalesce((
      select jsonb_agg(x.item order by x.rank_priority desc, x.order_key, x.tiebreak, x.ticket_number, x.id)
      from (
        select jsonb_build_object(
                 'ticket', private.ticket_label(p_clinic.ticket_prefix, e.ticket_number),
                 'room', m.room,
                 'name', case when v_names then private.board_name(p.full_name) end) as item,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key, coalesce(e.order_tiebreak, e.ticket_number) as tiebreak, e.ticket_number, e.id
        from public.queue_entries e join public.patients p on p.id = e.patient_id
        left join public.clinic_members m on m.id = e.practitioner_id
        where e.queue_id = p_queue_id and e.status = 'waiting'
        order by rank_priority desc, e.order_key, coalesce(e.order_tiebreak, e.ticket_number), e.ticket_number, e.id
        limit 10) x), '[]'::jsonb),
    'paused_rooms', coalesce((
      select jsonb_agg(coalesce(m.room, m.display_name) order by coalesce(m.room, m.display_name))
        from public.clinic_members m
       where m.clinic_id = p_clinic.id
         and m.id = any (coalesce(v_queue.paused_practitioner_ids, '{}'))), '[]'::jsonb),
    'intake_closed', coalesce(v_queue.intake_closed_at is not null, false));
end
$$;
revoke execute on function private.board_lists(public.clinics, uuid, boolean) from public;

-- get_waiting_board (newest body: 20261202900001_board_push_pause.sql) with the screen's board key.
drop function public.get_waiting_board(uuid);
create function public.get_waiting_board(p_clinic_id uuid, p_board_key text default null) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
  v_day date;
  v_lists jsonb;
  v_show boolean;
  v_device public.kiosk_devices;
  v_paired boolean;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_show := coalesce((private.effective_settings(v_clinic.settings) ->> 'board_show_names')::boolean, false);
  v_device := private.paired_device(p_board_key, 'board');
  v_paired := v_device.id is not null and v_device.clinic_id = p_clinic_id;
  v_day := private.clinic_today(v_clinic.time_zone);
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = v_day;
  v_lists := private.board_lists(v_clinic, v_queue.id, v_show and v_paired);
  return jsonb_build_object(
    'clinic', jsonb_build_object('name', v_clinic.name, 'default_language', v_clinic.default_language,
                                 'time_zone', v_clinic.time_zone),
    'day', v_day,
    'version', coalesce(v_queue.version, 0),
    'now_serving', v_lists -> 'now_serving',
    'next', v_lists -> 'next',
    'paused_rooms', v_lists -> 'paused_rooms',
    'intake_closed', v_lists -> 'intake_closed',
    'paired', v_paired,
    'names_hidden', v_show and not v_paired);
end
$$;

-- The pushed row (newest body: 20261202900001_board_push_pause.sql): built without names, whatever the setting.
create or replace function private.refresh_waiting_board() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_clinic public.clinics;
  v_lists jsonb;
begin
  select * into v_queue from public.queues where id = new.id;
  if not found then
    return null;
  end if;
  select * into v_clinic from public.clinics where id = v_queue.clinic_id;
  v_lists := private.board_lists(v_clinic, v_queue.id, false);
  insert into public.waiting_boards as b (queue_id, clinic_id, day, version, day_status, now_serving, next,
                                          paused_rooms, intake_closed, updated_at)
  values (v_queue.id, v_queue.clinic_id, v_queue.day, v_queue.version, v_queue.status, v_lists -> 'now_serving',
          v_lists -> 'next', v_lists -> 'paused_rooms', (v_lists ->> 'intake_closed')::boolean, private.now())
  on conflict (queue_id) do update
    set version = excluded.version, day_status = excluded.day_status, now_serving = excluded.now_serving,
        next = excluded.next, paused_rooms = excluded.paused_rooms, intake_closed = excluded.intake_closed,
        updated_at = excluded.updated_at
    where (b.version, b.day_status, b.now_serving, b.next, b.paused_rooms, b.intake_closed)
          is distinct from (excluded.version, excluded.day_status, excluded.now_serving, excluded.next,
                            excluded.paused_rooms, excluded.intake_closed);
  return null;
end
$$;
revoke execute on function private.refresh_waiting_board() from public;

-- every stored board loses the names it held (rows of past days too: anon can read any row of the table); the
-- rest of each row stays as it was
update public.waiting_boards b
   set now_serving = coalesce((select jsonb_agg(x || '{"name": null}'::jsonb order by i)
                                 from jsonb_array_elements(b.now_serving) with ordinality a(x, i)), '[]'::jsonb),
       next = coalesce((select jsonb_agg(x || '{"name": null}'::jsonb order by i)
                          from jsonb_array_elements(b.next) with ordinality a(x, i)), '[]'::jsonb)
 where b.now_serving @? '$[*] ? (@.name != null)' or b.next @? '$[*] ? (@.name != null)';

revoke execute on function public.pair_board(uuid, text), public.revoke_board(uuid),
  public.get_waiting_board(uuid, text) from public, anon, authenticated;
grant execute on function public.pair_board(uuid, text), public.revoke_board(uuid) to authenticated, service_role;
-- the board screen calls as anon with its key (or none)
grant execute on function public.get_waiting_board(uuid, text) to anon, authenticated, service_role;
