/**
 * SMS `{eta}` (eta.ts): the visit's latest stored estimate — also one of an older queue version, the case of a
 * message sent a moment after the line moved (issue 14's flake: "Position 1, attente." with no wait) — and
 * "not known yet" in the patient's language when there is none, it is too old, or it cannot be read.
 */
import assert from 'node:assert/strict';
import { ETA_MAX_AGE_SECONDS, etaFor } from './eta.ts';
import { createLogger } from './log.ts';
import { RpcError } from './rest.ts';
import type { Rpc } from './rest.ts';

const CLINIC = '11111111-1111-4111-8111-111111111111';
const ENTRY = '22222222-2222-4222-8222-222222222222';
const LANGUAGES = ['fr', 'en', 'ar'] as const;

/** A get_entry_estimate that answers `answer` (or throws it), and the log lines written. */
const world = (answer: unknown) => {
  const calls: { fn: string; args: Record<string, unknown> }[] = [];
  const lines: string[] = [];
  const rpc = ((fn: string, args: Record<string, unknown>) => {
    calls.push({ fn, args });
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }) as Rpc;
  return { rpc, calls, lines, log: createLogger('test', (l) => lines.push(l)) };
};
const stored = (extra: Record<string, unknown>) => ({
  estimate: {
    minutes: 23.4,
    low: 18.2,
    high: 33.9,
    display: { kind: 'minutes', minutes: 25, low: 15, high: 35 },
    queue_version: 7,
    computed_at: '2026-12-02T09:00:00Z',
    ...extra,
  },
  accuracy_minutes: null,
});
const etas = async (answer: unknown) => {
  const out: Record<string, string> = {};
  for (const language of LANGUAGES) {
    const w = world(answer);
    out[language] = await etaFor(w.rpc, w.log, CLINIC, ENTRY, language);
    assert.deepEqual(w.calls, [
      { fn: 'get_entry_estimate', args: { p_clinic_id: CLINIC, p_entry_id: ENTRY } },
    ]);
  }
  return out;
};
const FIGURE = { fr: 'environ 25 min (15-35)', en: 'about 25 min (15-35)', ar: 'حوالي 25 دقيقة (15-35)' };
const UNKNOWN = { fr: 'pas encore connue', en: 'not known yet', ar: 'غير معروفة بعد' };

Deno.test(
  'the latest stored estimate, also of an older queue version (sent after the line moved)',
  async () => {
    assert.deepEqual(await etas(stored({ age_seconds: 90, current: false })), FIGURE);
    assert.deepEqual(await etas(stored({ age_seconds: 0, current: true })), FIGURE);
    // exactly the limit is still recent; a database without the age (before 20261219100001) is read as before
    assert.deepEqual(await etas(stored({ age_seconds: ETA_MAX_AGE_SECONDS, current: false })), FIGURE);
    assert.deepEqual(await etas(stored({})), FIGURE);
  },
);

Deno.test(
  'no estimate ever stored: "not known yet" in the patient\'s language, never an empty wait',
  async () => {
    assert.deepEqual(await etas({ estimate: null, accuracy_minutes: null }), UNKNOWN);
  },
);

Deno.test('an estimate older than the limit is not sent as a figure: "not known yet"', async () => {
  assert.deepEqual(await etas(stored({ age_seconds: ETA_MAX_AGE_SECONDS + 1, current: false })), UNKNOWN);
  assert.deepEqual(await etas(stored({ age_seconds: 4 * 3600, current: true })), UNKNOWN);
});

Deno.test('a failing or malformed read: "not known yet", logged with the clinic only', async () => {
  for (const answer of [
    new RpcError(503, 'PGRST000', null),
    new Error('connection reset'),
    { estimate: { display: { kind: 'weeks' } } },
    { estimate: { display: { kind: 'minutes', minutes: 25, low: 15, high: 35 }, age_seconds: -5 } },
    null,
  ]) {
    assert.deepEqual(await etas(answer), UNKNOWN);
    const w = world(answer);
    await etaFor(w.rpc, w.log, CLINIC, ENTRY, 'fr');
    assert.equal(w.lines.length, 1);
    const line = JSON.parse(w.lines[0]!) as Record<string, unknown>;
    assert.equal(line.level, 'warn');
    assert.equal(line.clinic_id, CLINIC);
  }
});
