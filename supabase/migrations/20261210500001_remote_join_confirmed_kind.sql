-- Issue 17: the remote-join confirmation's message kind. In its own migration: Postgres cannot use an enum
-- value in the transaction that added it (its templates and the outbox are in 20261210500002).
alter type public.notification_kind add value if not exists 'remote_join_confirmed';
