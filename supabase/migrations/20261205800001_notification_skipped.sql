-- Issue 20: a message not sent because the patient opted out (STOP) or has no phone is recorded in the
-- message log as `skipped`, with its reason. The enum value and the reason type alone here: a new enum value
-- can't be used in the transaction that adds it (20261205800002 uses it).
alter type public.notification_status add value if not exists 'skipped';
create type public.notification_skip_reason as enum ('opted_out', 'no_phone');
