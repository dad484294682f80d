-- sec25 (item 4): a phone number or a link inside a visit type's name was accepted (set_appointment_types, or an
-- admin's direct write), and visit-type names show on the public booking page. They now meet the clinic-name rule
-- (private.clinic_name_allowed: no link, e-mail or phone number, at most 7 digits) as well as the characters rule
-- they already met (private.person_name_chars_clean), refused with 422 CLINIC.NAME_NOT_ALLOWED — the coded error the
-- settings screen already words for clinic names.
-- In the TRIGGER, on the written name only (tg_op INSERT or a changed name / names), never a CHECK: a CHECK is
-- re-checked on every update of the row, so a type stored before this rule could no longer be updated at all.
-- set_appointment_types parks each name on its row's id while types swap theirs (name = id::text, digits a phone
-- rule would read as a number): that parked value is the function's own, not a name, and is let through.
-- Body: 20261221800001's private.appointment_types_checked (the latest), two additions marked sec25.
create or replace function private.appointment_types_checked() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(auth.role(), '') not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' or new.name is distinct from old.name then
    if not private.person_name_chars_clean(new.name) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"name"}');
    end if;
    -- sec25: the clinic-name rule on the name the booking page shows (not on set_appointment_types' parked id)
    if new.name is distinct from new.id::text and not private.clinic_name_allowed(new.name) then
      perform private.raise_error(422, 'CLINIC.NAME_NOT_ALLOWED',
        'a visit type name may not contain a web address, an e-mail address or a phone number');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.names is distinct from old.names) and new.names is not null then
    -- the shape (an object of ar/fr/en strings) is the table's own check (appointment_types_names, 23514)
    if jsonb_typeof(new.names) = 'object' and exists (
         select 1 from jsonb_each(new.names) e
          where jsonb_typeof(e.value) = 'string' and not private.person_name_chars_clean(e.value #>> '{}')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"names"}');
    end if;
    -- sec25: each language's name shows on the booking page too
    if jsonb_typeof(new.names) = 'object' and exists (
         select 1 from jsonb_each(new.names) e
          where jsonb_typeof(e.value) = 'string' and not private.clinic_name_allowed(e.value #>> '{}')) then
      perform private.raise_error(422, 'CLINIC.NAME_NOT_ALLOWED',
        'a visit type name may not contain a web address, an e-mail address or a phone number');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.practitioner_ids is distinct from old.practitioner_ids
      or new.clinic_id is distinct from old.clinic_id) and new.practitioner_ids is not null then
    if exists (select 1 from unnest(new.practitioner_ids) p
                where (tg_op = 'INSERT' or new.clinic_id is distinct from old.clinic_id
                       or not (p = any (coalesce(old.practitioner_ids, '{}'::uuid[]))))
                  and not private.is_bookable_doctor(new.clinic_id, p)) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"practitioners"}');
    end if;
  end if;
  return new;
end
$$;
revoke all on function private.appointment_types_checked() from public, anon, authenticated;
