// Deno tests of the edge functions' log hygiene (attack review, session 16): `redactPhones` masked only runs
// of digits separated by spaces, so "+212 6-12-34-56-78", dotted and bracketed numbers reached the logs whole.
// It is now the app's `scrub` (src/services/shared/logSanitize.ts): one implementation everywhere.
import assert from 'node:assert/strict';
import { scrub } from '../../../src/services/shared/logSanitize.ts';
import { createLogger, maskPhone, redactPhones } from './log.ts';

const CASES: [string, string][] = [
  ['To +212612345678 failed', 'To +212••••78 failed'],
  ['To +212 612 34 56 78 failed', 'To +212••••78 failed'],
  ['To +212 6-12-34-56-78 failed', 'To +212••••78 failed'],
  ['call 06.12.34.56.78 now', 'call 061••••78 now'],
  ['+212 (0)6 12 34 56 78', '+212••••78'],
  ['(+212) 612 34 56 78', '(+212••••78'],
  ['06/12/34/56/78', '061••••78'],
  ['+212\u00a0612\u00a0345\u00a0678', '+212••••78'],
];

Deno.test('redactPhones masks numbers whatever separates their digits', () => {
  for (const [input, want] of CASES) {
    const got = redactPhones(input);
    assert.equal(got, want, input);
    assert.ok(!/\d{3}[^\d]{0,3}\d{2}[^\d]{0,3}\d{2}[^\d]{0,3}\d{2}/.test(got.replace(/••••/g, '#')), got);
  }
});

Deno.test('redactPhones is the app’s scrub; short numbers, tickets and times stay', () => {
  for (const [input] of CASES) assert.equal(redactPhones(input), scrub(input));
  assert.equal(
    redactPhones('ticket A-007 at 10:30, HTTP 400 code 21211'),
    'ticket A-007 at 10:30, HTTP 400 code 21211',
  );
  assert.equal(maskPhone('+212612345678'), '+2126••••••78');
});

Deno.test('a logged error message carries no phone digits', () => {
  const lines: string[] = [];
  const log = createLogger('test', (l) => lines.push(l));
  log.error('send failed', { err: redactPhones("The 'To' number +212 6-12-34-56-78 is not valid") });
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.includes('34-56'), lines[0]);
  assert.ok(lines[0]!.includes('+212••••78'), lines[0]);
});
