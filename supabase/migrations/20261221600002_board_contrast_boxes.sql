-- Session 21 (feat21b), issue 17 leftovers: boardColoursReadable (board20) checks "every text the board draws", but
-- private.board_min_contrast left out the "Next" column's notices and modelled the cards inside a column as if they
-- sat on the background. The board (src/pages/board/BoardBody.tsx) draws:
--   * the paused box: white text on Tailwind's amber-400 at 20 % (#fcbb00, `bg-amber-400/20`) over the column's 5 %
--     white card;
--   * the intake-closed box: white text on 10 % white over that card (`bg-white/10` inside `bg-white/5`);
--   * on that same nested surface, the serving cards after the first and the next tickets: their names at 80 % white
--     and, on the serving cards, the accent "Room" label.
-- All four now count. A pair that was readable on every surface board20 checked but not on the nested one (Tailwind's
-- blue-800 #1e40af with blue-200 #bfdbfe: 4.81:1 before, 4.29:1 for the accent label there) is now refused with
-- 422 BOARD.LOW_CONTRAST. The domain (src/services/clinic/models/BoardColours.ts boardMinContrast) computes the same
-- figure for the admin form; this decides. Colours saved before are not re-judged (the board shows them; the admin
-- form says "below 4.5:1" when it is opened again).
--
-- Redefined from its newest body: private.board_min_contrast (20261220300001_board_branding.sql).

create or replace function private.board_min_contrast(p_bg text, p_accent text) returns double precision
language sql immutable
set search_path = ''
as $$
  with c as (
    select private.hex_rgb(p_bg) as bg, private.hex_rgb(p_accent) as accent,
           array[255, 255, 255]::double precision[] as white
  ), s as (
    select bg, accent, white, private.rgb_over(white, bg, 0.05) as card5, private.rgb_over(white, bg, 0.10) as card10
      from c
  ), n as (
    select s.*, private.rgb_over(white, card5, 0.10) as nested,
           private.rgb_over(private.hex_rgb('#fcbb00'), card5, 0.20) as paused
      from s
  )
  select least(
           private.contrast_ratio(private.rgb_over(white, bg, 0.70), bg),
           private.contrast_ratio(private.rgb_over(white, card5, 0.80), card5),
           private.contrast_ratio(private.rgb_over(white, card10, 0.80), card10),
           private.contrast_ratio(bg, white),
           private.contrast_ratio(accent, bg),
           private.contrast_ratio(accent, card5),
           private.contrast_ratio(accent, card10),
           -- feat21b: the paused and intake-closed boxes, and the cards inside a column
           private.contrast_ratio(white, paused),
           private.contrast_ratio(white, nested),
           private.contrast_ratio(private.rgb_over(white, nested, 0.80), nested),
           private.contrast_ratio(accent, nested))
    from n
$$;

revoke all on function private.board_min_contrast(text, text) from public, anon, authenticated;
