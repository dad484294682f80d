-- Attack review of session 16: anon (no account at all) read every column of every clinic, including
-- created_by (the owner's auth user id: the handle the REST API's forged-JWT replay needed), settings (the
-- clinic's whole rule set), whatsapp_templates / whatsapp_sender / sms_sender (its messaging set-up) and
-- retention_days. No public screen reads the clinics table: the booking page, tracker, board and kiosk go
-- through get_public_clinic and the other public RPCs (security definer), the edge functions use the
-- service role, and only signed-in staff screens (admin) select clinics directly.
--
-- anon keeps the columns a clinic publishes anyway (get_public_clinic answers them to anyone): id, slug,
-- name, time_zone, default_language, ticket_prefix, phone, address. A column added later is NOT readable by
-- anon unless granted here on purpose. authenticated is unchanged (staff read their clinic's settings).
revoke select on public.clinics from anon;
grant select (id, slug, name, time_zone, default_language, ticket_prefix, phone, address) on public.clinics to anon;
