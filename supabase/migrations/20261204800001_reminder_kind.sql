-- Issue 20: the appointment reminder's message kind. In its own migration: Postgres cannot use an enum value
-- in the transaction that added it (the reminder's templates, outbox and settings are in 20261204800002).
alter type public.notification_kind add value if not exists 'appointment_reminder';
