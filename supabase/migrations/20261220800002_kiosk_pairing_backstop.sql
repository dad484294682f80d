-- fix20 (review20 M2): the kiosk pairing exchange's failure cap was global (100 wrong codes in 10 minutes, across
-- all clinics, the caller being anonymous), so one anonymous client locked pairing by code for every clinic with
-- 101 requests. Wrong codes are now counted per client address where the caller's address is known — the local
-- stack's gateway (supabase/local/kioskPairingLimit.ts: 10 per 10 minutes per address, 429 KIOSK.TOO_MANY_ATTEMPTS
-- with Retry-After) — and this global cap stays only as a much higher backstop: 10 000 in 10 minutes still gives
-- about 10 000 × 5 live codes / 2^40 ≈ 5·10⁻⁸ odds of a hit per window. redeem_kiosk_pairing_code (20261217500001,
-- its only definition) is unchanged: it reads the cap from this function.
create or replace function private.kiosk_pairing_failures_max() returns integer
language sql immutable set search_path = '' as $$ select 10000 $$;
revoke all on function private.kiosk_pairing_failures_max() from public, anon, authenticated;
