-- "My visits" shows the clinic's ticket (issue 11): the page printed `A-` + the number for every clinic,
-- whatever its ticket_prefix. get_my_visits now returns the label the database renders everywhere else
-- (private.ticket_label — board, tracker, SMS), and the page shows it. Otherwise the newest definition
-- (20261202500002_visit_links.sql).
create or replace function public.get_my_visits() returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
begin
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'entry_id', e.id, 'clinic_id', e.clinic_id, 'status', e.status, 'ticket_number', e.ticket_number,
             'ticket', private.ticket_label(c.ticket_prefix, e.ticket_number),
             'slot_start', e.slot_start, 'kind', e.kind, 'tracking_token', private.entry_link(e))
           order by e.slot_start nulls last, e.created_at)
      from public.queue_entries e
      join public.patients p on p.id = e.patient_id
      join public.clinics c on c.id = e.clinic_id
     where p.user_id = v_uid), '[]'::jsonb);
end
$$;

-- The ticket label past 999: `lpad(n, 3, '0')` TRUNCATES a longer string, so ticket 1000 read "A-100" and
-- 12345 "A-123" on the board, the tracker and in SMS, where the domain (TicketNumber: at least three digits,
-- more past 999) says A-1000. Found by supabase/tests/rulesParity.test.ts.
create or replace function private.ticket_label(p_prefix text, p_number integer) returns text
language sql immutable
set search_path = ''
as $$ select p_prefix || '-' || case when p_number between 0 and 999 then lpad(p_number::text, 3, '0') else p_number::text end $$;
