-- Session 24 (sec24b), review24 M3 + L1: rule P1 (docs/domain-rules.md) and the clinic-name rule N1 — the evasions
-- still stored and the real names still refused. Latest bodies: 20261223600001 (contact_fold, contact_free_folded,
-- clinic_name_allowed, person_name_no_contact), 20261220900001 (clinics_name_rules).
--
-- M3 (stored through a profiles PATCH and a clinics PATCH):
--   - a phone split into runs of up to 5 digits by a word of 4+ letters: "06612 puis 34567", "066 appel 123 appel
--     4567", "06612 هاتف 34567", "06612 ⵜⵉⵍⵉⴼ 34567", "06612 телефон 34567", "06 ou bien 61 ou bien 23 …". A person's
--     name now holds at most 5 digits in all (no name in the contract has one: "Fatima 2", "Rayan 2 et 3"); a clinic
--     name, a room, a listed clinic's city at most 7 (a Moroccan number has 9 or 10; "Bloc 12 - 20250" has 7);
--   - the letters that pass for digits where they touch a digit and no other letter fold: o → 0, l i → 1, s → 5
--     ("O6 6l 23 4S 67"; not "89ss27", whose letters touch letters);
--   - the dots ⸳ (U+2E33) ꞏ (U+A78F) ᐧ (U+1427) ꓸ (U+A4F8) fold to '.';
--   - a dot followed by up to 3 spaces then a top-level domain is a link ("promo. com", "promo. ma"), titles and
--     name particles excepted as without the space ("Dr. Ahmed", "Abd. El Kader");
--   - the bare words "dot", "point" between two words fold to '.', "at", "arobase" to '@' ("promo dot com",
--     "gratuit point ma", "promo at gmail dot com", "promo arobase gmail point com");
--   - a label with a hyphen or a digit before a dot: any top-level domain ("rdv-gratuit.clinic");
--   - the open top-level domains that read as words (clinic, doctor, care, health, dental, pharmacy, …): a link where
--     they end the text ("cadeau.care", "promo.health"); "Dental.Care Agdal" (a word after it) stays a name;
--   - a one-letter label before a short-link domain (co, com, me, ly, io, gl, …): "x.co", "t.me";
--   - a space for the dot before a path: "t me/promo";
--   - a Latin letter beside a Greek or Cyrillic one ("vіp.ma" with a Cyrillic і, "gο.ma" with a Greek ο): refused
--     anywhere (no real name mixes them inside a word; the price: "Clinique Ωmega").
-- L1 (real names refused):
--   - name particles after a dot also er es en ar ed et ez ad id si ba ab ("Abd.Er Rahman", "Nour.Ed Dine",
--     "Ait.Si Ahmed", "Moulay.Ab Slimane"), and the label before the dot may hold hyphens ("Fatima-Zahra.El Fassi",
--     "Jean-Pierre.Le Gall");
--   - clinic names: a five-digit postcode after a separator is a number of its own, joined to no run
--     ("Cabinet Dentaire Bloc 12 - 20250 Casablanca", "Clinique Al Madina 1 et 2 - 20000"); a word of 1–3 letters
--     joins two runs only with 1–2 marks on each side ("06 x 61", not "2000 - Lot 115"); clinic names are judged by
--     the clinic-name rule (7 digits) and the characters rule, no longer by the person-name rule's 5 digits.
--   - Still refused, for the clinic's patients (docs/security.md "sec24b"): "Cabinet Bennani Gyn.Ma" (as "xdr.ma"),
--     "Centre Dentaire Smile.Care", a clinic name with 8 or more digits ("… Lot 115 - 20250 Casablanca"),
--     "Anne-So.Dupuis" (a hyphen label before any domain; "Anne-So. Dupuis" passes).
--
-- Cost: every step of the fold and the folded text are MATERIALIZED CTEs. Inlined (PostgreSQL 12+), each test of a
-- step's text computed all the steps before it again — 8 ms a name with this many tests; now 0.22 ms on PostgreSQL
-- (session 23's rule: 0.39 ms; supabase/tests/personNameP1.test.ts prints both).
--
-- Redefined: private.contact_fold, private.contact_free_folded, private.clinic_name_allowed (now also the e-mail
-- test, which clinic names had from the person rule), private.person_name_no_contact (20261223600001),
-- private.clinics_name_rules (20261220900001). Names stored before stay as they are. Tests:
-- supabase/tests/personNameP1.test.ts on the shared table test/fixtures/contracts/personNameCases.ts (the in-memory
-- copy src/services/clinic/repositories/inMemoryNameRules.ts runs it too).

create or replace function private.contact_fold(p_text text) returns text
language sql immutable strict parallel safe set search_path = '' as $$
  with n(t) as materialized (select translate(lower(normalize(p_text, nfkc)), '。｡．﹒۔·‧։⸼・∙⋅•⸱᛫।።᠃٫⸳ꞏᐧꓸ⧸∕⁄╱＠﹫', '.......................////@@')),
  d(t) as materialized (select case when t ~ '[\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9\uff10-\uff19\U000104a0-\U000104a9\U00010d30-\U00010d39\U00010d40-\U00010d49\U00011066-\U0001106f\U000110f0-\U000110f9\U00011136-\U0001113f\U000111d0-\U000111d9\U000112f0-\U000112f9\U00011450-\U00011459\U000114d0-\U000114d9\U00011650-\U00011659\U000116c0-\U000116c9\U000116d0-\U000116e3\U00011730-\U00011739\U000118e0-\U000118e9\U00011950-\U00011959\U00011bf0-\U00011bf9\U00011c50-\U00011c59\U00011d50-\U00011d59\U00011da0-\U00011da9\U00011de0-\U00011de9\U00011f50-\U00011f59\U00016130-\U00016139\U00016a60-\U00016a69\U00016ac0-\U00016ac9\U00016b50-\U00016b59\U00016d70-\U00016d79\U0001ccf0-\U0001ccf9\U0001d7ce-\U0001d7ff\U0001e140-\U0001e149\U0001e2f0-\U0001e2f9\U0001e4f0-\U0001e4f9\U0001e5f1-\U0001e5fa\U0001e950-\U0001e959\U0001fbf0-\U0001fbf9]'
              then translate(t, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹߀߁߂߃߄߅߆߇߈߉०१२३४५६७८९০১২৩৪৫৬৭৮৯੦੧੨੩੪੫੬੭੮੯૦૧૨૩૪૫૬૭૮૯୦୧୨୩୪୫୬୭୮୯௦௧௨௩௪௫௬௭௮௯౦౧౨౩౪౫౬౭౮౯೦೧೨೩೪೫೬೭೮೯൦൧൨൩൪൫൬൭൮൯෦෧෨෩෪෫෬෭෮෯๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙༠༡༢༣༤༥༦༧༨༩၀၁၂၃၄၅၆၇၈၉႐႑႒႓႔႕႖႗႘႙០១២៣៤៥៦៧៨៩᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙᥆᥇᥈᥉᥊᥋᥌᥍᥎᥏᧐᧑᧒᧓᧔᧕᧖᧗᧘᧙᪀᪁᪂᪃᪄᪅᪆᪇᪈᪉᪐᪑᪒᪓᪔᪕᪖᪗᪘᪙᭐᭑᭒᭓᭔᭕᭖᭗᭘᭙᮰᮱᮲᮳᮴᮵᮶᮷᮸᮹᱀᱁᱂᱃᱄᱅᱆᱇᱈᱉᱐᱑᱒᱓᱔᱕᱖᱗᱘᱙꘠꘡꘢꘣꘤꘥꘦꘧꘨꘩꣐꣑꣒꣓꣔꣕꣖꣗꣘꣙꤀꤁꤂꤃꤄꤅꤆꤇꤈꤉꧐꧑꧒꧓꧔꧕꧖꧗꧘꧙꧰꧱꧲꧳꧴꧵꧶꧷꧸꧹꩐꩑꩒꩓꩔꩕꩖꩗꩘꩙꯰꯱꯲꯳꯴꯵꯶꯷꯸꯹０１２３４５６７８９𐒠𐒡𐒢𐒣𐒤𐒥𐒦𐒧𐒨𐒩𐴰𐴱𐴲𐴳𐴴𐴵𐴶𐴷𐴸𐴹𐵀𐵁𐵂𐵃𐵄𐵅𐵆𐵇𐵈𐵉𑁦𑁧𑁨𑁩𑁪𑁫𑁬𑁭𑁮𑁯𑃰𑃱𑃲𑃳𑃴𑃵𑃶𑃷𑃸𑃹𑄶𑄷𑄸𑄹𑄺𑄻𑄼𑄽𑄾𑄿𑇐𑇑𑇒𑇓𑇔𑇕𑇖𑇗𑇘𑇙𑋰𑋱𑋲𑋳𑋴𑋵𑋶𑋷𑋸𑋹𑑐𑑑𑑒𑑓𑑔𑑕𑑖𑑗𑑘𑑙𑓐𑓑𑓒𑓓𑓔𑓕𑓖𑓗𑓘𑓙𑙐𑙑𑙒𑙓𑙔𑙕𑙖𑙗𑙘𑙙𑛀𑛁𑛂𑛃𑛄𑛅𑛆𑛇𑛈𑛉𑛐𑛑𑛒𑛓𑛔𑛕𑛖𑛗𑛘𑛙𑛚𑛛𑛜𑛝𑛞𑛟𑛠𑛡𑛢𑛣𑜰𑜱𑜲𑜳𑜴𑜵𑜶𑜷𑜸𑜹𑣠𑣡𑣢𑣣𑣤𑣥𑣦𑣧𑣨𑣩𑥐𑥑𑥒𑥓𑥔𑥕𑥖𑥗𑥘𑥙𑯰𑯱𑯲𑯳𑯴𑯵𑯶𑯷𑯸𑯹𑱐𑱑𑱒𑱓𑱔𑱕𑱖𑱗𑱘𑱙𑵐𑵑𑵒𑵓𑵔𑵕𑵖𑵗𑵘𑵙𑶠𑶡𑶢𑶣𑶤𑶥𑶦𑶧𑶨𑶩𑷠𑷡𑷢𑷣𑷤𑷥𑷦𑷧𑷨𑷩𑽐𑽑𑽒𑽓𑽔𑽕𑽖𑽗𑽘𑽙𖄰𖄱𖄲𖄳𖄴𖄵𖄶𖄷𖄸𖄹𖩠𖩡𖩢𖩣𖩤𖩥𖩦𖩧𖩨𖩩𖫀𖫁𖫂𖫃𖫄𖫅𖫆𖫇𖫈𖫉𖭐𖭑𖭒𖭓𖭔𖭕𖭖𖭗𖭘𖭙𖵰𖵱𖵲𖵳𖵴𖵵𖵶𖵷𖵸𖵹𜳰𜳱𜳲𜳳𜳴𜳵𜳶𜳷𜳸𜳹𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡𝟢𝟣𝟤𝟥𝟦𝟧𝟨𝟩𝟪𝟫𝟬𝟭𝟮𝟯𝟰𝟱𝟲𝟳𝟴𝟵𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿𞅀𞅁𞅂𞅃𞅄𞅅𞅆𞅇𞅈𞅉𞋰𞋱𞋲𞋳𞋴𞋵𞋶𞋷𞋸𞋹𞓰𞓱𞓲𞓳𞓴𞓵𞓶𞓷𞓸𞓹𞗱𞗲𞗳𞗴𞗵𞗶𞗷𞗸𞗹𞗺𞥐𞥑𞥒𞥓𞥔𞥕𞥖𞥗𞥘𞥙🯰🯱🯲🯳🯴🯵🯶🯷🯸🯹', '0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789')
              else t end from n),
  g(t) as materialized (select case when t ~ '[\u2776-\u2793\u24eb-\u24ff\U0001f10b\U0001f10c]'
                       then replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(translate(t, '❶❷❸❹❺❻❼❽❾➀➁➂➃➄➅➆➇➈➊➋➌➍➎➏➐➑➒⓵⓶⓷⓸⓹⓺⓻⓼⓽⓿🄋🄌', '123456789123456789123456789123456789000'), '❿', '10'), '➉', '10'), '➓', '10'), '⓾', '10'), '⓫', '11'), '⓬', '12'), '⓭', '13'), '⓮', '14'), '⓯', '15'), '⓰', '16'), '⓱', '17'), '⓲', '18'), '⓳', '19'), '⓴', '20')
                       else t end from d),
  b(t) as materialized (select case when translate(t, '([{<', '') <> t
                       then regexp_replace(t, '\s{0,3}[([{<]\s{0,3}(\.|dot|point)\s{0,3}[])}>]\s{0,3}', '.', 'g')
                       else t end from g),
  -- (each step materialized: inlined, a step's text is computed again for each test of it, the steps multiplying)
  -- the bare words: "promo dot com", "gratuit point ma", "promo at gmail", "promo arobase gmail"
  w(t) as materialized (select case when t ~ '\s(dot|point|at|arobase)\s'
                       then regexp_replace(regexp_replace(t, '\s+(dot|point)\s+', '.', 'g'), '\s+(at|arobase)\s+', '@', 'g')
                       else t end from b)
  -- the letters that pass for digits, where they touch a digit and no other letter: o → 0, l i → 1, s → 5
  -- ("O6 6l 23 4S 67"; "89ss27" and "Fatima 2e" stay as they are)
  select case when t ~ '[0-9][oils]|[oils][0-9]'
              then regexp_replace(regexp_replace(regexp_replace(t,
                     '(?<![a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])o(?=[0-9])|(?<=[0-9])o(?![a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])', '0', 'g'),
                     '(?<![a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])[li](?=[0-9])|(?<=[0-9])[li](?![a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])', '1', 'g'),
                     '(?<![a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])s(?=[0-9])|(?<=[0-9])s(?![a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])', '5', 'g')
              else t end
    from w
$$;

-- The link, look-alike and phone test on a folded text (see the header). Letters: lower-case ASCII, Latin with
-- accents, Greek, Cyrillic, Arabic letters, Tifinagh.
create or replace function private.contact_free_folded(t text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  -- a Latin letter beside a Greek or Cyrillic one: "vіp.ma", "gο.ma"
  select t !~ '[a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f][\u0386\u0388-\u03ff\u0400-\u0482\u048a-\u052f]|[\u0386\u0388-\u03ff\u0400-\u0482\u048a-\u052f][a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]'
    -- every link holds a dot, a slash or a colon (most names hold none: the tests below are skipped)
    -- (PostgreSQL keeps 32 compiled expressions per session: the rule uses few, and tests without one where it can)
    and case when translate(t, '.:/', '') = t then true else
        -- a scheme or www.; label.tld/; a listed domain and a path, spaces around the dot allowed; "t me/promo" (a
        -- space for the dot, then a path)
        t !~ '[a-z][a-z0-9+.-]*:/|www\.|[a-z0-9]\.[a-z]{2,24}/|[a-z0-9]\s{0,3}\.\s{0,3}([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle|coffee|cafe|bond|quest|monster|hair|beauty|skin|makeup|boats|autos|yachts|homes|lat|cam|uno|design|studio|solutions|restaurant|pizza|tube|wiki|zip|mov|pics|photo|photos|software|systems|academy|school|events|party|fans|rocks|inc|llc|ninja|africa|arab|moe|tokyo|berlin|london|wang|xin|ren|kiwi|surf|watch|tv|tickets|coupons|discount|bargains|cheap|exchange|finance|financial|fund|capital|investments|insure|lease|mortgage|wine|beer|vodka|kitchen|shoes|fashion|clothing|jewelry|watches|style|dating|singles|sexy|porn|adult|sex|tattoo|poker|bingo|lotto|racing|football|soccer|golf|auction|boutique|camera|computer|codes|download|fyi|hosting|mba|ngo|ong|onl|ooo|pub|qpon|sbi|toys|trust|vote|wtf|locker|pictures|gallery|graphics|directory|domains|enterprises|exposed|express|foundation|gives|industries|institute|international|limited|management|marketing|partners|productions|properties|recipes|reise|report|reviews|rip|sarl|science|solar|supply|supplies|technology|tienda|training|university|vacations|ventures|viajes|villas|vision|voyage|works)\s{0,3}/|[a-z0-9]\s{1,3}([a-z]{2}|com|net|org)/[a-z0-9]'
    and t !~ '(^|[^a-z0-9])(?!(dr|pr|mr|mme|mlle|me|st|ste|sr|jr)\.)(?![a-z][a-z-]*\.\s{0,3}(el|al|ma|ni|de|la|le|du|da|di|ou|ag|bu|er|es|en|ar|ed|et|ez|ad|id|si|ba|ab)\s+[a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])[a-z0-9-]*[a-z0-9]{2}\.\s{0,3}([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle|coffee|cafe|bond|quest|monster|hair|beauty|skin|makeup|boats|autos|yachts|homes|lat|cam|uno|design|studio|solutions|restaurant|pizza|tube|wiki|zip|mov|pics|photo|photos|software|systems|academy|school|events|party|fans|rocks|inc|llc|ninja|africa|arab|moe|tokyo|berlin|london|wang|xin|ren|kiwi|surf|watch|tv|tickets|coupons|discount|bargains|cheap|exchange|finance|financial|fund|capital|investments|insure|lease|mortgage|wine|beer|vodka|kitchen|shoes|fashion|clothing|jewelry|watches|style|dating|singles|sexy|porn|adult|sex|tattoo|poker|bingo|lotto|racing|football|soccer|golf|auction|boutique|camera|computer|codes|download|fyi|hosting|mba|ngo|ong|onl|ooo|pub|qpon|sbi|toys|trust|vote|wtf|locker|pictures|gallery|graphics|directory|domains|enterprises|exposed|express|foundation|gives|industries|institute|international|limited|management|marketing|partners|productions|properties|recipes|reise|report|reviews|rip|sarl|science|solar|supply|supplies|technology|tienda|training|university|vacations|ventures|viajes|villas|vision|voyage|works)([^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]|$)'
    and t !~ '[a-z0-9]{2}\s{1,3}\.\s{0,3}([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|global|travel|games|stream|video|chat|web|gle|coffee|cafe|bond|quest|monster|hair|beauty|skin|makeup|boats|autos|yachts|homes|lat|cam|uno|design|studio|solutions|restaurant|pizza|tube|wiki|zip|mov|pics|photo|photos|software|systems|academy|school|events|party|fans|rocks|inc|llc|ninja|africa|arab|moe|tokyo|berlin|london|wang|xin|ren|kiwi|surf|watch|tv|tickets|coupons|discount|bargains|cheap|exchange|finance|financial|fund|capital|investments|insure|lease|mortgage|wine|beer|vodka|kitchen|shoes|fashion|clothing|jewelry|watches|style|dating|singles|sexy|porn|adult|sex|tattoo|poker|bingo|lotto|racing|football|soccer|golf|auction|boutique|camera|computer|codes|download|fyi|hosting|mba|ngo|ong|onl|ooo|pub|qpon|sbi|toys|trust|vote|wtf|locker|pictures|gallery|graphics|directory|domains|enterprises|exposed|express|foundation|gives|industries|institute|international|limited|management|marketing|partners|productions|properties|recipes|reise|report|reviews|rip|sarl|science|solar|supply|supplies|technology|tienda|training|university|vacations|ventures|viajes|villas|vision|voyage|works)([^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]|$)'
    -- a label with a hyphen or a digit: any top-level domain ("rdv-gratuit.clinic")
    and t !~ '(^|[^a-z0-9])(?![a-z][a-z-]*\.(el|al|ma|ni|de|la|le|du|da|di|ou|ag|bu|er|es|en|ar|ed|et|ez|ad|id|si|ba|ab)\s+[a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])[a-z0-9]*[-0-9][a-z0-9-]*[a-z0-9]\.[a-z]{2,24}([^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]|$)'
    -- open top-level domains that read as words ("cadeau.care", "promo.health"): where they end the text
    and t !~ '(^|[^a-z0-9])(?!(dr|pr|mr|mme|mlle|me|st|ste|sr|jr)\.)[a-z0-9-]*[a-z0-9]{2}\.\s{0,3}(clinic|clinique|doctor|care|health|healthcare|hospital|dental|dentist|surgery|pharmacy|physio|rehab|vet|fit|fitness|yoga|gratis|bio|one|ink|bar)[^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]*$'
    -- a one-letter label: the short-link domains ("x.co", "t.me")
    and t !~ '(^|[^a-z0-9])[a-z0-9]\.(co|com|net|org|me|ly|io|gl|gd|gy|cc|ws|mp|sh|ai|tv|be|to|link|app|page)([^a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]|$)' end
    and case when translate(t, '0123456789', '') = t then true else not exists (
      select 1
        -- a five-digit postcode after a separator is a number of its own ("Bloc 12 - 20250"): it joins no run
        from regexp_matches(regexp_replace(t, '(^|[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f])[0-9]{5}(?![0-9])', '\1qqqqq', 'g'),
                            '[0-9](?:(?:[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{0,6}|[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{1,2}[a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{1,3}[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{1,2}|[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{0,3}[\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u2d30-\u2d7f]{1,3}[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\u1e00-\u1fff\u2d30-\u2d7f]{0,3}|x)[0-9])*', 'g') as m(x)
       where char_length(m.x[1]) - char_length(translate(m.x[1], '0123456789', '')) >= 6) end
$$;

-- An e-mail address on the folded text; spelled-out "(at)", "[dot]" on the text before the fold. The fold is
-- materialized: inlined, each of contact_free_folded's tests of t would fold the name again (8 ms a name).
create or replace function private.clinic_name_allowed(p_name text) returns boolean
language sql immutable parallel safe
set search_path = ''
as $$
  select p_name is null or (
    with f(t) as materialized (select private.contact_fold(p_name))
    select private.contact_free_folded(t)
       and (strpos(t, '@') = 0 or t !~ '[^[:space:]@]\s{0,3}@\s{0,3}[^[:space:]@]+\s{0,3}\.\s{0,3}[^[:space:]@.]')
       and (translate(p_name, '([{<', '') = p_name or lower(normalize(p_name, nfkc)) !~ '[([{<]\s*(at|dot|arobase|point)\s*[])}>]')
       -- at most 7 digits in all: a phone number split by words ("06612 puis 34567") has 9 or 10
       and char_length(t) - char_length(translate(t, '0123456789', '')) < 8
      from f)
$$;

create or replace function private.person_name_no_contact(p_name text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  with f(t) as materialized (select private.contact_fold(p_name))
  select private.contact_free_folded(t)
     and (strpos(t, '@') = 0 or t !~ '[^[:space:]@]\s{0,3}@\s{0,3}[^[:space:]@]+\s{0,3}\.\s{0,3}[^[:space:]@.]')
     and (translate(p_name, '([{<', '') = p_name or lower(normalize(p_name, nfkc)) !~ '[([{<]\s*(at|dot|arobase|point)\s*[])}>]')
     -- a person's name has at most 5 digits anywhere ("Fatima 2", "Rayan 2 et 3"): a phone number has 9 or more
     and char_length(t) - char_length(translate(t, '0123456789', '')) < 6
    from f
$$;

-- A clinic name: the clinic-name rule (at most 7 digits) and the characters rule of names, no longer the person-name
-- rule's 5 digits (body of 20261220900001, one change: private.person_name_chars_clean for is_clean_person_name,
-- whose link and e-mail part private.clinic_name_allowed holds).
create or replace function private.clinics_name_rules() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (tg_op = 'INSERT' or new.name is distinct from old.name)
     and (not private.clinic_name_allowed(new.name)
          or (new.name is not null and not private.person_name_chars_clean(new.name))) then
    perform private.raise_error(422, 'CLINIC.NAME_NOT_ALLOWED',
      'a clinic name may not contain a web address, a phone number, or control or invisible characters');
  end if;
  return new;
end
$$;
