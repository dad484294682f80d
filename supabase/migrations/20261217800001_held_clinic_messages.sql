-- Session 18 (fix18), attack review finding 1 (HIGH): a self-made clinic still held for SMS (clinics.sms_held,
-- abuse17) could mail unlimited free text from the platform's address through staff invitations: save its own
-- staff_invitation template ("URGENT … https://evil.example/login {tracking_url}"), create 30 invitations (no cap)
-- and POST send-staff-invitation {channel:'email'} for each — no hold, no budget, no message log. Rules now:
--
--   H1 "a held clinic's messages use only the built-in texts": while clinics.sms_held is true a clinic has no
--      templates of its own. Saving one (save_notification_template, or a direct INSERT/UPDATE of
--      notification_templates) is refused with 403 TEMPLATE.CLINIC_HELD; when the operator holds a clinic again
--      (approve_clinic_sms(…, false)) its own templates are set aside in private.held_clinic_templates and come back
--      when it is approved. Every sender (SMS, email, WhatsApp, push, invitations) reads the clinic's row with a
--      fallback to the built-in one, so none of them can render a held clinic's own text. staff_invitation_delivery
--      also ignores the clinic's rows while it is held (belt and braces) and says `sms_held`.
--   H2 "a clinic's invitations are capped": create_staff_invitation refuses with 429 INVITATION.TOO_MANY a 21st
--      pending invitation (not accepted, not revoked, not expired) and a 51st invitation created in the last
--      24 hours (database clock), per clinic, whoever sends it; one lock per clinic so parallel calls cannot pass
--      the cap together.
--   H3 "an invitation email is in the message log": staff_invitation_email_begin (service role only, like the
--      other writers of the log since 20261216800001) records it as a `staff_invitation` email to the
--      invitation's own address (idempotency key staff_invitation_email:<id>: one email per invitation; a failed
--      one may be sent again), and the function settles it with notification_email_settle.
--
-- Redefined from their newest bodies: public.create_staff_invitation (20261201000400),
-- public.staff_invitation_delivery (20261202100001).

-- ── H1 ────────────────────────────────────────────────────────────────────────────────────────────────
create table private.held_clinic_templates (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  kind public.notification_kind not null,
  language public.app_language not null,
  body text not null,
  updated_by uuid,
  set_aside_at timestamptz not null default private.now(),
  primary key (clinic_id, kind, language)
);
comment on table private.held_clinic_templates is
  'A clinic''s own message templates set aside while the platform operator holds it (clinics.sms_held); '
  'restored when it is approved again (fix18 H1).';

create function private.notification_templates_not_held() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.clinic_id is not null
     and exists (select 1 from public.clinics c where c.id = new.clinic_id and c.sms_held) then
    perform private.raise_error(403, 'TEMPLATE.CLINIC_HELD',
      'this clinic sends the built-in texts until QueueMed approves it');
  end if;
  return null;
end
$$;
revoke all on function private.notification_templates_not_held() from public;

-- after the row's own checks, so malformed input still gets its validation answer first
create trigger notification_templates_not_held
  after insert or update on public.notification_templates
  for each row execute function private.notification_templates_not_held();

-- a clinic held again: its own templates go aside; approved again: they come back
create function private.clinics_hold_templates() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.sms_held and not old.sms_held then
    insert into private.held_clinic_templates (clinic_id, kind, language, body, updated_by)
    select t.clinic_id, t.kind, t.language, t.body, t.updated_by
      from public.notification_templates t where t.clinic_id = new.id
    on conflict (clinic_id, kind, language) do update set body = excluded.body, updated_by = excluded.updated_by;
    delete from public.notification_templates where clinic_id = new.id;
  elsif old.sms_held and not new.sms_held then
    insert into public.notification_templates (clinic_id, kind, language, body, updated_by)
    select h.clinic_id, h.kind, h.language, h.body, h.updated_by
      from private.held_clinic_templates h where h.clinic_id = new.id
    on conflict (clinic_id, kind, language) where clinic_id is not null do nothing;
    delete from private.held_clinic_templates where clinic_id = new.id;
  end if;
  return null;
end
$$;
revoke all on function private.clinics_hold_templates() from public;

create trigger clinics_hold_templates
  after update of sms_held on public.clinics
  for each row execute function private.clinics_hold_templates();

-- clinics held today (made through create_clinic, not yet approved) keep no text of their own
insert into private.held_clinic_templates (clinic_id, kind, language, body, updated_by)
select t.clinic_id, t.kind, t.language, t.body, t.updated_by
  from public.notification_templates t join public.clinics c on c.id = t.clinic_id
 where c.sms_held;
delete from public.notification_templates t using public.clinics c where c.id = t.clinic_id and c.sms_held;

-- ── H2 ────────────────────────────────────────────────────────────────────────────────────────────────
create function private.staff_invitation_caps(out pending_max integer, out per_day_max integer)
language sql immutable
set search_path = ''
as $$ select 20, 50 $$;
revoke all on function private.staff_invitation_caps() from public;

create or replace function public.create_staff_invitation(
  p_clinic_id uuid,
  p_role public.member_role,
  p_display_name text,
  p_email text default null,
  p_phone text default null,
  p_room text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token text := private.new_token();
  v_id uuid;
  v_expires timestamptz;
  v_caps record;
begin
  perform private.require_admin(p_clinic_id);
  if p_role is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_role is required');
  end if;
  if p_role = 'owner' and not (private.is_service() or private.is_clinic_owner(p_clinic_id)) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner can invite an owner');
  end if;
  if p_phone is not null and not private.is_e164(p_phone) then
    perform private.raise_error(422, 'PHONE.INVALID', 'phone must be E.164, e.g. +212600000000');
  end if;
  -- fix18 H2: one clinic's invitations are counted under one lock, so parallel calls cannot pass the cap together
  perform pg_advisory_xact_lock(hashtextextended('staff_invitations:' || p_clinic_id::text, 0));
  select * into v_caps from private.staff_invitation_caps();
  if (select count(*) from public.staff_invitations i
       where i.clinic_id = p_clinic_id and i.accepted_at is null and i.revoked_at is null
         and i.expires_at > private.now()) >= v_caps.pending_max then
    perform private.raise_error(429, 'INVITATION.TOO_MANY',
      format('at most %s invitations may be pending; revoke or wait for one', v_caps.pending_max));
  end if;
  if (select count(*) from public.staff_invitations i
       where i.clinic_id = p_clinic_id and i.created_at > private.now() - interval '24 hours')
     >= v_caps.per_day_max then
    perform private.raise_error(429, 'INVITATION.TOO_MANY',
      format('at most %s invitations a day', v_caps.per_day_max));
  end if;
  begin
    insert into public.staff_invitations (clinic_id, role, email, phone, display_name, room, token_hash, invited_by)
    values (p_clinic_id, p_role, lower(nullif(btrim(p_email), '')), p_phone, p_display_name, p_room,
            private.hash_token(v_token), auth.uid())
    returning id, expires_at into v_id, v_expires;
  exception
    when not_null_violation or check_violation then
      perform private.raise_error(422, 'VALIDATION.FAILED', sqlerrm);
  end;
  return jsonb_build_object('invitation_id', v_id, 'token', v_token, 'expires_at', v_expires);
end
$$;

-- ── H1 (belt and braces) + the hold in the delivery answer ───────────────────────────────────────────
create or replace function public.staff_invitation_delivery(p_invitation_id uuid, p_token text)
returns jsonb
language plpgsql
stable SECURITY DEFINER
set search_path = ''
as $function$
declare
  v_inv public.staff_invitations;
  v_clinic public.clinics;
begin
  select * into v_inv from public.staff_invitations where id = p_invitation_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  perform private.require_admin(v_inv.clinic_id);
  if p_token is null or v_inv.token_hash <> private.hash_token(p_token) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this token is not the invitation''s');
  end if;
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null or v_inv.expires_at <= private.now() then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'the invitation is no longer pending');
  end if;
  select * into v_clinic from public.clinics where id = v_inv.clinic_id;
  return jsonb_build_object('invitation_id', v_inv.id, 'clinic_id', v_inv.clinic_id, 'clinic_name', v_clinic.name,
                            'language', v_clinic.default_language, 'display_name', v_inv.display_name,
                            'email', v_inv.email, 'phone', v_inv.phone, 'expires_at', v_inv.expires_at,
                            'sms_held', v_clinic.sms_held,
                            'templates', (
                              select jsonb_object_agg(l.lang, coalesce(
                                -- fix18 H1: a held clinic's own text is never used
                                (select t.body from public.notification_templates t
                                  where t.clinic_id = v_inv.clinic_id and not v_clinic.sms_held
                                    and t.kind = 'staff_invitation' and t.language = l.lang),
                                (select t.body from public.notification_templates t
                                  where t.clinic_id is null and t.kind = 'staff_invitation' and t.language = l.lang)))
                              from unnest(array['ar', 'fr', 'en']::public.app_language[]) as l(lang)));
end
$function$;

-- ── H3 ────────────────────────────────────────────────────────────────────────────────────────────────
-- staff_invitation_email_begin(p_invitation_id, p_subject, p_body, p_language) → { notification_id, status,
-- duplicate }. Service role only (send-staff-invitation calls it after staff_invitation_delivery checked the admin
-- with the admin's own token). The recipient is the invitation's own email, never an argument.
create function public.staff_invitation_email_begin(
  p_invitation_id uuid, p_subject text, p_body text, p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_inv public.staff_invitations;
  v_n public.notifications;
  v_key text;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this message is sent by the server only');
  end if;
  if p_subject is null or char_length(p_subject) not between 1 and 300
     or p_body is null or char_length(p_body) not between 1 and 2000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'subject and body are required');
  end if;
  select * into v_inv from public.staff_invitations where id = p_invitation_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null or v_inv.expires_at <= private.now() then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'the invitation is no longer pending');
  end if;
  if v_inv.email is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'this invitation has no email address');
  end if;
  v_key := 'staff_invitation_email:' || v_inv.id::text;
  insert into public.notifications (clinic_id, entry_id, kind, channel, recipient, language, subject, body,
                                    idempotency_key, status, segments, cost, attempts)
  values (v_inv.clinic_id, null, 'staff_invitation', 'email', v_inv.email,
          coalesce(p_language, (select c.default_language from public.clinics c where c.id = v_inv.clinic_id)),
          p_subject, p_body, v_key, 'queued', 0, 0, 0)
  on conflict (clinic_id, idempotency_key) do nothing
  returning * into v_n;
  if v_n.id is not null then
    return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'duplicate', false);
  end if;
  select * into v_n from public.notifications
   where clinic_id = v_inv.clinic_id and idempotency_key = v_key for update;
  if v_n.status = 'failed' then
    -- a failed email may be sent again (the same line, one more attempt)
    update public.notifications set status = 'queued', error = null, subject = p_subject, body = p_body
     where id = v_n.id returning * into v_n;
    return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'duplicate', false);
  end if;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'duplicate', true);
end
$$;
revoke all on function public.staff_invitation_email_begin(uuid, text, text, public.app_language)
  from public, anon, authenticated;
grant execute on function public.staff_invitation_email_begin(uuid, text, text, public.app_language)
  to service_role;
