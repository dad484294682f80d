-- sec19 (review19 L3): is_clean_person_name refused Unicode format characters (Cf) but accepted characters that
-- are letters or marks by category and yet show nothing, so a name could still hide a difference or be blank on
-- the board and the desk: the Hangul fillers U+3164, U+FFA0, U+115F, U+1160, BRAILLE PATTERN BLANK U+2800, Khmer
-- U+17B4/U+17B5, COMBINING GRAPHEME JOINER U+034F, the Mongolian variation selectors U+180B–U+180F, the variation
-- selectors U+FE00–U+FE0F (and their supplement U+E0100–U+E01EF), and runs of stacked combining marks ("zalgo").
--
-- private.is_clean_person_name(text) (latest body: 20261216900002) keeps every rule it had and adds:
--   * the characters above are refused — except VS15/VS16 (U+FE0E/U+FE0F) directly after a character that has a
--     text/emoji presentation (digits, # and * for keycaps, ©, ®, the symbol blocks U+203C–U+2BFF, U+3030, U+303D,
--     U+3297, U+3299, U+1F000–U+1FAFF): 👩🏽‍⚕️ and ❤️ are emoji people put in names; after a letter it only hides;
--   * at most 3 combining marks in a row from the generic diacritic blocks (U+0300–U+036F, U+0483–U+0489,
--     U+1AB0–U+1AFF, U+1DC0–U+1DFF, U+20D0–U+20FF, U+FE20–U+FE2F: a decomposed French or Vietnamese letter uses
--     1 or 2), and at most 4 in a row counting the Arabic and Hebrew marks too (shadda + a haraka is 2);
--   * a name that holds something but nothing visible (only marks, joiners, variation selectors, no-break or
--     other blank spaces) is refused; an empty or all-space name stays the length rules' business (a patient's
--     first booking may leave the name empty to take the profile's).
-- Everything that checked it still does (patients trigger, set_my_name, find_or_create_patient, the profiles
-- constraint, handle_new_user), so they refuse these with the same 422 VALIDATION.FAILED / 23514.
-- private.strip_person_name (same source) removes the new characters and trims runs too; stored names that the
-- rule now refuses are cleaned with it once ('?' for a patient, null for a profile when nothing clean is left).

create or replace function private.is_clean_person_name(p_name text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  select p_name !~ '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2800\u3164\uffa0\ufe00-\ufe0d\U000e0100-\U000e01ef]'
     and p_name !~ '(^|\s|[\u200c\u200d])[\u200c\u200d]|[\u200c\u200d]($|\s)'
     and p_name !~ '(^|[^#*0-9\u00a9\u00ae\u203c-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff])[\ufe0e\ufe0f]'
     and p_name !~ '[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{4}'
     and p_name !~ '[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff]{5}'
     and (p_name ~ '^\s*$' or p_name ~ '[^\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u200c\u200d\ufe0e\ufe0f\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff]')
$$;

create or replace function private.strip_person_name(p_name text) returns text
language sql immutable strict parallel safe set search_path = '' as $$
  select private.normalize_person_name(
    regexp_replace(
      regexp_replace(
        regexp_replace(
          regexp_replace(
            regexp_replace(p_name, '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2800\u3164\uffa0\ufe00-\ufe0d\U000e0100-\U000e01ef]', ' ', 'g'),
            '(^|[^#*0-9\u00a9\u00ae\u203c-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff])[\ufe0e\ufe0f]+', '\1', 'g'),
          '([\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{3})[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+', '\1', 'g'),
        '([\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff]{4})[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff]+', '\1', 'g'),
      '(^|\s)[\u200c\u200d]+|[\u200c\u200d]+($|\s)|([\u200c\u200d])[\u200c\u200d]+', '\1\2\3', 'g'))
$$;
revoke all on function private.strip_person_name(text) from public, anon, authenticated;

-- names stored before that the rule now refuses (no user here, so no rename is counted)
update public.patients p
   set full_name = case when private.is_clean_person_name(private.strip_person_name(p.full_name))
                         and private.strip_person_name(p.full_name) <> ''
                        then private.strip_person_name(p.full_name) else '?' end
 where not private.is_clean_person_name(p.full_name);

update public.profiles p
   set full_name = case when private.is_clean_person_name(left(private.strip_person_name(p.full_name), 200))
                        then nullif(left(private.strip_person_name(p.full_name), 200), '') end
 where p.full_name is not null and not private.is_clean_person_name(p.full_name);
