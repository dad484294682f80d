-- The webhook tables' timestamps default to the pinnable clock like every other table
-- (20261202100001_private_now_everywhere.sql): 20261206700001 gave them now(), which the one-clock check
-- (supabase/tests/clock.test.ts) refuses.
alter table public.webhook_endpoints alter column created_at set default private.now();
alter table public.webhook_endpoints alter column updated_at set default private.now();
alter table public.webhook_deliveries alter column created_at set default private.now();
