-- Session 20 (board20), issue 17 "per-room boards (only some doctors)", continued from session 19's `?rooms=` address
-- (src/pages/board/rooms.ts) and session 18's paired board screens (20261217100001_board_devices.sql).
--
-- boardDeviceRooms: a paired board screen (public.kiosk_devices, kind 'board') may be set to show only some rooms:
-- `rooms` (null: every room, as before). The clinic's owner, admin or receptionist — who pair and unpair boards —
-- set it with set_board_rooms(device, rooms); each room must be a room of THAT clinic (a room of one of its members,
-- public.clinic_members.room): another clinic's device is 404 NOT_FOUND, a room the clinic does not have is
-- 422 BOARD.ROOM_UNKNOWN, more than 20 rooms or an empty/over-long name 422 VALIDATION.FAILED; an empty list or null
-- is every room again. get_waiting_board answers the paired screen's rooms (`rooms`, only to that screen's own key
-- and clinic: null otherwise), and the screen shows and announces only those rooms without any `?rooms=` in its
-- address (a room set by the admin wins over the address). The lists stay the public board's: narrowing them is
-- what the screen shows, not a secret (the whole clinic's board is public).

alter table public.kiosk_devices
  add column rooms text[] check (rooms is null or (cardinality(rooms) between 1 and 20
                                                   and array_position(rooms, null) is null));
comment on column public.kiosk_devices.rooms is
  'board20: the rooms a paired board screen shows (null: every room); set by set_board_rooms, rooms of its clinic only.';
grant select (rooms) on public.kiosk_devices to authenticated;

create function public.set_board_rooms(p_device_id uuid, p_rooms text[]) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.kiosk_devices;
  v_rooms text[];
  v_unknown text;
begin
  perform private.require_uid();
  select * into d from public.kiosk_devices where id = p_device_id and kind = 'board' for update;
  if not found or d.revoked_at is not null
     or not private.is_clinic_member(d.clinic_id, array['owner', 'admin', 'receptionist']::public.member_role[]) then
    perform private.raise_error(404, 'NOT_FOUND', 'board not found');
  end if;
  if p_rooms is not null and cardinality(p_rooms) > 20 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a board shows at most 20 rooms');
  end if;
  if exists (select 1 from unnest(coalesce(p_rooms, '{}')) r
              where r is null or char_length(btrim(r)) not between 1 and 40) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a room is 1-40 characters');
  end if;
  select array_agg(distinct btrim(r) order by btrim(r)) into v_rooms from unnest(coalesce(p_rooms, '{}')) r;
  select r into v_unknown from unnest(coalesce(v_rooms, '{}')) r
   where not exists (select 1 from public.clinic_members m where m.clinic_id = d.clinic_id and m.room = r)
   limit 1;
  if v_unknown is not null then
    perform private.raise_error(422, 'BOARD.ROOM_UNKNOWN', 'the clinic has no such room');
  end if;
  update public.kiosk_devices set rooms = v_rooms where id = d.id;
  return jsonb_build_object('id', d.id, 'rooms', to_jsonb(v_rooms));
end
$$;
revoke execute on function public.set_board_rooms(uuid, text[]) from public, anon, authenticated;
grant execute on function public.set_board_rooms(uuid, text[]) to authenticated, service_role;

-- get_waiting_board (newest body: 20261217100001_board_devices.sql) + the paired screen's own rooms.
create or replace function public.get_waiting_board(p_clinic_id uuid, p_board_key text default null) returns jsonb
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
    'names_hidden', v_show and not v_paired,
    'rooms', case when v_paired then to_jsonb(v_device.rooms) end);
end
$$;
