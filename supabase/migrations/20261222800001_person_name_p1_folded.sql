-- Session 22 (name22), review22 finding 3: rule P1 (docs/domain-rules.md) was easy to get round. Through an anonymous
-- paired kiosk (kiosk_register_walk_in) and a staff display-name update the review stored "Gagnant rb.gy/x12",
-- "Promo appelez 06_61_23_45_67", "Gagnant 𝟎𝟔𝟔𝟏𝟐𝟑𝟒𝟓𝟔𝟕", digits separated by _ – , * or a no-break space,
-- Devanagari digits, "bit。ly/x", "ｂｉｔ．ｌｙ/x", "lnkd.in/x" and "bit . ly/x": the old test knew a fixed list of
-- top-level domains, three digit sets and five separators.
--
-- The text is now FOLDED before it is judged (private.contact_fold, new): NFKC (math-bold, full-width, circled,
-- superscript forms become their plain letters and digits), lower case, every Unicode decimal digit (\p{Nd}, all 76
-- sets of Unicode 17 — each set is ten consecutive code points 0…9) becomes 0-9, the full stops 。｡．﹒ become '.',
-- the slashes ⧸∕⁄╱ become '/', the at signs ＠﹫ '@'. Then (private.clinic_name_allowed, new body — it serves clinic
-- names, rooms, a listed clinic's city and, through private.person_name_no_contact, every person's name):
--   - a phone number: 6 or more digits where each gap between two digits is at most 3 characters that are not
--     letters (any script's letters in the table below) — "06_61_23_45_67", "06 – 12 – 34", "06*12*34*56*78";
--   - a link: a scheme (x://), "www.", or a dot between a label and
--       a) any 2–24 letters followed at once by a path ("rb.gy/x12", "lnkd.in/x", "t.me/win");
--       b) a known-looking top-level domain (any two letters, or a common generic one in the list below) followed by
--          a path, with up to 3 spaces around the dot and before the slash ("bit . ly/x", "bit. ly/x");
--       c) a known-looking top-level domain that ends the word, with no space after the dot, after a label of 2 or
--          more letters or digits ("xy.co", "bit.ly") — a title is no domain there ("Dr.El Idrissi", "Mme.Al Fassi":
--          dr pr mr mme mlle me st ste sr jr);
--       d) the same with spaces before the dot ("bit . ly", "bit .ly").
--     Without a path, a one-letter label is an initial ("M.El Amrani", "A.Ma"): one-letter domains are reserved
--     or held by large companies (x.co, t.me), and with a path they are caught by a) and b).
--     Initials pass: "A.B. Cherkaoui" (one letter after each dot), "M. Alami", "Dr. Ahmed", "Mohamed V. Alaoui",
--     "A.Bennani" (not a known-looking domain, no path), "M.El Amrani". The edge: a dot with no space followed by exactly two
--     letters and the word's end ("Abd.El Kader") reads as a domain and is refused — "Abd El Kader" or "Abd. El" pass.
-- private.person_name_no_contact (latest body 20261221800001) judges the e-mail address on the folded text too, and
-- refuses the spelled-out "(at)" / "(dot)" / "[at]" forms.
--
-- Names stored before stay as they are (P1's rule since 20261221800001: the triggers judge a name only when it is
-- written). Redefined: private.clinic_name_allowed (latest 20261216700001), private.person_name_no_contact (latest
-- 20261221800001). New: private.contact_fold. Tests: supabase/tests/personNameP1.test.ts with the shared case table
-- test/fixtures/contracts/personNameCases.ts.

create function private.contact_fold(p_text text) returns text
language sql immutable strict parallel safe set search_path = '' as $$
  with n(t) as (select translate(lower(normalize(p_text, nfkc)), '。｡．﹒⧸∕⁄╱＠﹫', '....////@@'))
  -- the long digit table only when the text holds a digit other than 0-9 (translate scans it for every character)
  select case when t ~ '[\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9\uff10-\uff19\U000104a0-\U000104a9\U00010d30-\U00010d39\U00010d40-\U00010d49\U00011066-\U0001106f\U000110f0-\U000110f9\U00011136-\U0001113f\U000111d0-\U000111d9\U000112f0-\U000112f9\U00011450-\U00011459\U000114d0-\U000114d9\U00011650-\U00011659\U000116c0-\U000116c9\U000116d0-\U000116e3\U00011730-\U00011739\U000118e0-\U000118e9\U00011950-\U00011959\U00011bf0-\U00011bf9\U00011c50-\U00011c59\U00011d50-\U00011d59\U00011da0-\U00011da9\U00011de0-\U00011de9\U00011f50-\U00011f59\U00016130-\U00016139\U00016a60-\U00016a69\U00016ac0-\U00016ac9\U00016b50-\U00016b59\U00016d70-\U00016d79\U0001ccf0-\U0001ccf9\U0001d7ce-\U0001d7ff\U0001e140-\U0001e149\U0001e2f0-\U0001e2f9\U0001e4f0-\U0001e4f9\U0001e5f1-\U0001e5fa\U0001e950-\U0001e959\U0001fbf0-\U0001fbf9]'
              then translate(t, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹߀߁߂߃߄߅߆߇߈߉०१२३४५६७८९০১২৩৪৫৬৭৮৯੦੧੨੩੪੫੬੭੮੯૦૧૨૩૪૫૬૭૮૯୦୧୨୩୪୫୬୭୮୯௦௧௨௩௪௫௬௭௮௯౦౧౨౩౪౫౬౭౮౯೦೧೨೩೪೫೬೭೮೯൦൧൨൩൪൫൬൭൮൯෦෧෨෩෪෫෬෭෮෯๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙༠༡༢༣༤༥༦༧༨༩၀၁၂၃၄၅၆၇၈၉႐႑႒႓႔႕႖႗႘႙០១២៣៤៥៦៧៨៩᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙᥆᥇᥈᥉᥊᥋᥌᥍᥎᥏᧐᧑᧒᧓᧔᧕᧖᧗᧘᧙᪀᪁᪂᪃᪄᪅᪆᪇᪈᪉᪐᪑᪒᪓᪔᪕᪖᪗᪘᪙᭐᭑᭒᭓᭔᭕᭖᭗᭘᭙᮰᮱᮲᮳᮴᮵᮶᮷᮸᮹᱀᱁᱂᱃᱄᱅᱆᱇᱈᱉᱐᱑᱒᱓᱔᱕᱖᱗᱘᱙꘠꘡꘢꘣꘤꘥꘦꘧꘨꘩꣐꣑꣒꣓꣔꣕꣖꣗꣘꣙꤀꤁꤂꤃꤄꤅꤆꤇꤈꤉꧐꧑꧒꧓꧔꧕꧖꧗꧘꧙꧰꧱꧲꧳꧴꧵꧶꧷꧸꧹꩐꩑꩒꩓꩔꩕꩖꩗꩘꩙꯰꯱꯲꯳꯴꯵꯶꯷꯸꯹０１２３４５６７８９𐒠𐒡𐒢𐒣𐒤𐒥𐒦𐒧𐒨𐒩𐴰𐴱𐴲𐴳𐴴𐴵𐴶𐴷𐴸𐴹𐵀𐵁𐵂𐵃𐵄𐵅𐵆𐵇𐵈𐵉𑁦𑁧𑁨𑁩𑁪𑁫𑁬𑁭𑁮𑁯𑃰𑃱𑃲𑃳𑃴𑃵𑃶𑃷𑃸𑃹𑄶𑄷𑄸𑄹𑄺𑄻𑄼𑄽𑄾𑄿𑇐𑇑𑇒𑇓𑇔𑇕𑇖𑇗𑇘𑇙𑋰𑋱𑋲𑋳𑋴𑋵𑋶𑋷𑋸𑋹𑑐𑑑𑑒𑑓𑑔𑑕𑑖𑑗𑑘𑑙𑓐𑓑𑓒𑓓𑓔𑓕𑓖𑓗𑓘𑓙𑙐𑙑𑙒𑙓𑙔𑙕𑙖𑙗𑙘𑙙𑛀𑛁𑛂𑛃𑛄𑛅𑛆𑛇𑛈𑛉𑛐𑛑𑛒𑛓𑛔𑛕𑛖𑛗𑛘𑛙𑛚𑛛𑛜𑛝𑛞𑛟𑛠𑛡𑛢𑛣𑜰𑜱𑜲𑜳𑜴𑜵𑜶𑜷𑜸𑜹𑣠𑣡𑣢𑣣𑣤𑣥𑣦𑣧𑣨𑣩𑥐𑥑𑥒𑥓𑥔𑥕𑥖𑥗𑥘𑥙𑯰𑯱𑯲𑯳𑯴𑯵𑯶𑯷𑯸𑯹𑱐𑱑𑱒𑱓𑱔𑱕𑱖𑱗𑱘𑱙𑵐𑵑𑵒𑵓𑵔𑵕𑵖𑵗𑵘𑵙𑶠𑶡𑶢𑶣𑶤𑶥𑶦𑶧𑶨𑶩𑷠𑷡𑷢𑷣𑷤𑷥𑷦𑷧𑷨𑷩𑽐𑽑𑽒𑽓𑽔𑽕𑽖𑽗𑽘𑽙𖄰𖄱𖄲𖄳𖄴𖄵𖄶𖄷𖄸𖄹𖩠𖩡𖩢𖩣𖩤𖩥𖩦𖩧𖩨𖩩𖫀𖫁𖫂𖫃𖫄𖫅𖫆𖫇𖫈𖫉𖭐𖭑𖭒𖭓𖭔𖭕𖭖𖭗𖭘𖭙𖵰𖵱𖵲𖵳𖵴𖵵𖵶𖵷𖵸𖵹𜳰𜳱𜳲𜳳𜳴𜳵𜳶𜳷𜳸𜳹𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡𝟢𝟣𝟤𝟥𝟦𝟧𝟨𝟩𝟪𝟫𝟬𝟭𝟮𝟯𝟰𝟱𝟲𝟳𝟴𝟵𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿𞅀𞅁𞅂𞅃𞅄𞅅𞅆𞅇𞅈𞅉𞋰𞋱𞋲𞋳𞋴𞋵𞋶𞋷𞋸𞋹𞓰𞓱𞓲𞓳𞓴𞓵𞓶𞓷𞓸𞓹𞗱𞗲𞗳𞗴𞗵𞗶𞗷𞗸𞗹𞗺𞥐𞥑𞥒𞥓𞥔𞥕𞥖𞥗𞥘𞥙🯰🯱🯲🯳🯴🯵🯶🯷🯸🯹', '0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789')
              else t end
    from n
$$;
revoke all on function private.contact_fold(text) from public, anon;
grant execute on function private.contact_fold(text) to authenticated, service_role;

-- Letters (after the fold: lower-case ASCII, Latin with accents, Greek, Cyrillic, Arabic letters, Tifinagh). Anything
-- else between two digits — space, punctuation, dash, symbol, emoji, Arabic mark or tatweel — is a separator.
create or replace function private.clinic_name_allowed(p_name text) returns boolean
language sql immutable parallel safe
set search_path = ''
as $$
  with f(t) as (select private.contact_fold(p_name))
  select p_name is null or (
    -- a link (a scheme, www., a label and a top-level domain: see the header)
    t !~ '[a-z][a-z0-9+.-]*:/|www\.'
    and t !~ '[a-z0-9]\.[a-z]{2,24}/'
    and t !~ ('[a-z0-9]\s{0,3}\.\s{0,3}([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle)\s{0,3}/')
    and t !~ ('(^|[^a-z0-9])(?!(dr|pr|mr|mme|mlle|me|st|ste|sr|jr)\.)[a-z0-9-]*[a-z0-9]{2}\.([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle)([^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]|$)')
    and t !~ ('[a-z0-9]{2}\s{1,3}\.\s{0,3}([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle)([^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]|$)')
    -- a phone number: 6 or more digits, at most 3 non-letters between two of them
    and not exists (
      select 1
        from regexp_matches(t, '[0-9](?:[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{0,3}[0-9])*', 'g') as m(x)
       where char_length(regexp_replace(m.x[1], '[^0-9]', '', 'g')) >= 6))
    from f
$$;

create or replace function private.person_name_no_contact(p_name text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  with f(t) as (select private.contact_fold(p_name))
  select private.clinic_name_allowed(p_name)
     and t !~ '[^[:space:]@]\s{0,3}@\s{0,3}[^[:space:]@]+\s{0,3}\.\s{0,3}[^[:space:]@.]'
     and t !~ '[([{<]\s*(at|dot|arobase|point)\s*[])}>]'
    from f
$$;
