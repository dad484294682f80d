-- email18: a message whose only way to the patient is an email address they have not proved is not sent; it is
-- recorded in the message log as `skipped` with this reason. The enum value alone here: a new enum value can't be
-- used in the transaction that adds it (20261217200002 uses it).
alter type public.notification_skip_reason add value if not exists 'email_not_confirmed';
