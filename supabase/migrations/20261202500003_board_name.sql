-- Issue 15.8: the board cut "عبد الله" to "عبد ا." — private.board_name took the first word as the first
-- name. The rule now (first name + initial of the family name, for the waiting-room screen):
-- - the first name keeps a compound's parts: a first word "عبد"/"Abd"/"Abdel"/"Abdul"/"Abou"/"Abu"/"أبو"/"ابو"
--   takes the next word with it, and "el"/"al"/"ال" after "Abd"/"Abou" one more ("Abd el Kader");
-- - the initial is the family name's first letter after an Arabic article "ال" ("التازي" → "ت."), or after
--   a Latin "El-"/"Al-"/"El "/"Al " prefix is left as is (first letter);
-- - one word → that word alone; nothing → null. No TS twin exists (the board shows what the server sends).
create or replace function private.board_name(p_full_name text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  w text[] := regexp_split_to_array(btrim(regexp_replace(coalesce(p_full_name, ''), '\s+', ' ', 'g')), ' ');
  n integer;
  k integer := 1;
  v_first text;
  v_last text;
begin
  if p_full_name is null or btrim(p_full_name) = '' then
    return null;
  end if;
  n := coalesce(array_length(w, 1), 0);
  if n > 1 and lower(w[1]) in ('عبد', 'abd', 'abdel', 'abdul', 'abou', 'abu', 'أبو', 'ابو', 'bou') then
    k := 2;
    if n > 2 and lower(w[1]) in ('abd', 'abou', 'abu') and lower(w[2]) in ('el', 'al') then
      k := 3;
    end if;
  end if;
  v_first := array_to_string(w[1:k], ' ');
  if n <= k then
    return v_first;
  end if;
  v_last := w[k + 1];
  if v_last ~ '^ال.' then
    v_last := substr(v_last, 3);
  end if;
  return v_first || ' ' || left(v_last, 1) || '.';
end
$$;
