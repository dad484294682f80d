// Two-way SMS: signature, keyword → sms_inbound_apply, localized TwiML reply.
import assert from 'node:assert/strict';
import { makeRuntime, okRpc } from '../_test/fakes.ts';
import { twilioSignature } from '../_shared/twilio.ts';
import { createInboundHandler } from './handler.ts';

const URL_ = 'http://supa.test/functions/v1/twilio-inbound';
const FROM = '+212612345678';
const sms = async (body: string, token = 'secret-token') => {
  const p = { From: FROM, To: '+212522000111', Body: body, MessageSid: 'SMin1' };
  return new Request('http://127.0.0.1:9/twilio-inbound', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': await twilioSignature(token, URL_, p),
    },
    body: new URLSearchParams(p).toString(),
  });
};
const applied = (over: Record<string, unknown> = {}) =>
  okRpc({
    sms_inbound_apply: {
      intent: 'late',
      applied: true,
      reason: null,
      language: 'fr',
      clinic_name: 'Cabinet Anfa',
      ticket: 'A-007',
      ...over,
    },
  });
const message = async (res: Response) => /<Message>(.*)<\/Message>/.exec(await res.text())?.[1] ?? null;

Deno.test('forged signature → 403, nothing applied', async () => {
  const { rt, rec } = makeRuntime({ rpc: applied() });
  const res = await createInboundHandler(rt)(await sms('RETARD', 'not-the-token'));
  assert.equal(res.status, 403);
  assert.equal(rec.rpc.length, 0);
});

Deno.test('RETARD / LATE / متأخر → late, answered in the language written', async () => {
  for (const [text, expected] of [
    [
      'Retard 10 min',
      'Cabinet Anfa : c&apos;est noté, nous avons prévenu l&apos;accueil de votre retard (ticket A-007).',
    ],
    ['late', 'Cabinet Anfa: noted, reception knows you are running late (ticket A-007).'],
    ['مُتَأَخِّر', 'Cabinet Anfa: تم إبلاغ الاستقبال بتأخرك (التذكرة A-007).'],
  ] as const) {
    const { rt, rec } = makeRuntime({ rpc: applied() });
    const res = await createInboundHandler(rt)(await sms(text));
    assert.equal(res.status, 200);
    assert.equal(await message(res), expected);
    assert.deepEqual(rec.rpc[0]!.args, { p_from: FROM, p_intent: 'late' });
  }
});

Deno.test("ANNULER / CANCEL / إلغاء → cancel; STOP → opt-out in the patient's language", async () => {
  for (const [text, lang] of [
    ['ANNULER', 'fr'],
    ['Cancel', 'en'],
    ['إلغاء', 'ar'],
  ] as const) {
    const { rt, rec } = makeRuntime({ rpc: applied({ intent: 'cancel' }) });
    const m = await message(await createInboundHandler(rt)(await sms(text)));
    assert.equal(rec.rpc[0]!.args.p_intent, 'cancel');
    assert.ok(
      m &&
        (lang === 'ar'
          ? m.includes('تم إلغاء موعدك')
          : lang === 'fr'
            ? m.includes('est annulé')
            : m.includes('is cancelled')),
      `${text}: ${m}`,
    );
  }
  const { rt, rec } = makeRuntime({ rpc: applied({ intent: 'stop', language: 'ar', ticket: null }) });
  const m = await message(await createInboundHandler(rt)(await sms('STOP')));
  assert.equal(rec.rpc[0]!.args.p_intent, 'stop');
  assert.equal(m, 'لن تتلقى بعد الآن رسائل نصية من QueueMed.');
});

Deno.test('no visit today, already called, and anything else (help, nothing applied)', async () => {
  const none = makeRuntime({ rpc: applied({ applied: false, reason: 'no_visit_today', ticket: null }) });
  assert.equal(
    await message(await createInboundHandler(none.rt)(await sms('LATE'))),
    'We found no visit today for this number.',
  );
  const called = makeRuntime({ rpc: applied({ applied: false, reason: 'already_called' }) });
  assert.match(
    (await message(await createInboundHandler(called.rt)(await sms('RETARD')))) ?? '',
    /déjà été appelé/,
  );
  const other = makeRuntime();
  assert.match(
    (await message(await createInboundHandler(other.rt)(await sms('Bonjour, je suis dans le parking')))) ??
      '',
    /RETARD.*ANNULER.*STOP/,
  );
  assert.equal(other.rec.rpc.length, 0);
  assert.ok(
    other.rec.logs.every((l) => !l.includes('612345678')),
    'no phone in logs',
  );
});
