-- fix21d (review): a tablet's double submit is not a wrong pairing code.
--
-- Exchanges are serialized (the advisory lock below): of 12 parallel redeem_kiosk_pairing_code calls with ONE
-- valid code, the first pairs and the 11 others found the code used, answered {paired:false} and each counted as a
-- wrong code — globally here (private.kiosk_pairing_failures) and per client address at /rest/v1
-- (supabase/local/kioskPairingLimit.ts keeps the reservation of a `paired: false` answer), so one double-tapping
-- tablet locked pairing from its network for 10 minutes.
-- Now a code that exists and was used in the last minute answers {paired:false, reason:'used'} and is not counted
-- (the REST limiter gives that reservation back). This tells a guesser only that a code they did not have was
-- just spent — a used code pairs nothing, and guessing one is as hard as guessing a live one. An older used code,
-- an expired one or an unknown one stays a plain wrong code.
-- public.redeem_kiosk_pairing_code (latest: 20261220990002_pairing_codes_leave_with_maker).

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
    -- fix21d: the code was right but was just spent (the tablet's other submit paired): not a wrong guess
    if exists (select 1 from private.kiosk_pairing_codes k
                where k.code_hash = private.hash_token(v_code) and k.used_at is not null
                  and k.used_at > v_now - interval '1 minute') then
      return jsonb_build_object('paired', false, 'reason', 'used');
    end if;
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
