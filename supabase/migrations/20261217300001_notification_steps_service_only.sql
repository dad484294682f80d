-- Session 18 (secmisc18): the rest of the sender's steps are the server's alone.
--
-- sms17 (20261216800001) took the message log's writers away from signed-in callers; four steps of the same
-- pipeline were left EXECUTE-able by `authenticated`, each guarded only by "is a staff member of the clinic":
--   notification_record_skip     — a receptionist could write "skipped" lines under any idempotency key, so the
--                                  real message owed under that key (your_turn, a reminder, an owner's notice) is
--                                  never sent (the outbox owes nothing once a row holds the key);
--   notification_record_attempt  — count failed attempts on the clinic's messages (and write their error text);
--   notification_email_bounced   — mark a patient's email address bounced (the route then passes over it);
--   notification_recipient       — read a visit's phone/email and routing decision.
-- Every caller is server-side and already holds the service key: deliver()/deliverEmail() in
-- supabase/functions/_shared (send-sms and send-staff-invitation switch to the service key after checking the
-- caller with the caller's own token through notification_prepare / staff_invitation_delivery), the notification
-- sweep, twilio-status-callback. No browser code calls them. Every overload of each name is covered.
do $$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public'
       and p.proname in ('notification_record_skip', 'notification_record_attempt', 'notification_email_bounced',
                         'notification_recipient')
  loop
    execute format('revoke all on function %s from public, anon, authenticated', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end
$$;
