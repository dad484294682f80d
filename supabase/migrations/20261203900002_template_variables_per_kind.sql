-- Template variables per message kind, as the app's MessageTemplate model has them (KIND_VARIABLES): the
-- common variables in every kind, plus {appointment_time} and {cancel_url} for the booking confirmation and
-- {invitation_url} for a staff invitation. The database accepted the union of all of them in every kind (an
-- "almost your turn" with {cancel_url} was stored and sent with a hole), and refused {invitation_url} that the
-- app offers. Now one list per kind in SQL, held equal to the TS one by supabase/tests/templateVariables.test.ts
-- (both databases), checked by save_notification_template and by the table's constraint.
create function private.template_kind_variables(p_kind public.notification_kind) returns text[]
language sql immutable
set search_path = ''
as $$
  select array['patient_name', 'clinic_name', 'ticket', 'position', 'eta', 'room', 'grace_minutes', 'tracking_url']
         || case p_kind
              when 'booking_confirmed' then array['appointment_time', 'cancel_url']
              when 'staff_invitation' then array['invitation_url']
              else array[]::text[]
            end
$$;

create function private.template_unknown_variables(p_kind public.notification_kind, p_body text) returns text[]
language sql immutable
set search_path = ''
as $$
  select coalesce(array_agg(distinct m[1] order by m[1]), '{}')
  from regexp_matches(p_body, '\{([^{}]*)\}', 'g') as m
  where not (m[1] = any (private.template_kind_variables(p_kind)))
$$;

alter table public.notification_templates drop constraint notification_templates_known_variables;
alter table public.notification_templates add constraint notification_templates_known_variables
  check (cardinality(private.template_unknown_variables(kind, body)) = 0);
drop function private.template_unknown_variables(text);

create or replace function public.save_notification_template(
  p_clinic_id uuid, p_kind public.notification_kind, p_language public.app_language, p_body text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_unknown text[];
  v_row public.notification_templates;
begin
  perform private.require_admin(p_clinic_id);
  if p_kind is null or p_language is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_kind and p_language are required');
  end if;
  if p_body is null or btrim(p_body) = '' then
    perform private.raise_error(422, 'TEMPLATE.EMPTY', 'the template is empty');
  end if;
  if char_length(p_body) > 1000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the template is longer than 1000 characters');
  end if;
  v_unknown := private.template_unknown_variables(p_kind, p_body);
  if cardinality(v_unknown) > 0 then
    perform private.raise_error(422, 'TEMPLATE.UNKNOWN_VARIABLE',
      'unknown variables: ' || array_to_string(v_unknown, ', '));
  end if;
  insert into public.notification_templates (clinic_id, kind, language, body, updated_by)
  values (p_clinic_id, p_kind, p_language, p_body, auth.uid())
  on conflict (clinic_id, kind, language) where clinic_id is not null
  do update set body = excluded.body, updated_by = excluded.updated_by
  returning * into v_row;
  return to_jsonb(v_row);
end
$$;

revoke all on function private.template_kind_variables(public.notification_kind) from public;
revoke all on function private.template_unknown_variables(public.notification_kind, text) from public;
grant execute on function private.template_kind_variables(public.notification_kind) to anon, authenticated, service_role;
grant execute on function private.template_unknown_variables(public.notification_kind, text) to anon, authenticated, service_role;
