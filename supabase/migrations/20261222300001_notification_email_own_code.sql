-- mail22 (security, review20 L6): a notification email is proved by QueueMed's OWN code, not by GoTrue's
-- email_confirmed_at.
--
-- email18 (20261217200002) trusted auth.users.email_confirmed_at. But the local stack (`npm start`, what a clinic
-- self-hosts) confirms an email sign-up at once (`[auth.email] enable_confirmations = false`), so anyone who signed
-- up with a stranger's address had it "proved" and could aim the clinic's confirmations, reminders and queue
-- messages at that stranger. Now the proof is a code the app makes, keeps hashed and mails itself:
--
-- public.request_notification_email_code(p_clinic_id) → { email, expires_at }
--   The caller's patient record in that clinic must have a notification address that is not proved yet. A 6-digit
--   code (from gen_random_uuid()'s random bytes) is stored only as its sha-256 hash (private.hash_token), bound to
--   the account, the clinic and the address, valid 15 minutes; asking again replaces the live one. The plain code
--   goes only into the mail outbox (private.notification_email_code_mail, no grants), which the app's sender takes
--   (public.take_notification_email_codes, service role only: the local stack's code delivery — /dev/outbox in
--   development — or the notification sweep's SMTP on Supabase) and which is never readable by the caller.
--   Limits (database clock): 5 codes per account per hour, 5 codes per address per hour across all accounts (no
--   one mail-bombs a stranger) → 429 RATE.LIMITED. Errors: 404 NOT_FOUND (no record of yours here), 422
--   EMAIL_PROOF.NO_ADDRESS (no notification address saved), 409 EMAIL_PROOF.ALREADY_PROVED.
-- public.confirm_notification_email(p_clinic_id, p_code) → { confirmed: true, email } | { confirmed: false, reason }
--   reason: 'invalid' (wrong code, another account's code, no code, or the address changed since), 'expired',
--   'too_many' (5 wrong entries drop the code: ask for a new one). A value, not an error, so the wrong attempt is
--   counted (an error would roll it back). Single use: a used code is 'invalid'. At most 5 codes an hour × 5
--   tries: 25 guesses an hour at a 1-in-a-million code.
-- private.notification_email_proofs (user_id, email, proved_at): the proved addresses. The rule stays evaluated
--   when a message is routed: private.notification_email_confirmed(p) = the record's account proved its current
--   address with this code. Typing another address un-confirms at once; going back to a proved one needs no code.
--
-- Addresses proved before (GoTrue's email_confirmed_at) are NOT carried over: on a self-hosted stack that timestamp
-- is set by sign-up without any proof, and nothing in the database tells a real proof from it. Those patients are
-- asked again (My visits shows "Confirm your email"); until then their messages go by SMS (the route's next choice)
-- or are recorded as skipped with reason email_not_confirmed.

create table private.notification_email_codes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  email text not null,
  code_hash bytea not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  wrong_attempts integer not null default 0,
  used_at timestamptz,
  dropped_at timestamptz
);
create index notification_email_codes_user_idx on private.notification_email_codes (user_id, created_at);
create index notification_email_codes_email_idx on private.notification_email_codes (email, created_at);
comment on table private.notification_email_codes is
  'mail22: codes that prove a notification email (hash only; 15 minutes; 5 wrong entries drop one; single use).';

-- the outbox of code mails: the plain code lives here only until the sender takes it
create table private.notification_email_code_mail (
  id bigint generated always as identity primary key,
  code_id uuid not null references private.notification_email_codes (id) on delete cascade,
  email text not null,
  code text not null,
  language text not null,
  clinic_name text not null,
  created_at timestamptz not null
);

create table private.notification_email_proofs (
  user_id uuid not null references auth.users (id) on delete cascade,
  email text not null,
  proved_at timestamptz not null,
  primary key (user_id, email)
);
comment on table private.notification_email_proofs is
  'mail22: notification addresses an account proved with QueueMed''s own code (private.notification_email_confirmed).';

revoke all on table private.notification_email_codes, private.notification_email_code_mail,
  private.notification_email_proofs from public, anon, authenticated;

-- ── The rule: the record's account proved its current address with the app's code ──────────────────────────
create or replace function private.notification_email_confirmed(p public.patients)
returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select p.email is not null and p.user_id is not null and exists (
    select 1 from private.notification_email_proofs x where x.user_id = p.user_id and x.email = lower(p.email))
$$;
revoke all on function private.notification_email_confirmed(public.patients) from public, anon, authenticated;

-- ── Ask for a code ──────────────────────────────────────────────────────────────────────────────────────────
create function public.request_notification_email_code(p_clinic_id uuid)
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
  -- one account's, and one address's, requests counted one at a time (the limits hold under concurrency)
  perform pg_advisory_xact_lock(hashtextextended('notification_email_code:' || v_uid::text, 0));
  perform pg_advisory_xact_lock(hashtextextended('notification_email_code:' || v_email, 0));
  if (select count(*) from private.notification_email_codes c
       where c.user_id = v_uid and c.created_at > v_now - interval '1 hour') >= 5
     or (select count(*) from private.notification_email_codes c
          where c.email = v_email and c.created_at > v_now - interval '1 hour') >= 5 then
    perform private.raise_error(429, 'RATE.LIMITED', 'too many codes asked for; try again later');
  end if;
  -- asking again replaces the live code (only the newest one can be entered)
  update private.notification_email_codes set dropped_at = v_now
   where user_id = v_uid and used_at is null and dropped_at is null;
  delete from private.notification_email_codes where created_at < v_now - interval '1 day';
  -- 6 digits from 4 random bytes of a fresh v4 uuid (bias below 1 in 4000)
  v_code := lpad((('x' || lpad(encode(substr(uuid_send(gen_random_uuid()), 1, 4), 'hex'), 16, '0'))::bit(64)::bigint
                   % 1000000)::text, 6, '0');
  insert into private.notification_email_codes (user_id, clinic_id, email, code_hash, created_at, expires_at)
  values (v_uid, p_clinic_id, v_email, private.hash_token(v_code), v_now, v_expires)
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

-- ── Enter it ────────────────────────────────────────────────────────────────────────────────────────────────
create function public.confirm_notification_email(p_clinic_id uuid, p_code text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_now timestamptz := private.now();
  v_code text := btrim(coalesce(p_code, ''));
  v_p public.patients;
  c private.notification_email_codes;
begin
  if char_length(v_code) > 32 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a code is 6 digits');
  end if;
  select * into v_p from public.patients where clinic_id = p_clinic_id and user_id = v_uid;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'no patient record of yours in this clinic');
  end if;
  select * into c from private.notification_email_codes x
   where x.user_id = v_uid and x.clinic_id = p_clinic_id and x.used_at is null and x.dropped_at is null
   order by x.created_at desc limit 1
   for update;
  if not found or c.email is distinct from lower(v_p.email) then
    return jsonb_build_object('confirmed', false, 'reason', 'invalid');
  end if;
  if c.expires_at <= v_now then
    return jsonb_build_object('confirmed', false, 'reason', 'expired');
  end if;
  if c.code_hash is distinct from private.hash_token(v_code) then
    update private.notification_email_codes
       set wrong_attempts = wrong_attempts + 1,
           dropped_at = case when wrong_attempts + 1 >= 5 then v_now end
     where id = c.id;
    return jsonb_build_object('confirmed', false,
                              'reason', case when c.wrong_attempts + 1 >= 5 then 'too_many' else 'invalid' end);
  end if;
  update private.notification_email_codes set used_at = v_now where id = c.id;
  delete from private.notification_email_code_mail where code_id = c.id;
  insert into private.notification_email_proofs (user_id, email, proved_at) values (v_uid, c.email, v_now)
  on conflict (user_id, email) do update set proved_at = excluded.proved_at;
  return jsonb_build_object('confirmed', true, 'email', c.email);
end
$$;
revoke all on function public.confirm_notification_email(uuid, text) from public, anon;
grant execute on function public.confirm_notification_email(uuid, text) to authenticated;

-- ── The sender takes the code mails (each once: taken is deleted) ───────────────────────────────────────────
create function public.take_notification_email_codes(p_limit integer default 50)
returns table (email text, code text, language text, clinic_name text)
language plpgsql
security definer
set search_path = ''
as $$
begin
  return query
  with taken as (
    delete from private.notification_email_code_mail m
     where m.id in (select m2.id from private.notification_email_code_mail m2
                     order by m2.id limit greatest(1, least(coalesce(p_limit, 50), 500))
                     for update skip locked)
    returning m.id, m.email, m.code, m.language, m.clinic_name
  )
  select t.email, t.code, t.language, t.clinic_name from taken t order by t.id;
end
$$;
revoke all on function public.take_notification_email_codes(integer) from public, anon, authenticated;
grant execute on function public.take_notification_email_codes(integer) to service_role;
