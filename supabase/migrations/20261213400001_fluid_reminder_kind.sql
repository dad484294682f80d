-- Issue 17: the fluid visit's day-before reminder gets its own message kind (its text has no time: "your place
-- in the line tomorrow"). In its own migration: Postgres cannot use an enum value in the transaction that added
-- it (the templates, the outbox and the reschedule are in 20261213400002).
alter type public.notification_kind add value if not exists 'fluid_reminder';
