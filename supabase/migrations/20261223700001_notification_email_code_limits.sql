-- fix23b (security, review23 M2): the notification email code's rate limits no longer let one account lock another
-- out of proving its own address, and no longer count "victim+1@…" or "victim@example.org." as a new address.
--
-- Before (mail22, 20261222300001): 5 codes an hour per account AND 5 codes an hour per address across all
-- accounts. One attacker account (a patient of any clinic) asked 5 codes an hour for a victim's address; the
-- victim's own request was then refused with 429 RATE.LIMITED, hour after hour (denial of service). And the address
-- counter keyed on the literal lower-cased string: victim+1@…, victim+2@…, a trailing dot were separate addresses.
--
-- Now (public.request_notification_email_code, its 20261222300001 body; only the limits change):
--   * the hourly limit is the account's own: 5 codes an hour per account (so at most 5 per account and address);
--     what other accounts asked never spends it;
--   * spraying one inbox from many accounts is bounded per ADDRESS per day: at most 3 distinct accounts may ask
--     codes for one address in 24 hours (so at most 3 × 5 code mails an hour from strangers). A 4th account is
--     refused with 429 RATE.LIMITED — unless the address is its own: the account's sign-in email
--     (auth.users.email, confirmed; unique across accounts) or an address it proved before
--     (private.notification_email_proofs). So strangers who used the address never lock its owner out;
--     accounts already among the address's 3 keep asking within their own hourly limit;
--   * an address is counted by its key, private.email_rate_key: lower case, no surrounding blanks, trailing dots
--     of the domain dropped, a "+tag" of the local part dropped ("Victim+1@Example.org." → victim@example.org).
--     The code is still mailed to the address as typed; only the counting folds.
-- private.notification_email_codes gains email_key (the counted key; backfilled) with an index on (email_key,
-- created_at). Codes are kept a day (the request prunes older ones), the distinct-accounts window.

create function private.email_rate_key(p_email text) returns text
language sql immutable
set search_path = ''
as $$
  select regexp_replace(regexp_replace(lower(btrim(p_email)), '\.+$', ''), '^([^@+]*)\+[^@]*@', '\1@')
$$;
revoke all on function private.email_rate_key(text) from public, anon, authenticated;
comment on function private.email_rate_key(text) is
  'fix23b: the key an address is rate-limited by (lower case, trailing dots and a +tag dropped).';

alter table private.notification_email_codes add column email_key text;
update private.notification_email_codes set email_key = private.email_rate_key(email);
alter table private.notification_email_codes alter column email_key set not null;
create index notification_email_codes_email_key_idx on private.notification_email_codes (email_key, created_at);

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
  -- one inbox, at most 3 distinct accounts a day — an account whose own address it is is never refused by it
  if (select count(distinct c.user_id) from private.notification_email_codes c
       where c.email_key = v_key and c.user_id <> v_uid and c.created_at > v_now - interval '1 day') >= 3
     and not exists (select 1 from auth.users u
                      where u.id = v_uid and u.email_confirmed_at is not null
                        and private.email_rate_key(u.email) = v_key)
     and not exists (select 1 from private.notification_email_proofs x
                      where x.user_id = v_uid and private.email_rate_key(x.email) = v_key) then
    perform private.raise_error(429, 'RATE.LIMITED', 'too many codes asked for; try again later');
  end if;
  -- asking again replaces the live code (only the newest one can be entered)
  update private.notification_email_codes set dropped_at = v_now
   where user_id = v_uid and used_at is null and dropped_at is null;
  delete from private.notification_email_codes where created_at < v_now - interval '1 day';
  -- 6 digits from 4 random bytes of a fresh v4 uuid (bias below 1 in 4000)
  v_code := lpad((('x' || lpad(encode(substr(uuid_send(gen_random_uuid()), 1, 4), 'hex'), 16, '0'))::bit(64)::bigint
                   % 1000000)::text, 6, '0');
  insert into private.notification_email_codes (user_id, clinic_id, email, email_key, code_hash, created_at, expires_at)
  values (v_uid, p_clinic_id, v_email, v_key, private.hash_token(v_code), v_now, v_expires)
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
