-- Session 20 (lead), merged-diff review finding 1: fix20's L2 (20261220800003) stops a member's board and kiosk keys
-- when they leave, but not the pairing codes they made and nobody has used: redeem_kiosk_pairing_code still paired a
-- tablet with such a code — a kiosk_devices row paired_by the departed member, answered {paired: true, token} — whose
-- key private.paired_device refused at once (401 KIOSK.NOT_PAIRED), while the row took one of the clinic's 20 kiosk
-- places and showed as live in Admin, and the code kept counting toward the clinic's 5 live codes.
-- Now: the trigger that revokes the departed member's devices also expires their unused codes, and the exchange takes
-- a code only while its maker may still pair (private.may_pair_devices), else it is a wrong code like any other.
-- public.redeem_kiosk_pairing_code: body from 20261217500001 (its only one), one condition added.
-- private.devices_revoke_with_pairer: body from 20261220800003 (its only one), one update added.
-- Grants unchanged (create or replace keeps them).

create or replace function public.redeem_kiosk_pairing_code(p_code text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_code text := private.kiosk_pairing_code_norm(p_code);
  v_now timestamptz := private.now();
  c private.kiosk_pairing_codes;
  v_token text := private.new_token();
  v_id uuid;
begin
  if v_code is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a pairing code is 8 letters and digits');
  end if;
  -- exchanges are counted one after the other, so the failure cap is exact
  perform pg_advisory_xact_lock(hashtextextended('kiosk_pairing_redeem', 0));
  if (select count(*) from private.kiosk_pairing_failures f
       where f.at > v_now - private.kiosk_attempt_window()) >= private.kiosk_pairing_failures_max() then
    perform private.raise_error(429, 'KIOSK.TOO_MANY_ATTEMPTS', 'too many wrong pairing codes: try again later');
  end if;
  select * into c from private.kiosk_pairing_codes k
   where k.code_hash = private.hash_token(v_code) and k.used_at is null and k.expires_at > v_now
     -- a code made by someone who may no longer pair (left, deactivated, now a practitioner) pairs nothing
     and private.may_pair_devices(k.clinic_id, k.created_by)
   for update;
  if not found then
    delete from private.kiosk_pairing_failures f where f.at < v_now - interval '1 day';
    insert into private.kiosk_pairing_failures (at) values (v_now);
    return jsonb_build_object('paired', false);
  end if;
  -- board18 (20261217100001) keeps board screens in the same table: only kiosks count toward the kiosks' 20
  if (select count(*) from public.kiosk_devices k
       where k.clinic_id = c.clinic_id and k.kind = 'kiosk' and k.revoked_at is null) >= 20 then
    perform private.raise_error(429, 'RATE.LIMITED', 'a clinic pairs at most 20 kiosks; revoke one first');
  end if;
  insert into public.kiosk_devices (clinic_id, kind, label, token_hash, paired_by)
  values (c.clinic_id, 'kiosk', c.label, private.hash_token(v_token), c.created_by)
  returning id into v_id;
  update private.kiosk_pairing_codes set used_at = v_now, device_id = v_id where id = c.id;
  return jsonb_build_object('paired', true, 'id', v_id, 'label', c.label, 'token', v_token);
end
$$;

create or replace function private.devices_revoke_with_pairer() returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
begin
  if tg_op = 'DELETE' or old.active <> new.active or old.role <> new.role
     or new.clinic_id <> old.clinic_id or new.user_id <> old.user_id then
    if not private.may_pair_devices(old.clinic_id, old.user_id) then
      update public.kiosk_devices d set revoked_at = private.now(), revoked_reason = 'pairer_left'
       where d.clinic_id = old.clinic_id and d.paired_by = old.user_id and d.revoked_at is null;
      -- and the pairing codes they made and nobody used yet: a code would pair a tablet whose key never works
      update private.kiosk_pairing_codes k set expires_at = private.now()
       where k.clinic_id = old.clinic_id and k.created_by = old.user_id and k.used_at is null
         and k.expires_at > private.now();
    end if;
  end if;
  return null;
end
$function$;
