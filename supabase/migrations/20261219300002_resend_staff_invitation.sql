-- Session 19 (team19), issue 17: resend a staff invitation.
-- Before: an invitation whose link was lost or had expired could only be revoked and made again (a new row, a new
-- count against the caps), and the message log's idempotency keys (staff_invitation:<id> for SMS,
-- staff_invitation_email:<id> for email) meant a second send for the same invitation was answered "duplicate".
--
-- public.resend_staff_invitation(p_invitation_id) → { invitation_id, token, expires_at }, as create answers:
--   • who: an owner/admin of the invitation's clinic (an owner's invitation: an owner only, as create);
--   • what: a pending or expired invitation (not accepted, not revoked — else 409 VALIDATION.FAILED) gets a NEW
--     token (the old link stops working: only its hash was kept, so it could not be shown again) and a new 7-day
--     expiry from the database clock; its `resends` count goes up by one;
--   • caps, the same as create's and counted together (private.staff_invitation_check_caps, one lock per clinic):
--     an expired invitation made pending again counts against the 20 pending; every resend counts against the
--     50 a day as a new invitation does (create_staff_invitation now counts resends too), so resending cannot
--     become the unlimited mailing the caps stop. A held clinic is treated as create treats it: accepted, and its
--     messages use the built-in text only (20261217800001).
--   • delivery: the same path as after create — send-staff-invitation with the new token. The send's idempotency
--     keys carry the resend count (staff_invitation:<id>:<n>, staff_invitation_email:<id>:<n>; unchanged for the
--     first send), so the message log records the resend as a new message while a retried send of the same
--     round stays one message. staff_invitation_delivery answers `resends`.
--
-- Redefined from their newest bodies: public.create_staff_invitation, public.staff_invitation_delivery and
-- public.staff_invitation_email_begin (all 20261217800001).

alter table public.staff_invitations add column resends integer not null default 0
  constraint staff_invitations_resends_check check (resends >= 0);
-- readable like every column but token_hash (20261208300002)
grant select (resends) on public.staff_invitations to authenticated;

-- when each resend happened: the daily cap counts them (the row keeps only its count)
create table private.staff_invitation_resends (
  invitation_id uuid not null references public.staff_invitations (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  resent_at timestamptz not null default private.now()
);
create index staff_invitation_resends_clinic_idx on private.staff_invitation_resends (clinic_id, resent_at);
revoke all on private.staff_invitation_resends from public;

-- The caps of 20261217800001 (H2), in one place for create and resend. Call it in the transaction that then
-- writes: it takes the clinic's lock. p_new_pending: the write adds one pending invitation.
create function private.staff_invitation_check_caps(p_clinic_id uuid, p_new_pending boolean)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_caps record;
begin
  perform pg_advisory_xact_lock(hashtextextended('staff_invitations:' || p_clinic_id::text, 0));
  select * into v_caps from private.staff_invitation_caps();
  if p_new_pending and (select count(*) from public.staff_invitations i
       where i.clinic_id = p_clinic_id and i.accepted_at is null and i.revoked_at is null
         and i.expires_at > private.now()) >= v_caps.pending_max then
    perform private.raise_error(429, 'INVITATION.TOO_MANY',
      format('at most %s invitations may be pending; revoke or wait for one', v_caps.pending_max));
  end if;
  if (select count(*) from public.staff_invitations i
       where i.clinic_id = p_clinic_id and i.created_at > private.now() - interval '24 hours')
     + (select count(*) from private.staff_invitation_resends r
         where r.clinic_id = p_clinic_id and r.resent_at > private.now() - interval '24 hours')
     >= v_caps.per_day_max then
    perform private.raise_error(429, 'INVITATION.TOO_MANY',
      format('at most %s invitations a day', v_caps.per_day_max));
  end if;
end
$$;
revoke all on function private.staff_invitation_check_caps(uuid, boolean) from public;

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
  -- fix18 H2 caps, now shared with resend_staff_invitation (team19): one lock per clinic
  perform private.staff_invitation_check_caps(p_clinic_id, true);
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

create function public.resend_staff_invitation(p_invitation_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_inv public.staff_invitations;
  v_token text := private.new_token();
begin
  select * into v_inv from public.staff_invitations where id = p_invitation_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  perform private.require_admin(v_inv.clinic_id);
  if v_inv.role = 'owner' and not (private.is_service() or private.is_clinic_owner(v_inv.clinic_id)) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner can invite an owner');
  end if;
  perform private.staff_invitation_check_caps(v_inv.clinic_id, v_inv.expires_at <= private.now());
  -- read again under the clinic's lock: a concurrent accept or revoke has settled by now
  select * into v_inv from public.staff_invitations where id = p_invitation_id for update;
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'the invitation is no longer pending');
  end if;
  update public.staff_invitations
     set token_hash = private.hash_token(v_token),
         expires_at = private.now() + interval '7 days',
         resends = resends + 1
   where id = v_inv.id
  returning * into v_inv;
  insert into private.staff_invitation_resends (invitation_id, clinic_id) values (v_inv.id, v_inv.clinic_id);
  return jsonb_build_object('invitation_id', v_inv.id, 'token', v_token, 'expires_at', v_inv.expires_at);
end
$$;
revoke execute on function public.resend_staff_invitation(uuid) from public, anon;
grant execute on function public.resend_staff_invitation(uuid) to authenticated, service_role;

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
                            -- team19: the send's round (0 = first send), part of its idempotency keys
                            'resends', v_inv.resends,
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

create or replace function public.staff_invitation_email_begin(
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
  -- one email per invitation and send round (team19: a resend is a new round)
  v_key := 'staff_invitation_email:' || v_inv.id::text
           || case when v_inv.resends > 0 then ':' || v_inv.resends::text else '' end;
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
