-- One helper for "load the visit, 404 unless the caller is staff of its clinic" (issue 17 follow-up).
--
-- add_visit_note and list_visit_notes (20261204500001) each repeated the same block: select the entry,
-- raise 404 NOT_FOUND when it does not exist or the caller is not staff of its clinic (a patient, another
-- clinic's staff and a missing visit look alike: nothing says the visit exists). private.entry_for_staff(id)
-- is that block; the two visit-notes functions (features7 owns them) now call it. Their behaviour is
-- unchanged (supabase/tests/patientSearchNotes.test.ts, the RLS matrix rows). Other functions with a
-- similar block belong to other modules and are left as they are.
-- Newest definitions: public.add_visit_note / public.list_visit_notes from 20261204500001.

create function private.entry_for_staff(p_entry_id uuid) returns public.queue_entries
language plpgsql stable
set search_path = ''
as $$
declare
  v_entry public.queue_entries;
begin
  select * into v_entry from public.queue_entries where id = p_entry_id;
  if not found or not private.is_clinic_staff(v_entry.clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  return v_entry;
end
$$;
revoke all on function private.entry_for_staff(uuid) from public;

create or replace function public.add_visit_note(p_entry_id uuid, p_body text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_entry public.queue_entries;
  v_member public.clinic_members;
  v_body text := btrim(coalesce(p_body, ''));
  v_note public.visit_notes;
begin
  perform private.require_uid();
  v_entry := private.entry_for_staff(p_entry_id);
  if char_length(v_body) < 1 or char_length(v_body) > 1000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a note is 1 to 1000 characters');
  end if;
  select * into v_member from public.clinic_members m
   where m.clinic_id = v_entry.clinic_id and m.user_id = auth.uid() and m.active;
  insert into public.visit_notes (clinic_id, entry_id, author_id, author_name, author_role, body, client_ip,
                                  user_agent, created_at)
  values (v_entry.clinic_id, v_entry.id, auth.uid(), v_member.display_name, v_member.role, v_body,
          private.audit_origin_ip(), private.audit_user_agent(), private.now())
  returning * into v_note;
  return private.visit_note_json(v_note);
end
$$;

create or replace function public.list_visit_notes(p_entry_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_entry public.queue_entries;
begin
  perform private.require_uid();
  v_entry := private.entry_for_staff(p_entry_id);
  return coalesce((
    select jsonb_agg(private.visit_note_json(n) order by n.created_at, n.id)
    from public.visit_notes n where n.entry_id = v_entry.id), '[]'::jsonb);
end
$$;
