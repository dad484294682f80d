-- Session 23 (fix23a), review23 M1 + L5: rule P1 (docs/domain-rules.md), its folding, its gaps and its false refusals.
--
-- M1: an attack review over HTTP stored, through the /v1 walk-in, a profiles PATCH, a sign-up's data.full_name and
-- create_clinic: "Promo 06 -- 61 -- 23 -- 45 -- 67" (4-character separators), "Gagnant ⓿❻❻❶❷❸❹❺❻❼" (dingbat and
-- negative circled digits, which NFKC leaves as they are), "bit۔ly/promo" (U+06D4), "bit·ly/promo", "bit(.)ly/promo",
-- "[.]", ‧ ։ ⸼ ・ as dots, "06 x 61 x 23 x 45 x 67", "et" / "و" / Tifinagh letters between digit pairs, "evil.coffee".
-- Now (private.contact_fold, new body — latest 20261222800001):
--   - the dingbat digits U+2776–2793, the double-circled and negative circled ones U+24EB–24FF, U+1F10B–1F10C fold to
--     their digits (❿ ⓫ … ⓴ to two digits);
--   - more dots fold to '.': ۔ · ‧ ։ ⸼ ・ ∙ ⋅ • ⸱ ᛫ । ። ᠃ ٫ (besides 。｡．﹒);
--   - "(.)", "[.]", "{.}", "<.>", "(dot)", "(point)" (spaces around allowed) fold to '.' — for links too, not only
--     e-mails (the e-mail rule still refuses the spelled-out "(at)", "[dot]" on the text before this step).
-- The phone rule (private.contact_free_folded, new: the link and phone part of private.clinic_name_allowed, on the
-- folded text — it is folded once per name now): 6 or more digits where each gap between two digits is
--   - up to 6 characters that are neither letters nor digits ("06 -- 61", "06 / - 61"), or
--   - one word of 1–3 letters with at least one such character on each side ("06 x 61", "06 et 61", "06 and 61"), or
--   - 1–3 letters of Arabic, Tifinagh, Greek or Cyrillic, spaced or not ("06 و61", "06ⵣ61"), or a bare "x" ("06x61").
--   A Latin letter touching a digit is no gap: "Centre 24h/24 7j/7" and "24h24" stay clinic names.
-- The link rule's list of generic top-level domains grows by the open ones spam uses (coffee, bond, quest, cam, …;
-- only names the IANA root holds).
--
-- L5: real names were refused: "Moulay.El Hassan", "Sidi.Ma Alaoui", "Lalla.Ni Idrissi", "Abd.Al Aziz",
-- "Ch.de la Tour" and the documented edge "Abd.El Kader". A dot with no space between a label of letters only and a
-- two-letter name particle (el al ma ni de la le du da di ou ag bu) followed by a space and another word is a name,
-- not a domain. "Gagnant xdr.ma", "cadeau-gratuit.ma" (a hyphen or digit in the label), "x.ma/y" (a path) stay refused.
--
-- The sign-up: private.handle_new_user (latest 20261216900002) stored a metadata name breaking P1 as NULL, silently.
-- It now refuses the sign-up: 422 PERSON.NAME_NOT_ALLOWED (raised, so no account is made; the local auth answers
-- 422 person_name_not_allowed and the sign-up screen says "enter the person's name only" in the user's language).
-- Invisible and control characters are still removed, as before.
-- The profiles path: a PATCH of profiles.full_name breaking P1 was refused by the table constraint (23514 →
-- VALIDATION.FAILED); private.normalise_profile_name (latest 20261217400002) now refuses it first with
-- 422 PERSON.NAME_NOT_ALLOWED. The constraint stays (it still refuses control and invisible characters).
--
-- Redefined: private.contact_fold (20261222800001), private.clinic_name_allowed (20261222800001),
-- private.person_name_no_contact (20261222800001), private.handle_new_user (20261216900002),
-- private.normalise_profile_name (20261217400002). New: private.contact_free_folded. Names stored before stay as
-- they are. Tests: supabase/tests/personNameP1.test.ts (the shared table test/fixtures/contracts/personNameCases.ts),
-- test/security/signup-name.test.ts, test/e2e/signup-name.spec.ts.

create or replace function private.contact_fold(p_text text) returns text
language sql immutable strict parallel safe set search_path = '' as $$
  with n(t) as (select translate(lower(normalize(p_text, nfkc)), '。｡．﹒۔·‧։⸼・∙⋅•⸱᛫।።᠃٫⧸∕⁄╱＠﹫', '...................////@@')),
  -- the long digit table only when the text holds a digit other than 0-9 (translate scans it for every character)
  d(t) as (select case when t ~ '[\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9\uff10-\uff19\U000104a0-\U000104a9\U00010d30-\U00010d39\U00010d40-\U00010d49\U00011066-\U0001106f\U000110f0-\U000110f9\U00011136-\U0001113f\U000111d0-\U000111d9\U000112f0-\U000112f9\U00011450-\U00011459\U000114d0-\U000114d9\U00011650-\U00011659\U000116c0-\U000116c9\U000116d0-\U000116e3\U00011730-\U00011739\U000118e0-\U000118e9\U00011950-\U00011959\U00011bf0-\U00011bf9\U00011c50-\U00011c59\U00011d50-\U00011d59\U00011da0-\U00011da9\U00011de0-\U00011de9\U00011f50-\U00011f59\U00016130-\U00016139\U00016a60-\U00016a69\U00016ac0-\U00016ac9\U00016b50-\U00016b59\U00016d70-\U00016d79\U0001ccf0-\U0001ccf9\U0001d7ce-\U0001d7ff\U0001e140-\U0001e149\U0001e2f0-\U0001e2f9\U0001e4f0-\U0001e4f9\U0001e5f1-\U0001e5fa\U0001e950-\U0001e959\U0001fbf0-\U0001fbf9]'
              then translate(t, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹߀߁߂߃߄߅߆߇߈߉०१२३४५६७८९০১২৩৪৫৬৭৮৯੦੧੨੩੪੫੬੭੮੯૦૧૨૩૪૫૬૭૮૯୦୧୨୩୪୫୬୭୮୯௦௧௨௩௪௫௬௭௮௯౦౧౨౩౪౫౬౭౮౯೦೧೨೩೪೫೬೭೮೯൦൧൨൩൪൫൬൭൮൯෦෧෨෩෪෫෬෭෮෯๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙༠༡༢༣༤༥༦༧༨༩၀၁၂၃၄၅၆၇၈၉႐႑႒႓႔႕႖႗႘႙០១២៣៤៥៦៧៨៩᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙᥆᥇᥈᥉᥊᥋᥌᥍᥎᥏᧐᧑᧒᧓᧔᧕᧖᧗᧘᧙᪀᪁᪂᪃᪄᪅᪆᪇᪈᪉᪐᪑᪒᪓᪔᪕᪖᪗᪘᪙᭐᭑᭒᭓᭔᭕᭖᭗᭘᭙᮰᮱᮲᮳᮴᮵᮶᮷᮸᮹᱀᱁᱂᱃᱄᱅᱆᱇᱈᱉᱐᱑᱒᱓᱔᱕᱖᱗᱘᱙꘠꘡꘢꘣꘤꘥꘦꘧꘨꘩꣐꣑꣒꣓꣔꣕꣖꣗꣘꣙꤀꤁꤂꤃꤄꤅꤆꤇꤈꤉꧐꧑꧒꧓꧔꧕꧖꧗꧘꧙꧰꧱꧲꧳꧴꧵꧶꧷꧸꧹꩐꩑꩒꩓꩔꩕꩖꩗꩘꩙꯰꯱꯲꯳꯴꯵꯶꯷꯸꯹０１２３４５６７８９𐒠𐒡𐒢𐒣𐒤𐒥𐒦𐒧𐒨𐒩𐴰𐴱𐴲𐴳𐴴𐴵𐴶𐴷𐴸𐴹𐵀𐵁𐵂𐵃𐵄𐵅𐵆𐵇𐵈𐵉𑁦𑁧𑁨𑁩𑁪𑁫𑁬𑁭𑁮𑁯𑃰𑃱𑃲𑃳𑃴𑃵𑃶𑃷𑃸𑃹𑄶𑄷𑄸𑄹𑄺𑄻𑄼𑄽𑄾𑄿𑇐𑇑𑇒𑇓𑇔𑇕𑇖𑇗𑇘𑇙𑋰𑋱𑋲𑋳𑋴𑋵𑋶𑋷𑋸𑋹𑑐𑑑𑑒𑑓𑑔𑑕𑑖𑑗𑑘𑑙𑓐𑓑𑓒𑓓𑓔𑓕𑓖𑓗𑓘𑓙𑙐𑙑𑙒𑙓𑙔𑙕𑙖𑙗𑙘𑙙𑛀𑛁𑛂𑛃𑛄𑛅𑛆𑛇𑛈𑛉𑛐𑛑𑛒𑛓𑛔𑛕𑛖𑛗𑛘𑛙𑛚𑛛𑛜𑛝𑛞𑛟𑛠𑛡𑛢𑛣𑜰𑜱𑜲𑜳𑜴𑜵𑜶𑜷𑜸𑜹𑣠𑣡𑣢𑣣𑣤𑣥𑣦𑣧𑣨𑣩𑥐𑥑𑥒𑥓𑥔𑥕𑥖𑥗𑥘𑥙𑯰𑯱𑯲𑯳𑯴𑯵𑯶𑯷𑯸𑯹𑱐𑱑𑱒𑱓𑱔𑱕𑱖𑱗𑱘𑱙𑵐𑵑𑵒𑵓𑵔𑵕𑵖𑵗𑵘𑵙𑶠𑶡𑶢𑶣𑶤𑶥𑶦𑶧𑶨𑶩𑷠𑷡𑷢𑷣𑷤𑷥𑷦𑷧𑷨𑷩𑽐𑽑𑽒𑽓𑽔𑽕𑽖𑽗𑽘𑽙𖄰𖄱𖄲𖄳𖄴𖄵𖄶𖄷𖄸𖄹𖩠𖩡𖩢𖩣𖩤𖩥𖩦𖩧𖩨𖩩𖫀𖫁𖫂𖫃𖫄𖫅𖫆𖫇𖫈𖫉𖭐𖭑𖭒𖭓𖭔𖭕𖭖𖭗𖭘𖭙𖵰𖵱𖵲𖵳𖵴𖵵𖵶𖵷𖵸𖵹𜳰𜳱𜳲𜳳𜳴𜳵𜳶𜳷𜳸𜳹𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡𝟢𝟣𝟤𝟥𝟦𝟧𝟨𝟩𝟪𝟫𝟬𝟭𝟮𝟯𝟰𝟱𝟲𝟳𝟴𝟵𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿𞅀𞅁𞅂𞅃𞅄𞅅𞅆𞅇𞅈𞅉𞋰𞋱𞋲𞋳𞋴𞋵𞋶𞋷𞋸𞋹𞓰𞓱𞓲𞓳𞓴𞓵𞓶𞓷𞓸𞓹𞗱𞗲𞗳𞗴𞗵𞗶𞗷𞗸𞗹𞗺𞥐𞥑𞥒𞥓𞥔𞥕𞥖𞥗𞥘𞥙🯰🯱🯲🯳🯴🯵🯶🯷🯸🯹', '0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789')
              else t end from n),
  g(t) as (select case when t ~ '[\u2776-\u2793\u24eb-\u24ff\U0001f10b\U0001f10c]'
                       then replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(translate(t, '❶❷❸❹❺❻❼❽❾➀➁➂➃➄➅➆➇➈➊➋➌➍➎➏➐➑➒⓵⓶⓷⓸⓹⓺⓻⓼⓽⓿🄋🄌', '123456789123456789123456789123456789000'), '❿', '10'), '➉', '10'), '➓', '10'), '⓾', '10'), '⓫', '11'), '⓬', '12'), '⓭', '13'), '⓮', '14'), '⓯', '15'), '⓰', '16'), '⓱', '17'), '⓲', '18'), '⓳', '19'), '⓴', '20')
                       else t end from d)
  select case when t ~ '[([{<]'
              then regexp_replace(t, '\s{0,3}[([{<]\s{0,3}(\.|dot|point)\s{0,3}[])}>]\s{0,3}', '.', 'g')
              else t end
    from g
$$;

-- The link and phone test on a folded text (see the header and 20261222800001's). Letters: lower-case ASCII, Latin
-- with accents, Greek, Cyrillic, Arabic letters, Tifinagh.
create function private.contact_free_folded(t text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  select t !~ '[a-z][a-z0-9+.-]*:/|www\.'
    and t !~ '[a-z0-9]\.[a-z]{2,24}/'
    and t !~ '[a-z0-9]\s{0,3}\.\s{0,3}([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle|coffee|cafe|bond|quest|monster|hair|beauty|skin|makeup|boats|autos|yachts|homes|lat|cam|uno|design|studio|solutions|restaurant|pizza|tube|wiki|zip|mov|pics|photo|photos|software|systems|academy|school|events|party|fans|rocks|inc|llc|ninja|africa|arab|moe|tokyo|berlin|london|wang|xin|ren|kiwi|surf|watch|tv|tickets|coupons|discount|bargains|cheap|exchange|finance|financial|fund|capital|investments|insure|lease|mortgage|wine|beer|vodka|kitchen|shoes|fashion|clothing|jewelry|watches|style|dating|singles|sexy|porn|adult|sex|tattoo|poker|bingo|lotto|racing|football|soccer|golf|auction|boutique|camera|computer|codes|download|fyi|hosting|mba|ngo|ong|onl|ooo|pub|qpon|sbi|toys|trust|vote|wtf|locker|pictures|gallery|graphics|directory|domains|enterprises|exposed|express|foundation|gives|industries|institute|international|limited|management|marketing|partners|productions|properties|recipes|reise|report|reviews|rip|sarl|science|solar|supply|supplies|technology|tienda|training|university|vacations|ventures|viajes|villas|vision|voyage|works)\s{0,3}/'
    and t !~ '(^|[^a-z0-9])(?!(dr|pr|mr|mme|mlle|me|st|ste|sr|jr)\.)(?![a-z]+\.(el|al|ma|ni|de|la|le|du|da|di|ou|ag|bu)\s+[a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])[a-z0-9-]*[a-z0-9]{2}\.([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle|coffee|cafe|bond|quest|monster|hair|beauty|skin|makeup|boats|autos|yachts|homes|lat|cam|uno|design|studio|solutions|restaurant|pizza|tube|wiki|zip|mov|pics|photo|photos|software|systems|academy|school|events|party|fans|rocks|inc|llc|ninja|africa|arab|moe|tokyo|berlin|london|wang|xin|ren|kiwi|surf|watch|tv|tickets|coupons|discount|bargains|cheap|exchange|finance|financial|fund|capital|investments|insure|lease|mortgage|wine|beer|vodka|kitchen|shoes|fashion|clothing|jewelry|watches|style|dating|singles|sexy|porn|adult|sex|tattoo|poker|bingo|lotto|racing|football|soccer|golf|auction|boutique|camera|computer|codes|download|fyi|hosting|mba|ngo|ong|onl|ooo|pub|qpon|sbi|toys|trust|vote|wtf|locker|pictures|gallery|graphics|directory|domains|enterprises|exposed|express|foundation|gives|industries|institute|international|limited|management|marketing|partners|productions|properties|recipes|reise|report|reviews|rip|sarl|science|solar|supply|supplies|technology|tienda|training|university|vacations|ventures|viajes|villas|vision|voyage|works)([^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]|$)'
    and t !~ '[a-z0-9]{2}\s{1,3}\.\s{0,3}([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle|coffee|cafe|bond|quest|monster|hair|beauty|skin|makeup|boats|autos|yachts|homes|lat|cam|uno|design|studio|solutions|restaurant|pizza|tube|wiki|zip|mov|pics|photo|photos|software|systems|academy|school|events|party|fans|rocks|inc|llc|ninja|africa|arab|moe|tokyo|berlin|london|wang|xin|ren|kiwi|surf|watch|tv|tickets|coupons|discount|bargains|cheap|exchange|finance|financial|fund|capital|investments|insure|lease|mortgage|wine|beer|vodka|kitchen|shoes|fashion|clothing|jewelry|watches|style|dating|singles|sexy|porn|adult|sex|tattoo|poker|bingo|lotto|racing|football|soccer|golf|auction|boutique|camera|computer|codes|download|fyi|hosting|mba|ngo|ong|onl|ooo|pub|qpon|sbi|toys|trust|vote|wtf|locker|pictures|gallery|graphics|directory|domains|enterprises|exposed|express|foundation|gives|industries|institute|international|limited|management|marketing|partners|productions|properties|recipes|reise|report|reviews|rip|sarl|science|solar|supply|supplies|technology|tienda|training|university|vacations|ventures|viajes|villas|vision|voyage|works)([^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]|$)'
    and not exists (
      select 1
        from regexp_matches(t, '[0-9](?:(?:[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{0,6}|[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{1,3}[a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{1,3}[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{1,3}|[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{0,3}[\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u2d30-\u2d7f]{1,3}[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{0,3}|x)[0-9])*', 'g') as m(x)
       where char_length(regexp_replace(m.x[1], '[^0-9]', '', 'g')) >= 6)
$$;
revoke all on function private.contact_free_folded(text) from public, anon;
grant execute on function private.contact_free_folded(text) to authenticated, service_role;

create or replace function private.clinic_name_allowed(p_name text) returns boolean
language sql immutable parallel safe
set search_path = ''
as $$
  select p_name is null or private.contact_free_folded(private.contact_fold(p_name))
$$;

create or replace function private.person_name_no_contact(p_name text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  with f(t) as (select private.contact_fold(p_name))
  select private.contact_free_folded(t)
     and t !~ '[^[:space:]@]\s{0,3}@\s{0,3}[^[:space:]@]+\s{0,3}\.\s{0,3}[^[:space:]@.]'
     -- before the brackets fold: "(at)", "[dot]" spelled out are refused wherever they stand
     and lower(normalize(p_name, nfkc)) !~ '[([{<]\s*(at|dot|arobase|point)\s*[])}>]'
    from f
$$;

-- A sign-up's name that breaks P1 refuses the sign-up (body of 20261216900002, one change: the raise).
create or replace function private.handle_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_lang text := new.raw_user_meta_data ->> 'preferred_language';
  v_name text := nullif(btrim(left(private.strip_person_name(coalesce(new.raw_user_meta_data ->> 'full_name', '')), 200)), '');
begin
  if v_name is not null and not private.person_name_no_contact(v_name) then
    perform private.raise_error(422, 'PERSON.NAME_NOT_ALLOWED',
      'a name may not contain a web address, an e-mail address or a phone number');
  end if;
  insert into public.profiles (id, full_name, phone, preferred_language)
  values (
    new.id,
    case when v_name is not null and private.is_clean_person_name(v_name) then v_name end,
    case when private.is_e164(new.phone) then new.phone
         when private.is_e164('+' || new.phone) then '+' || new.phone end,
    case when v_lang in ('ar', 'fr', 'en') then v_lang::public.app_language end)
  on conflict (id) do nothing;
  return new;
end
$$;

-- profiles.full_name: P1's own code before the table constraint (body of 20261217400002, one change: the raise).
-- Only a name being written is judged (insert, or a real change); control and invisible characters are left to
-- the constraint as before (23514 → VALIDATION.FAILED).
create or replace function private.normalise_profile_name() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.full_name is not null and (tg_op = 'INSERT' or new.full_name is distinct from old.full_name)
     and not private.person_name_no_contact(new.full_name) then
    perform private.raise_error(422, 'PERSON.NAME_NOT_ALLOWED',
      'a name may not contain a web address, an e-mail address or a phone number');
  end if;
  if new.full_name is not null and private.is_clean_person_name(new.full_name) then
    new.full_name := nullif(private.normalize_person_name(new.full_name), '');
  end if;
  return new;
end
$$;
