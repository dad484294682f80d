-- Staff and patients see the same queue.
--
-- 1. get_visit_status's `position` follows the domain's definition (src/services/queue/models/QueueOrder.ts):
--    1 + the waiting entries of the SAME pool (same practitioner, or both unassigned = the "any" pool) that
--    come before it in ORDER: priority class (emergency, urgent, normal), then the order key, then the
--    tiebreak, then the ticket number, then the id. The queue service keeps the exact millisecond order key
--    and the tiebreak in `notes` (SupabaseQueueRepository's EntryExtras: {"qm":1,"k":…,"tb":…}); the key
--    counts only while `order_key` (epoch seconds) still says the same, as the repository reads it back.
--    Rows written by other RPCs (booking, patient check-in) have no extras: order_key × 1000 and the ticket
--    number, as the domain loads them.
-- 2. The walk-in limit counts what the domain counts (DOMAIN.md: emergencies are never refused): walk-ins
--    of the day that are neither cancelled nor emergencies, and an emergency is never refused.

-- The domain's extras from `notes`, or null when the repository would not read them (not JSON, not an
-- object with qm = 1, or a field of the wrong type: the repository's zod schema then drops them all).
create function private.entry_extras(p_notes text) returns jsonb
language plpgsql immutable
set search_path = ''
as $$
declare
  v jsonb;
begin
  if p_notes is null or left(p_notes, 1) <> '{' then
    return null;
  end if;
  begin
    v := p_notes::jsonb;
  exception when others then
    return null;
  end;
  if jsonb_typeof(v) <> 'object' or v -> 'qm' is distinct from '1'::jsonb
     or coalesce(jsonb_typeof(v -> 'k'), 'number') <> 'number'
     or coalesce(jsonb_typeof(v -> 'tb'), 'number') <> 'number'
     or coalesce(jsonb_typeof(v -> 'lt'), 'null') not in ('string', 'null')
     or coalesce(jsonb_typeof(v -> 'sb'), 'null') not in ('string', 'null')
     or coalesce(jsonb_typeof(v -> 'a'), 'null') not in ('string', 'null')
     or coalesce(jsonb_typeof(v -> 'rx'), 'number') <> 'number'
     or coalesce(jsonb_typeof(v -> 'd'), 'number') <> 'number' then
    return null;
  end if;
  if (v ? 'rx' and (v ->> 'rx')::numeric <> trunc((v ->> 'rx')::numeric))
     or (v ? 'd' and (v ->> 'd')::numeric <> trunc((v ->> 'd')::numeric)) then
    return null;
  end if;
  return v;
end
$$;

-- The domain's order key in milliseconds (QueueEntry.orderKey as SupabaseQueueRepository loads it).
create function private.entry_order_key_ms(p_order_key numeric, p_notes text) returns numeric
language sql immutable
set search_path = ''
as $$
  select case
           when x.k is not null and abs(x.k - p_order_key * 1000) < 1 then x.k
           else p_order_key * 1000
         end
  from (select (private.entry_extras(p_notes) ->> 'k')::numeric as k) x
$$;

-- The domain's tiebreak (QueueEntry.orderTiebreak): the stored one, else the ticket number.
create function private.entry_order_tiebreak(p_ticket_number integer, p_notes text) returns numeric
language sql immutable
set search_path = ''
as $$
  select coalesce((private.entry_extras(p_notes) ->> 'tb')::numeric, p_ticket_number::numeric)
$$;

create or replace function public.get_visit_status(p_tracking_token text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  e public.queue_entries;
  v_clinic public.clinics;
  v_queue public.queues;
  v_position integer;
begin
  if p_tracking_token is null or char_length(p_tracking_token) > 200 then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  select * into e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  select * into v_clinic from public.clinics where id = e.clinic_id;
  select * into v_queue from public.queues where id = e.queue_id;
  if e.status = 'waiting' then
    -- QueueOrder.positions: same pool only, in ORDER (priority class, order key, tiebreak, ticket, id)
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             private.entry_order_key_ms(o.order_key, o.notes) as key_ms,
             private.entry_order_tiebreak(o.ticket_number, o.notes) as tiebreak
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
    'entry_id', e.id,
    'clinic', jsonb_build_object('id', v_clinic.id, 'name', v_clinic.name, 'slug', v_clinic.slug,
                                 'default_language', v_clinic.default_language, 'time_zone', v_clinic.time_zone),
    'day', v_queue.day,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status, 'kind', e.kind, 'priority', e.priority,
    'slot_start', e.slot_start, 'checked_in_at', e.checked_in_at, 'called_at', e.called_at,
    'room', coalesce(e.called_room, (select m.room from public.clinic_members m where m.id = e.practitioner_id)),
    'grace_ends_at', e.grace_ends_at, 'late', e.late, 'position', v_position,
    'queue_id', e.queue_id, 'queue_version', v_queue.version);
end
$$;

create or replace function private.queue_entries_walk_in_limit() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_max integer;
begin
  -- emergencies are never refused and do not use up the day's walk-in places
  if new.kind <> 'walk_in' or new.priority = 'emergency' then
    return new;
  end if;
  select (private.effective_settings(c.settings) ->> 'max_walk_ins_per_day')::integer into v_max
    from public.clinics c where c.id = new.clinic_id;
  if v_max is not null and (select count(*) from public.queue_entries e
                            where e.queue_id = new.queue_id and e.kind = 'walk_in'
                              and e.status <> 'cancelled' and e.priority <> 'emergency') >= v_max then
    perform private.raise_error(409, 'QUEUE.WALK_IN_LIMIT_REACHED', format('at most %s walk-ins per day', v_max));
  end if;
  return new;
end
$$;

revoke all on function private.entry_extras(text), private.entry_order_key_ms(numeric, text),
  private.entry_order_tiebreak(integer, text) from public;
grant execute on function private.entry_extras(text), private.entry_order_key_ms(numeric, text),
  private.entry_order_tiebreak(integer, text) to anon, authenticated, service_role;
