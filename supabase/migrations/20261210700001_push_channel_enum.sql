-- Issue 20: web push as a channel. The enum value gets its own migration: a new enum value cannot be used in the
-- transaction that adds it (20261210700002 uses it).
alter type public.notification_channel add value if not exists 'push';
