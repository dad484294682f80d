-- Session 17 (sms17): the message log's writers are the server's alone.
--
-- An attack review showed a receptionist could call the sender's own steps with their token:
--   notification_push_begin(…, p_body => 'FREE TEXT …') + notification_push_defer → the notification sweep
--   (service role) pushed the stored text and then sent it as an SMS to the patient;
--   sms_budget_reserve(p_recipient => any number, p_body => any text) + sms_budget_settle('sent') → a forged
--   "sent" line in the message log, and ~500 calls spend the month's budget (real your_turn SMS then skipped).
-- These functions take a body, a recipient or a delivery status: only the server may call them. The send-sms and
-- send-staff-invitation edge functions still check the caller with the caller's token (notification_prepare,
-- staff_invitation_delivery: the database decides who owes what, the text is rendered from its template) and then
-- record and send with the service key; the notification sweep already is the service role.
-- Every overload of each name is covered (the signatures moved over the sessions).
do $$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public'
       and p.proname in ('sms_budget_reserve', 'sms_budget_settle', 'notification_push_begin',
                         'notification_push_settle', 'notification_push_defer', 'notification_email_begin',
                         'notification_email_settle', 'notification_sms_fallback', 'notification_whatsapp_begin')
  loop
    execute format('revoke all on function %s from public, anon, authenticated', f);
    execute format('grant execute on function %s to service_role', f);
  end loop;
end
$$;
