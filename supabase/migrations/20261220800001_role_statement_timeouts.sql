-- fix20 (review20 M1, part): a statement time limit for the callers' roles. Without one, an anonymous flood of
-- slow public calls (get_free_slots over a month) held every connection for as long as it liked. Hosted Supabase
-- sets these very values per role (anon 3 s, authenticated 8 s); written here so a project that lost them, and
-- the local stack, get them too. PostgREST applies a role's settings when it switches to that role for a request
-- (impersonated role settings); the local stack does the same (supabase/local/rest/postgrest.ts SET_REQUEST_SQL).
-- A cancelled statement (SQLSTATE 57014) rolls its transaction back and is answered 503 SERVER.BUSY.
-- service_role (the server's own sweeps and functions) keeps no limit.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

notify pgrst, 'reload config';
