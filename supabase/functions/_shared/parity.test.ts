// The functions deploy without src/, so they carry copies of two pure models. These tests fail the
// moment a copy and its original disagree.
import assert from 'node:assert/strict';
import * as original from '../../../src/services/notification/models/SmsSegments.ts';
import * as copy from './segments.ts';
import * as kwOriginal from '../../../src/services/notification/models/InboundSms.ts';
import * as kwCopy from './keywords.ts';

const SAMPLES = [
  '',
  'Hello',
  'x'.repeat(160),
  'x'.repeat(161),
  '{clinic} ^ [] ~ | € '.repeat(12),
  'حان دورك! التذكرة A-007، القاعة 2.',
  'ح'.repeat(70),
  'ح'.repeat(71),
  'C’est votre tour 😀 '.repeat(6),
  'é'.repeat(200),
];

Deno.test('segments.ts is SmsSegments.ts', () => {
  for (const s of SAMPLES) assert.deepEqual(copy.smsSegments(s), original.smsSegments(s), JSON.stringify(s));
});

Deno.test('keywords.ts is InboundSms.ts', () => {
  for (const s of [
    'RETARD 10 min',
    'late',
    'en retard',
    'مُتَأَخِّر',
    'الغاء',
    'Annulé',
    'cancel',
    'STOP',
    'arrêt',
    'bonjour',
    '',
  ]) {
    assert.equal(kwCopy.parseInboundSms(s), kwOriginal.parseInboundSms(s), s);
  }
});

// THE SMS renderer's {eta} phrase is the queue module's formatWaitForPatient (GSM form): the dashboard's
// "about 25 min (20–35)" and the SMS say the same numbers.
import * as waitTime from '../../../src/services/queue/models/WaitTime.ts';
import { etaPhrase } from './render.ts';

Deno.test('etaPhrase is formatWaitForPatient (gsm) in every language', () => {
  const displays = [
    { kind: 'soon' as const },
    { kind: 'unknown' as const },
    ...[
      [3, 2, 7],
      [25, 20, 35],
      [90, 70, 120],
      [0, 0, 5],
    ].map(([minutes, low, high]) => ({
      kind: 'minutes' as const,
      minutes: minutes!,
      low: low!,
      high: high!,
    })),
  ];
  for (const lang of ['ar', 'fr', 'en'] as const)
    for (const d of displays) {
      assert.equal(
        etaPhrase(d, lang),
        waitTime.formatWaitForPatient(d, lang, { gsm: true }),
        `${lang} ${JSON.stringify(d)}`,
      );
    }
});

Deno.test('keywords.ts answers waitlist offers as InboundSms.ts does', () => {
  for (const s of [
    '1',
    ' 2 ',
    '١',
    '۲',
    'oui',
    'Non merci',
    'YES',
    'no',
    'نعم',
    'لا',
    '12',
    'RETARD',
    '',
    'ok',
  ]) {
    assert.equal(kwCopy.parseOfferReply(s), kwOriginal.parseOfferReply(s), s);
  }
});
