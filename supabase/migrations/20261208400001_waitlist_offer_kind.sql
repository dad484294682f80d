-- Issue 17: the waitlist offer's message kind. In its own migration: Postgres cannot use an enum value in the
-- transaction that added it (the offer's templates, outbox and functions are in 20261208400002).
alter type public.notification_kind add value if not exists 'waitlist_offer';
