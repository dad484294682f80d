-- One set of default message texts (issue 16 / 15.3, session 4). The built-in templates (clinic_id null)
-- that the server sends from said "salle {room}" and "(environ {eta})" while the app's defaults — what the
-- admin's template editor and preview show (src/services/notification/models/DefaultTemplates.ts) — expect
-- `{room}` and `{eta}` to be whole phrases ("Salle 2", "environ 25 min (20-35)"). The app's texts are the
-- one source: these rows are copied from DEFAULT_TEMPLATE_TEXTS, and supabase/tests/defaultTemplates.test.ts
-- fails when the database and the app disagree.
-- Only the texts of the existing queue messages; booking_confirmed and {tracking_url} are another
-- engineer's (issue 15.3), staff_invitation has its own link variable.
update public.notification_templates t
   set body = v.body
  from (values
  ('almost_turn', 'fr', '{clinic_name} : {patient_name}, votre tour approche. Position {position}, attente {eta}. Merci de rester près de la salle d''attente. {tracking_url}'),
  ('almost_turn', 'en', '{clinic_name}: {patient_name}, your turn is coming up. Position {position}, wait {eta}. Please stay close to the waiting room. {tracking_url}'),
  ('almost_turn', 'ar', '{clinic_name}: {patient_name}، اقترب دورك. ترتيبك {position}، الانتظار المتوقع {eta}. يرجى البقاء قرب قاعة الانتظار. {tracking_url}'),
  ('your_turn', 'fr', '{clinic_name} : {patient_name}, c''est votre tour ! Ticket {ticket}. Merci de vous présenter : {room}.'),
  ('your_turn', 'en', '{clinic_name}: {patient_name}, it''s your turn! Ticket {ticket}. Please go to: {room}.'),
  ('your_turn', 'ar', '{clinic_name}: {patient_name}، حان دورك! التذكرة {ticket}. تفضل إلى: {room}.'),
  ('still_next', 'fr', '{clinic_name} : {patient_name}, rassurez-vous, vous gardez votre place (position {position}). Merci de votre patience.'),
  ('still_next', 'en', '{clinic_name}: {patient_name}, don''t worry, you keep your place in line (position {position}). Thank you for your patience.'),
  ('still_next', 'ar', '{clinic_name}: {patient_name}، لا تقلق، ما زلت محتفظًا بمكانك في الدور (الترتيب {position}). شكرًا على صبرك.'),
  ('marked_absent', 'fr', '{clinic_name} : {patient_name}, le ticket {ticket} a été appelé mais vous n''étiez pas là. Vous avez {grace_minutes} minutes pour revenir à l''accueil et garder votre tour.'),
  ('marked_absent', 'en', '{clinic_name}: {patient_name}, ticket {ticket} was called but you were not there. You have {grace_minutes} minutes to come back to reception and keep your turn.'),
  ('marked_absent', 'ar', '{clinic_name}: {patient_name}، تمت المناداة على التذكرة {ticket} ولم تكن حاضرًا. لديك {grace_minutes} دقيقة للعودة إلى الاستقبال والاحتفاظ بدورك.'),
  ('returned', 'fr', '{clinic_name} : bon retour, {patient_name}. Vous reprenez votre place dans la file d''attente, position {position} (ticket {ticket}).'),
  ('returned', 'en', '{clinic_name}: welcome back, {patient_name}. You are back in line at position {position} (ticket {ticket}).'),
  ('returned', 'ar', '{clinic_name}: مرحبًا بعودتك {patient_name}. رجعت إلى قائمة الانتظار، ترتيبك الآن {position} (التذكرة {ticket}).'),
  ('cancelled', 'fr', '{clinic_name} : {patient_name}, votre visite (ticket {ticket}) a été annulée. S''il s''agit d''une erreur, merci de nous contacter.'),
  ('cancelled', 'en', '{clinic_name}: {patient_name}, your visit (ticket {ticket}) has been cancelled. If this is a mistake, please contact us.'),
  ('cancelled', 'ar', '{clinic_name}: {patient_name}، تم إلغاء زيارتك (التذكرة {ticket}). إذا كان ذلك عن طريق الخطأ، يرجى الاتصال بنا.'),
  ('no_show', 'fr', '{clinic_name} : {patient_name}, nous ne vous avons pas vu aujourd''hui (ticket {ticket}). Vous pouvez reprendre rendez-vous quand vous le souhaitez.'),
  ('no_show', 'en', '{clinic_name}: {patient_name}, we missed you today (ticket {ticket}). You can book a new appointment at any time.'),
  ('no_show', 'ar', '{clinic_name}: {patient_name}، لم نرك اليوم (التذكرة {ticket}). يمكنك حجز موعد جديد في أي وقت.')
  ) as v(kind, language, body)
 where t.clinic_id is null and t.kind = v.kind::public.notification_kind and t.language = v.language::public.app_language;
