-- Session 18 (mend18), where kiosk17 and board18 meet: board screens are rows of public.kiosk_devices (kind 'board',
-- 20261217100001) with their own cap of 20 (pair_board counts boards), but pair_kiosk (20261216200001, its only
-- definition) still counted every live device of the clinic: a clinic with 20 paired board screens could pair no
-- entrance kiosk at all ("at most 20 kiosks", 429), and each board took a kiosk's place.
--
-- Rule now: each kind has its own cap of 20 live devices. Body of 20261216200001's pair_kiosk; only the count
-- (and the insert naming its kind) changes. `create or replace` keeps its grants.
-- ── Pairing (staff) ────────────────────────────────────────────────────────────────────────────────
create or replace function public.pair_kiosk(p_clinic_id uuid, p_label text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_label text := btrim(coalesce(p_label, ''));
  v_token text := private.new_token();
  v_id uuid;
begin
  perform private.require_uid();
  if p_clinic_id is null
     or not private.is_clinic_member(p_clinic_id, array['owner', 'admin', 'receptionist']::public.member_role[]) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only the clinic''s owner, admin or receptionist pairs a kiosk');
  end if;
  if v_label = '' then
    v_label := 'Kiosk';
  end if;
  if char_length(v_label) > 80 or v_label ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a kiosk name is 1-80 characters');
  end if;
  if (select count(*) from public.kiosk_devices
       where clinic_id = p_clinic_id and kind = 'kiosk' and revoked_at is null) >= 20 then
    perform private.raise_error(429, 'RATE.LIMITED', 'a clinic pairs at most 20 kiosks; revoke one first');
  end if;
  insert into public.kiosk_devices (clinic_id, kind, label, token_hash, paired_by)
  values (p_clinic_id, 'kiosk', v_label, private.hash_token(v_token), auth.uid())
  returning id into v_id;
  return jsonb_build_object('id', v_id, 'label', v_label, 'token', v_token);
end
$$;
