-- Session 22 (sec22a): SMS go only to the countries this deployment allows (toll fraud / SMS pumping).
--
-- Before: walk-ins, bookings, kiosk walk-ins, staff invitations, phone sign-in and notification numbers accepted any
-- E.164 number, and every SMS path (send-sms through _shared/send.ts, the local auth's one-time codes) texted any
-- country. A premium-rate number abroad, typed by anyone who can book or sign in, made every message a cost.
--
-- The allowlist is a table of country calling codes, read by one helper:
--   * private.sms_countries (calling_code, label) — default one row: 212 (Morocco). A deployment changes the rows
--     (docs/operations.md "SMS destination countries"): `insert into private.sms_countries values ('33', 'France');`.
--     Calling codes, not ISO countries: the database holds numbers in strict E.164 only (private.is_e164), and
--     calling codes are prefix-free (ITU E.164), so "the number starts with + and this code" is exact — no other
--     country's number starts with +212. A code shared by several countries (+1, +7) allows all of them.
--   * private.sms_country_allowed(e164) → boolean: false for null, for anything that is not strict E.164 (spaces,
--     00 prefix, Arabic-Indic digits are the client's to normalise; the database never guesses) and for a code not
--     in the table.
-- Enforced:
--   (a) where a number is stored for SMS: patients.phone, profiles.phone (a phone account), staff_invitations.phone
--       — a BEFORE INSERT / UPDATE OF phone trigger refuses a number outside the list with 422
--       PHONE.COUNTRY_NOT_ALLOWED. Every RPC that writes them (walk-in, desk booking, kiosk walk-in, invitation,
--       sign-up's profile, contact edits) meets it, whichever path. Rows stored before stay (an update that keeps
--       the phone is not refused), and are never texted:
--   (b) the sending path: notification_recipient answers `phone: null, skip_reason: 'country_not_allowed'` for a
--       visit whose number (or a caller-given number) is outside the list, so send.ts records a skip and sends
--       nothing; and a trigger on public.notifications refuses to record an SMS or WhatsApp message whose recipient
--       is outside the list (422 PHONE.COUNTRY_NOT_ALLOWED) — every send path (sms_budget_reserve, the SMS fallback
--       of a refused e-mail, WhatsApp begin) records its row before Twilio is called, so none can send one.
--   (c) the local auth's SMS codes (supabase/local/auth/gotrue.ts) ask private.sms_country_allowed before a code is
--       stored or sent (sign-up, OTP sign-in, phone change).
-- notification_recipient: 20261217200002's body (its newest definition); only the country check is added.

create table private.sms_countries (
  calling_code text primary key check (calling_code ~ '^[1-9][0-9]{0,2}$'),
  label text not null default '' check (char_length(label) <= 80)
);
comment on table private.sms_countries is
  'SMS destination allowlist (sec22a): country calling codes (no +) SMS may go to; read by private.sms_country_allowed. Default 212 (Morocco).';
revoke all on private.sms_countries from public, anon, authenticated;
insert into private.sms_countries (calling_code, label) values ('212', 'Morocco');

create function private.sms_country_allowed(p_e164 text) returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(private.is_e164(p_e164), false)
     and exists (select 1 from private.sms_countries c
                  where left(p_e164, char_length(c.calling_code) + 1) = '+' || c.calling_code)
$$;
revoke all on function private.sms_country_allowed(text) from public, anon, authenticated;

-- (a) numbers stored for SMS
create function private.phone_country_check() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.phone is not null
     and (tg_op = 'INSERT' or new.phone is distinct from old.phone)
     and private.is_e164(new.phone)            -- a malformed number is the check constraint's (PHONE.INVALID paths)
     and not private.sms_country_allowed(new.phone) then
    perform private.raise_error(422, 'PHONE.COUNTRY_NOT_ALLOWED',
      'SMS can only be sent to the countries this deployment allows (private.sms_countries)');
  end if;
  return new;
end
$$;
revoke all on function private.phone_country_check() from public, anon, authenticated;

create trigger patients_phone_country before insert or update of phone on public.patients
  for each row execute function private.phone_country_check();
create trigger profiles_phone_country before insert or update of phone on public.profiles
  for each row execute function private.phone_country_check();
create trigger staff_invitations_phone_country before insert or update of phone on public.staff_invitations
  for each row execute function private.phone_country_check();

-- (b) the backstop of every send path: no SMS / WhatsApp row is recorded for a number outside the list
create function private.notification_country_check() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.channel::text in ('sms', 'whatsapp') and new.recipient is not null
     and not private.sms_country_allowed(new.recipient) then
    perform private.raise_error(422, 'PHONE.COUNTRY_NOT_ALLOWED',
      'SMS can only be sent to the countries this deployment allows (private.sms_countries)');
  end if;
  return new;
end
$$;
revoke all on function private.notification_country_check() from public, anon, authenticated;

create trigger notifications_recipient_country before insert or update of recipient on public.notifications
  for each row execute function private.notification_country_check();

create or replace function public.notification_recipient(p_clinic_id uuid, p_entry_id uuid default null, p_phone text default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_p public.patients;
  v_c public.clinics;
  v_sender text;
  v_route record;
begin
  perform private.require_staff(p_clinic_id);
  select * into v_c from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_sender := private.effective_sms_sender(v_c);
  if p_phone is not null and not private.is_e164(p_phone) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the phone must be E.164');
  end if;
  if p_entry_id is not null then
    select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
     where e.id = p_entry_id and e.clinic_id = p_clinic_id;
    if not found then
      perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
    end if;
    select * into v_route from private.notification_route(v_p);
    -- sec22a: a number outside the deployment's SMS countries (stored before the rule) is never texted
    if (p_phone is null and v_route.channel::text in ('sms', 'whatsapp') and not private.sms_country_allowed(v_p.phone))
       or (p_phone is not null and not private.sms_country_allowed(p_phone)) then
      return jsonb_build_object('patient_id', v_p.id, 'phone', null, 'sender', v_sender,
                                'language', coalesce(v_p.preferred_language, v_c.default_language),
                                'opted_out', v_p.sms_opt_out, 'channel', null, 'email', null,
                                'skip_reason', 'country_not_allowed');
    end if;
    return jsonb_build_object('patient_id', v_p.id, 'phone', case when private.sms_country_allowed(v_p.phone)
                                                                  then v_p.phone end, 'sender', v_sender,
                              'language', coalesce(v_p.preferred_language, v_c.default_language),
                              'opted_out', v_p.sms_opt_out
                                or exists (select 1 from public.patients o where o.clinic_id = p_clinic_id
                                           and o.phone in (v_p.phone, p_phone) and o.sms_opt_out),
                              -- the channel the server routes this visit's messages to (null: none reaches)
                              -- and the address when it is email; a caller-given phone means SMS
                              'channel', case when p_phone is null then v_route.channel else 'sms' end,
                              'email', case when p_phone is null and v_route.channel = 'email'
                                            then v_route.address end,
                              -- why nothing reaches the patient (null when a channel does)
                              'skip_reason', case when p_phone is null then v_route.skip_reason end);
  end if;
  if p_phone is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an entry or an E.164 phone is required');
  end if;
  select * into v_p from public.patients where clinic_id = p_clinic_id and phone = p_phone
   order by sms_opt_out desc, updated_at desc limit 1;
  if not private.sms_country_allowed(p_phone) then
    return jsonb_build_object('patient_id', v_p.id, 'phone', null, 'sender', v_sender,
                              'language', coalesce(v_p.preferred_language, v_c.default_language),
                              'opted_out', coalesce(v_p.sms_opt_out, false), 'channel', null, 'email', null,
                              'skip_reason', 'country_not_allowed');
  end if;
  return jsonb_build_object('patient_id', v_p.id, 'phone', p_phone, 'sender', v_sender,
                            'language', coalesce(v_p.preferred_language, v_c.default_language),
                            'opted_out', coalesce(v_p.sms_opt_out, false), 'channel', 'sms', 'email', null);
end
$$;
