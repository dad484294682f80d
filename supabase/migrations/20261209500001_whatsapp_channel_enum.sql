-- Issue 20: WhatsApp as a third channel. The enum value gets its own migration: a new enum value cannot be used
-- in the transaction that adds it (20261209500002 uses it).
alter type public.notification_channel add value if not exists 'whatsapp';
