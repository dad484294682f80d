-- Session 25 (fix25), review25 L2: invisible and look-alike characters in a stored e-mail address.
--
-- The patients.email CHECK ('^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$') and set_my_notification_preferences let
-- through "amine@ｇｍａｉｌ.com" (full-width letters), "amine@gm<U+00AD>ail.com" (soft hyphen), "amine@gmail.com<U+200B>"
-- and "amine@gmail.com<U+00A0>" — stored as typed. private.email_rate_key counts each as its own address, while a mail
-- provider that maps IDNA (UTS46) delivers every one of them to gmail.com: 3 more 'shared' accounts per variant, so the
-- per-address cap of the notification e-mail code (sec24a) meant nothing there.
--
-- Now an e-mail address WRITTEN or CHANGED into public.patients.email or public.staff_invitations.email (the stored
-- notification / invitation addresses; a patient sets hers through set_my_notification_preferences, staff invite by
-- e-mail through invite_staff / resend) must have:
--   * no invisible character anywhere: NBSP U+00A0, soft hyphen U+00AD, U+180E, the spaces and zero-width marks
--     U+2000–U+200F, U+2028–U+202F, U+205F–U+206F, U+3000, U+FEFF, control characters;
--   * an ASCII domain: letters, digits, '-' and '.' only after the last '@' — an international domain is sent as
--     punycode ("x@xn--mgbh0fb.ma"; the screens convert with the browser's URL parser, UTS46). This also closes the
--     acknowledged pair "x@مثال.ma" / "x@xn--mgbh0fb.ma" of email_rate_key (one key now: the punycode one).
-- Refused: 422 EMAIL.DOMAIN_NOT_ASCII, nothing written. A trigger on the written column, not a CHECK (preamble): a row
-- stored before keeps being updatable (opt-outs, bounces, preferences); its address is judged again only when changed.
-- The sign-in e-mail (auth.users) belongs to the auth service, not to these rules.
--
-- Helpers: private.email_domain_rules (trigger; security definer as private.room_text_rules: it calls
-- private.raise_error; revoked from clients).

create function private.email_domain_rules() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.email is not null and (tg_op = 'INSERT' or new.email is distinct from old.email)
     and (new.email ~ '[\u0001-\u001f\u007f-\u00a0\u00ad\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]'
          or strpos(new.email, '@') = 0
          or substr(new.email, char_length(new.email) - strpos(reverse(new.email), '@') + 2) ~ '[^A-Za-z0-9.-]') then
    perform private.raise_error(422, 'EMAIL.DOMAIN_NOT_ASCII',
      'the e-mail address holds an invisible character, or a domain that is not ASCII (send it as punycode)');
  end if;
  return new;
end
$$;
revoke all on function private.email_domain_rules() from public, anon, authenticated;

create trigger patients_email_domain before insert or update of email on public.patients
  for each row execute function private.email_domain_rules();
create trigger staff_invitations_email_domain before insert or update of email on public.staff_invitations
  for each row execute function private.email_domain_rules();
