-- Lead, session 21: fix21a (20261221800001) and fix21d (20261221950001) both redefined public.create_clinic's
-- founder-name fallback from the same older body; 950001 sorts later and dropped 800001's person-name check on the
-- profile's name (a profile name that breaks the rule P1 — a link, an e-mail, a phone number — would become the
-- founder's display name, public on the tracker and the clinic page, or make clinic_members' own check refuse the
-- creation). One fallback now: the given name; else the profile's name if it passes the person-name rule and is no
-- address; else 'Owner'. Never the e-mail nor its local part (fix21d). Body otherwise 20261221950001's.
create or replace function public.create_clinic(p_name text, p_slug text, p_time_zone text DEFAULT 'Africa/Casablanca'::text, p_default_language app_language DEFAULT 'fr'::app_language, p_display_name text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_uid uuid := private.require_uid();
  v_clinic_id uuid;
  v_member_id uuid;
  v_name text;
begin
  -- one account's creations are serialized, so two at once cannot both pass the count
  perform pg_catalog.pg_advisory_xact_lock(hashtextextended('create_clinic:' || v_uid::text, 0));
  if (select count(*) from public.clinics where created_by = v_uid and created_at > private.now() - interval '24 hours') >= 3
     or (select count(*) from public.clinics where created_by = v_uid) >= 10 then
    perform private.raise_error(429, 'RATE.LIMITED', 'too many clinics created by this account');
  end if;
  if p_display_name is not null and char_length(p_display_name) > 120 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the display name is longer than 120 characters');
  end if;
  begin
    -- abuse17 S1: a self-made clinic's SMS are held until the platform operator approves it (approve_clinic_sms)
    insert into public.clinics (name, slug, time_zone, default_language, created_by, sms_held)
    values (p_name, p_slug, coalesce(p_time_zone, 'Africa/Casablanca'), coalesce(p_default_language, 'fr'), v_uid, true)
    returning id into v_clinic_id;
  exception
    when unique_violation then
      perform private.raise_error(409, 'VALIDATION.FAILED', 'this address (slug) is taken');
    when not_null_violation or check_violation then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) and a slug (a-z, 0-9, -) are required');
  end;
  -- fix21d: never the e-mail (it would be read on the tracker and the public clinic page)
  select coalesce(nullif(btrim(p_display_name), ''),
                  case when private.is_clean_person_name(pr.full_name)
                       then private.public_person_name(nullif(btrim(pr.full_name), '')) end,
                  'Owner') into v_name
    from auth.users u left join public.profiles pr on pr.id = u.id where u.id = v_uid;
  insert into public.clinic_members (clinic_id, user_id, role, display_name)
  values (v_clinic_id, v_uid, 'owner', left(coalesce(v_name, 'Owner'), 120))
  returning id into v_member_id;
  return jsonb_build_object('clinic_id', v_clinic_id, 'member_id', v_member_id);
end
$function$;
