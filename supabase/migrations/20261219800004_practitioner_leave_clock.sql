-- Session 19 (lead): practitioner_leave.created_at defaulted to now(), the wall clock; every timestamp reads the
-- one database clock private.now() (20261202100001; clock.test.ts checks every default, body, policy and view).
alter table public.practitioner_leave alter column created_at set default private.now();
