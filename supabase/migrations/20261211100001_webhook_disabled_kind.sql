-- Issue 18: the owner notice of a webhook endpoint disabled for failing becomes a message kind of the outbox.
-- In its own migration: Postgres cannot use an enum value in the transaction that added it (its templates,
-- outbox and sender rules are in 20261211100002).
alter type public.notification_kind add value if not exists 'webhook_disabled';
