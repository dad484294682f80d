-- sec22b (security leftovers, session 22).
--
-- 1. Public names (fix21d's rule, 20261221950001): every public reader of a doctor's name goes through
--    private.public_person_name (null for a stored name holding '@' — P1 refuses new ones, rows from before remain).
--    Left after fix21d: the waiting-room board's paused_rooms (private.board_lists, read by get_waiting_board for
--    the board screen and stored by private.refresh_waiting_board into public.waiting_boards, which anon reads and
--    Realtime pushes) named a paused desk without a room by m.display_name as stored. Now its public name, and a
--    desk with neither room nor a public name is left out. Stored rows holding an address lose it below. (Checked
--    and clean already: get_visit_live / get_tracker_view, get_public_clinic — hence /v1's clinic and visit routes
--    and MCP, which read them; the kiosk, the directory and the SMS renderer read no member name at all: SMS
--    templates have no doctor variable, private.template_kind_variables.)
-- 2. save_queue_step's backstop (review21 L1's leftover) passed sqlerrm into raise_error: staff saw Postgres's text
--    (`new row for relation "queue_entries" violates check constraint …`, `invalid input syntax for type uuid: …`).
--    Now 422 VALIDATION.FAILED {"problem": "value" | "missing_value" | "rule" | "reference"} and 409
--    QUEUE.DUPLICATE_ENTRY {"problem": "duplicate"}; the SQLSTATE, table, column and constraint go to the server log
--    (no values: they may hold a name or a phone).
-- 3. The audit log's client_ip (and visit_notes.client_ip) took the FIRST X-Forwarded-For entry — the one a caller
--    writes himself. The local stack settles the client once per request (http.ts, QUEUEMED_TRUSTED_PROXIES) and now
--    hands it to the database as the transaction's setting queuemed.client_address (rest/postgrest.ts; a caller
--    cannot set it: PostgREST writes only request.*); private.audit_origin_ip reads that. Where nothing set it (a
--    hosted PostgREST), the RIGHT-MOST X-Forwarded-For hop — the one the nearest proxy appended — never the first,
--    and x-real-ip / cf-connecting-ip are no longer believed (a caller writes them where no proxy overwrites them).
--
-- Redefined from their latest bodies: private.board_lists (20261220600002), public.save_queue_step
-- (20261205200001), private.audit_origin_ip (20261202800002).

create or replace function private.board_lists(p_clinic public.clinics, p_queue_id uuid, p_names boolean default false)
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
      select jsonb_agg(jsonb_build_object(
                 'ticket', private.ticket_label(p_clinic.ticket_prefix, x.ticket_number),
                 'room', m.room,
                 'name', case when v_names then private.board_name(p.full_name) end)
               order by x.rank_priority desc, x.order_key, x.tiebreak, x.ticket_number, x.id)
      from (
        select e.id, e.patient_id, e.practitioner_id, e.ticket_number,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key, coalesce(e.order_tiebreak, e.ticket_number) as tiebreak
        from public.queue_entries e
        where e.queue_id = p_queue_id and e.status = 'waiting'
        order by rank_priority desc, e.order_key, coalesce(e.order_tiebreak, e.ticket_number), e.ticket_number, e.id
        limit 10) x
      join public.patients p on p.id = x.patient_id
      left join public.clinic_members m on m.id = x.practitioner_id), '[]'::jsonb),
    -- sec22b: a paused desk without a room is named by its doctor's public name (never an e-mail address); a
    -- desk with neither is left out (the board lists names, and null is none)
    'paused_rooms', coalesce((
      select jsonb_agg(x.label order by x.label)
        from (select coalesce(m.room, private.public_person_name(m.display_name)) as label
                from public.clinic_members m
               where m.clinic_id = p_clinic.id
                 and m.id = any (coalesce(v_queue.paused_practitioner_ids, '{}'))) x
       where x.label is not null), '[]'::jsonb),
    'intake_closed', coalesce(v_queue.intake_closed_at is not null, false));
end
$$;

create or replace function public.save_queue_step(p_queue_id uuid, p_expected_version integer, p_entries jsonb, p_events jsonb, p_queue jsonb DEFAULT NULL::jsonb, p_command_id uuid DEFAULT NULL::uuid, p_patients jsonb DEFAULT NULL::jsonb)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  c_update_keys constant text[] := array[
    'id', 'status', 'priority', 'order_key', 'skip_count', 'practitioner_id', 'appointment_type_id',
    'running_late_at', 'checked_in_at', 'called_at', 'started_at', 'finished_at', 'absent_at',
    'grace_ends_at', 'returned_at', 'no_show_at', 'cancelled_at', 'called_room', 'call_reason',
    'priority_reason', 'cancel_reason', 'order_tiebreak', 'late_turn_at', 'served_by', 'reactivations',
    'expected_duration_minutes', 'appointment_id'];
  c_insert_keys constant text[] := c_update_keys || array['patient_id', 'kind', 'ticket_number', 'slot_start', 'slot_end'];
  v_queue public.queues;
  v_prefix text;
  e jsonb;
  ev jsonb;
  p jsonb;
  v_id uuid;
  v_existing public.queue_entries;
  v_ticket integer;
  v_bad text;
  v_version integer;
  v_applied integer;
  v_before jsonb;
  v_turn uuid;
  v_state text;
  v_table text;
  v_column text;
  v_constraint text;
begin
  if p_queue_id is null or p_expected_version is null or p_entries is null or p_events is null
     or jsonb_typeof(p_entries) <> 'array' or jsonb_typeof(p_events) <> 'array'
     or (p_queue is not null and jsonb_typeof(p_queue) <> 'object')
     or (p_patients is not null and jsonb_typeof(p_patients) <> 'array') then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'p_queue_id, p_expected_version, p_entries (array) and p_events (array) are required');
  end if;

  select * into v_queue from public.queues where id = p_queue_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_queue.clinic_id);
  if p_command_id is not null then
    select c.version into v_applied from public.queue_commands c
     where c.queue_id = p_queue_id and c.command_id = p_command_id;
    if found then
      perform private.raise_error(409, 'QUEUE.COMMAND_ALREADY_APPLIED',
        format('command %s was applied at version %s', p_command_id, v_applied));
    end if;
  end if;
  if v_queue.version <> p_expected_version then
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT',
      format('queue is at version %s, the step was computed from version %s', v_queue.version, p_expected_version));
  end if;
  -- fairness (issue 12): while the command whose turn it is holds this version, only it may save
  v_turn := private.queue_turn_holder(p_queue_id, v_queue.version);
  if v_turn is not null and v_turn is distinct from p_command_id then
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT',
      'turn of an earlier command: a desk that lost a race is served first; reload and try again');
  end if;
  if v_queue.status = 'closed' and coalesce(p_queue ->> 'status', 'closed') <> 'open' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  select ticket_prefix into v_prefix from public.clinics where id = v_queue.clinic_id;

  begin
    -- the touched entries as they were, for verify_step
    select coalesce(jsonb_object_agg(q.id::text, to_jsonb(q)), '{}'::jsonb) into v_before
      from public.queue_entries q
     where q.queue_id = p_queue_id
       and q.id in (select (x ->> 'id')::uuid from jsonb_array_elements(p_entries) x
                     where jsonb_typeof(x) = 'object' and x ? 'id');

    for p in select * from jsonb_array_elements(coalesce(p_patients, '[]'::jsonb)) loop
      if jsonb_typeof(p) <> 'object' or p ->> 'id' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each patient needs an id');
      end if;
      select string_agg(k, ', ') into v_bad from jsonb_object_keys(p) k
       where k not in ('id', 'full_name', 'phone', 'preferred_language');
      if v_bad is not null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'patient columns not settable: ' || v_bad);
      end if;
      insert into public.patients (id, clinic_id, full_name, phone, preferred_language)
      values ((p ->> 'id')::uuid, v_queue.clinic_id, btrim(p ->> 'full_name'), p ->> 'phone',
              (p ->> 'preferred_language')::public.app_language);
    end loop;

    for e in select * from jsonb_array_elements(p_entries) loop
      if jsonb_typeof(e) <> 'object' or e ->> 'id' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each entry needs an id');
      end if;
      v_id := (e ->> 'id')::uuid;
      select * into v_existing from public.queue_entries where id = v_id for update;
      if found then
        if v_existing.queue_id <> p_queue_id then
          perform private.raise_error(404, 'QUEUE.ENTRY_NOT_FOUND', 'entry is not in this queue');
        end if;
        select string_agg(k, ', ') into v_bad from jsonb_object_keys(e) k where k <> all (c_update_keys);
        if v_bad is not null then
          perform private.raise_error(422, 'VALIDATION.FAILED', 'columns not changeable: ' || v_bad);
        end if;
        update public.queue_entries q set
          status = case when e ? 'status' then (e ->> 'status')::public.entry_status else q.status end,
          priority = case when e ? 'priority' then (e ->> 'priority')::public.entry_priority else q.priority end,
          order_key = case when e ? 'order_key' then (e ->> 'order_key')::numeric else q.order_key end,
          skip_count = case when e ? 'skip_count' then (e ->> 'skip_count')::integer else q.skip_count end,
          practitioner_id = case when e ? 'practitioner_id' then (e ->> 'practitioner_id')::uuid else q.practitioner_id end,
          appointment_type_id = case when e ? 'appointment_type_id' then (e ->> 'appointment_type_id')::uuid else q.appointment_type_id end,
          running_late_at = case when e ? 'running_late_at' then (e ->> 'running_late_at')::timestamptz else q.running_late_at end,
          checked_in_at = case when e ? 'checked_in_at' then (e ->> 'checked_in_at')::timestamptz else q.checked_in_at end,
          called_at = case when e ? 'called_at' then (e ->> 'called_at')::timestamptz else q.called_at end,
          started_at = case when e ? 'started_at' then (e ->> 'started_at')::timestamptz else q.started_at end,
          finished_at = case when e ? 'finished_at' then (e ->> 'finished_at')::timestamptz else q.finished_at end,
          absent_at = case when e ? 'absent_at' then (e ->> 'absent_at')::timestamptz else q.absent_at end,
          grace_ends_at = case when e ? 'grace_ends_at' then (e ->> 'grace_ends_at')::timestamptz else q.grace_ends_at end,
          returned_at = case when e ? 'returned_at' then (e ->> 'returned_at')::timestamptz else q.returned_at end,
          no_show_at = case when e ? 'no_show_at' then (e ->> 'no_show_at')::timestamptz else q.no_show_at end,
          cancelled_at = case when e ? 'cancelled_at' then (e ->> 'cancelled_at')::timestamptz else q.cancelled_at end,
          called_room = case when e ? 'called_room' then e ->> 'called_room' else q.called_room end,
          call_reason = case when e ? 'call_reason' then e ->> 'call_reason' else q.call_reason end,
          priority_reason = case when e ? 'priority_reason' then e ->> 'priority_reason' else q.priority_reason end,
          cancel_reason = case when e ? 'cancel_reason' then e ->> 'cancel_reason' else q.cancel_reason end,
          order_tiebreak = case when e ? 'order_tiebreak' then coalesce((e ->> 'order_tiebreak')::numeric, q.ticket_number::numeric) else q.order_tiebreak end,
          late_turn_at = case when e ? 'late_turn_at' then (e ->> 'late_turn_at')::timestamptz else q.late_turn_at end,
          served_by = case when e ? 'served_by' then (e ->> 'served_by')::uuid else q.served_by end,
          reactivations = case when e ? 'reactivations' then (e ->> 'reactivations')::integer else q.reactivations end,
          expected_duration_minutes = case when e ? 'expected_duration_minutes' then (e ->> 'expected_duration_minutes')::integer else q.expected_duration_minutes end,
          appointment_id = case when e ? 'appointment_id' then (e ->> 'appointment_id')::uuid else q.appointment_id end
        where q.id = v_id;
      else
        select string_agg(k, ', ') into v_bad from jsonb_object_keys(e) k where k <> all (c_insert_keys);
        if v_bad is not null then
          perform private.raise_error(422, 'VALIDATION.FAILED', 'columns not settable: ' || v_bad);
        end if;
        if e ->> 'patient_id' is null or not exists (
             select 1 from public.patients p
             where p.id = (e ->> 'patient_id')::uuid and p.clinic_id = v_queue.clinic_id) then
          perform private.raise_error(404, 'NOT_FOUND', 'patient not found in this clinic');
        end if;
        v_ticket := coalesce((e ->> 'ticket_number')::integer, v_queue.next_ticket);
        insert into public.queue_entries (
          id, queue_id, clinic_id, patient_id, kind, status, priority, ticket_number, order_key, skip_count,
          practitioner_id, appointment_type_id, slot_start, slot_end, running_late_at, checked_in_at,
          called_at, started_at, finished_at, absent_at, grace_ends_at, returned_at, no_show_at, cancelled_at,
          called_room, call_reason, priority_reason, cancel_reason, order_tiebreak, late_turn_at, served_by,
          reactivations, expected_duration_minutes, appointment_id, created_by)
        values (
          v_id, p_queue_id, v_queue.clinic_id, (e ->> 'patient_id')::uuid,
          coalesce((e ->> 'kind')::public.entry_kind, 'walk_in'),
          coalesce((e ->> 'status')::public.entry_status, 'waiting'),
          coalesce((e ->> 'priority')::public.entry_priority, 'normal'),
          v_ticket,
          coalesce((e ->> 'order_key')::numeric, extract(epoch from private.now())::numeric),
          coalesce((e ->> 'skip_count')::integer, 0),
          (e ->> 'practitioner_id')::uuid, (e ->> 'appointment_type_id')::uuid,
          (e ->> 'slot_start')::timestamptz, (e ->> 'slot_end')::timestamptz,
          (e ->> 'running_late_at')::timestamptz,
          (e ->> 'checked_in_at')::timestamptz, (e ->> 'called_at')::timestamptz,
          (e ->> 'started_at')::timestamptz, (e ->> 'finished_at')::timestamptz,
          (e ->> 'absent_at')::timestamptz, (e ->> 'grace_ends_at')::timestamptz,
          (e ->> 'returned_at')::timestamptz, (e ->> 'no_show_at')::timestamptz,
          (e ->> 'cancelled_at')::timestamptz, e ->> 'called_room', e ->> 'call_reason',
          e ->> 'priority_reason', e ->> 'cancel_reason', (e ->> 'order_tiebreak')::numeric,
          (e ->> 'late_turn_at')::timestamptz, (e ->> 'served_by')::uuid,
          coalesce((e ->> 'reactivations')::integer, 0), (e ->> 'expected_duration_minutes')::integer,
          (e ->> 'appointment_id')::uuid, auth.uid());
        v_queue.next_ticket := greatest(v_queue.next_ticket, v_ticket + 1);
      end if;
    end loop;

    for ev in select * from jsonb_array_elements(p_events) loop
      if jsonb_typeof(ev) <> 'object' or ev ->> 'type' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each event needs a type');
      end if;
      if ev ->> 'entry_id' is not null and not exists (
           select 1 from public.queue_entries x where x.id = (ev ->> 'entry_id')::uuid and x.queue_id = p_queue_id) then
        perform private.raise_error(404, 'QUEUE.ENTRY_NOT_FOUND', 'event entry is not in this queue');
      end if;
      insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id, correlation_id)
      values (p_queue_id, v_queue.clinic_id, (ev ->> 'entry_id')::uuid, ev ->> 'type',
              coalesce(ev -> 'payload', '{}'::jsonb), auth.uid(), (ev ->> 'correlation_id')::uuid);
    end loop;

    perform private.verify_step(p_queue_id, v_before, p_entries, p_events, p_queue);

    if p_queue is not null then
      select string_agg(k, ', ') into v_bad from jsonb_object_keys(p_queue) k where k not in ('status', 'summary');
      if v_bad is not null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'queue columns not changeable: ' || v_bad);
      end if;
      if p_queue ? 'status' then
        v_queue.status := (p_queue ->> 'status')::public.queue_status;
        v_queue.closed_at := case when v_queue.status = 'closed' then private.now() end;
      end if;
      if p_queue ? 'summary' then
        v_queue.summary := p_queue -> 'summary';
      end if;
    end if;
  exception
    -- sec22b: the backstop answers a coded problem, never Postgres's own text (it named tables, constraints and
    -- the refused value); what failed is logged server-side by SQLSTATE, table, column and constraint — no value
    when invalid_text_representation or invalid_datetime_format or datetime_field_overflow
      or numeric_value_out_of_range or invalid_parameter_value or not_null_violation or check_violation
      or foreign_key_violation or string_data_right_truncation or data_exception then
      get stacked diagnostics v_state = returned_sqlstate, v_table = table_name, v_column = column_name,
                              v_constraint = constraint_name;
      raise log 'save_queue_step refused a step: sqlstate % table % column % constraint %',
        v_state, coalesce(v_table, '-'), coalesce(v_column, '-'), coalesce(v_constraint, '-');
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"' ||
        case when v_state = '23502' then 'missing_value'
             when v_state = '23514' then 'rule'
             when v_state = '23503' then 'reference'
             else 'value' end || '"}');
    when unique_violation then
      get stacked diagnostics v_state = returned_sqlstate, v_table = table_name, v_constraint = constraint_name;
      raise log 'save_queue_step refused a step: sqlstate % table % constraint %',
        v_state, coalesce(v_table, '-'), coalesce(v_constraint, '-');
      perform private.raise_error(409, 'QUEUE.DUPLICATE_ENTRY', '{"problem":"duplicate"}');
  end;

  update public.queues
     set version = version + 1, next_ticket = v_queue.next_ticket, status = v_queue.status,
         closed_at = v_queue.closed_at, summary = v_queue.summary, updated_at = private.now()
   where id = p_queue_id
  returning version into v_version;
  if p_command_id is not null then
    insert into public.queue_commands (queue_id, command_id, version, actor_id)
    values (p_queue_id, p_command_id, v_version, auth.uid());
  end if;
  -- served: its claim ends; expired claims (closed tabs) are swept on the way
  delete from private.queue_turns t
   where t.queue_id = p_queue_id
     and (t.command_id = p_command_id or t.expires_at <= private.now());
  return v_version;
end
$function$;

create or replace function private.audit_origin_ip() returns text
language sql stable
set search_path = ''
as $$
  select left(nullif(btrim(case
           -- the local stack's resolved client (always set there; 'unknown' when it had none)
           when nullif(current_setting('queuemed.client_address', true), '') is not null
             then nullif(current_setting('queuemed.client_address', true), 'unknown')
           -- elsewhere the hop the nearest proxy appended, never one the caller wrote to its left
           else (select hop from unnest(string_to_array(h ->> 'x-forwarded-for', ',')) with ordinality u(hop, i)
                  where btrim(hop) <> '' order by i desc limit 1)
         end), ''), 64)
  from (select nullif(current_setting('request.headers', true), '')::jsonb as h) x
$$;

-- stored boards lose a paused-desk label that is an e-mail address (rows of past days too: anon reads any row)
update public.waiting_boards b
   set paused_rooms = coalesce((select jsonb_agg(x order by i)
                                  from jsonb_array_elements(b.paused_rooms) with ordinality a(x, i)
                                 where jsonb_typeof(x) <> 'string' or strpos(x #>> '{}', '@') = 0), '[]'::jsonb)
 where jsonb_typeof(b.paused_rooms) = 'array'
   and exists (select 1 from jsonb_array_elements(b.paused_rooms) x
                where jsonb_typeof(x) = 'string' and strpos(x #>> '{}', '@') > 0);
