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
