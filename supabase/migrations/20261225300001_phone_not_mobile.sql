-- sec25 (item 1): a Moroccan landline (+2125…) where a mobile is needed got PHONE.COUNTRY_NOT_ALLOWED ("enter a local
-- number") — wrong: a landline IS local. A number whose country is listed (private.sms_country_listed) but that SMS
-- cannot reach (private.sms_country_allowed: in Morocco only +2126… / +2127…) now gets its own code,
-- 422 PHONE.NOT_MOBILE ("this is a landline — enter a mobile number (06… or 07…)").
--   * private.notification_country_check (the message log's backstop: every SMS / WhatsApp row, whichever writer —
--     sms_budget_reserve, send-sms, the service role): body of 20261222100001, the refusal now tells the two apart.
--   * The local auth's codes (supabase/local/auth/gotrue.ts) answer 422 `phone_not_mobile` the same way.
--   * private.phone_country_check (where a number is STORED) is unchanged: a landline may be a patient's number
--     (sec24a); it is never texted.
create or replace function private.notification_country_check() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.channel::text in ('sms', 'whatsapp') and new.recipient is not null
     and not private.sms_country_allowed(new.recipient) then
    if private.sms_country_listed(new.recipient) then
      perform private.raise_error(422, 'PHONE.NOT_MOBILE',
        'this number is a landline, not a mobile: SMS cannot reach it (enter a mobile number)');
    end if;
    perform private.raise_error(422, 'PHONE.COUNTRY_NOT_ALLOWED',
      'SMS can only be sent to the countries this deployment allows (private.sms_countries)');
  end if;
  return new;
end
$$;
revoke all on function private.notification_country_check() from public, anon, authenticated;
