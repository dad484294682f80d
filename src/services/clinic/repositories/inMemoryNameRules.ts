/**
 * The database's name rules as the in-memory fakes apply them (mend22; folded as name22 folds them, mend23): N1
 * (`private.clinic_name_allowed`: no web address, no phone-number-like run of 6+ digits) and P1
 * (`private.is_clean_person_name`: N1 plus no e-mail address, and no control, bidi or invisible characters), each
 * a transcription of the latest SQL body (20261224600001, sec24b). The characters rule is the common cases of
 * `private.person_name_chars_clean`, not its every code point. inMemoryNameRules.test.ts runs the shared case table
 * (test/fixtures/contracts/personNameCases.ts) that supabase/tests/personNameP1.test.ts runs on the database: a
 * change to the SQL rule changes that table, and this copy must follow.
 */

/**
 * private.contact_fold (sec24b, 20261224600001): NFKC (math-bold, full-width, circled forms become plain letters and
 * digits), lower case, the full stops and dot-like marks 。｡．﹒۔·‧։⸼・∙⋅•⸱᛫।።᠃٫⸳ꞏᐧꓸ become '.', the slashes ⧸∕⁄╱ '/',
 * the at signs ＠﹫ '@'; every decimal digit of any script (\p{Nd}: runs of ten consecutive code points 0…9) becomes
 * 0-9; the dingbat, double-circled and negative circled digits (❶ ➀ ➊ ⓵ ⓿ 🄋 🄌, which NFKC leaves) become their
 * digits (❿ ⓫ … ⓴ two digits); then "(.)", "[.]", "{.}", "<.>", "(dot)", "(point)", with up to 3 spaces inside
 * and around, become '.'; the bare words "dot", "point" between spaces '.', "at", "arobase" '@'; and where they touch
 * a digit and no other letter the letters o → 0, l i → 1, s → 5.
 */
const DOTS = '。｡．﹒۔·‧։⸼・∙⋅•⸱᛫।።᠃٫⸳ꞏᐧꓸ';
const DINGBAT_DIGITS: Record<string, string> = {
  ...Object.fromEntries(
    [...'❶❷❸❹❺❻❼❽❾➀➁➂➃➄➅➆➇➈➊➋➌➍➎➏➐➑➒⓵⓶⓷⓸⓹⓺⓻⓼⓽⓿🄋🄌'].map((c, i) => [
      c,
      '123456789123456789123456789123456789000'[i],
    ]),
  ),
  '❿': '10',
  '➉': '10',
  '➓': '10',
  '⓾': '10',
  '⓫': '11',
  '⓬': '12',
  '⓭': '13',
  '⓮': '14',
  '⓯': '15',
  '⓰': '16',
  '⓱': '17',
  '⓲': '18',
  '⓳': '19',
  '⓴': '20',
};
export function contactFold(text: string): string {
  const t = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[。｡．﹒۔·‧։⸼・∙⋅•⸱᛫।።᠃٫⸳ꞏᐧꓸ⧸∕⁄╱＠﹫]/gu, (c) =>
      DOTS.includes(c) ? '.' : '＠﹫'.includes(c) ? '@' : '/',
    )
    .replace(/\p{Nd}/gu, (d) => {
      const cp = d.codePointAt(0)!;
      let zero = cp;
      while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
      return String((cp - zero) % 10);
    })
    .replace(/[\u2776-\u2793\u24eb-\u24ff\u{1f10b}\u{1f10c}]/gu, (c) => DINGBAT_DIGITS[c] ?? c)
    .replace(/\s{0,3}[([{<]\s{0,3}(\.|dot|point)\s{0,3}[\])}>]\s{0,3}/gu, '.')
    .replace(/\s+(dot|point)\s+/gu, '.')
    .replace(/\s+(at|arobase)\s+/gu, '@');
  return /[0-9][oils]|[oils][0-9]/u.test(t) ? lookAlikes(t) : t;
}

// the database's letters after the fold (lower-case ASCII, Latin with accents, Greek, Cyrillic, Arabic letters,
// Tifinagh): anything else between two digits is a separator
const LETTERS =
  'a-z\\u00aa\\u00b5\\u00ba\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u0370-\\u03ff\\u0400-\\u052f\\u0620-\\u063f' +
  '\\u0641-\\u064a\\u066e-\\u066f\\u0671-\\u06d3\\u06d5\\u06fa-\\u06fc\\u0750-\\u077f\\u08a0-\\u08c9\\u1e00-\\u1fff\\u2d30-\\u2d7f';
// the letters that pass for digits, where they touch a digit and no other letter (sec24b): o → 0, l i → 1, s → 5
const lookAlike = (x: string): RegExp =>
  new RegExp(`(?<![${LETTERS}])${x}(?=[0-9])|(?<=[0-9])${x}(?![${LETTERS}])`, 'gu');
const LOOK_ALIKES: readonly (readonly [RegExp, string])[] = [
  [lookAlike('o'), '0'],
  [lookAlike('[li]'), '1'],
  [lookAlike('s'), '5'],
];
const lookAlikes = (t: string): string => LOOK_ALIKES.reduce((u, [re, d]) => u.replace(re, d), t);
// the letters of Greek, Cyrillic, Arabic and Tifinagh (a gap word in these scripts needs no space around it)
const OTHER_SCRIPT_LETTERS =
  '\\u0370-\\u03ff\\u0400-\\u052f\\u0620-\\u063f\\u0641-\\u064a\\u066e-\\u066f\\u0671-\\u06d3\\u06d5\\u06fa-\\u06fc' +
  '\\u0750-\\u077f\\u08a0-\\u08c9\\u2d30-\\u2d7f';
// private.contact_free_folded's generic top-level domains (20261223600001, unchanged by 20261224600001)
const TLD =
  '([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|' +
  'world|today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|' +
  'digital|network|social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|' +
  'lol|rest|sbs|cfd|mobi|asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|' +
  'guru|zone|group|company|global|travel|games|stream|video|chat|web|gle|coffee|cafe|bond|quest|monster|' +
  'hair|beauty|skin|makeup|boats|autos|yachts|homes|lat|cam|uno|design|studio|solutions|restaurant|pizza|' +
  'tube|wiki|zip|mov|pics|photo|photos|software|systems|academy|school|events|party|fans|rocks|inc|llc|' +
  'ninja|africa|arab|moe|tokyo|berlin|london|wang|xin|ren|kiwi|surf|watch|tv|tickets|coupons|discount|' +
  'bargains|cheap|exchange|finance|financial|fund|capital|investments|insure|lease|mortgage|wine|beer|vodka|' +
  'kitchen|shoes|fashion|clothing|jewelry|watches|style|dating|singles|sexy|porn|adult|sex|tattoo|poker|' +
  'bingo|lotto|racing|football|soccer|golf|auction|boutique|camera|computer|codes|download|fyi|hosting|mba|' +
  'ngo|ong|onl|ooo|pub|qpon|sbi|toys|trust|vote|wtf|locker|pictures|gallery|graphics|directory|domains|' +
  'enterprises|exposed|express|foundation|gives|industries|institute|international|limited|management|' +
  'marketing|partners|productions|properties|recipes|reise|report|reviews|rip|sarl|science|solar|supply|' +
  'supplies|technology|tienda|training|university|vacations|ventures|viajes|villas|vision|voyage|works)';
// the two-letter name particles after a dot that make "Moulay.El Hassan" a name, not a domain (L5; sec24b: er … ab)
const PARTICLES = '(el|al|ma|ni|de|la|le|du|da|di|ou|ag|bu|er|es|en|ar|ed|et|ez|ad|id|si|ba|ab)';
const TITLES = '(dr|pr|mr|mme|mlle|me|st|ste|sr|jr)';
// open top-level domains that read as words: a link where they end the text (sec24b)
const END_TLD =
  '(clinic|clinique|doctor|care|health|healthcare|hospital|dental|dentist|surgery|pharmacy|physio|rehab|vet|fit|' +
  'fitness|yoga|gratis|bio|one|ink|bar)';
// the short-link domains after a one-letter label ("x.co", "t.me")
const SHORT = '(co|com|net|org|me|ly|io|gl|gd|gy|cc|ws|mp|sh|ai|tv|be|to|link|app|page)';
const LATIN = 'a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f';
const GREEK_CYRILLIC = '\\u0386\\u0388-\\u03ff\\u0400-\\u0482\\u048a-\\u052f';
// the links (and Latin beside Greek or Cyrillic) of private.contact_free_folded (20261224600001), on the folded text
const LINKS = [
  /[a-z][a-z0-9+.-]*:\/|www\./u,
  new RegExp(`[${LATIN}][${GREEK_CYRILLIC}]|[${GREEK_CYRILLIC}][${LATIN}]`, 'u'),
  /[a-z0-9]\.[a-z]{2,24}\//u,
  new RegExp(`[a-z0-9]\\s{0,3}\\.\\s{0,3}${TLD}\\s{0,3}/`, 'u'),
  /[a-z0-9]\s{1,3}([a-z]{2}|com|net|org)\/[a-z0-9]/u,
  new RegExp(
    `(^|[^a-z0-9])(?!${TITLES}\\.)(?![a-z][a-z-]*\\.\\s{0,3}${PARTICLES}\\s+[${LETTERS}])` +
      `[a-z0-9-]*[a-z0-9]{2}\\.\\s{0,3}${TLD}([^${LETTERS}]|$)`,
    'u',
  ),
  new RegExp(`[a-z0-9]{2}\\s{1,3}\\.\\s{0,3}${TLD}([^${LETTERS}]|$)`, 'u'),
  new RegExp(
    `(^|[^a-z0-9])(?![a-z][a-z-]*\\.${PARTICLES}\\s+[${LETTERS}])` +
      `[a-z0-9]*[-0-9][a-z0-9-]*[a-z0-9]\\.[a-z]{2,24}([^${LETTERS}]|$)`,
    'u',
  ),
  new RegExp(`(^|[^a-z0-9])(?!${TITLES}\\.)[a-z0-9-]*[a-z0-9]{2}\\.\\s{0,3}${END_TLD}[^${LETTERS}]*$`, 'u'),
  new RegExp(`(^|[^a-z0-9])[a-z0-9]\\.${SHORT}([^${LETTERS}]|$)`, 'u'),
];
// a phone number: 6 or more digits, each gap between two of them being up to 6 non-letters, or one word of 1–3
// letters with 1–2 non-letters on each side (sec24b: "2000 - Lot 115" is no run), or 1–3 Greek/Cyrillic/Arabic/Tifinagh letters with up to 3 non-letters
// on each side, or a bare "x". A gap holds no digit, so each step ends at the next digit: the match is the same
// under JavaScript's first-alternative and Postgres's longest-match semantics.
const NON_LETTER = `[^0-9${LETTERS}]`;
const DIGIT_RUN = new RegExp(
  `[0-9](?:(?:${NON_LETTER}{0,6}|${NON_LETTER}{1,2}[${LETTERS}]{1,3}${NON_LETTER}{1,2}|` +
    `${NON_LETTER}{0,3}[${OTHER_SCRIPT_LETTERS}]{1,3}${NON_LETTER}{0,3}|x)[0-9])*`,
  'gu',
);

// a five-digit postcode after a separator is a number of its own: it joins no run (sec24b)
const POSTCODE = new RegExp(`(^|[^0-9${LETTERS}])[0-9]{5}(?![0-9])`, 'gu');

/** private.contact_free_folded: no web address and no phone-number-like run in a folded text. */
function contactFreeFolded(t: string): boolean {
  if (LINKS.some((link) => link.test(t))) return false;
  const runs = t.replace(POSTCODE, '$1qqqqq').match(DIGIT_RUN) ?? [];
  return !runs.some((run) => run.replace(/[^0-9]/g, '').length >= 6);
}

const digits = (t: string): number => t.replace(/[^0-9]/g, '').length;
/** An e-mail address on the folded text; the spelled-out "(at)", "[dot]" on the text before the fold. */
const noEmail = (name: string, t: string): boolean =>
  !/[^\s@]\s{0,3}@\s{0,3}[^\s@]+\s{0,3}\.\s{0,3}[^\s@.]/u.test(t) &&
  !/[([{<]\s*(at|dot|arobase|point)\s*[\])}>]/u.test(name.normalize('NFKC').toLowerCase());

/**
 * N1 (private.clinic_name_allowed, 20261224600001): no web address, e-mail address or phone-number-like run, and at
 * most 7 digits in all, on the folded text; fix26c (review26 L2, 20261226500001): P1's number-word and link-word
 * checks too.
 */
export function clinicNameAllowed(name: string): boolean {
  const t = contactFold(name);
  // no clock-time exemption (mreview27 M1): two times counted as no digits let "Horaires 06:12 à 23:45 salle sept
  // huit" — a whole phone number — through; "Consultation 14h-18h30" is how a range is written
  return contactFreeFolded(t) && noEmail(name, t) && digits(t) < 8 && noSpelledContactInClinicName(t);
}

/**
 * fix25 (review25 M1, 20261225500001): a phone number written as number words and a short link written as words.
 * The number-word text: the folded text with the Arabic letter forms folded (أ إ آ ٱ → ا, ى ی → ي, ة → ه, ک → ك),
 * tatweel and harakat dropped, ḍ ẓ ṛ without their dots (sec26), and each run of digits written '#'.
 */
const NUMBER_WORDS_LATIN = // French
  (
    'zero zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt ' +
    'vingts trente quarante cinquante soixante septante huitante octante nonante cent cents mille double triple ' +
    // English
    'one two three four five seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen ' +
    'eighteen nineteen twenty thirty forty fourty fifty sixty seventy eighty ninety hundred thousand ' +
    // Darija and Arabic in Latin letters (3 and 7 are digits: '#')
    'sifr sefr sfer wahed wahd wahid wa#ed wa#d jouj jooj zouj zoj joj tnin tnine tnayn jou# ithnan ithnayn itnin ' +
    'tlata tleta tlate tlat thalatha talata arba arbaa arb#a reb#a rab#a rb#a raba khamsa khemsa khmsa khamssa ' +
    'setta sitta stta seta sta seba sebaa sab#a seb#a sb#a saba tmenia tmenya tmanya tmnya tmnia tamanya thamania ' +
    'thamaniya tes#oud tes#ud tsaoud tsa#ud tes#a tis#a ts#a tes#ou tessa tissa tisaa #achra #ashra achra ashra ' +
    'ashara #ashara #echrin #achrin achrin ashrin tlatin tlatine rb#in arb#in arbain khamsin khamssin sttin settin ' +
    'sitin sab#in sebin tmanin tmenin tes#in tis#in tisin mya mia miya alf'
  ).split(' ');
/**
 * sec26 (session 25's "Left"): Tamazight number words, in Tifinagh (IRCAM's standard spellings with the common
 * variants: ⵔ for ⵕ, ⵣ for ⵥ, ⵙ for ⵚ, the feminine forms in ⵜ, Kabyle's ⵢⵉⵡⴻⵏ / ⵓⴽⴽⵓⵥ / ⵙⴻⵎⵎⵓⵙ, ⴰⵎⵢⴰ zero, ⵜⵎⵔⴰⵡⵉⵏ
 * tens) and in Latin letters (kraḍ, kkuẓ, sḍis, tẓa are read without their dots: ḍ ẓ ṛ fold to d z r in the
 * number-word text). Left out in Latin: yan, yat, sin, sa, sat, tam — syllables of everyday Cantonese, Vietnamese and
 * French names ("Tam Sin Yan 2" is a name, not a number); in Tifinagh they are unambiguous and counted. ⴷ ("and":
 * ⵎⵔⴰⵡ ⴷ ⵢⴰⵏ) joins two words as et/and/w/و do. (The database runs the pattern with the Tifinagh words only on a
 * text that holds one of their letters — the same answers, at the cost of the fix25 pattern for every other name.)
 */
const NUMBER_WORDS_TAMAZIGHT = // Latin letters (after ḍ ẓ ṛ → d z r)
  (
    'krad kradt kkuz kkuzt ukkuz smmus semmus smmust sdis sdist tza tzat mraw mrawt snat tamt amya yiwen ' +
    // Tifinagh
    'ⴰⵎⵢⴰ ⵢⴰⵏ ⵢⴰⵜ ⵢⵉⵡⴻⵏ ⵢⵉⵡⵏ ⵙⵉⵏ ⵙⵏⴰⵜ ⴽⵕⴰⴹ ⴽⵔⴰⴹ ⴽⵕⴰⴹⵜ ⴽⵔⴰⴹⵜ ⴽⴽⵓⵥ ⴽⴽⵓⵣ ⴽⴽⵓⵥⵜ ⴽⴽⵓⵣⵜ ⵓⴽⴽⵓⵥ ⵙⵎⵎⵓⵙ ⵙⵎⵓⵙ ⵙⵎⵎⵓⵙⵜ ' +
    'ⵙⴻⵎⵎⵓⵙ ⵚⴹⵉⵚ ⵙⴹⵉⵚ ⵙⴹⵉⵙ ⵚⴹⵉⵚⵜ ⵙⴹⵉⵙⵜ ⵙⴰ ⵙⴰⵜ ⵜⴰⵎ ⵜⴰⵎⵜ ⵜⵥⴰ ⵜⵣⴰ ⵜⵥⴰⵜ ⵜⵣⴰⵜ ⵎⵔⴰⵡ ⵎⵔⴰⵡⵜ ⵜⵎⵔⴰⵡⵉⵏ'
  ).split(' ');
const NUMBER_WORDS_ARABIC = (
  'صفر واحد واحده احد اثنان اثنين اثنا اثنتان اثنتين ثنين جوج زوج ثلاثه ثلاث تلاته تلات اربعه اربع ربعه خمسه ' +
  'خمس سته ست سبعه سبع ثمانيه ثمان ثماني تمنيه تمانيه تسعه تسع تسعود عشره عشر عشرون عشرين تلاتين ثلاثون ثلاثين ' +
  'اربعون اربعين ربعين خمسون خمسين ستون ستين سبعون سبعين ثمانون ثمانين تمانين تسعون تسعين مئه مائه ميه مايه الف'
).split(' ');
const longestFirst = (words: readonly string[]): string =>
  [...new Set(words)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).join('|');

/** The word lists and the letters the number-word patterns are built from (scripts/name-rule-patterns.ts too). */
export const NAME_RULE_WORDS = {
  letters: LETTERS,
  latin: NUMBER_WORDS_LATIN,
  tamazight: NUMBER_WORDS_TAMAZIGHT,
  arabic: NUMBER_WORDS_ARABIC,
} as const;

/**
 * A run of 4 or more number words or digit groups ('#'), joined by non-letters or et/and/w/و (ⴷ), as one regular
 * expression source that JavaScript and PostgreSQL read alike (the database's pattern is printed from this by
 * scripts/name-rule-patterns.ts). `spelledOnly` (names27, mreview26 F2, clinic/visit-type/room names): the run counts
 * only when at least one of its items is a spelled number word — bare digit groups ("Vaccins 2, 4, 6 et 12 mois")
 * are judged by the digit rules alone. The run is enumerated by how many bare groups come before its first word
 * (3 or more / 2 / 1 / none), so both engines answer "is there such a run" the same way.
 */
export function numberRunPattern(o: {
  readonly latin: readonly string[];
  readonly arabic: readonly string[];
  readonly joiners: readonly string[];
  readonly spelledOnly: boolean;
}): string {
  const L = LETTERS;
  const word = numberWord(o);
  const item = `(?:${word}|#)`;
  const gap = `[^${L}#]*(?:(?:${o.joiners.join('|')})[^${L}#]+)?`;
  const next = `(?:${gap}${item})`;
  if (!o.spelledOnly) return `(^|[^${L}])${item}${next}{3,}([^${L}]|$)`;
  const w = `(?:${word})`;
  const bare = `#${gap}`;
  return (
    `(^|[^${L}])(?:(?:${bare}){3,}${w}${next}*|${bare}${bare}${w}${next}+|${bare}${w}${next}{2,}|${w}${next}{3,})` +
    `([^${L}]|$)`
  );
}
const numberWord = (o: { readonly latin: readonly string[]; readonly arabic: readonly string[] }): string =>
  `و?(?:${longestFirst(o.arabic)})|${longestFirst(o.latin)}`;
/**
 * A spelled number word after a non-letter (or at the start). The first word of any run is one (a run starts after a
 * non-letter, and a word inside it follows a gap, a digit group '#' or — glued — an earlier word), so a text without
 * one has no run with a word: the cheap test before the long pattern.
 */
export const numberWordPattern = (o: {
  readonly latin: readonly string[];
  readonly arabic: readonly string[];
}) => `(^|[^${LETTERS}])(?:${numberWord(o)})`;
const ALL_WORDS = { latin: [...NUMBER_WORDS_LATIN, ...NUMBER_WORDS_TAMAZIGHT], arabic: NUMBER_WORDS_ARABIC };
const JOINERS = ['et', 'and', 'w', 'و', 'ⴷ'];
const NUMBER_WORD_RUN = new RegExp(
  numberRunPattern({ ...ALL_WORDS, joiners: JOINERS, spelledOnly: false }),
  'u',
);
const NUMBER_WORD_ANYWHERE = new RegExp(numberWordPattern(ALL_WORDS), 'u');
const SPELLED_NUMBER_RUN = new RegExp(
  numberRunPattern({ ...ALL_WORDS, joiners: JOINERS, spelledOnly: true }),
  'u',
);
const NB = `[^${LETTERS}#]`;
/** The short-link and messenger hosts written as words, something after them (fix25). */
export const HOST_WORDS_SOURCE =
  `(^|[^${LETTERS}])(?:bit${NB}{0,3}ly|tinyurl|tiny${NB}{1,3}cc|t${NB}{1,3}me|wa${NB}{1,3}me|goo${NB}{1,3}gl|` +
  `ow${NB}{1,3}ly|linktr${NB}{0,3}ee|cutt${NB}{1,3}ly|rb${NB}{1,3}gy|lnkd${NB}{1,3}in)(?:${NB}*#|${NB}+[${LETTERS}])`;
const HOST_WORDS = new RegExp(HOST_WORDS_SOURCE, 'u');
const ARABIC_FORMS: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ى: 'ي',
  ی: 'ي',
  ة: 'ه',
  ک: 'ك',
};
// (upper case too: a C-ctype PostgreSQL's lower() leaves Ḍ Ẓ Ṛ as they are)
const DOTLESS: Record<string, string> = { ḍ: 'd', ẓ: 'z', ṛ: 'r', Ḍ: 'd', Ẓ: 'z', Ṛ: 'r' };
const numberWordText = (t: string): string =>
  t
    .replace(/[أإآٱىیةک]/gu, (c) => ARABIC_FORMS[c] ?? c)
    .replace(/[ḍẓṛḌẒṚ]/gu, (c) => DOTLESS[c] ?? c) // sec26: Latin Tamazight with or without its dots
    .replace(/\u0640|[\u064b-\u0652]|\u0670/gu, '')
    .replace(/[0-9]+/gu, '#');
/** No run of 4+ number words or digit groups, no short-link host written as words (private.person_name_no_contact). */
const noSpelledContact = (t: string): boolean => {
  const u = numberWordText(t);
  return !NUMBER_WORD_RUN.test(u) && !HOST_WORDS.test(u);
};
/**
 * names27 (mreview26 F2): clinic, visit-type and room names — the same, but a run counts only when it holds a
 * spelled number word (private.clinic_spelled_contact_free, 20261227100001).
 */
const noSpelledContactInClinicName = (t: string): boolean => {
  const u = numberWordText(t);
  // a run without '#' is all words; a text without any number word has no run with one
  const runFree =
    !NUMBER_WORD_RUN.test(u) ||
    (u.includes('#') && (!NUMBER_WORD_ANYWHERE.test(u) || !SPELLED_NUMBER_RUN.test(u)));
  return runFree && !HOST_WORDS.test(u);
};

/** Control, bidi, zero-width and other invisible characters (person_name_chars_clean's common cases). */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u115f\u1160\u3164\uffa0]/;

/**
 * P1: a person's name holds no web address, e-mail address (also spelled out: "(at)", "[dot]") or phone number,
 * at most 5 digits in all, nor invisible characters (private.person_name_no_contact, latest 20261225500001: the
 * e-mail on the folded text, the spelled-out forms on the text before the fold, which turns "(dot)" into '.'; fix25:
 * no run of 4+ number words, no short-link host written as words; fix26c, 20261226500001: no '@' ＠ ﹫ as typed, no
 * domain spelled letter by letter).
 */
export function isCleanPersonName(name: string): boolean {
  if (INVISIBLE.test(name)) return false;
  const t = contactFold(name);
  return (
    contactFreeFolded(t) &&
    !/[@＠﹫]/u.test(name) &&
    noEmail(name, t) &&
    !SPELLED_DOMAIN.test(t) &&
    digits(t) < 6 &&
    noSpelledContact(t)
  );
}

/** fix26c (review26 L3): a domain spelled letter by letter, two single letters on each side of a dot. */
const SPELLED_DOMAIN = /(^|\s)[a-z]\s+[a-z]\s*\.\s*[a-z]\s+[a-z](\s|$)/u;

/** private.public_person_name: a name that holds '@' is never shown. */
export const publicPersonName = (name: string | null): string | null =>
  name === null || name.includes('@') ? null : name;
