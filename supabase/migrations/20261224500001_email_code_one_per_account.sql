-- sec24a (security, review24 M1 + M2): the notification e-mail code's per-address cap never locks an account out
-- entirely; the counted key folds Gmail's spellings; only an address the account PROVED is exempt from the cap.
--
-- Before (fix23b, 20261223700001): at most 3 distinct accounts a day could ask codes for one address (key
-- private.email_rate_key); a 4th was refused 429 RATE.LIMITED unless the address was its own — its sign-in e-mail
-- (auth.users.email, confirmed) or an address it proved (private.notification_email_proofs). Three strangers (each a
-- confirmed phone and a booking) asking one code each for a phone-signed patient's address blocked her from proving
-- it for 24 h, day after day (review24 M1). The sign-in e-mail exemption trusted auth.users.email_confirmed_at, which
-- the stack sets at sign-up without proof (enable_confirmations = false): any number of "victim+N@" sign-ups were
-- exempt (M2b). And salmaz@gmail.com, s.almaz@gmail.com, salmaz@googlemail.com, "salmaz"@gmail.com were four keys
-- of one Gmail inbox (M2a).
--
-- Now (public.request_notification_email_code, its 20261223700001 body; only the address cap changes):
--   * 5 codes an hour per account (any address), as before;
--   * per address key and 24 hours, a code is one of three kinds (private.notification_email_codes.slot):
--       'proved' — the account proved this address before (notification_email_proofs: it received a code and
--                  entered it): never capped (the account's hourly limit only);
--       'shared' — the account is one of the first 3 accounts of the address in the window (it holds a 'shared'
--                  code there, or fewer than 3 other accounts do): its hourly limit only, as before;
--       'single' — any further account: ONE code per address per 24 h (a second is 429 RATE.LIMITED). So strangers
--                  never lock anyone out entirely — the owner's first request is always answered — and spraying an
--                  inbox past 3 × 5 mails an hour costs one confirmed phone and one booking per extra mail a day.
--     The sign-in e-mail (auth.users.email) no longer exempts anything: it is not proved on this stack.
--     A 'single' code is one try a day: a patient who lets it expire asks again the next day (or proves it at once;
--     docs/security.md "Notification e-mail codes").
--   * private.email_rate_key also folds Gmail: for gmail.com and googlemail.com the dots of the local part are
--     dropped and googlemail.com counts as gmail.com; a quoted local part ("salmaz"@…) counts unquoted. Domains are
--     lower-cased as before. IDN domains are NOT converted to punycode here (no IDNA in SQL): "x@مثال.ma" and
--     "x@xn--mgbh0fb.ma" remain two keys (at most 3 more accounts for the same inbox).
--     The code is still mailed to the address as typed; only the counting folds. Stored keys are recomputed.
--
-- Helpers: private.email_rate_key (redefined; immutable; revoked from clients).

create or replace function private.email_rate_key(p_email text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v text := regexp_replace(lower(btrim(p_email)), '\.+$', '');
  v_at int;
  v_local text;
  v_domain text;
begin
  if v is null then
    return null;
  end if;
  -- the last @ splits local part and domain (a quoted local part may hold an @)
  v_at := char_length(v) - strpos(reverse(v), '@') + 1;
  if strpos(v, '@') = 0 then
    return v;
  end if;
  v_local := left(v, v_at - 1);
  v_domain := regexp_replace(substr(v, v_at + 1), '\.+$', '');
  -- "local" (RFC 5321 quoted string) counts as local: the quotes and its backslash escapes dropped
  if v_local ~ '^".*"$' and char_length(v_local) >= 2 then
    v_local := regexp_replace(substr(v_local, 2, char_length(v_local) - 2), '\\(.)', '\1', 'g');
  end if;
  -- a +tag (sub-address) of the local part dropped
  v_local := regexp_replace(v_local, '\+.*$', '');
  -- Gmail ignores the dots of the local part; googlemail.com is the same mailbox
  if v_domain in ('gmail.com', 'googlemail.com') then
    v_local := replace(v_local, '.', '');
    v_domain := 'gmail.com';
  end if;
  return v_local || '@' || v_domain;
end
$$;
revoke all on function private.email_rate_key(text) from public, anon, authenticated;
comment on function private.email_rate_key(text) is
  'sec24a: the key an address is rate-limited by (lower case, trailing dots, a +tag, quotes dropped; Gmail dots and googlemail folded).';

update private.notification_email_codes set email_key = private.email_rate_key(email);

alter table private.notification_email_codes
  add column slot text not null default 'shared' check (slot in ('shared', 'single', 'proved'));
comment on column private.notification_email_codes.slot is
  'sec24a: proved (the account proved the address), shared (one of the first 3 accounts of the address in 24 h), single (any further account: one code per address per day).';

create or replace function public.request_notification_email_code(p_clinic_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_now timestamptz := private.now();
  v_p public.patients;
  v_c public.clinics;
  v_email text;
  v_key text;
  v_slot text;
  v_code text;
  v_id uuid;
  v_expires timestamptz := private.now() + interval '15 minutes';
begin
  select * into v_p from public.patients where clinic_id = p_clinic_id and user_id = v_uid;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'no patient record of yours in this clinic');
  end if;
  v_email := lower(v_p.email);
  if v_email is null then
    perform private.raise_error(422, 'EMAIL_PROOF.NO_ADDRESS', 'save a notification email first');
  end if;
  if private.notification_email_confirmed(v_p) then
    perform private.raise_error(409, 'EMAIL_PROOF.ALREADY_PROVED', 'this address is already confirmed');
  end if;
  v_key := private.email_rate_key(v_email);
  -- one account's, and one address's, requests counted one at a time (the limits hold under concurrency)
  perform pg_advisory_xact_lock(hashtextextended('notification_email_code:' || v_uid::text, 0));
  perform pg_advisory_xact_lock(hashtextextended('notification_email_code:' || v_key, 0));
  -- the account's own hourly limit (any address): others' requests never spend it
  if (select count(*) from private.notification_email_codes c
       where c.user_id = v_uid and c.created_at > v_now - interval '1 hour') >= 5 then
    perform private.raise_error(429, 'RATE.LIMITED', 'too many codes asked for; try again later');
  end if;
  -- sec24a: the address's cap — an address the account proved: uncapped; one of the first 3 accounts of the
  -- address today: its hourly limit; any further account: one code per address a day (never none)
  if exists (select 1 from private.notification_email_proofs x
              where x.user_id = v_uid and private.email_rate_key(x.email) = v_key) then
    v_slot := 'proved';
  elsif exists (select 1 from private.notification_email_codes c
                 where c.email_key = v_key and c.user_id = v_uid and c.slot = 'shared'
                   and c.created_at > v_now - interval '1 day')
     or (select count(distinct c.user_id) from private.notification_email_codes c
          where c.email_key = v_key and c.user_id <> v_uid and c.slot = 'shared'
            and c.created_at > v_now - interval '1 day') < 3 then
    v_slot := 'shared';
  elsif exists (select 1 from private.notification_email_codes c
                 where c.email_key = v_key and c.user_id = v_uid and c.created_at > v_now - interval '1 day') then
    perform private.raise_error(429, 'RATE.LIMITED', 'too many codes asked for; try again later');
  else
    v_slot := 'single';
  end if;
  -- asking again replaces the live code (only the newest one can be entered)
  update private.notification_email_codes set dropped_at = v_now
   where user_id = v_uid and used_at is null and dropped_at is null;
  delete from private.notification_email_codes where created_at < v_now - interval '1 day';
  -- 6 digits from 4 random bytes of a fresh v4 uuid (bias below 1 in 4000)
  v_code := lpad((('x' || lpad(encode(substr(uuid_send(gen_random_uuid()), 1, 4), 'hex'), 16, '0'))::bit(64)::bigint
                   % 1000000)::text, 6, '0');
  insert into private.notification_email_codes (user_id, clinic_id, email, email_key, slot, code_hash, created_at,
                                                expires_at)
  values (v_uid, p_clinic_id, v_email, v_key, v_slot, private.hash_token(v_code), v_now, v_expires)
  returning id into v_id;
  select * into v_c from public.clinics where id = p_clinic_id;
  insert into private.notification_email_code_mail (code_id, email, code, language, clinic_name, created_at)
  values (v_id, v_email, v_code, coalesce(v_p.preferred_language, v_c.default_language, 'fr')::text, v_c.name, v_now);
  -- the local stack's code delivery listens (the sweep takes what is left on Supabase)
  perform pg_notify('queuemed_email_code', '');
  return jsonb_build_object('email', v_email, 'expires_at', v_expires);
end
$$;
revoke all on function public.request_notification_email_code(uuid) from public, anon;
grant execute on function public.request_notification_email_code(uuid) to authenticated;
