-- QueueMed baseline (7/8): who may call what, and the built-in notification templates.
--
-- EXECUTE is granted deliberately: Supabase's default privileges give every new function in public to
-- anon and authenticated (and PostgreSQL gives every function to PUBLIC), so revoke from all of them
-- first, then grant each RPC to the roles that may call it. Each function checks the caller's role in the
-- clinic itself; these grants only keep roles away from functions that are never theirs.
-- A new migration that adds a public function must revoke and grant it the same way.

-- ── Public functions (RPCs) ────────────────────────────────────────────────────────────────────────
revoke execute on all functions in schema public from public, anon, authenticated;

-- public (no account) and signed-in users alike
grant execute on function
  public.get_public_clinic(text),
  public.get_free_slots(uuid, date, date, uuid),
  public.get_waiting_board(uuid),
  public.get_visit_status(text),
  public.report_running_late(uuid, text)
to anon, authenticated;

-- signed-in users (each function checks the caller's role in the clinic itself)
grant execute on function
  -- queue
  public.get_queue(uuid, text, uuid),
  public.save_queue_step(uuid, integer, jsonb, jsonb, jsonb, uuid, jsonb),
  public.end_day(uuid, integer),
  public.mark_events_notified(bigint[]),
  -- booking and check-in
  public.book_appointment(uuid, timestamptz, uuid, uuid, text, public.app_language),
  public.staff_book_appointment(uuid, uuid, timestamptz, uuid, uuid),
  public.cancel_appointment(uuid, text),
  public.check_in(uuid),
  public.kiosk_check_in(uuid, text),
  public.claim_patient_records(),
  -- clinic and staff
  public.create_clinic(text, text, text, public.app_language, text),
  public.set_working_hours(uuid, jsonb),
  public.create_staff_invitation(uuid, public.member_role, text, text, text, text),
  public.accept_staff_invitation(text),
  public.revoke_staff_invitation(uuid),
  public.staff_invitation_delivery(uuid, text),
  -- notifications and the SMS budget
  public.save_notification_template(uuid, public.notification_kind, public.app_language, text),
  public.notification_recipient(uuid, uuid, text),
  public.notification_prepare(uuid, uuid, public.notification_kind, bigint, uuid, integer, text),
  public.notification_record_attempt(uuid, text),
  public.sms_budget_reserve(uuid, text, public.notification_kind, integer, numeric, uuid, bigint, text,
                            public.app_language, text),
  public.sms_budget_settle(uuid, public.notification_status, text, integer, numeric, text),
  public.sms_budget_report(uuid, date)
to authenticated;

-- the service role calls everything; these are ONLY its (sweeps, provider callbacks, the platform operator):
--   sweep_queues, notification_outbox, notification_close_interrupted, sms_delivery_update,
--   sms_inbound_apply, approve_sms_sender
grant execute on all functions in schema public to service_role;

-- ── Private helpers ────────────────────────────────────────────────────────────────────────────────
-- Not exposed through the API (the schema is not in PostgREST's search path), but called from RLS
-- policies and security-invoker functions in the caller's role, so every API role may execute them.
revoke all on all functions in schema private from public;
grant execute on all functions in schema private to anon, authenticated, service_role;

-- ── Built-in notification templates (clinic_id null): every message of DOMAIN.md in ar, fr, en ─────
insert into public.notification_templates (clinic_id, kind, language, body) values
  (null, 'booking_confirmed', 'fr', '{clinic_name} : rendez-vous confirmé, ticket {ticket}. Suivez votre place : {tracking_url}'),
  (null, 'booking_confirmed', 'en', '{clinic_name}: appointment confirmed, ticket {ticket}. Follow your place: {tracking_url}'),
  (null, 'booking_confirmed', 'ar', '{clinic_name}: تم تأكيد موعدك، رقم التذكرة {ticket}. تابع دورك: {tracking_url}'),
  (null, 'almost_turn', 'fr', '{patient_name}, bientôt votre tour chez {clinic_name} : vous êtes n°{position} (environ {eta}).'),
  (null, 'almost_turn', 'en', '{patient_name}, almost your turn at {clinic_name}: you are number {position} (about {eta}).'),
  (null, 'almost_turn', 'ar', '{patient_name}، اقترب دورك في {clinic_name}: ترتيبك {position} (حوالي {eta}).'),
  (null, 'your_turn', 'fr', '{patient_name}, c''est votre tour ! Ticket {ticket}, salle {room}.'),
  (null, 'your_turn', 'en', '{patient_name}, it is your turn! Ticket {ticket}, room {room}.'),
  (null, 'your_turn', 'ar', '{patient_name}، حان دورك! التذكرة {ticket}، القاعة {room}.'),
  (null, 'still_next', 'fr', '{patient_name}, un patient prioritaire passe avant vous ; vous restez le prochain ({ticket}).'),
  (null, 'still_next', 'en', '{patient_name}, a priority patient goes first; you are still next ({ticket}).'),
  (null, 'still_next', 'ar', '{patient_name}، سيدخل مريض ذو أولوية قبلك؛ ما زلت التالي ({ticket}).'),
  (null, 'marked_absent', 'fr', '{patient_name}, vous avez été appelé ({ticket}). Vous avez {grace_minutes} minutes pour vous présenter.'),
  (null, 'marked_absent', 'en', '{patient_name}, you were called ({ticket}). You have {grace_minutes} minutes to come in.'),
  (null, 'marked_absent', 'ar', '{patient_name}، تم استدعاؤك ({ticket}). لديك {grace_minutes} دقائق للحضور.'),
  (null, 'returned', 'fr', '{patient_name}, vous êtes de retour dans la file : position {position}.'),
  (null, 'returned', 'en', '{patient_name}, you are back in the queue: position {position}.'),
  (null, 'returned', 'ar', '{patient_name}، عدت إلى قائمة الانتظار: ترتيبك {position}.'),
  (null, 'cancelled', 'fr', '{clinic_name} : votre rendez-vous {ticket} est annulé.'),
  (null, 'cancelled', 'en', '{clinic_name}: your appointment {ticket} is cancelled.'),
  (null, 'cancelled', 'ar', '{clinic_name}: تم إلغاء موعدك {ticket}.'),
  (null, 'no_show', 'fr', '{clinic_name} : vous ne vous êtes pas présenté ({ticket}). Contactez-nous pour un nouveau rendez-vous.'),
  (null, 'no_show', 'en', '{clinic_name}: you did not show up ({ticket}). Contact us for a new appointment.'),
  (null, 'no_show', 'ar', '{clinic_name}: لم تحضر ({ticket}). تواصل معنا لموعد جديد.'),
  (null, 'staff_invitation', 'fr', 'Vous êtes invité(e) à rejoindre {clinic_name} sur QueueMed : {tracking_url}'),
  (null, 'staff_invitation', 'en', 'You are invited to join {clinic_name} on QueueMed: {tracking_url}'),
  (null, 'staff_invitation', 'ar', 'أنت مدعو للانضمام إلى {clinic_name} على QueueMed: {tracking_url}');
